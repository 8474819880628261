"""The adaptive test: assessments, answers (append-only), and each student's knowledge per tube.

Knowledge is one row per (account, tube): the highest validated level (``floor``) and the lowest invalidated one
(``ceiling``), the same inference Pix makes from its answers (a right answer validates the easier skills of the
tube, a wrong one invalidates the harder ones), readable in O(tubes) per student.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from campaigns.models import Participation
from content.models import Challenge, Competence, Skill, Tube


class Assessment(models.Model):
    class Type(models.TextChoices):
        CAMPAIGN = "CAMPAIGN", "Parcours d'une campagne"
        PLACEMENT = "PLACEMENT", "Positionnement sur une compétence"

    class State(models.TextChoices):
        STARTED = "started", "En cours"
        COMPLETED = "completed", "Terminé"

    # No index of its own: ``assessment_user_type`` starts with it.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments",
                             db_index=False)
    type = models.CharField(max_length=9, choices=Type.choices)
    participation = models.OneToOneField(Participation, null=True, blank=True, on_delete=models.CASCADE,
                                         related_name="assessment")
    competence = models.ForeignKey(Competence, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=9, choices=State.choices, default=State.STARTED)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # The challenge served and not answered yet (None once the test is over). Not indexed: it changes on every
    # answer, and an index on it would make every answer's UPDATE write a new entry in each of the table's indexes
    # (no HOT update); no query looks tests up by it (challenges are archived, never deleted).
    current_challenge = models.ForeignKey(Challenge, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", db_index=False)
    # When a timed challenge's time started ("Commencer"); the server keeps the time, not the browser.
    timer_started_at = models.DateTimeField(null=True, blank=True)
    served_at = models.DateTimeField(null=True, blank=True)
    answers_count = models.PositiveIntegerField(default=0)
    # This test's direct answers, in order: [[level, ok, challenge_id, timed], …] — what the engine needs, read
    # with the row (no query per answer over the answers table).
    history = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "évaluation"
        constraints = [
            models.CheckConstraint(
                condition=(Q(type="CAMPAIGN", participation__isnull=False, competence__isnull=True)
                           | Q(type="PLACEMENT", participation__isnull=True, competence__isnull=False)),
                name="assessment_campaign_or_placement",
            ),
            models.CheckConstraint(condition=~Q(state="completed") | Q(completed_at__isnull=False,
                                                                        current_challenge__isnull=True),
                                   name="assessment_completed_consistent"),
            # One placement test in progress per competence and account.
            models.UniqueConstraint(fields=["user", "competence"], condition=Q(type="PLACEMENT", state="started"),
                                    name="assessment_one_started_placement"),
        ]
        indexes = [models.Index(fields=["user", "type", "competence"], name="assessment_user_type")]

    def __str__(self) -> str:
        return f"évaluation {self.pk} ({self.type}, {self.state})"

    @property
    def is_completed(self) -> bool:
        return self.state == self.State.COMPLETED


class Answer(models.Model):
    """Every answer, kept as given (append-only): audit, corrections at checkpoints, item statistics."""

    class Status(models.TextChoices):
        OK = "ok", "Réussie"
        KO = "ko", "Échouée"
        ABAND = "aband", "Passée"
        TIMEDOUT = "timedout", "Temps dépassé"

    # Every answer writes one entry in each index of this table: only the indexes that a query reads are kept.
    # The test's answers are read through ``answer_index_once`` and ``answer_once_per_challenge`` (both start with
    # the test), a challenge's through ``answer_challenge_status``; the account's index serves its deletion.
    # Challenges and skills are archived, never deleted: nothing looks answers up by skill.
    # On PostgreSQL a BRIN index on ``created_at`` (migration 0003, in SQL: SQLite has none) finds who answered
    # since the nightly run's last one; it takes no entry per answer.
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="answers", db_index=False)
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+", db_index=False)
    index = models.PositiveIntegerField()  # 1, 2, … within the assessment
    value = models.JSONField(null=True, blank=True)  # the normalized answer; None for « Je passe »
    status = models.CharField(max_length=8, choices=Status.choices)
    fields = models.JSONField(null=True, blank=True)  # QROCM: {key: right?}
    time_spent = models.FloatField(null=True, blank=True)  # seconds between serving and answering
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "réponse"
        constraints = [
            # A double click records one answer.
            models.UniqueConstraint(fields=["assessment", "challenge"], name="answer_once_per_challenge"),
            models.UniqueConstraint(fields=["assessment", "index"], name="answer_index_once"),
            models.CheckConstraint(condition=Q(index__gte=1), name="answer_index_positive"),
        ]
        indexes = [models.Index(fields=["challenge", "status"], name="answer_challenge_status")]


class KnowledgeState(models.Model):
    """What one account knows of one tube: levels ≤ floor validated, levels ≥ ceiling invalidated (since
    ``ceiling_at``; a failure older than ASSESSMENT_RETRY_DAYS is asked again)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge")
    tube = models.ForeignKey(Tube, on_delete=models.PROTECT, related_name="+")
    floor = models.PositiveSmallIntegerField(default=0)
    ceiling = models.PositiveSmallIntegerField(null=True, blank=True)
    ceiling_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "acquis d'un sujet"
        constraints = [
            models.UniqueConstraint(fields=["user", "tube"], name="knowledge_one_per_user_tube"),
            models.CheckConstraint(condition=Q(floor__lte=8), name="knowledge_floor_0_8"),
            models.CheckConstraint(condition=Q(ceiling__isnull=True) | Q(ceiling__gt=F("floor"), ceiling__lte=8),
                                   name="knowledge_ceiling_above_floor"),
        ]


class ChallengeReport(models.Model):
    """« Signaler un problème avec la question »: kept for the content team (staff)."""

    class Category(models.TextChoices):
        INSTRUCTION = "INSTRUCTION", "La consigne n'est pas claire"
        ANSWER = "ANSWER", "Ma réponse est juste mais elle est refusée"
        PICTURE = "PICTURE", "L'image ne s'affiche pas ou n'est pas lisible"
        ACCESSIBILITY = "ACCESSIBILITY", "Problème d'accessibilité"
        OTHER = "OTHER", "Autre problème"

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="reports")
    assessment = models.ForeignKey(Assessment, null=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    category = models.CharField(max_length=13, choices=Category.choices)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "signalement"
