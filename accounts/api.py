"""Accounts API: API keys, sign-up, and the signed-in person's account (``/me/…``; ``GET /me/`` itself, with the
memberships, is organizations')."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.errors import InvalidCredentials, InvalidPassword, PasswordAlreadyChosen
from accounts.models import ApiToken, normalize_login
from accounts.validators import PASSWORD_MAX_LENGTH
from pixorga.api import error_response_schema
from pixorga.ratelimit import signup_throttle

ERROR = error_response_schema()
VALIDATION_ERROR = inline_serializer(
    "AccountValidationError",
    {
        "code": serializers.CharField(),
        "detail": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    },
)
NOT_AUTHENTICATED = OpenApiResponse(ERROR, description="Non authentifié (NOT_AUTHENTICATED, AUTHENTICATION_FAILED).")
TOO_MANY = OpenApiResponse(ERROR, description="Trop de requêtes (TOO_MANY_REQUESTS) ou connexion bloquée (TOO_MANY_ATTEMPTS).")


# --- API keys ---------------------------------------------------------------------------------------------------------

class TokenCreateInput(serializers.Serializer):
    login = serializers.CharField(max_length=254, required=False,
                                  help_text="Adresse e-mail ou identifiant (ex. lena.cote1503).")
    email = serializers.CharField(max_length=254, required=False,
                                  help_text="Ancien nom de `login`, toujours accepté.")
    password = serializers.CharField(max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False,
                                     style={"input_type": "password"})
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                 help_text="Nom pour reconnaître la clé (ex. « script SIECLE »).")

    def validate(self, attrs):
        login = attrs.get("login") or attrs.get("email")
        if not login:
            raise serializers.ValidationError({"login": ["Indiquez l'adresse e-mail ou l'identifiant du compte."]})
        attrs["login"] = normalize_login(login)
        return attrs


class TokenCreateOutput(serializers.Serializer):
    token = serializers.CharField(help_text="La clé d'API, montrée une seule fois. À envoyer dans « Authorization: Token <clé> ».")


class TokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        operation_id="auth_token_create",
        summary="Obtenir une clé d'API avec l'adresse e-mail (ou l'identifiant) et le mot de passe",
        description=("Un compte qui s'est connecté avec un mot de passe provisoire (donné par un enseignant) reçoit "
                     "sa clé, mais toute autre requête répond 403 `PASSWORD_CHANGE_REQUIRED` tant qu'il n'a pas "
                     "choisi son mot de passe (`POST me/password/`)."),
        request=TokenCreateInput,
        responses={
            201: TokenCreateOutput,
            400: OpenApiResponse(VALIDATION_ERROR, description="Champs manquants ou invalides."),
            401: OpenApiResponse(ERROR, description="Identifiant, e-mail ou mot de passe incorrect "
                                                     "(INVALID_CREDENTIALS)."),
            429: TOO_MANY,
        },
        auth=[],
    )
    def post(self, request):
        data = _valid(TokenCreateInput, request)
        # Through Django's authenticate with the plain request, so that django-axes counts failures and locks out.
        user = authenticate(request=request._request, username=data["login"], password=data["password"])
        if user is None:
            raise InvalidCredentials()
        _, key = services.api_token_create(user=user, name=data["name"])
        return Response(TokenCreateOutput({"token": key}).data, status=status.HTTP_201_CREATED)


class TokenCurrentView(APIView):
    allowed_before_password_change = True
    allowed_before_pix_orga_terms = True

    @extend_schema(
        operation_id="auth_token_current_revoke",
        summary="Révoquer la clé d'API utilisée pour cette requête",
        request=None,
        responses={
            204: OpenApiResponse(description="Clé révoquée."),
            400: OpenApiResponse(ERROR, description="La requête n'est pas authentifiée par une clé (NOT_TOKEN_AUTH)."),
            401: NOT_AUTHENTICATED,
        },
    )
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            return Response({"code": "NOT_TOKEN_AUTH", "detail": "Cette requête n'utilise pas de clé d'API."},
                            status=status.HTTP_400_BAD_REQUEST)
        services.api_token_revoke(user=request.user, token_id=request.auth.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiKeyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="Le nom donné à la création (peut être vide).")
    prefix = serializers.CharField(help_text="Les 8 premiers caractères de la clé, pour la reconnaître.")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True, help_text="À la minute près ; null si jamais utilisée.")
    expires_at = serializers.DateTimeField(allow_null=True,
                                           help_text="Fin de validité (API_KEY_MAX_AGE_DAYS), ou null : sans limite.")
    current = serializers.BooleanField(help_text="Vrai pour la clé qui authentifie cette requête.")


class ApiKeyListView(APIView):
    allowed_before_password_change = True
    allowed_before_pix_orga_terms = True

    @extend_schema(
        operation_id="me_api_keys_list",
        summary="Mes clés d'API",
        description="Les clés elles-mêmes ne sont jamais renvoyées (seule leur empreinte est gardée). Toutes sont "
                    "révoquées quand le mot de passe du compte change ou est réinitialisé.",
        responses={200: ApiKeyOutput(many=True), 401: NOT_AUTHENTICATED},
    )
    def get(self, request):
        current = request.auth.pk if isinstance(request.auth, ApiToken) else None
        tokens = selectors.api_tokens_for_user(user=request.user)
        return Response(ApiKeyOutput([
            {"id": t.pk, "name": t.name, "prefix": t.prefix, "created_at": t.created_at,
             "last_used_at": t.last_used_at, "expires_at": t.expires_at, "current": t.pk == current}
            for t in tokens
        ], many=True).data)


class ApiKeyDetailView(APIView):
    allowed_before_password_change = True
    allowed_before_pix_orga_terms = True

    @extend_schema(
        operation_id="me_api_key_revoke",
        summary="Révoquer une de mes clés d'API",
        request=None,
        responses={204: OpenApiResponse(description="Clé révoquée."), 401: NOT_AUTHENTICATED,
                   404: OpenApiResponse(ERROR, description="Pas de clé de ce compte avec cet id (NOT_FOUND).")},
    )
    def delete(self, request, token_id: int):
        services.api_token_revoke(user=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Sign-up ----------------------------------------------------------------------------------------------------------

class SignupInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False,
                                     style={"input_type": "password"},
                                     help_text="8 caractères minimum, dont une majuscule, une minuscule et un chiffre.")
    accept_terms = serializers.BooleanField(help_text="Acceptation des conditions d'utilisation de Pix (obligatoire).")

    def validate_accept_terms(self, value):
        if not value:
            raise serializers.ValidationError("Vous devez accepter les conditions d'utilisation de Pix.")
        return value

    def validate(self, attrs):
        # The rule is the service's; checking it here puts each message under "password".
        try:
            services.password_check(password=attrs["password"], email=attrs["email"],
                                    first_name=attrs["first_name"], last_name=attrs["last_name"])
        except InvalidPassword as error:
            raise serializers.ValidationError({"password": error.messages}) from None
        return attrs


class UserOutput(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField(allow_null=True, help_text="null pour un compte qui se connecte avec un identifiant.")
    username = serializers.CharField(allow_null=True, help_text="L'identifiant (élèves sans adresse e-mail), ou null.")
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class SignupView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "signup"

    @extend_schema(
        operation_id="accounts_create",
        summary="Créer un compte",
        request=SignupInput,
        responses={
            201: UserOutput,
            400: OpenApiResponse(VALIDATION_ERROR, description="Champs invalides, mot de passe trop faible, CGU non acceptées."),
            409: OpenApiResponse(ERROR, description="Un compte existe déjà avec cette adresse (EMAIL_ALREADY_USED)."),
            429: TOO_MANY,
        },
        auth=[],
    )
    def post(self, request):
        data = _valid(SignupInput, request)
        with signup_throttle(request):
            user = services.user_create(**data)
        return Response(UserOutput(user).data, status=status.HTTP_201_CREATED)


# --- The signed-in person ---------------------------------------------------------------------------------------------

class MeAccountOutput(UserOutput):
    """The account's part of ``GET /me/`` (organizations serves the endpoint and adds the memberships)."""

    pix_orga_terms_accepted = serializers.BooleanField(
        source="has_accepted_current_pix_orga_terms",
        help_text="Vrai si la version en vigueur des CGU Pix Orga est acceptée.",
    )
    must_change_password = serializers.BooleanField(
        help_text="Vrai après une connexion avec un mot de passe provisoire : choisir son mot de passe "
                  "(POST me/password/) avant toute autre requête.")


