from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from content.models import Competence, Skill, TargetProfile, Tube
from organizations.models import Organization
from students.models import Learner

CAMPAIGN_CODE_PATTERN = r"^[A-HJKMNP-Z]{6}[2-9]{3}$"  # campaigns/codes.py generates them
LANDING_PAGE_TEXT_MAX = 5000


class Campaign(models.Model):
    class Type(models.TextChoices):
        ASSESSMENT = "ASSESSMENT", "Évaluation"
        PROFILES_COLLECTION = "PROFILES_COLLECTION", "Collecte de profils"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField("nom", max_length=255)
    type = models.CharField("type", max_length=19, choices=Type.choices)
    code = models.CharField("code", max_length=9, unique=True)
    title = models.CharField("titre du parcours", max_length=255, blank=True)
    landing_page_text = models.TextField("texte de la page d'accueil", blank=True)
    external_id_label = models.CharField("libellé de l'identifiant externe", max_length=255, blank=True)
    multiple_sendings = models.BooleanField("envoi multiple", default=False)
    # An assessment's parcours; its skills are frozen in CampaignSkill when the campaign is created.
    target_profile = models.ForeignKey(TargetProfile, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="campaigns", verbose_name="parcours")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_campaigns")
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "campagne"
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=CAMPAIGN_CODE_PATTERN), name="campaign_code_format"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("landing_page_text"), LANDING_PAGE_TEXT_MAX),
                name="campaign_landing_text_max",
            ),
            # A profiles collection evaluates nothing: no target profile.
            models.CheckConstraint(
                condition=Q(target_profile__isnull=True) | Q(type="ASSESSMENT"),
                name="campaign_target_profile_assessment_only",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "archived_at"], name="campaign_org_archived"),
            models.Index(fields=["organization", "owner"], name="campaign_org_owner"),
        ]

    def __str__(self) -> str:
        return f"campagne {self.pk} ({self.code})"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class CampaignSkill(models.Model):
    """The skills an assessment campaign evaluates, frozen at creation: later content changes do not move it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="campaign_skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "acquis de la campagne"
        verbose_name_plural = "acquis de la campagne"
        constraints = [models.UniqueConstraint(fields=["campaign", "skill"], name="campaign_skill_once")]


class Participation(models.Model):
    class Status(models.TextChoices):
        STARTED = "STARTED", "En cours"
        TO_SHARE = "TO_SHARE", "En attente d'envoi"
        SHARED = "SHARED", "Résultats reçus"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations")
    # Set for campaigns reserved to the organization's students; the learner's division is read through it.
    learner = models.ForeignKey(
        Learner, null=True, blank=True, on_delete=models.PROTECT, related_name="participations"
    )
    external_id = models.CharField("identifiant externe", max_length=255, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices)
    # A teacher trying the campaign as a student would: never counted in lists, statistics or exports.
    is_preview = models.BooleanField(default=False)
    # With multiple sendings, earlier participations stay as history; only one is current.
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    # Tested skills ÷ campaign skills of an assessment's test, kept up to date at each answer (1 once it ended).
    progress = models.FloatField(default=0)
    # Snapshot taken when the results (or the profile) are sent; the school's pages read only these.
    mastery_rate = models.FloatField(null=True, blank=True)  # validated campaign skills ÷ campaign skills
    validated_skills_count = models.PositiveIntegerField(null=True, blank=True)
    pix_score = models.PositiveIntegerField(null=True, blank=True)
    is_certifiable = models.BooleanField(null=True, blank=True)
    # {"competences": {code: {...}}, "tubes": {...}, "stage": {...}, "badges": [...]} (assessments.results)
    results = models.JSONField(default=dict, blank=True)
    # The student's latest sent participation in this campaign (earlier sendings stay as history): the school's
    # results, analysis and exports read these rows only.
    is_latest_shared = models.BooleanField(default=False)

    class Meta:
        verbose_name = "participation"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user"], condition=Q(is_current=True), name="participation_one_current_per_user"
            ),
            models.UniqueConstraint(
                fields=["campaign", "learner"], condition=Q(is_current=True) & Q(learner__isnull=False),
                name="participation_one_current_per_learner",
            ),
            models.CheckConstraint(
                condition=~Q(status="SHARED") | Q(shared_at__isnull=False), name="participation_shared_has_date"
            ),
            models.CheckConstraint(
                condition=Q(mastery_rate__isnull=True) | Q(mastery_rate__gte=0, mastery_rate__lte=1),
                name="participation_mastery_0_1",
            ),
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=1), name="participation_progress_0_1"),
        ]
        indexes = [
            models.Index(fields=["campaign", "is_preview", "status"], name="participation_campaign_status"),
            models.Index(fields=["campaign"], condition=Q(is_latest_shared=True), name="participation_latest_shared"),
            models.Index(fields=["learner"], name="participation_learner"),
        ]

    def __str__(self) -> str:
        return f"participation {self.pk} ({self.campaign_id}, {self.status})"


class ParticipationCompetenceResult(models.Model):
    """One sent assessment's result on one competence of its target profile (written when the results are sent),
    so that a campaign's analysis is one GROUP BY."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="competence_results")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    validated = models.PositiveSmallIntegerField()  # validated campaign skills of the competence
    total = models.PositiveSmallIntegerField()  # campaign skills of the competence

    class Meta:
        verbose_name = "résultat par compétence"
        constraints = [
            models.UniqueConstraint(fields=["participation", "competence"], name="competence_result_once"),
            models.CheckConstraint(condition=Q(validated__lte=models.F("total")), name="competence_result_le_total"),
        ]


