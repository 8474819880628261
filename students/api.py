"""REST API of the students app (mounted under /api/v1/): SIECLE imports and the list of students.

Access: outsiders 404, members without the role 403, anonymous 401 (error shape of ``pixorga.api``).
An import job is read by ADMINs only: its errors quote INEs (to find the students in SIECLE) and it is an
admin tool; members read the students list, which never exposes INEs (a national identifier of a minor,
needed by no one in the list: admins have SIECLE for it).
"""

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations.selectors import organization_for_admin, organization_for_member
from pixorga.api import error_response_schema
from students.errors import QUEUE_UNAVAILABLE_MESSAGE
from students.models import ImportJob, Learner
from students.selectors.accounts import account_login
from students.selectors.imports import import_job_for_admin
from students.selectors.learners import (
    CERTIFIABILITY_FILTERS,
    DEFAULT_LEARNER_ORDERING,
    LEARNER_ORDERINGS,
    learner_get_with_counts,
    learner_list,
)
from students.services import (
    import_job_apply_checked,
    import_job_can_requeue,
    import_job_create,
    import_job_queuing_failed,
    import_job_requeue,
)
from students.services.links import LearnerNotLinked, learner_unlink

ERROR = error_response_schema()


def _errors(**statuses: str) -> dict:
    return {int(code[1:]): OpenApiResponse(ERROR, description=text) for code, text in statuses.items()}


UNAUTHENTICATED = {"_401": "Non authentifié."}
OUTSIDER = {"_404": "Organisation (ou import) inconnue ou dont vous n'êtes pas membre."}
NOT_ADMIN = {"_403": "Réservé aux administrateurs de l'organisation (ou organisation sans élèves : "
                     "NOT_MANAGING_STUDENTS)."}
TAGS = ["students"]


class ProgressOutput(serializers.Serializer):
    done = serializers.IntegerField(source="progress_done", help_text="Avancement, sur `total` (pourcentage).")
    total = serializers.IntegerField(source="progress_total")


class ImportErrorOutput(serializers.Serializer):
    code = serializers.CharField(help_text="Code stable, ex. INE_UNIQUE, UAI_MISMATCHED, INVALID_FILE.")
    detail = serializers.CharField(help_text="Ce qui ne va pas, en français.")
    advice = serializers.CharField(default="", help_text="Que faire (dans SIECLE, ou avec le fichier), en français.")
    students = serializers.ListField(child=serializers.CharField(),
                                     help_text="Les élèves concernés (les premiers, s'ils sont nombreux).")
    students_total = serializers.IntegerField(default=0, help_text="Combien d'élèves sont concernés en tout.")


class ImportJobOutput(serializers.ModelSerializer):
    # Plain strings: another app's "status" enum would collide in the schema's component names.
    status = serializers.CharField(help_text="queued, running, done ou failed.")
    mode = serializers.CharField(help_text="check (vérification, ne modifie rien) ou apply (import).")
    progress = ProgressOutput(source="*")
    errors = ImportErrorOutput(many=True)
    report = serializers.JSONField(help_text=(
        "{counts: {students_in_file, added, updated, unchanged, disabled, reenabled, skipped_left, "
        "skipped_ine_pending, skipped_no_division, divisions, prelinked}, students: {catégorie: [\"NOM Prénom "
        "(classe)\", …] (1 000 au plus)}, truncated: {catégorie: total}, applied, duration_ms}"))
    queuing_failed = serializers.SerializerMethodField(
        help_text="Vrai si l'import n'a pas pu être mis en file : relancez-le (POST …/requeue/).")
    can_requeue = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField(help_text="Message pour l'administrateur, ou null.")

    class Meta:
        model = ImportJob
        fields = ["id", "status", "mode", "file_name", "file_size", "progress", "report", "errors", "created_at",
                  "started_at", "finished_at", "queuing_failed", "can_requeue", "message"]

    def get_queuing_failed(self, job) -> bool:
        return import_job_queuing_failed(job)

    def get_can_requeue(self, job) -> bool:
        return import_job_can_requeue(job)

    def get_message(self, job) -> str | None:
        return QUEUE_UNAVAILABLE_MESSAGE if import_job_queuing_failed(job) else None


class ImportCreateInput(serializers.Serializer):
    file = serializers.FileField(help_text="L'export ElevesSansAdresses de SIECLE (.zip tel que fourni, ou .xml).",
                                 allow_empty_file=True)
    mode = serializers.ChoiceField(choices=ImportJob.Mode.choices, default=ImportJob.Mode.APPLY,
                                   help_text="« check » : vérifier le fichier sans rien modifier ; « apply » : importer.")
    confirmed_disabled = serializers.IntegerField(
        min_value=0, default=0,
        help_text="Un import qui désactiverait plus d'un tiers des élèves actifs n'est appliqué que si ce nombre "
                  "est au moins celui des élèves désactivés (sinon l'import s'arrête en vérification, "
                  "report.held_for_confirmation).")