def me_account_data(user) -> dict:
    """What ``MeAccountOutput`` reads, for the signed-in person."""
    return {
        "id": user.pk, "email": user.email, "username": user.username, "first_name": user.first_name,
        "last_name": user.last_name, "must_change_password": user.must_change_password,
        "has_accepted_current_pix_orga_terms": user.has_accepted_current_pix_orga_terms,
    }


class TermsAcceptOutput(serializers.Serializer):
    pix_orga_terms_accepted = serializers.BooleanField()
    pix_orga_terms_version = serializers.CharField()


class PixOrgaTermsAcceptView(APIView):
    allowed_before_pix_orga_terms = True

    @extend_schema(
        operation_id="me_pix_orga_terms_accept",
        summary="Accepter la version en vigueur des CGU Pix Orga",
        request=None,
        responses={200: TermsAcceptOutput, 401: NOT_AUTHENTICATED},
    )
    def post(self, request):
        services.user_accept_pix_orga_terms(user=request.user)
        return Response(TermsAcceptOutput({
            "pix_orga_terms_accepted": True, "pix_orga_terms_version": request.user.pix_orga_terms_version,
        }).data)


class PasswordChooseInput(serializers.Serializer):
    password = serializers.CharField(max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False,
                                     style={"input_type": "password"},
                                     help_text="8 caractères minimum, dont une majuscule, une minuscule et un chiffre.")


class PasswordChooseView(APIView):
    allowed_before_password_change = True
    allowed_before_pix_orga_terms = True

    @extend_schema(
        operation_id="me_password_choose",
        summary="Choisir son mot de passe (après une connexion avec un mot de passe provisoire)",
        request=PasswordChooseInput,
        responses={
            204: OpenApiResponse(description="Mot de passe enregistré ; les autres requêtes sont de nouveau permises."),
            400: OpenApiResponse(VALIDATION_ERROR, description="Mot de passe trop faible (règle de l'inscription)."),
            401: NOT_AUTHENTICATED,
            409: OpenApiResponse(ERROR, description="Le compte n'a pas de mot de passe provisoire "
                                                    "(PASSWORD_ALREADY_CHOSEN)."),
        },
    )
    def post(self, request):
        data = _valid(PasswordChooseInput, request)
        if not request.user.must_change_password:
            raise PasswordAlreadyChosen()
        try:
            # The key that makes this request stays valid (the others are revoked with the old password).
            keep = request.auth if isinstance(request.auth, ApiToken) else None
            services.user_password_choose(user=request.user, password=data["password"], keep_token=keep)
        except InvalidPassword as error:
            raise serializers.ValidationError({"password": error.messages}) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
