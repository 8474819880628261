"""REST API of « Gérer le compte » (under /api/v1/): how a school's student logs in, a username, one-time passwords.

Any member of the school; its own active, linked students only (404 otherwise). Passwords are in the response
only, once; the answers are sent with ``Cache-Control: no-store``.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations.selectors import organization_for_member
from pixorga.api import error_response_schema
from students.passwords_export import passwords_response
from students.selectors.accounts import account_login
from students.services.accounts import (
    AccountAlreadyHasUsername,
    AccountWithoutUsername,
    NoLearnersChosen,
    learner_password_reset,
    learner_username_add,
    learner_with_account,
    learners_passwords_reset,
)

ERROR = error_response_schema()
TAGS = ["students"]
ACCESS = {
    401: OpenApiResponse(ERROR, description="Non authentifié."),
    404: OpenApiResponse(ERROR, description="Organisation inconnue ou dont vous n'êtes pas membre, élève d'un autre "
                                            "établissement, sorti, ou sans compte associé."),
}


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


class LearnerLoginOutput(serializers.Serializer):
    learner_id = serializers.IntegerField()
    username = serializers.CharField(allow_null=True, help_text="L'identifiant, en clair, ou null.")
    email = serializers.CharField(allow_null=True, help_text="L'adresse e-mail, masquée (j***@example.net), ou null.")
    must_change_password = serializers.BooleanField(
        help_text="Vrai tant que l'élève ne s'est pas connecté avec son mot de passe provisoire pour en choisir un.")


def _account(learner) -> dict:
    login = account_login(learner.user)
    return {"learner_id": learner.pk, "username": login.username or None, "email": login.email_masked or None,
            "must_change_password": learner.user.must_change_password}


class LearnerAccountApi(APIView):
    @extend_schema(operation_id="students_account_retrieve", summary="Comment l'élève se connecte",
                   responses={200: LearnerLoginOutput, **ACCESS}, tags=TAGS)
    def get(self, request, organization_id: int, learner_id: int):
        organization = organization_for_member(user=request.user, organization_id=organization_id)
        learner = learner_with_account(organization=organization, learner_id=learner_id)
        return Response(LearnerLoginOutput(_account(learner)).data)


class UsernameAddOutput(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(help_text="Mot de passe provisoire, montré cette seule fois.")


class LearnerUsernameAddApi(APIView):
    @extend_schema(
        operation_id="students_account_username_add",
        summary="Ajouter l'identifiant (prénom.nom + JJMM) et un mot de passe provisoire",
        request=None,
        responses={201: UsernameAddOutput, **ACCESS,
                   409: OpenApiResponse(ERROR, description=f"Le compte a déjà un identifiant "
                                                           f"({AccountAlreadyHasUsername.code}).")},
        tags=TAGS,
    )
    def post(self, request, organization_id: int, learner_id: int):
        organization = organization_for_member(user=request.user, organization_id=organization_id)
        username, password = learner_username_add(organization=organization, learner_id=learner_id,
                                                  by=request.user)
        return _no_store(Response(UsernameAddOutput({"username": username, "password": password}).data,
                                  status=status.HTTP_201_CREATED))


class PasswordResetOutput(serializers.Serializer):
    password = serializers.CharField(help_text="Mot de passe provisoire, montré cette seule fois.")


class LearnerPasswordResetApi(APIView):
    @extend_schema(
        operation_id="students_account_password_reset",
        summary="Réinitialiser le mot de passe (un mot de passe provisoire) d'un compte à identifiant",
        request=None,
        responses={200: PasswordResetOutput, **ACCESS,
                   409: OpenApiResponse(ERROR, description=f"Le compte se connecte avec son adresse e-mail "
                                                           f"({AccountWithoutUsername.code}) : l'élève utilise "
                                                           "« Mot de passe oublié ? », ou ajoutez un identifiant.")},
        tags=TAGS,
    )
    def post(self, request, organization_id: int, learner_id: int):
        organization = organization_for_member(user=request.user, organization_id=organization_id)
        password = learner_password_reset(organization=organization, learner_id=learner_id, by=request.user)
        return _no_store(Response(PasswordResetOutput({"password": password}).data))


class PasswordsResetInput(serializers.Serializer):
    learners = serializers.ListField(child=serializers.IntegerField(), required=False, allow_empty=True,
                                     max_length=10_000, help_text="Les élèves choisis (leurs id)…")
    division = serializers.CharField(required=False, allow_blank=True, max_length=60,
                                     help_text="…ou toute une classe.")


class PasswordsResetApi(APIView):
    def perform_content_negotiation(self, request, force=False):
        # The body is CSV whatever the client accepts; errors keep the JSON shape.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="students_passwords_reset",
        summary="Réinitialiser les mots de passe de plusieurs élèves ou d'une classe (fichier CSV)",
        description=(
            "En une transaction : un identifiant pour chaque compte qui n'en a pas, un mot de passe provisoire pour "
            "chaque compte. Réponse : `AAAAMMJJ_HHMM_mots_de_passe.csv` (« ; », UTF-8 avec BOM) — Classe ; Nom ; "
            "Prénom ; Identifiant ; Mot de passe — puis les élèves sans compte, ignorés (Identifiant vide, "
            "« Non réinitialisé… » ; leur nombre dans l'en-tête `X-Skipped-Count`). Le fichier n'existe que dans "
            "cette réponse."
        ),
        request=PasswordsResetInput,
        responses={(200, "text/csv"): OpenApiTypes.STR,
                   400: OpenApiResponse(ERROR, description=f"Ni élèves ni classe ({NoLearnersChosen.code}), ou "
                                                           "champ invalide (VALIDATION_ERROR)."),
                   **ACCESS},
        tags=TAGS,
    )
    def post(self, request, organization_id: int):
        organization = organization_for_member(user=request.user, organization_id=organization_id)
        data = PasswordsResetInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        reset = learners_passwords_reset(organization=organization, by=request.user,
                                         learner_ids=values.get("learners") or None,
                                         division=(values.get("division") or "").strip() or None)
        return passwords_response(reset)
