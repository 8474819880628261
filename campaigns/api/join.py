"""REST API of the student side: a campaign by its code, signing up from it, joining it (under /api/v1/)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.errors import InvalidPassword
from accounts.validators import PASSWORD_MAX_LENGTH
from campaigns.models import Campaign, Participation
from campaigns.ratelimit import campaign_lookup_limited
from campaigns.services.joining import campaign_is_reserved, campaign_join
from campaigns.services.signup import campaign_signup, signup_client_key
from pixorga.api import error_response_schema
from pixorga.ratelimit import client_address, signup_throttle

ERROR = error_response_schema()
TAGS = ["campagnes (élèves)"]
CODE_PARAMETER = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH,
                                  description="Le code de la campagne, tel que tapé (`qwerty 234` est accepté).")


def _errors(**statuses: str) -> dict:
    return {int(code[1:]): OpenApiResponse(ERROR, description=text) for code, text in statuses.items()}


class CampaignByCodeOutput(serializers.Serializer):
    organization_name = serializers.CharField()
    title = serializers.CharField()
    type = serializers.ChoiceField(choices=Campaign.Type.choices)
    reserved = serializers.BooleanField(help_text="Réservée aux élèves de l'établissement : il faut être retrouvé "
                                                  "dans sa base élèves (prénom, nom, date de naissance).")
    external_id_label = serializers.CharField(help_text="Libellé de l'identifiant demandé, vide sinon.")


class CampaignByCodeApi(APIView):
    @extend_schema(tags=TAGS, operation_id="campaign_by_code", summary="La campagne d'un code",
                   parameters=[CODE_PARAMETER],
                   responses={200: CampaignByCodeOutput,
                              **_errors(_401="Non authentifié.", _404="Code inconnu (`CAMPAIGN_NOT_FOUND`).",
                                        _429="Trop de codes erronés (`TOO_MANY_ATTEMPTS`).")})
    def get(self, request, code: str):
        campaign = campaign_lookup_limited(request=request, code=code)
        return Response(CampaignByCodeOutput({
            "organization_name": campaign.organization.name,
            "title": campaign.title or campaign.name,
            "type": campaign.type,
            "reserved": campaign_is_reserved(campaign),
            "external_id_label": campaign.external_id_label,
        }).data)


class CampaignJoinInput(serializers.Serializer):
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    birthdate = serializers.DateField(required=False, allow_null=True, help_text="AAAA-MM-JJ")
    confirm = serializers.BooleanField(default=False, help_text="false : vérifier seulement (rien n'est "
                                                                "enregistré sauf la tentative) ; true : associer "
                                                                "et commencer.")
    external_id = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")


class LearnerNameOutput(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class CampaignJoinCheckOutput(serializers.Serializer):
    learner = LearnerNameOutput(allow_null=True, help_text="L'élève retrouvé ; null pour une campagne non "
                                                            "réservée.")


class ParticipationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    campaign_id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Participation.Status.choices)
    created_at = serializers.DateTimeField()
    shared_at = serializers.DateTimeField(allow_null=True)


class CampaignJoinApi(APIView):
    @extend_schema(
        tags=TAGS, operation_id="campaign_join", summary="Rejoindre une campagne",
        description=(
            "Campagne réservée : un compte déjà associé à un élève de l'établissement (ou, dans un autre "
            "établissement, au même INE) la rejoint sans rien fournir ; sinon prénom, nom et date de naissance "
            "retrouvent l'élève. `confirm: false` renvoie l'élève retrouvé, `confirm: true` associe le compte et "
            "crée la participation (201 ; 200 avec la participation en cours si elle existe déjà). Les refus "
            "d'association ont un code Pix et un `detail` qui dit quoi faire. Échecs limités : 5 par 15 minutes "
            "et 20 par jour, par compte et par établissement, et 10 par jour par élève désigné (quel que soit "
            "le compte ou l'adresse)."
        ),
        parameters=[CODE_PARAMETER], request=CampaignJoinInput,
        responses={
            200: OpenApiResponse(CampaignJoinCheckOutput, description="`confirm: false` : l'élève retrouvé "
                                                                      "(ou participation déjà en cours)."),
            201: ParticipationOutput,
            **_errors(_400="Informations manquantes (`LEARNER_DETAILS_REQUIRED`, `EXTERNAL_ID_REQUIRED`, "
                           "`VALIDATION_ERROR`).",
                      _401="Non authentifié.",
                      _403="Campagne archivée (`CAMPAIGN_ARCHIVED`).",
                      _404="Code inconnu (`CAMPAIGN_NOT_FOUND`) ou élève introuvable (`NO_MATCHING_LEARNER`).",
                      _409="Association refusée : `R31`/`R32` (élève associé à un autre compte), `R11`/`R12` "
                           "(même INE, autre compte, autre établissement), `R70` (compte déjà associé à un autre "
                           "élève de l'établissement).",
                      _422="`R90` : le compte semble appartenir à quelqu'un d'autre.",
                      _429="Trop de tentatives (`TOO_MANY_ATTEMPTS`) : `detail` dit quand réessayer."),
        },
    )
    def post(self, request, code: str):
        campaign = campaign_lookup_limited(request=request, code=code)
        data = CampaignJoinInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        outcome = campaign_join(
            campaign=campaign, user=request.user, first_name=values.get("first_name") or None,
            last_name=values.get("last_name") or None, birthdate=values.get("birthdate"),
            confirm=values["confirm"], external_id=values.get("external_id", ""),
        )
        if not values["confirm"]:
            learner = outcome.learner
            names = {"first_name": learner.first_name, "last_name": learner.family_name} if learner else None
            return Response(CampaignJoinCheckOutput({"learner": names}).data)
        return Response(ParticipationOutput(outcome.participation).data,
                        status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK)


class CampaignSignupInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    birthdate = serializers.DateField(help_text="AAAA-MM-JJ")
    password = serializers.CharField(max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False,
                                     style={"input_type": "password"},
                                     help_text="8 caractères minimum, dont une majuscule, une minuscule et un "
                                               "chiffre.")
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254,
                                   help_text="Pour se connecter avec son adresse e-mail…")
    username = serializers.BooleanField(default=False, help_text="…ou `true` pour se connecter avec un identifiant "
                                                                 "(prenom.nom et JJMM de naissance).")
    accept_terms = serializers.BooleanField(help_text="Acceptation des conditions d'utilisation de Pix "
                                                      "(obligatoire).")

    def validate(self, attrs):
        if bool(attrs.get("email")) == attrs["username"]:
            raise serializers.ValidationError({"email": ["Indiquez une adresse e-mail, ou `username: true` (l'un "
                                                         "ou l'autre)."]})
        if not attrs["accept_terms"]:
            raise serializers.ValidationError({"accept_terms": ["Vous devez accepter les conditions d'utilisation "
                                                                "de Pix."]})
        return attrs


class CampaignSignupOutput(serializers.Serializer):
    login = serializers.CharField(help_text="Ce que l'élève tapera pour se connecter : son adresse e-mail ou son "
                                            "identifiant (ex. lena.cote1503).")


class CampaignSignupApi(APIView):
    authentication_classes: list = []  # someone without an account: no session, hence no CSRF
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "campaign_signup"

    @extend_schema(
        tags=TAGS, operation_id="campaign_signup", summary="Créer son compte depuis une campagne réservée",
        description=(
            "Pour un élève sans compte : prénom, nom et date de naissance le retrouvent dans la base élèves de "
            "l'établissement (mêmes règles et mêmes limites d'essais que `join/`, comptées par adresse), puis le "
            "compte est créé déjà associé à l'élève, avec son adresse e-mail ou un identifiant. Le compte prend "
            "les prénom et nom de la base élèves. Ensuite : `POST auth/token/` avec `login` et le mot de passe, "
            "puis `join/` (`confirm: true`) pour commencer."
        ),
        parameters=[CODE_PARAMETER], request=CampaignSignupInput, auth=[],
        responses={
            201: CampaignSignupOutput,
            **_errors(_400="Champs invalides, mot de passe trop faible, CGU non acceptées (`VALIDATION_ERROR`), "
                           "adresse invalide (`INVALID_EMAIL`) ou campagne non réservée (`CAMPAIGN_NOT_RESERVED`).",
                      _403="Campagne archivée (`CAMPAIGN_ARCHIVED`).",
                      _404="Code inconnu (`CAMPAIGN_NOT_FOUND`) ou élève introuvable (`NO_MATCHING_LEARNER`).",
                      _409="L'élève a déjà un compte : `S51` (e-mail) / `S52` (identifiant) dans cet "
                           "établissement, `S61` / `S62` dans un autre établissement (même INE) — `detail` donne "
                           "l'identifiant masqué ; ou adresse déjà utilisée (`EMAIL_ALREADY_USED`).",
                      _429="Trop de tentatives (`TOO_MANY_ATTEMPTS`, `TOO_MANY_REQUESTS`)."),
        },
    )
    def post(self, request, code: str):
        campaign = campaign_lookup_limited(request=request, code=code)
        data = CampaignSignupInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        address = signup_client_key("address", client_address(request))
        try:
            with signup_throttle(request):
                outcome = campaign_signup(
                    campaign=campaign, first_name=values["first_name"], last_name=values["last_name"],
                    birthdate=values["birthdate"], password=values["password"],
                    accept_terms=values["accept_terms"], email=values.get("email") or None,
                    username=values["username"], client=address, address=address,
                )
        except InvalidPassword as error:
            raise serializers.ValidationError({"password": error.messages}) from None
        return Response(CampaignSignupOutput({"login": outcome.login}).data, status=status.HTTP_201_CREATED)
