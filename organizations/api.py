"""REST API of organizations and their team (mounted under /api/v1/)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import NOT_AUTHENTICATED, MeAccountOutput, me_account_data
from organizations.models import Membership, Organization
from organizations.selectors import (
    membership_get_active,
    membership_list_active,
    membership_list_for_user,
    organization_for_admin,
    organization_for_member,
)
from organizations.services import membership_change_role, membership_leave, membership_remove
from pixorga.api import error_response_schema

ERROR = error_response_schema()


def _errors(**statuses: str) -> dict:
    return {int(code[1:]): OpenApiResponse(ERROR, description=text) for code, text in statuses.items()}


UNAUTHENTICATED = {"_401": "Non authentifié."}
OUTSIDER = {"_404": "Organisation inconnue ou dont vous n'êtes pas membre."}
NOT_ADMIN = {"_403": "Réservé aux administrateurs de l'organisation."}


class OrganizationOutput(serializers.ModelSerializer):
    uai = serializers.CharField(source="external_id", help_text="UAI (SCO) ou identifiant externe ; en majuscules.")
    email = serializers.SerializerMethodField(
        help_text="Adresse de contact de l'établissement : visible des administrateurs (et de l'équipe Pix), "
        "null pour les autres membres."
    )

    class Meta:
        model = Organization
        fields = ["id", "name", "type", "uai", "is_managing_students", "email", "archived_at"]

    def get_email(self, organization) -> str | None:
        return organization.email if self.context.get("show_email") else None


class MemberUserOutput(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField()


class MemberOutput(serializers.ModelSerializer):
    user = MemberUserOutput()

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "created_at"]


class MemberRoleInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class OrganizationDetailApi(APIView):
    @extend_schema(
        operation_id="organization_retrieve",
        summary="Une organisation dont vous êtes membre",
        responses={200: OrganizationOutput, **_errors(**UNAUTHENTICATED, **OUTSIDER)},
        tags=["organizations"],
    )
    def get(self, request, organization_id: int):
        organization = organization_for_member(user=request.user, organization_id=organization_id)
        membership = membership_get_active(user=request.user, organization=organization)
        show_email = membership.is_admin or request.user.is_staff
        return Response(OrganizationOutput(organization, context={"show_email": show_email}).data)


class MemberListApi(APIView):
    @extend_schema(
        operation_id="organization_members_list",
        summary="Les membres actifs de l'organisation (triés par nom)",
        responses={200: MemberOutput(many=True), **_errors(**UNAUTHENTICATED, **OUTSIDER)},
        tags=["organizations"],
    )
    def get(self, request, organization_id: int):
        organization = organization_for_member(user=request.user, organization_id=organization_id)
        return Response(MemberOutput(membership_list_active(organization=organization), many=True).data)


class MemberDetailApi(APIView):
    @extend_schema(
        operation_id="organization_member_role_update",
        summary="Changer le rôle d'un membre (administrateurs)",
        request=MemberRoleInput,
        responses={
            200: MemberOutput,
            400: OpenApiResponse(ERROR, description="Rôle invalide (VALIDATION_ERROR)."),
            **_errors(**UNAUTHENTICATED, **NOT_ADMIN, _404="Organisation ou membre introuvable.",
                      _409="Dernier administrateur (LAST_ADMIN)."),
        },
        tags=["organizations"],
    )
    def patch(self, request, organization_id: int, membership_id: int):
        organization = organization_for_admin(user=request.user, organization_id=organization_id)
        data = MemberRoleInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            membership = membership_change_role(organization=organization, membership_id=membership_id,
                                                role=data.validated_data["role"], by=request.user)
        except Membership.DoesNotExist:
            raise NotFound("Introuvable.") from None
        return Response(MemberOutput(membership).data)

    @extend_schema(
        operation_id="organization_member_remove",
        summary="Retirer un membre de l'organisation (administrateurs)",
        request=None,
        responses={
            204: OpenApiResponse(description="Membre retiré."),
            **_errors(**UNAUTHENTICATED, **NOT_ADMIN, _404="Organisation ou membre introuvable.",
                      _409="Dernier administrateur (LAST_ADMIN)."),
        },
        tags=["organizations"],
    )
    def delete(self, request, organization_id: int, membership_id: int):
        organization = organization_for_admin(user=request.user, organization_id=organization_id)
        try:
            membership_remove(organization=organization, membership_id=membership_id, by=request.user)
        except Membership.DoesNotExist:
            raise NotFound("Introuvable.") from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class LeaveApi(APIView):
    @extend_schema(
        operation_id="organization_leave",
        summary="Quitter l'organisation",
        request=None,
        responses={
            204: OpenApiResponse(description="Vous ne faites plus partie de l'organisation."),
            **_errors(**UNAUTHENTICATED, **OUTSIDER, _409="Dernier administrateur (LAST_ADMIN)."),
        },
        tags=["organizations"],
    )
    def post(self, request, organization_id: int):
        organization = organization_for_member(user=request.user, organization_id=organization_id)
        try:
            membership_leave(organization=organization, user=request.user)
        except Membership.DoesNotExist:
            raise NotFound("Introuvable.") from None
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- The signed-in person: the account (accounts) and its organizations ----------------------------------------------

class OrganizationBriefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    type = serializers.ChoiceField(choices=Organization.Type.choices)
    uai = serializers.CharField(help_text="UAI de l'établissement (vide hors établissement scolaire).")


class MembershipOutput(serializers.Serializer):
    organization = OrganizationBriefOutput()
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class MeOutput(MeAccountOutput):
    memberships = MembershipOutput(many=True, help_text="Appartenances actives, organisations non archivées.")


class MeView(APIView):
    allowed_before_password_change = True
    allowed_before_pix_orga_terms = True

    @extend_schema(
        operation_id="me_retrieve",
        summary="Mon compte et mes organisations",
        responses={200: MeOutput, 401: NOT_AUTHENTICATED},
    )
    def get(self, request):
        memberships = membership_list_for_user(user=request.user)
        return Response(MeOutput(me_account_data(request.user) | {"memberships": [
            {"organization": {"id": m.organization.pk, "name": m.organization.name, "type": m.organization.type,
                              "uai": m.organization.uai}, "role": m.role}
            for m in memberships
        ]}).data)
