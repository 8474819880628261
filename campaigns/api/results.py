"""REST API of a campaign's results (mounted under /api/v1/): its participants and their CSV export, its activity,
the students' latest results, the analysis, and one student's page.

Members of the campaign's organization only: outsiders 404, anonymous 401 (error shape of ``pixorga.api``).
Preview participations and earlier sendings are never returned.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import analysis
from campaigns.api.results_outputs import (
    CampaignActivityOutput,
    CampaignAnalysisOutput,
    CampaignResultRowOutput,
    CampaignResultsFiltersInput,
    CampaignResultsSummaryOutput,
    CampaignStudentOutput,
    DivisionFilterInput,
    analysis_data,
    result_row,
    student_data,
)
from campaigns.export import export_response
from campaigns.models import Campaign, Participation
from campaigns.selectors.campaigns import campaign_for_member
from campaigns.selectors.participations import participation_list
from campaigns.selectors.results import (
    activity_read,
    analysis_read,
    badge_options,
    profiles_summary,
    results_list,
    results_summary,
    stage_options,
    student_results_read,
)
from pixorga.api import error_response_schema
from pixorga.errors import DomainError

ERROR = error_response_schema()
TAGS = ["campaigns"]
STATUS_HELP = "STARTED (en cours), TO_SHARE (en attente d'envoi) ou SHARED (résultats reçus)."
FILTERS = [
    OpenApiParameter("division", str, many=True, description="Une ou plusieurs classes (répéter le paramètre)."),
    OpenApiParameter("status", str, many=True, enum=[status for status, _ in Participation.Status.choices],
                     description=f"Un ou plusieurs statuts : {STATUS_HELP}"),
    OpenApiParameter("search", str, description="Nom ou prénom, sans tenir compte des accents ni de la casse."),
]
ACCESS_ERRORS = {
    401: OpenApiResponse(ERROR, description="Non authentifié (NOT_AUTHENTICATED)."),
    404: OpenApiResponse(ERROR, description="Campagne inconnue ou d'une organisation dont vous n'êtes pas membre."),
}


class ParticipationFiltersInput(serializers.Serializer):
    division = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    status = serializers.ListField(child=serializers.ChoiceField(choices=Participation.Status.choices),
                                   required=False)
    search = serializers.CharField(required=False, allow_blank=True, max_length=200)

    @classmethod
    def filters(cls, request) -> dict:
        """``participation_list`` keyword arguments from the query string (400 VALIDATION_ERROR on a bad one)."""
        params = {key: [value for value in request.query_params.getlist(key) if value]
                  for key in ("division", "status")}
        if request.query_params.get("search"):
            params["search"] = request.query_params["search"]
        data = cls(data=params)
        data.is_valid(raise_exception=True)
        return {"divisions": data.validated_data.get("division") or None,
                "statuses": data.validated_data.get("status") or None,
                "search": data.validated_data.get("search") or None}


class CampaignParticipantOutput(serializers.Serializer):
    id = serializers.IntegerField()
    last_name = serializers.CharField(source="participant_last_name")
    first_name = serializers.CharField(source="participant_first_name")
    division = serializers.CharField(source="participant_division", help_text="La classe de l'élève (vide sinon).")
    # A plain string: another "status" enum would collide in the schema's component names.
    status = serializers.CharField(help_text=STATUS_HELP)
    created_at = serializers.DateTimeField(help_text="Date de début.")
    shared_at = serializers.DateTimeField(allow_null=True, help_text="Date d'envoi, ou null.")
    external_id = serializers.CharField(help_text="L'identifiant externe saisi (si la campagne en demande un).")


class ParticipationPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class CampaignParticipationsApi(APIView):
    @extend_schema(
        operation_id="campaign_participations_list",
        summary="Les participants d'une campagne (filtres par classe, statut, nom ; pagination)",
        parameters=[*FILTERS, OpenApiParameter("page", int),
                    OpenApiParameter("page_size", int, description="50 par défaut, 500 au plus.")],
        responses={
            200: inline_serializer("PaginatedCampaignParticipants", {
                "count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": CampaignParticipantOutput(many=True)}),
            400: OpenApiResponse(ERROR, description="Paramètre invalide (VALIDATION_ERROR)."),
            **ACCESS_ERRORS,
        },
        tags=TAGS,
    )
    def get(self, request, campaign_id: int):
        campaign = campaign_for_member(user=request.user, campaign_id=campaign_id)
        participations = participation_list(campaign=campaign, **ParticipationFiltersInput.filters(request))
        paginator = ParticipationPagination()
        page = paginator.paginate_queryset(participations, request, view=self)
        return paginator.get_paginated_response(CampaignParticipantOutput(page, many=True).data)


class CampaignExportApi(APIView):
    def perform_content_negotiation(self, request, force=False):
        # The body is CSV whatever the client accepts; errors keep the JSON shape.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="campaign_participations_export",
        summary="Export CSV des résultats (« ; », UTF-8 avec BOM, mêmes filtres que la liste)",
        description="Une ligne par participant (les essais des enseignants et les envois précédents exceptés), "
                    "dans l'ordre des colonnes de Pix Orga. Évaluation : Nom de l'organisation ; ID Campagne ; "
                    "Code ; Nom de la campagne ; Parcours ; Nom du Participant ; Prénom du Participant ; Classe ; "
                    "[libellé de l'identifiant externe] ; % de progression ; Date et heure de début ; Partage "
                    "(O/N) ; Date et heure du partage ; [Palier obtenu (/N)] ; « {badge} obtenu (O/N) » par badge ; "
                    "% maitrise de l'ensemble des acquis du profil ; puis par compétence « % de maitrise des acquis "
                    "de la compétence X », « Nombre d'acquis du profil cible dans la compétence X », « Acquis "
                    "maitrisés dans la compétence X », et les trois mêmes par domaine. Collecte de profils : Nom de "
                    "l'organisation ; ID Campagne ; Code ; Nom de la campagne ; Nom du Participant ; Prénom du "
                    "Participant ; Classe ; [identifiant externe] ; Envoi (O/N) ; Date de l'envoi ; Nombre de pix "
                    "total ; Certifiable (O/N) ; Nombre de compétences certifiables ; puis pour chacune des "
                    "compétences « Niveau pour la compétence X », « Nombre de pix pour la compétence X ». Oui/Non, "
                    "NA dans les colonnes de résultats tant que rien n'est envoyé, nombres à virgule (maîtrise en "
                    "fraction, 2 décimales), dates JJ/MM/AAAA HH:MM (heure de Paris). Fichier "
                    "AAAAMMJJ_HHMM_<code>_resultats.csv.",
        parameters=FILTERS,
        responses={(200, "text/csv"): OpenApiTypes.STR,
                   400: OpenApiResponse(ERROR, description="Paramètre invalide (VALIDATION_ERROR)."),
                   **ACCESS_ERRORS},
        tags=TAGS,
    )
    def get(self, request, campaign_id: int):
        campaign = campaign_for_member(user=request.user, campaign_id=campaign_id)
        filters = ParticipationFiltersInput.filters(request)
        return export_response(campaign=campaign, participations=participation_list(campaign=campaign, **filters))


# --- Activity, results, analysis and one student's page ---------------------------------------------------------

DIVISION_FILTER = OpenApiParameter("division", str, many=True,
                                   description="Une ou plusieurs classes (répéter le paramètre).")


class CampaignNotAssessment(DomainError):
    code = "CAMPAIGN_NOT_ASSESSMENT"
    http_status = 409
    default_message = "Une collecte de profils n'a pas d'analyse : consultez les profils reçus (résultats)."


class CampaignActivityApi(APIView):
    @extend_schema(
        operation_id="campaign_activity",
        summary="Activité d'une campagne : participants, résultats reçus, statuts, cumuls par jour",
        parameters=[DIVISION_FILTER],
        responses={200: CampaignActivityOutput, 400: OpenApiResponse(ERROR, description="Paramètre invalide."),
                   **ACCESS_ERRORS},
        tags=TAGS,
    )
    def get(self, request, campaign_id: int):
        campaign = campaign_for_member(user=request.user, campaign_id=campaign_id)
        activity = activity_read(campaign=campaign, divisions=DivisionFilterInput.divisions(request))
        return Response(CampaignActivityOutput({
            "participants": activity.participants, "shared": activity.shared, "by_status": activity.by_status,
            "by_day": [{"date": day.date, "started": day.started, "shared": day.shared} for day in activity.days],
        }).data)


class CampaignResultsPagination(ParticipationPagination):
    def get_paginated_response_with(self, data, summary):
        response = self.get_paginated_response(data)
        response.data["summary"] = summary
        return response


class CampaignResultsApi(APIView):
    @extend_schema(
        operation_id="campaign_results_list",
        summary="Le dernier résultat envoyé de chaque élève (filtres : classe, palier, résultat thématique, "
                "certifiable, nom ; pagination)",
        description="Évaluation : mastery_rate, stage, badges ; collecte de profils : pix_score, certifiable, "
                    "certifiable_competences (les champs de l'autre type sont null). « summary » : les chiffres "
                    "des cartes pour les classes choisies (les autres filtres ne s'y appliquent pas).",
        parameters=[
            DIVISION_FILTER,
            OpenApiParameter("stage", int, many=True, description="Étoiles obtenues (0 : palier zéro)."),
            OpenApiParameter("badge", str, many=True,
                             description="Clé d'un résultat thématique obtenu (tous ceux demandés)."),
            OpenApiParameter("certifiable", bool, description="Collecte de profils : certifiable ou non."),
            OpenApiParameter("search", str, description="Nom ou prénom, sans tenir compte des accents ni de la "
                                                        "casse."),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int, description="50 par défaut, 500 au plus."),
        ],
        responses={
            200: inline_serializer("PaginatedCampaignResults", {
                "count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": CampaignResultRowOutput(many=True), "summary": CampaignResultsSummaryOutput()}),
            400: OpenApiResponse(ERROR, description="Paramètre invalide (VALIDATION_ERROR)."),
            **ACCESS_ERRORS,
        },
        tags=TAGS,
    )
    def get(self, request, campaign_id: int):
        campaign = campaign_for_member(user=request.user, campaign_id=campaign_id)
        filters = CampaignResultsFiltersInput.filters(request)
        is_assessment = campaign.type == Campaign.Type.ASSESSMENT
        badges = badge_options(campaign=campaign) if is_assessment else []
        if is_assessment:
            totals = results_summary(campaign=campaign, divisions=filters["divisions"],
                                     with_stages=bool(stage_options(campaign=campaign)))
            summary = {"count": totals.count, "average_mastery_rate": totals.average,
                       "stage_average": totals.stage_average, "certifiable": None, "average_pix_score": None}
        else:
            totals = profiles_summary(campaign=campaign, divisions=filters["divisions"])
            summary = {"count": totals.count, "average_mastery_rate": None, "stage_average": None,
                       "certifiable": totals.certifiable, "average_pix_score": totals.average_pix}
        rows = results_list(campaign=campaign, badge_slots=len(badges), **filters)
        paginator = CampaignResultsPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        data = CampaignResultRowOutput([result_row(campaign, row) for row in page], many=True).data
        return paginator.get_paginated_response_with(data, CampaignResultsSummaryOutput(summary).data)


class CampaignAnalysisApi(APIView):
    @extend_schema(
        operation_id="campaign_analysis",
        summary="Analyse d'une évaluation : résultats par compétence, sujets à travailler, positionnement, "
                "comparaison des classes",
        description=f"Score d'un sujet pour un élève : {analysis.SCORE_FORMULA} ; moyenne des derniers envois.",
        parameters=[DIVISION_FILTER],
        responses={200: CampaignAnalysisOutput,
                   400: OpenApiResponse(ERROR, description="Paramètre invalide (VALIDATION_ERROR)."),
                   409: OpenApiResponse(ERROR, description="Une collecte de profils (CAMPAIGN_NOT_ASSESSMENT)."),
                   **ACCESS_ERRORS},
        tags=TAGS,
    )
    def get(self, request, campaign_id: int):
        campaign = campaign_for_member(user=request.user, campaign_id=campaign_id)
        if campaign.type != Campaign.Type.ASSESSMENT:
            raise CampaignNotAssessment()
        result = analysis_read(campaign=campaign, divisions=DivisionFilterInput.divisions(request))
        return Response(CampaignAnalysisOutput(analysis_data(result)).data)


class CampaignStudentApi(APIView):
    @extend_schema(
        operation_id="campaign_participation_detail",
        summary="La page d'un élève : sa participation, ses envois, ses résultats par compétence et par sujet "
                "(évaluation) ou son profil (collecte de profils)",
        responses={200: CampaignStudentOutput, **ACCESS_ERRORS},
        tags=TAGS,
    )
    def get(self, request, campaign_id: int, participation_id: int):
        campaign = campaign_for_member(user=request.user, campaign_id=campaign_id)
        student = student_results_read(campaign=campaign, participation_id=participation_id)
        return Response(CampaignStudentOutput(student_data(campaign, student)).data)
