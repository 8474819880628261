"""REST API of target profiles (« parcours »), mounted under /api/v1/.

A member of an organization lists and reads the profiles it may use (``?organization=<id>``: public ones and its
own); an outsider gets 404, as for an organization that does not exist. Staff may omit the organization and see
every profile with its tubes, stages and badges, and create or change profiles (403 for anyone else).
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from content.errors import OrganizationRequired, StaffOnly, TargetProfileInvalid
from content.models import BadgeCriterion, TargetProfile, Tube
from content.selectors import (
    target_profile_for_organization,
    target_profile_with_parts,
    target_profiles_for_organization,
    target_profiles_for_staff,
)
from content.services import target_profile_create, target_profile_update
from organizations.models import Organization
from organizations.selectors import organization_for_member
from pixorga.api import error_response_schema

ERROR = error_response_schema()
TAGS = ["parcours"]


def _errors(**statuses: str) -> dict:
    return {int(code[1:]): OpenApiResponse(ERROR, description=text) for code, text in statuses.items()}


UNAUTHENTICATED = {"_401": "Non authentifié."}
OUTSIDER = {"_404": "Organisation inconnue ou dont vous n'êtes pas membre, ou parcours qu'elle ne peut pas utiliser "
                    "(TARGET_PROFILE_NOT_FOUND)."}
STAFF_ONLY = {"_403": "Réservé à l'équipe Pix (STAFF_ONLY)."}
INVALID = ("Données invalides : VALIDATION_ERROR, TARGET_PROFILE_INVALID (le détail dit quoi corriger), "
           "ORGANIZATION_REQUIRED (paramètre organization absent).")
ORGANIZATION_PARAMETER = OpenApiParameter(
    "organization", int, description="L'organisation qui choisit un parcours (obligatoire, sauf pour l'équipe Pix).")


# --- Output -----------------------------------------------------------------------------------------------------

class TargetProfileOutput(serializers.ModelSerializer):
    category = serializers.CharField(help_text="COMPETENCES, BACK_TO_SCHOOL, TARGETED, SUBJECT, CUSTOM ou OTHER.")
    tubes_count = serializers.IntegerField(help_text="Nombre de sujets.")
    skills_count = serializers.IntegerField(help_text="Acquis actifs de ces sujets, jusqu'au niveau maximum de chacun.")

    class Meta:
        model = TargetProfile
        fields = ["id", "name", "description", "category", "tubes_count", "skills_count"]


class CappedTubeOutput(serializers.Serializer):
    tube = serializers.CharField(source="tube.name")
    competence = serializers.CharField(source="tube.competence.code")
    title = serializers.CharField(source="tube.practical_title")
    level = serializers.IntegerField(help_text="Niveau maximum.")


class StageOutput(serializers.Serializer):
    threshold = serializers.IntegerField(allow_null=True, help_text="Seuil en % (ou null : palier par niveau).")
    level = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    message = serializers.CharField()
    prescriber_title = serializers.CharField()
    prescriber_description = serializers.CharField()


class CriterionTubeSerializer(serializers.Serializer):
    tube = serializers.CharField(help_text="Nom du sujet, ex. mdp.")
    level = serializers.IntegerField(min_value=1, max_value=8, help_text="Niveau maximum pris en compte.")


class CriterionOutput(serializers.Serializer):
    scope = serializers.CharField(help_text="CAMPAIGN (tout le parcours) ou TUBES (sujets choisis).")
    threshold = serializers.IntegerField(help_text="% à atteindre.")
    tubes = CriterionTubeSerializer(many=True)


class BadgeOutput(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    message = serializers.CharField()
    criteria = CriterionOutput(many=True, source="criteria.all")


class TargetProfileStaffOutput(TargetProfileOutput):
    owner_organization_id = serializers.IntegerField(allow_null=True)
    from_bank = serializers.BooleanField(help_text="Livré par la banque de contenus : il se modifie dans son fichier.")
    tubes = CappedTubeOutput(many=True, source="capped_tubes.all")
    stages = StageOutput(many=True, source="stages.all")
    badges = BadgeOutput(many=True, source="badges.all")

    class Meta(TargetProfileOutput.Meta):
        fields = [*TargetProfileOutput.Meta.fields, "key", "owner_organization_id", "is_public", "is_archived",
                  "from_bank", "tubes", "stages", "badges"]


# --- Input ------------------------------------------------------------------------------------------------------

class OrganizationQueryInput(serializers.Serializer):
    organization = serializers.IntegerField(required=False, min_value=1)


class StageInput(serializers.Serializer):
    threshold = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=100)
    level = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=8)
    title = serializers.CharField(max_length=200)
    message = serializers.CharField(required=False, allow_blank=True, default="")
    prescriber_title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    prescriber_description = serializers.CharField(required=False, allow_blank=True, default="")


class CriterionInput(serializers.Serializer):
    scope = serializers.ChoiceField(choices=BadgeCriterion.Scope.values)
    threshold = serializers.IntegerField(min_value=1, max_value=100)
    tubes = CriterionTubeSerializer(many=True, required=False, default=list)


class BadgeInput(serializers.Serializer):
    key = serializers.SlugField(max_length=80)
    title = serializers.CharField(max_length=200)
    message = serializers.CharField(required=False, allow_blank=True, default="")
    criteria = CriterionInput(many=True)


class TargetProfileInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=TargetProfile.Category.values, default=TargetProfile.Category.OTHER)
    tubes = CriterionTubeSerializer(many=True, help_text="Les sujets et le niveau maximum de chacun.")
    owner_organization = serializers.IntegerField(required=False, allow_null=True, default=None,
                                                  help_text="Id de l'organisation propriétaire, ou null.")
    is_public = serializers.BooleanField(required=False, default=False,
                                         help_text="true : toutes les organisations peuvent l'utiliser.")
    is_archived = serializers.BooleanField(required=False, help_text="PATCH seulement : archiver le parcours.")
    stages = StageInput(many=True, required=False, default=list)
    badges = BadgeInput(many=True, required=False, default=list)


def _staff_only(request) -> None:
    if not request.user.is_staff:
        raise StaffOnly()


def _resolved(data: dict) -> dict:
    """Tube names → tubes, organization id → organization; unknown ones are a TargetProfileInvalid."""
    values = dict(data)
    problems = []
    if "tubes" in values:
        names = [item["tube"] for item in values["tubes"]]
        tubes = Tube.objects.in_bulk(names, field_name="name")
        problems += [f"sujet inconnu « {name} »" for name in names if name not in tubes]
        values["tubes"] = [(tubes[item["tube"]], item["level"]) for item in values["tubes"] if item["tube"] in tubes]
    if values.get("owner_organization") is not None:
        organization = Organization.objects.filter(pk=values["owner_organization"]).first()
        if organization is None:
            problems.append(f"organisation inconnue ({values['owner_organization']})")
        values["owner_organization"] = organization
    if problems:
        raise TargetProfileInvalid(problems)
    return values


def _scoped(request) -> tuple[Organization | None, bool]:
    """The organization asked for (a member's, or any for staff), and whether the user is staff."""
    query = OrganizationQueryInput(data=request.query_params)
    query.is_valid(raise_exception=True)
    organization_id = query.validated_data.get("organization")
    staff = request.user.is_staff
    if organization_id is None:
        if not staff:
            raise OrganizationRequired()
        return None, True
    if staff:
        organization = Organization.objects.filter(pk=organization_id).first()
        if organization is None:
            raise Http404
        return organization, True
    return organization_for_member(user=request.user, organization_id=organization_id), False


class TargetProfileListApi(APIView):
    @extend_schema(
        operation_id="target_profiles_list",
        summary="Les parcours qu'une organisation peut utiliser (publics, ou les siens)",
        description="L'équipe Pix peut omettre `organization` : elle voit alors tous les parcours.",
        parameters=[ORGANIZATION_PARAMETER],
        responses={200: TargetProfileOutput(many=True), 400: OpenApiResponse(ERROR, description=INVALID),
                   **_errors(**UNAUTHENTICATED, **OUTSIDER)},
        tags=TAGS,
    )
    def get(self, request):
        organization, staff = _scoped(request)
        if organization is None:
            profiles = target_profiles_for_staff()
        else:
            profiles = target_profiles_for_organization(organization=organization)
        return Response(TargetProfileOutput(profiles, many=True).data)

    @extend_schema(
        operation_id="target_profiles_create",
        summary="Créer un parcours (équipe Pix)",
        request=TargetProfileInput,
        responses={201: TargetProfileStaffOutput, 400: OpenApiResponse(ERROR, description=INVALID),
                   **_errors(**UNAUTHENTICATED, **STAFF_ONLY)},
        tags=TAGS,
    )
    def post(self, request):
        _staff_only(request)
        data = TargetProfileInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = _resolved(data.validated_data)
        values.pop("is_archived", None)
        target_profile = target_profile_create(by=request.user, **values)
        target_profile = target_profile_with_parts(target_profile_id=target_profile.pk)
        return Response(TargetProfileStaffOutput(target_profile).data, status=status.HTTP_201_CREATED)


class TargetProfileDetailApi(APIView):
    @extend_schema(
        operation_id="target_profiles_retrieve",
        summary="Un parcours (pour l'équipe Pix : avec ses sujets, paliers et badges)",
        parameters=[ORGANIZATION_PARAMETER],
        responses={200: TargetProfileStaffOutput, 400: OpenApiResponse(ERROR, description=INVALID),
                   **_errors(**UNAUTHENTICATED, **OUTSIDER)},
        tags=TAGS,
    )
    def get(self, request, target_profile_id: int):
        organization, staff = _scoped(request)
        if staff:
            queryset = None if organization is None else target_profiles_for_organization(organization=organization)
            target_profile = target_profile_with_parts(target_profile_id=target_profile_id, queryset=queryset)
            return Response(TargetProfileStaffOutput(target_profile).data)
        target_profile = target_profile_for_organization(organization=organization,
                                                         target_profile_id=target_profile_id)
        return Response(TargetProfileOutput(target_profile).data)

    @extend_schema(
        operation_id="target_profiles_partial_update",
        summary="Modifier un parcours (équipe Pix ; les parcours de la banque se modifient dans leur fichier)",
        request=TargetProfileInput(partial=True),
        responses={200: TargetProfileStaffOutput, 400: OpenApiResponse(ERROR, description=INVALID),
                   **_errors(**UNAUTHENTICATED, **STAFF_ONLY,
                             _404="Parcours inconnu (TARGET_PROFILE_NOT_FOUND).",
                             _409="Parcours de la banque (TARGET_PROFILE_FROM_BANK), ou sujets d'un parcours déjà "
                                  "utilisé par une campagne (TARGET_PROFILE_IN_USE).")},
        tags=TAGS,
    )
    def patch(self, request, target_profile_id: int):
        _staff_only(request)
        target_profile = target_profile_with_parts(target_profile_id=target_profile_id)
        data = TargetProfileInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        # Only what was sent changes (the serializer's defaults are for creation).
        sent = {key: value for key, value in data.validated_data.items() if key in request.data}
        target_profile_update(by=request.user, target_profile=target_profile, **_resolved(sent))
        return Response(TargetProfileStaffOutput(target_profile_with_parts(target_profile_id=target_profile_id)).data)
