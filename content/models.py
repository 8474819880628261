"""Learning content: the CRCN framework (areas, competences), tubes, skills, challenges, and target profiles.

Loaded from the bank's files (``content/bank/``) by ``content_load`` as a release; nothing here is edited by hand
apart from target profiles (staff, Django admin). Skills and challenges that leave the bank are archived, never
deleted: answers keep their challenge.
"""

from django.db import models
from django.db.models import Q

from organizations.models import Organization

SKILL_NAME_PATTERN = r"^@[a-z][A-Za-z]*[1-8]$"
TUBE_NAME_PATTERN = r"^[a-z][A-Za-z]*$"
CHALLENGE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9.\-]*$"
LEVEL_LABELS = {1: "Novice", 2: "Novice", 3: "Indépendant", 4: "Indépendant", 5: "Avancé", 6: "Avancé",
                7: "Expert", 8: "Expert"}


class Release(models.Model):
    """One load of the bank: what was loaded, when, from which files (their digest)."""

    version = models.PositiveIntegerField(unique=True)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the bank's files.")
    loaded_at = models.DateTimeField(auto_now_add=True)
    challenges_count = models.PositiveIntegerField(default=0)
    skills_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "version du contenu"
        verbose_name_plural = "versions du contenu"
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"version {self.version}"


class Area(models.Model):
    code = models.CharField(max_length=1, unique=True)  # "1" … "5"
    name = models.CharField(max_length=100)  # "Information et données"

    class Meta:
        verbose_name = "domaine"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Competence(models.Model):
    code = models.CharField(max_length=3, unique=True)  # "1.1" … "5.2"
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="competences")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = "compétence"
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(code__regex=r"^[1-5]\.[1-4]$"), name="competence_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Tube(models.Model):
    """A "sujet": one topic of a competence, with skills on consecutive levels."""

    name = models.CharField(max_length=60, unique=True)
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="tubes")
    practical_title = models.CharField("titre pratique", max_length=200)
    practical_description = models.TextField("description pratique", blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "sujet"
        ordering = ["competence__code", "name"]
        constraints = [models.CheckConstraint(condition=Q(name__regex=TUBE_NAME_PATTERN), name="tube_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.practical_title})"


class Skill(models.Model):
    """An "acquis": ``@<tube><level>``; its pix value is computed at load (min(4, 8 ÷ active skills of the same
    competence and level))."""

    class Status(models.TextChoices):
        ACTIVE = "actif", "Actif"
        ARCHIVED = "archivé", "Archivé"

    name = models.CharField(max_length=64, unique=True)
    tube = models.ForeignKey(Tube, on_delete=models.PROTECT, related_name="skills")
    level = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    hint = models.TextField("indice", blank=True)
    tutorials = models.JSONField("tutos", default=list, blank=True)  # [{"title": …, "text": … (Markdown)}]
    pix_value = models.FloatField(default=0)

    class Meta:
        verbose_name = "acquis"
        verbose_name_plural = "acquis"
        ordering = ["tube__name", "level"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=8), name="skill_level_1_8"),
            models.CheckConstraint(condition=Q(name__regex=SKILL_NAME_PATTERN), name="skill_name"),
            models.CheckConstraint(condition=Q(pix_value__gte=0, pix_value__lte=4), name="skill_pix_0_4"),
            models.UniqueConstraint(fields=["tube", "level"], name="skill_one_per_tube_level"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Challenge(models.Model):
    """An "épreuve". ``id`` is the bank's own identifier (stable across releases)."""

    class Type(models.TextChoices):
        QCU = "QCU", "QCU (une seule bonne réponse)"
        QCM = "QCM", "QCM (plusieurs bonnes réponses)"
        QROC = "QROC", "QROC (réponse libre)"
        QROCM_IND = "QROCM-ind", "QROCM indépendantes"
        QROCM_DEP = "QROCM-dep", "QROCM dépendantes"

    class Status(models.TextChoices):
        VALIDATED = "validé", "Validé"
        ARCHIVED = "archivé", "Archivé"

    id = models.CharField(max_length=80, primary_key=True)
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="challenges")
    type = models.CharField(max_length=9, choices=Type.choices)
    instruction = models.TextField("consigne")  # Markdown
    # QCU/QCM: a list of options; QROC/QROCM: a text with ${key} input fields.
    proposals = models.JSONField(default=list, blank=True)
    # QCU "2", QCM "1,3", QROC accepted answers one per line; QROCM {key or group: [accepted answers]}.
    solution = models.JSONField()
    solution_to_display = models.TextField("réponse expliquée")  # Markdown
    t1 = models.BooleanField(default=True)
    t2 = models.BooleanField(default=True)
    t3 = models.BooleanField(default=True)
    format = models.CharField(max_length=10, blank=True)  # "nombre" for numeric QROC
    timer = models.PositiveIntegerField(null=True, blank=True, help_text="Secondes.")
    focused = models.BooleanField(default=False)
    illustration = models.CharField(max_length=120, blank=True)  # a file of content/bank/images/
    illustration_alt = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.VALIDATED)
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "épreuve"
        ordering = ["skill__name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(id__regex=CHALLENGE_ID_PATTERN), name="challenge_id_format"),
            models.CheckConstraint(condition=Q(timer__isnull=True) | Q(timer__gt=0), name="challenge_timer_positive"),
        ]
        indexes = [models.Index(fields=["skill", "status"], name="challenge_skill_status")]

    def __str__(self) -> str:
        return self.id

    @property
    def is_timed(self) -> bool:
        return self.timer is not None


class TargetProfile(models.Model):
    """A "parcours": capped tubes (the campaign freezes their active skills up to each cap), stages and badges."""

    class Category(models.TextChoices):
        COMPETENCES = "COMPETENCES", "Les 16 compétences"
        BACK_TO_SCHOOL = "BACK_TO_SCHOOL", "Parcours de rentrée"
        TARGETED = "TARGETED", "Parcours ciblés"
        SUBJECT = "SUBJECT", "Thématiques"
        CUSTOM = "CUSTOM", "Parcours sur-mesure"
        OTHER = "OTHER", "Autres"

    key = models.SlugField(max_length=80, unique=True, help_text="Identifiant stable (parcours publics de la banque).")
    name = models.CharField("nom", max_length=200)
    description = models.TextField("description pour les enseignants", blank=True)
    category = models.CharField("catégorie", max_length=14, choices=Category.choices, default=Category.OTHER)
    # Owned by one organization, or public (owner empty): every organization may use a public one.
    owner_organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="target_profiles")
    is_public = models.BooleanField("public", default=False)
    is_archived = models.BooleanField("archivé", default=False)
    # Shipped in content/bank/target_profiles.yaml: content_load keeps it as the file says (staff edit the file).
    from_bank = models.BooleanField("de la banque de contenus", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "profil cible (parcours)"
        verbose_name_plural = "profils cibles (parcours)"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(is_public=True) | Q(owner_organization__isnull=False),
                                   name="target_profile_public_or_owned"),
        ]

    def __str__(self) -> str:
        return self.name