class ParticipationTubeResult(models.Model):
    """One sent assessment's result on one tube: the levels reached against the campaign's hardest skill."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="tube_results")
    tube = models.ForeignKey(Tube, on_delete=models.PROTECT, related_name="+")
    reached = models.PositiveSmallIntegerField()  # hardest validated campaign skill (0: none)
    max_level = models.PositiveSmallIntegerField()  # hardest campaign skill of the tube
    next_level = models.PositiveSmallIntegerField(null=True)  # easiest campaign skill not validated (None: all)
    validated = models.PositiveSmallIntegerField()
    failed = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = "résultat par sujet"
        constraints = [
            models.UniqueConstraint(fields=["participation", "tube"], name="tube_result_once"),
            models.CheckConstraint(condition=Q(reached__lte=models.F("max_level")), name="tube_result_reached_le_max"),
            models.CheckConstraint(condition=Q(validated__lte=models.F("total")), name="tube_result_le_total"),
        ]


class LinkAttempt(models.Model):
    """Every attempt at linking an account to a learner: who, when, the outcome (never the typed birthdate).

    A student signing up from a reserved campaign has no account yet: the attempt is then counted against
    ``client`` (their browser session, or their address for the API) and ``address``, both as keyed digests.
    """

    class Outcome(models.TextChoices):
        LINKED = "LINKED", "Associé"
        AUTO_LINKED = "AUTO_LINKED", "Associé automatiquement"
        CHECKED = "CHECKED", "Élève trouvé (avant confirmation)"
        NO_MATCH = "NO_MATCH", "Aucun élève trouvé"
        R11 = "R11", "INE associé à un autre compte (e-mail) dans un autre établissement"
        R12 = "R12", "INE associé à un autre compte (identifiant) dans un autre établissement"
        R31 = "R31", "Élève associé à un autre compte (e-mail)"
        R32 = "R32", "Élève associé à un autre compte (identifiant)"
        R70 = "R70", "Compte déjà associé à un autre élève"
        R90 = "R90", "Le compte semble appartenir à quelqu'un d'autre"
        S51 = "S51", "Inscription : l'élève a déjà un compte (e-mail) dans l'établissement"
        S52 = "S52", "Inscription : l'élève a déjà un compte (identifiant) dans l'établissement"
        S61 = "S61", "Inscription : même INE, compte (e-mail) dans un autre établissement"
        S62 = "S62", "Inscription : même INE, compte (identifiant) dans un autre établissement"
        SIGNED_UP = "SIGNED_UP", "Compte créé et associé"
        RATE_LIMITED = "RATE_LIMITED", "Trop de tentatives"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    client = models.CharField(max_length=64, blank=True)
    address = models.CharField(max_length=64, blank=True)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    # The typed names as a keyed digest, and the learner they designate (whatever the birthdate), when one does:
    # failures are also limited per school and name, whatever the account or address.
    name_key = models.CharField(max_length=64, blank=True)
    learner = models.ForeignKey(Learner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "tentative d'association"
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(client=""), name="link_attempt_has_someone"),
        ]
        indexes = [
            models.Index(fields=["user", "organization", "created_at"], name="link_attempt_user_org"),
            models.Index(fields=["client", "organization", "created_at"], condition=~Q(client=""),
                         name="link_attempt_client_org"),
            models.Index(fields=["address", "organization", "created_at"], condition=~Q(address=""),
                         name="link_attempt_address_org"),
            models.Index(fields=["name_key", "organization", "created_at"], condition=~Q(name_key=""),
                         name="link_attempt_name_org"),
            models.Index(fields=["learner", "organization", "created_at"], condition=Q(learner__isnull=False),
                         name="link_attempt_learner_org"),
        ]

