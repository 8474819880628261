"""REST API of campaign management (mounted under /api/v1/): list, create, read, edit, archive, unarchive."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from campaigns.errors import NotCampaignEditor
from campaigns.models import Campaign
from campaigns.selectors.campaigns import (
    campaign_can_edit,
    campaign_for_member,
    campaign_get_with_count,
    campaign_list,
)
from campaigns.services.campaigns import (
    EXTERNAL_ID_LABEL_MAX,
    NAME_MAX,
    TITLE_MAX,
    CampaignOwnerNotMember,
    campaign_archive,
    campaign_create,
    campaign_unarchive,
    campaign_update,
)
from organizations.selectors import organization_for_member
from pixorga.api import error_response_schema

ERROR = error_response_schema()
TAGS = ["campaigns"]


def _errors(**statuses: str) -> dict:
    return {int(code[1:]): OpenApiResponse(ERROR, description=text) for code, text in statuses.items()}


UNAUTHENTICATED = {"_401": "Non authentifié."}
NOT_EDITOR = {"_403": "Réservé aux administrateurs et au propriétaire de la campagne (NOT_CAMPAIGN_EDITOR)."}
CAMPAIGN_OUTSIDER = {"_404": "Campagne inconnue ou d'une organisation dont vous n'êtes pas membre."}
INVALID = ("Données invalides : VALIDATION_ERROR, INVALID_CAMPAIGN, CAMPAIGN_OWNER_NOT_MEMBER, "
           "TARGET_PROFILE_REQUIRED, TARGET_PROFILE_NOT_ALLOWED, TARGET_PROFILE_EMPTY, LANDING_PAGE_TEXT_TOO_LONG.")


class CampaignOwnerOutput(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class CampaignTargetProfileOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    category = serializers.CharField()


class CampaignOutput(serializers.ModelSerializer):
    organization_id = serializers.IntegerField()
    target_profile = CampaignTargetProfileOutput(allow_null=True, help_text="Le parcours (évaluation) ; null "
                                                                            "pour une collecte de profils.")
    owner = CampaignOwnerOutput()
    participants_count = serializers.IntegerField(
        help_text="Participations en cours (hors prévisualisations des enseignants)."
    )

    class Meta:
        model = Campaign
        fields = ["id", "organization_id", "name", "type", "code", "title", "landing_page_text",
                  "external_id_label", "multiple_sendings", "target_profile", "owner", "created_at",
                  "archived_at", "participants_count"]


class CampaignListInput(serializers.Serializer):
    mine = serializers.BooleanField(required=False, default=False,
                                    help_text="true : seulement les campagnes dont vous êtes propriétaire.")
    owner = serializers.IntegerField(required=False, help_text="Id du propriétaire.")
    archived = serializers.BooleanField(required=False, default=False,
                                        help_text="false (défaut) : en cours ; true : archivées.")
    search = serializers.CharField(required=False, default="", allow_blank=True, max_length=100,
                                   help_text="Partie du nom, sans tenir compte de la casse.")


class _OwnerIdMixin:
    def owner_from(self, owner_id):
        # Unknown ids and non-members get the same answer: the service checks membership.
        owner = User.objects.filter(pk=owner_id).first()
        if owner is None:
            raise CampaignOwnerNotMember()
        return owner


class CampaignCreateInput(_OwnerIdMixin, serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX)
    type = serializers.ChoiceField(choices=Campaign.Type.choices)
    title = serializers.CharField(max_length=TITLE_MAX, required=False, default="", allow_blank=True)
    landing_page_text = serializers.CharField(required=False, default="", allow_blank=True, trim_whitespace=False,
                                              help_text="5 000 caractères au plus.")
    external_id_label = serializers.CharField(
        max_length=EXTERNAL_ID_LABEL_MAX, required=False, default="", allow_blank=True,
        help_text="Par exemple « numéro d'élève ». N'utilisez pas d'identifiant sensible (INE, numéro de sécurité "
                  "sociale…).",
    )
    multiple_sendings = serializers.BooleanField(
        required=False, default=False,
        help_text="Évaluation : l'élève pourra repasser le parcours (4 jours après l'envoi, sous 100 %) ; "
                  "collecte : renvoyer son profil.")
    target_profile = serializers.IntegerField(
        required=False, allow_null=True, default=None,
        help_text="Évaluation : l'id d'un parcours proposé à l'organisation (`GET /api/v1/target-profiles/"
                  "?organization={id}`). Collecte de profils : absent.")
    owner_id = serializers.IntegerField(required=False, help_text="Un membre actif ; vous par défaut.")


class CampaignUpdateInput(_OwnerIdMixin, serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX, required=False)
    title = serializers.CharField(max_length=TITLE_MAX, required=False, allow_blank=True)
    landing_page_text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    external_id_label = serializers.CharField(max_length=EXTERNAL_ID_LABEL_MAX, required=False, allow_blank=True)
    owner_id = serializers.IntegerField(required=False)

    def validate(self, attrs):
        # The type, code and multiple sendings are fixed at creation: say so rather than ignore them.
        fixed = sorted(set(self.initial_data) - set(self.fields))
        if fixed:
            raise serializers.ValidationError({key: "Ce champ ne peut pas être modifié." for key in fixed})
        return attrs


class CampaignPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


def _output(campaign: Campaign) -> dict:
    return CampaignOutput(campaign_get_with_count(campaign=campaign)).data


def _campaign_for_editor(request, campaign_id: int) -> Campaign:
    campaign = campaign_for_member(user=request.user, campaign_id=campaign_id)
    if not campaign_can_edit(user=request.user, campaign=campaign):
        raise NotCampaignEditor()
    return campaign


class CampaignListCreateApi(APIView):
    @extend_schema(
        operation_id="campaigns_list",
        summary="Les campagnes de l'organisation (les plus récentes d'abord)",
        parameters=[
            CampaignListInput,
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int, description="25 par défaut, 200 au plus."),
        ],
        responses={
            200: inline_serializer("PaginatedCampaigns", {
                "count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True), "results": CampaignOutput(many=True)}),
            400: OpenApiResponse(ERROR, description="Paramètre invalide (VALIDATION_ERROR)."),
            **_errors(**UNAUTHENTICATED, _404="Organisation inconnue ou dont vous n'êtes pas membre."),
        },
        tags=TAGS,
    )
    def get(self, request, organization_id: int):
        organization = organization_for_member(user=request.user, organization_id=organization_id)
        params = {key: value for key, value in request.query_params.items()
                  if key in ("mine", "owner", "archived", "search") and value != ""}
        data = CampaignListInput(data=params)
        data.is_valid(raise_exception=True)
        filters = data.validated_data
        owner_id = request.user.pk if filters["mine"] else filters.get("owner")
        campaigns = campaign_list(organization=organization, owner_id=owner_id, archived=filters["archived"],
                                  search=filters["search"])
        paginator = CampaignPagination()
        page = paginator.paginate_queryset(campaigns, request, view=self)
        return paginator.get_paginated_response(CampaignOutput(page, many=True).data)

    @extend_schema(
        operation_id="campaigns_create",
        summary="Créer une campagne (tout membre) ; son code est attribué automatiquement",
        request=CampaignCreateInput,
        responses={
            201: CampaignOutput,
            400: OpenApiResponse(ERROR, description=INVALID),
            **_errors(**UNAUTHENTICATED, _404="Organisation inconnue ou dont vous n'êtes pas membre."),
        },
        tags=TAGS,
    )
    def post(self, request, organization_id: int):
        organization = organization_for_member(user=request.user, organization_id=organization_id)
        data = CampaignCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        owner_id = fields.pop("owner_id", None)
        owner = data.owner_from(owner_id) if owner_id is not None else None
        campaign = campaign_create(organization=organization, by=request.user, owner=owner, **fields)
        return Response(_output(campaign), status=status.HTTP_201_CREATED)


class CampaignDetailApi(APIView):
    @extend_schema(
        operation_id="campaigns_retrieve",
        summary="Une campagne d'une organisation dont vous êtes membre",
        responses={200: CampaignOutput, **_errors(**UNAUTHENTICATED, **CAMPAIGN_OUTSIDER)},
        tags=TAGS,
    )
    def get(self, request, campaign_id: int):
        return Response(_output(campaign_for_member(user=request.user, campaign_id=campaign_id)))

    @extend_schema(
        operation_id="campaigns_partial_update",
        summary="Modifier le nom, le titre, les textes ou le propriétaire (administrateurs et propriétaire)",
        request=CampaignUpdateInput,
        responses={
            200: CampaignOutput,
            400: OpenApiResponse(ERROR, description=INVALID + " Le type, le code et l'envoi multiple ne se "
                                                              "modifient pas."),
            **_errors(**UNAUTHENTICATED, **NOT_EDITOR, **CAMPAIGN_OUTSIDER,
                      _409="Campagne archivée : la désarchiver d'abord (CAMPAIGN_IS_ARCHIVED)."),
        },
        tags=TAGS,
    )
    def patch(self, request, campaign_id: int):
        campaign = _campaign_for_editor(request, campaign_id)
        data = CampaignUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "owner_id" in fields:
            fields["owner"] = data.owner_from(fields.pop("owner_id"))
        campaign_update(campaign=campaign, by=request.user, **fields)
        return Response(_output(campaign))


class CampaignArchiveApi(APIView):
    @extend_schema(
        operation_id="campaigns_archive",
        summary="Archiver une campagne : les élèves ne peuvent plus la rejoindre (sans effet si déjà archivée)",
        request=None,
        responses={200: CampaignOutput, **_errors(**UNAUTHENTICATED, **NOT_EDITOR, **CAMPAIGN_OUTSIDER)},
        tags=TAGS,
    )
    def post(self, request, campaign_id: int):
        campaign = _campaign_for_editor(request, campaign_id)
        campaign_archive(campaign=campaign, by=request.user)
        return Response(_output(campaign))


class CampaignUnarchiveApi(APIView):
    @extend_schema(
        operation_id="campaigns_unarchive",
        summary="Désarchiver une campagne (sans effet si elle ne l'est pas)",
        request=None,
        responses={200: CampaignOutput, **_errors(**UNAUTHENTICATED, **NOT_EDITOR, **CAMPAIGN_OUTSIDER)},
        tags=TAGS,
    )
    def post(self, request, campaign_id: int):
        campaign = _campaign_for_editor(request, campaign_id)
        campaign_unarchive(campaign=campaign, by=request.user)
        return Response(_output(campaign))
