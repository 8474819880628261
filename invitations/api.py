"""REST API of invitations (mounted under /api/v1/)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from invitations import services
from invitations.errors import InvalidEmails
from invitations.models import Invitation
from invitations.selectors import invitation_list_pending
from organizations.models import Membership
from organizations.selectors import organization_for_admin
from pixorga.api import error_response_schema

ERROR = error_response_schema()
TAGS = ["invitations"]


def _errors(**statuses: str) -> dict:
    return {int(code[1:]): OpenApiResponse(ERROR, description=text) for code, text in statuses.items()}


ADMIN_ERRORS = {
    "_401": "Non authentifié.",
    "_403": "Réservé aux administrateurs de l'organisation.",
    "_404": "Organisation inconnue ou dont vous n'êtes pas membre.",
}


class InvitationOutput(serializers.ModelSerializer):
    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "status", "last_sent_at", "expires_at", "delivery_status"]


class InvitationsCreateInput(serializers.Serializer):
    emails = serializers.CharField(
        max_length=10_000,
        help_text="Une ou plusieurs adresses, séparées par des virgules, points-virgules, espaces ou retours à la ligne.",
    )


class InvitationsCreateOutput(serializers.Serializer):
    created = InvitationOutput(many=True, help_text="Nouvelles invitations envoyées.")
    resent = InvitationOutput(many=True, help_text="Invitations déjà en attente pour ces adresses, renvoyées "
                                                   "(nouveau lien, validité prolongée).")
    already_members = serializers.ListField(child=serializers.EmailField(),
                                            help_text="Adresses de personnes déjà membres : rien n'a été envoyé.")


INVALID_EMAILS = inline_serializer("InvalidEmailsError", {
    "code": serializers.CharField(),
    "detail": serializers.CharField(),
    "invalid_emails": serializers.ListField(child=serializers.CharField()),
})


class InvitationListApi(APIView):
    @extend_schema(tags=TAGS, operation_id="organization_invitations_list", summary="Invitations en attente",
                   responses={200: InvitationOutput(many=True), **_errors(**ADMIN_ERRORS)})
    def get(self, request, organization_id: int):
        organization = organization_for_admin(user=request.user, organization_id=organization_id)
        invitations = invitation_list_pending(organization=organization)
        return Response(InvitationOutput(invitations, many=True).data)

    @extend_schema(
        tags=TAGS, operation_id="organization_invitations_create", summary="Inviter une ou plusieurs adresses",
        description="Rien n'est envoyé si une adresse est invalide (400 `INVALID_EMAILS` avec la liste). "
                    "Une adresse déjà invitée voit son invitation renvoyée plutôt que dupliquée.",
        request=InvitationsCreateInput,
        responses={201: InvitationsCreateOutput,
                   400: OpenApiResponse(INVALID_EMAILS, description="Adresses invalides : aucune invitation envoyée."),
                   **_errors(**ADMIN_ERRORS)},
    )
    def post(self, request, organization_id: int):
        organization = organization_for_admin(user=request.user, organization_id=organization_id)
        data = InvitationsCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            batch = services.invitations_send(organization=organization, emails=data.validated_data["emails"],
                                              by=request.user)
        except InvalidEmails as error:
            return Response({"code": error.code, "detail": error.message, "invalid_emails": error.invalid},
                            status=status.HTTP_400_BAD_REQUEST)
        output = InvitationsCreateOutput({"created": batch.created, "resent": batch.resent,
                                          "already_members": batch.already_members})
        return Response(output.data, status=status.HTTP_201_CREATED)


class InvitationDetailApi(APIView):
    @extend_schema(tags=TAGS, operation_id="organization_invitation_cancel", summary="Annuler une invitation",
                   description="Le lien de l'invitation cesse de fonctionner.",
                   responses={204: None, **_errors(**ADMIN_ERRORS, _409="L'invitation n'est plus en attente.")})
    def delete(self, request, organization_id: int, invitation_id: int):
        organization = organization_for_admin(user=request.user, organization_id=organization_id)
        services.invitation_cancel(organization=organization, invitation_id=invitation_id, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationResendApi(APIView):
    @extend_schema(tags=TAGS, operation_id="organization_invitation_resend", summary="Renvoyer une invitation",
                   description="Nouveau lien (l'ancien cesse de fonctionner), validité prolongée.",
                   request=None,
                   responses={200: InvitationOutput,
                              **_errors(**ADMIN_ERRORS, _409="L'invitation n'est plus en attente.")})
    def post(self, request, organization_id: int, invitation_id: int):
        organization = organization_for_admin(user=request.user, organization_id=organization_id)
        invitation = services.invitation_resend(organization=organization, invitation_id=invitation_id,
                                                by=request.user)
        return Response(InvitationOutput(invitation).data)


# --- The link's token ---------------------------------------------------------------------------------------------

TOKEN_PARAMETER = OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.PATH,
                                   description="Le jeton du lien d'invitation (paramètre `token` du lien reçu).")


class OrganizationNameOutput(serializers.Serializer):
    name = serializers.CharField()


class InvitationLookupOutput(serializers.Serializer):
    organization = OrganizationNameOutput()
    status = serializers.ChoiceField(choices=Invitation.Status.choices)
    expired = serializers.BooleanField()


class InvitationLookupApi(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []  # public: no session, hence no CSRF needed and no user data involved
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "invitation_lookup"

    @extend_schema(tags=TAGS, operation_id="invitation_lookup", summary="Ce que montre un lien d'invitation",
                   description="Public. Ne révèle ni l'adresse invitée ni les membres.",
                   parameters=[TOKEN_PARAMETER], auth=[],
                   responses={200: InvitationLookupOutput,
                              **_errors(_404="Lien inconnu (code `INVITATION_NOT_FOUND`).",
                                        _429="Trop de requêtes.")})
    def get(self, request, token: str):
        invitation = services.invitation_get_for_token(token=token)
        return Response(InvitationLookupOutput({
            "organization": {"name": invitation.organization.name},
            "status": invitation.status,
            "expired": invitation.status == Invitation.Status.PENDING and invitation.is_expired,
        }).data)


class OrganizationRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class InvitationAcceptOutput(serializers.Serializer):
    organization = OrganizationRefOutput()
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class InvitationAcceptApi(APIView):
    allowed_before_pix_orga_terms = True  # as /rejoindre: joining a school comes before its terms
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "invitation_lookup"

    @extend_schema(tags=TAGS, operation_id="invitation_accept", summary="Accepter une invitation",
                   description="Avec n'importe quel compte. Un lien ne sert qu'une fois.",
                   parameters=[TOKEN_PARAMETER], request=None,
                   responses={200: InvitationAcceptOutput,
                              **_errors(_401="Non authentifié.",
                                        _404="Lien inconnu (code `INVITATION_NOT_FOUND`).",
                                        _409="Invitation déjà acceptée (`INVITATION_ALREADY_USED`) ou annulée "
                                             "(`INVITATION_CANCELLED`).",
                                        _410="Invitation expirée (`INVITATION_EXPIRED`) ou organisation archivée.",
                                        _429="Trop de requêtes.")})
    def post(self, request, token: str):
        membership = services.invitation_accept(token=token, user=request.user)
        return Response(InvitationAcceptOutput({
            "organization": {"id": membership.organization.pk, "name": membership.organization.name},
            "role": membership.role,
        }).data)