class TargetProfileTube(models.Model):
    target_profile = models.ForeignKey(TargetProfile, on_delete=models.CASCADE, related_name="capped_tubes")
    tube = models.ForeignKey(Tube, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField("niveau maximum")

    class Meta:
        verbose_name = "sujet du parcours"
        verbose_name_plural = "sujets du parcours"
        constraints = [
            models.UniqueConstraint(fields=["target_profile", "tube"], name="target_profile_tube_once"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=8), name="target_profile_tube_level"),
        ]


class Stage(models.Model):
    """A "palier": by threshold (% of the campaign's skills) or by level (converted to a threshold per campaign).
    A zero stage (threshold 0 or level 0) is always reached."""

    target_profile = models.ForeignKey(TargetProfile, on_delete=models.CASCADE, related_name="stages")
    threshold = models.PositiveSmallIntegerField(null=True, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField("titre (élève)", max_length=200)
    message = models.TextField("message (élève)", blank=True)
    prescriber_title = models.CharField("titre (enseignant)", max_length=200, blank=True)
    prescriber_description = models.TextField("description (enseignant)", blank=True)

    class Meta:
        verbose_name = "palier"
        ordering = ["target_profile", "threshold", "level"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(threshold__isnull=False, level__isnull=True, threshold__lte=100)
                           | Q(threshold__isnull=True, level__isnull=False, level__lte=8)),
                name="stage_threshold_or_level",
            ),
            models.UniqueConstraint(fields=["target_profile", "threshold"], name="stage_threshold_once"),
            models.UniqueConstraint(fields=["target_profile", "level"], name="stage_level_once"),
        ]


class Badge(models.Model):
    """A "résultat thématique": obtained when every criterion is met."""

    target_profile = models.ForeignKey(TargetProfile, on_delete=models.CASCADE, related_name="badges")
    key = models.SlugField(max_length=80)
    title = models.CharField("titre", max_length=200)
    message = models.TextField("message", blank=True)

    class Meta:
        verbose_name = "badge"
        constraints = [models.UniqueConstraint(fields=["target_profile", "key"], name="badge_key_once")]

    def __str__(self) -> str:
        return self.title


class BadgeCriterion(models.Model):
    class Scope(models.TextChoices):
        CAMPAIGN = "CAMPAIGN", "Tout le parcours"
        TUBES = "TUBES", "Sujets choisis"

    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="criteria")
    scope = models.CharField(max_length=8, choices=Scope.choices)
    threshold = models.PositiveSmallIntegerField()  # %
    # TUBES scope: [{"tube": name, "level": cap}]
    tubes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "critère de badge"
        constraints = [models.CheckConstraint(condition=Q(threshold__gte=1, threshold__lte=100),
                                              name="badge_criterion_threshold")]