class ImportApplyInput(serializers.Serializer):
    confirmed_disabled = serializers.IntegerField(
        min_value=0, default=0,
        help_text="Obligatoire quand la vérification désactive plus d'un tiers des élèves actifs : au moins ce "
                  "nombre (sinon 409 IMPORT_CONFIRMATION_REQUIRED).")


class ImportCreateApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="students_import_create",
        summary="Importer (ou vérifier) un fichier SIECLE ; le traitement se fait en tâche de fond",
        request={"multipart/form-data": ImportCreateInput},
        responses={
            202: ImportJobOutput,
            400: OpenApiResponse(ERROR, description="Fichier absent ou vide (VALIDATION_ERROR, FILE_EMPTY)."),
            **_errors(**UNAUTHENTICATED, **NOT_ADMIN, **OUTSIDER,
                      _409="Un import est déjà en cours (IMPORT_ALREADY_RUNNING).",
                      _413="Fichier trop volumineux (FILE_TOO_LARGE)."),
        },
        tags=TAGS,
    )
    def post(self, request, organization_id: int):
        organization = organization_for_admin(user=request.user, organization_id=organization_id)
        data = ImportCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        job = import_job_create(organization=organization, user=request.user,
                                uploaded_file=data.validated_data["file"], mode=data.validated_data["mode"],
                                confirmed_disabled=data.validated_data["confirmed_disabled"])
        return Response(ImportJobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class ImportDetailApi(APIView):
    @extend_schema(
        operation_id="students_import_retrieve",
        summary="Suivre un import : statut, avancement, rapport et erreurs",
        responses={200: ImportJobOutput, **_errors(**UNAUTHENTICATED, **NOT_ADMIN, **OUTSIDER)},
        tags=TAGS,
    )
    def get(self, request, organization_id: int, job_id):
        job = import_job_for_admin(user=request.user, organization_id=organization_id, job_id=job_id)
        return Response(ImportJobOutput(job).data)


class ImportApplyApi(APIView):
    @extend_schema(
        operation_id="students_import_apply",
        summary="Importer le fichier d'une vérification terminée (sans le renvoyer)",
        request=ImportApplyInput,
        responses={
            202: ImportJobOutput,
            **_errors(**UNAUTHENTICATED, **NOT_ADMIN, **OUTSIDER,
                      _409="Pas une vérification réussie (IMPORT_NOT_APPLICABLE), import en cours "
                           "(IMPORT_ALREADY_RUNNING), ou plus d'un tiers des élèves désactivés sans confirmation "
                           "(IMPORT_CONFIRMATION_REQUIRED).",
                      _410="Fichier supprimé après 24 h (IMPORT_FILE_EXPIRED)."),
        },
        tags=TAGS,
    )
    def post(self, request, organization_id: int, job_id):
        organization = organization_for_admin(user=request.user, organization_id=organization_id)
        data = ImportApplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        job = import_job_apply_checked(organization=organization, job_id=job_id, user=request.user,
                                       confirmed_disabled=data.validated_data["confirmed_disabled"])
        return Response(ImportJobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class ImportRequeueApi(APIView):
    @extend_schema(
        operation_id="students_import_requeue",
        summary="Relancer un import non mis en file (service indisponible) ou interrompu",
        request=None,
        responses={
            202: ImportJobOutput,
            **_errors(**UNAUTHENTICATED, **NOT_ADMIN, **OUTSIDER,
                      _409="Import non relançable (IMPORT_NOT_REQUEUEABLE) ou autre import en cours."),
        },
        tags=TAGS,
    )
    def post(self, request, organization_id: int, job_id):
        organization = organization_for_admin(user=request.user, organization_id=organization_id)
        job = import_job_requeue(organization=organization, job_id=job_id, user=request.user)
        return Response(ImportJobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class CertifiabilityOutput(serializers.Serializer):
    # Plain strings: a "status" enum would collide with other apps' in the schema's component names.
    status = serializers.CharField(help_text=(
        "CERTIFIABLE (niveau 1 ou plus dans au moins 5 compétences), NOT_CERTIFIABLE, ou UNKNOWN (« Non "
        "communiqué »)."))
    date = serializers.DateTimeField(allow_null=True, help_text="Quand elle a été connue (null si UNKNOWN).")
    source = serializers.CharField(allow_null=True, help_text=(
        "SHARED : profil envoyé dans une collecte de profils ; COMPUTED : calcul de la nuit (élèves connectés) ; "
        "null si UNKNOWN."))


class LearnerOutput(serializers.ModelSerializer):
    last_name = serializers.CharField(source="family_name")
    linked = serializers.SerializerMethodField()
    certifiability = serializers.SerializerMethodField(help_text=(
        "La plus récente : mise à jour chaque nuit pour les élèves qui se sont connectés, et à chaque envoi de "
        "profil."))

    class Meta:
        model = Learner
        fields = ["id", "last_name", "usage_name", "first_name", "birthdate", "division", "linked", "certifiability"]

    def get_linked(self, learner) -> bool:
        return learner.user_id is not None

    @extend_schema_field(CertifiabilityOutput)
    def get_certifiability(self, learner) -> dict:
        return CertifiabilityOutput({"status": learner.certifiability or "UNKNOWN", "date": learner.certifiability_at,
                                     "source": learner.certifiability_source or None}).data


class LearnerAccountOutput(LearnerOutput):
    account = serializers.SerializerMethodField(
        help_text="Comment l'élève se connecte, comme sur la page : son identifiant (lena.cote1503), sinon son "
                  "adresse e-mail masquée (j***@example.net) ; null sans compte associé.")
    participation_count = serializers.SerializerMethodField(help_text="Nombre de campagnes rejointes.")

    class Meta(LearnerOutput.Meta):
        fields = [*LearnerOutput.Meta.fields, "account", "participation_count"]

    def get_account(self, learner) -> str | None:
        return account_login(learner.user).shown if learner.user_id else None

    def get_participation_count(self, learner) -> int:
        # Annotated by the selectors (students.counts: campaigns supplies it), never counted per row here.
        return learner.participation_count


class LearnerListInput(serializers.Serializer):
    search = serializers.CharField(required=False, allow_blank=True, max_length=200)
    division = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    linked = serializers.BooleanField(required=False, allow_null=True, default=None)
    certifiability = serializers.ChoiceField(choices=sorted(CERTIFIABILITY_FILTERS), required=False)
    ordering = serializers.ChoiceField(choices=sorted(LEARNER_ORDERINGS), required=False,
                                       default=DEFAULT_LEARNER_ORDERING)


class LearnerPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class LearnerListApi(APIView):
    @extend_schema(
        operation_id="students_list",
        summary="Les élèves actifs de l'organisation (recherche sans accents, filtres, tri, pagination)",
        parameters=[
            OpenApiParameter("search", str, description="Nom ou prénom, sans tenir compte des accents ni de la casse."),
            OpenApiParameter("division", str, many=True, description="Une ou plusieurs classes (répéter le paramètre)."),
            OpenApiParameter("linked", bool, description="true : compte rattaché ; false : sans compte."),
            OpenApiParameter("certifiability", str, enum=sorted(CERTIFIABILITY_FILTERS),
                             description="CERTIFIABLE, NOT_CERTIFIABLE ou UNKNOWN (« Non communiqué »)."),
            OpenApiParameter("ordering", str, enum=sorted(LEARNER_ORDERINGS)),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int, description="50 par défaut, 500 au plus."),
        ],
        responses={
            200: inline_serializer("PaginatedLearners", {
                "count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True), "results": LearnerAccountOutput(many=True)}),
            400: OpenApiResponse(ERROR, description="Paramètre invalide (VALIDATION_ERROR)."),
            **_errors(**UNAUTHENTICATED, **OUTSIDER),
        },
        tags=TAGS,
    )
    def get(self, request, organization_id: int):
        organization = organization_for_member(user=request.user, organization_id=organization_id)
        params = {key: request.query_params.get(key) for key in ("search", "linked", "certifiability", "ordering")
                  if request.query_params.get(key) not in (None, "")}
        params["division"] = [value for value in request.query_params.getlist("division") if value]
        data = LearnerListInput(data=params)
        data.is_valid(raise_exception=True)
        filters = data.validated_data
        learners = learner_list(organization=organization, search=filters.get("search"),
                                divisions=filters.get("division"), linked=filters.get("linked"),
                                certifiability=filters.get("certifiability"), ordering=filters["ordering"])
        paginator = LearnerPagination()
        page = paginator.paginate_queryset(learners, request, view=self)
        return paginator.get_paginated_response(LearnerAccountOutput(page, many=True).data)


class LearnerUnlinkApi(APIView):
    @extend_schema(
        operation_id="students_unlink",
        summary="Dissocier un élève du compte qui lui est associé (ses participations sont conservées)",
        request=None,
        responses={
            200: LearnerAccountOutput,
            **_errors(**UNAUTHENTICATED, _403="Réservé aux administrateurs de l'organisation.",
                      _404="Organisation ou élève inconnu, ou organisation dont vous n'êtes pas membre.",
                      _409=f"Élève associé à aucun compte ({LearnerNotLinked.code})."),
        },
        tags=TAGS,
    )
    def post(self, request, organization_id: int, learner_id: int):
        organization = organization_for_member(user=request.user, organization_id=organization_id)
        learner = learner_unlink(organization=organization, learner_id=learner_id, by=request.user)
        return Response(LearnerAccountOutput(learner_get_with_counts(organization=organization,
                                                                     learner_id=learner.pk)).data)
