import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.utils import timezone

from organizations.models import Organization


class Learner(models.Model):
    """A student of an organization, as imported from SIECLE (personal data of a minor: scope every read)."""

    class Sex(models.TextChoices):
        MALE = "M", "Masculin"
        FEMALE = "F", "Féminin"

    class Status(models.TextChoices):
        STUDENT = "ST", "Scolaire"
        APPRENTICE = "AP", "Apprenti"

    class Certifiability(models.TextChoices):
        CERTIFIABLE = "CERTIFIABLE", "Certifiable"
        NOT_CERTIFIABLE = "NOT_CERTIFIABLE", "Non certifiable"

    class CertifiabilitySource(models.TextChoices):
        PROFILE_SHARED = "SHARED", "profil envoyé"
        COMPUTED = "COMPUTED", "calcul de la nuit"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="learners")
    ine = models.CharField("INE", max_length=16)
    family_name = models.CharField("nom de famille", max_length=150)
    usage_name = models.CharField("nom d'usage", max_length=150, blank=True)
    first_name = models.CharField("prénom", max_length=150)
    second_first_name = models.CharField("deuxième prénom", max_length=150, blank=True)
    third_first_name = models.CharField("troisième prénom", max_length=150, blank=True)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices, blank=True)
    birthdate = models.DateField("date de naissance")
    birth_country_code = models.CharField("code pays de naissance", max_length=5, blank=True)
    birth_department_code = models.CharField("département de naissance", max_length=5, blank=True)
    birth_city_code = models.CharField("code INSEE de la commune de naissance", max_length=10, blank=True)
    birth_city = models.CharField("ville de naissance (étranger)", max_length=150, blank=True)
    mef_code = models.CharField("code MEF", max_length=20, blank=True)
    status = models.CharField("statut", max_length=2, choices=Status.choices, blank=True)
    division = models.CharField("classe", max_length=60, blank=True)
    siecle_id = models.CharField("ELEVE_ID SIECLE", max_length=20, blank=True)
    # Accent- and case-free "family usage first" names, for search on every database.
    search_key = models.CharField(max_length=400, blank=True, editable=False)
    # Hash of the SIECLE values last imported: a re-import compares it instead of loading every column.
    fingerprint = models.BigIntegerField(null=True, blank=True, editable=False)
    disabled_at = models.DateTimeField("sorti le", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="learners"
    )
    linked_at = models.DateTimeField(null=True, blank=True)
    # The latest known certifiability (blank: « Non communiqué »), from a profile sent in a profiles collection or
    # the nightly computation, whichever is newer; the levels it was read from let the « Certification » page say
    # what each student still needs without computing anything.
    # Database defaults too: the SIECLE import inserts learners with COPY, naming only the columns it writes.
    certifiability = models.CharField("certificabilité", max_length=15, choices=Certifiability.choices, blank=True,
                                      default="", db_default="")
    certifiability_at = models.DateTimeField("certificabilité au", null=True, blank=True)
    certifiability_source = models.CharField(max_length=8, choices=CertifiabilitySource.choices, blank=True,
                                             default="", db_default="")
    certifiable_competences = models.PositiveSmallIntegerField(null=True, blank=True)  # at level 1 or more
    certifiability_levels = models.JSONField(default=dict, db_default=Value({}, output_field=models.JSONField()),
                                             blank=True)  # {"1.1": {"pix": 12, "level": 1}, …}
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "élève"
        constraints = [
            models.UniqueConstraint(fields=["organization", "ine"], name="learner_ine_unique_per_organization"),
            # An account is the student of at most one record per school.
            models.UniqueConstraint(
                fields=["organization", "user"], condition=Q(user__isnull=False), name="learner_one_per_user"
            ),
            models.CheckConstraint(
                condition=(Q(certifiability="", certifiability_at__isnull=True, certifiability_source="")
                           | (~Q(certifiability="") & Q(certifiability_at__isnull=False) & ~Q(certifiability_source=""))),
                name="learner_certifiability_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "birthdate"], name="learner_org_birthdate"),
            models.Index(fields=["organization", "division"], name="learner_org_division"),
            models.Index(fields=["organization", "family_name", "first_name"], name="learner_org_name"),
            models.Index(fields=["ine"], name="learner_ine"),
            models.Index(fields=["organization", "certifiability"], name="learner_org_certifiability"),
        ]

    def __str__(self) -> str:
        return f"élève {self.pk} ({self.organization_id})"

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Terminé"
        FAILED = "failed", "Échec"

    class Mode(models.TextChoices):
        CHECK = "check", "Vérification"
        APPLY = "apply", "Import"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="import_jobs")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    mode = models.CharField(max_length=5, choices=Mode.choices, default=Mode.APPLY)
    file = models.FileField(upload_to="imports/%Y/%m/", max_length=255, blank=True)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Set when the task could not be queued (broker down): the job waits for « Relancer ».
    enqueue_failed_at = models.DateTimeField(null=True, blank=True)
    # How many disabled students the admin confirmed (« Importer » of a file disabling more than a third).
    confirmed_disabled = models.PositiveIntegerField(default=0)
    # The check (dry run) whose stored file this apply job reuses.
    source_job = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written every few seconds by the worker running the job (its own connection): a job "running" without a
    # recent heartbeat has lost its worker, and is failed within a minute or two instead of blocking the school.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "import SIECLE"
        verbose_name_plural = "imports SIECLE"
        ordering = ["-created_at"]
        constraints = [
            # One import in flight per organization: a second upload is refused (409).
            models.UniqueConstraint(
                fields=["organization"], condition=Q(status__in=["queued", "running"]),
                name="import_one_in_flight_per_organization",
            ),
        ]
        indexes = [models.Index(fields=["organization", "-created_at"], name="import_org_created")]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.organization_id}, {self.status})"


class LearnerAccountEvent(models.Model):
    """« Gérer le compte »: who gave a student's account a username or a one-time password, when (never the password).

    ``organization`` is the school that did it: an account linked to students of two schools may be managed by
    either, and each sees the trail through its own learner.
    """

    class Action(models.TextChoices):
        USERNAME_ADDED = "USERNAME_ADDED", "Identifiant ajouté"
        PASSWORD_RESET = "PASSWORD_RESET", "Mot de passe provisoire"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="account_events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=14, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "gestion de compte d'élève"
        verbose_name_plural = "gestions de comptes d'élèves"
        indexes = [models.Index(fields=["learner", "created_at"], name="account_event_learner")]

    def __str__(self) -> str:
        return f"{self.action} élève {self.learner_id} par {self.by_id}"


class LearnerLinkEvent(models.Model):
    """Audit trail of links between learners and accounts (linking, and "Dissocier" by an admin)."""

    class Action(models.TextChoices):
        LINKED = "LINKED", "Associé"
        UNLINKED = "UNLINKED", "Dissocié"

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="link_events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=8, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "événement d'association"
        indexes = [models.Index(fields=["learner", "created_at"], name="link_event_learner")]
