"""Activating a school through the API (Pix staff): ``POST /api/v1/organizations/`` creates the organization and
sends its first-administrator invitation (``organization_activate``). The organization's other endpoints are
organizations'."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from invitations.services import organization_activate
from organizations.api import OrganizationOutput
from organizations.models import Organization
from pixorga.api import error_response_schema

ERROR = error_response_schema()


def _errors(**statuses: str) -> dict:
    return {int(code[1:]): OpenApiResponse(ERROR, description=text) for code, text in statuses.items()}


UNAUTHENTICATED = {"_401": "Non authentifié."}


class IsStaff(permissions.BasePermission):
    message = "La création d'organisations est réservée à l'équipe Pix."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


class OrganizationCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    type = serializers.ChoiceField(choices=Organization.Type.choices)
    uai = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default="",
        help_text="Obligatoire pour un établissement scolaire (SCO) : 7 chiffres et une lettre, ex. 0751234A.",
    )
    email = serializers.EmailField(help_text="Adresse de contact (ce.UAI@ac-… pour un établissement) : "
                                             "elle reçoit l'invitation du premier administrateur.")
    is_managing_students = serializers.BooleanField(default=False)


class OrganizationCreateApi(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        operation_id="organization_create",
        summary="Créer une organisation (équipe Pix) et inviter son premier administrateur",
        request=OrganizationCreateInput,
        responses={
            201: OrganizationOutput,
            400: OpenApiResponse(ERROR, description="Données invalides (VALIDATION_ERROR, INVALID_UAI, …)."),
            **_errors(**UNAUTHENTICATED, _403="Réservé à l'équipe Pix.",
                      _409="UAI déjà utilisé (UAI_ALREADY_USED)."),
        },
        tags=["organizations"],
    )
    def post(self, request):
        data = OrganizationCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        organization = organization_activate(**data.validated_data, by=request.user)
        return Response(OrganizationOutput(organization, context={"show_email": True}).data,
                        status=status.HTTP_201_CREATED)
