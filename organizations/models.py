from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper


class Organization(models.Model):
    class Type(models.TextChoices):
        SCO = "SCO", "Établissement scolaire"
        SUP = "SUP", "Enseignement supérieur"
        PRO = "PRO", "Professionnel"

    name = models.CharField("nom", max_length=255)
    type = models.CharField("type", max_length=3, choices=Type.choices)
    # UAI for a school (SCO), any external id otherwise; stored upper-cased.
    external_id = models.CharField("UAI / identifiant externe", max_length=64, blank=True)
    is_managing_students = models.BooleanField("gère des élèves", default=False)
    email = models.EmailField("e-mail de contact", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived_at = models.DateTimeField("archivée le", null=True, blank=True)

    class Meta:
        verbose_name = "organisation"
        constraints = [
            models.UniqueConstraint(
                "external_id", condition=Q(type="SCO") & ~Q(external_id=""), name="organization_sco_uai_unique"
            ),
            models.CheckConstraint(condition=Q(external_id=Upper("external_id")), name="organization_uai_upper"),
            models.CheckConstraint(condition=~Q(type="SCO") | ~Q(external_id=""), name="organization_sco_has_uai"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.external_id})" if self.external_id else self.name

    @property
    def uai(self) -> str:
        return self.external_id if self.type == self.Type.SCO else ""

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class ActiveMembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(disabled_at__isnull=True)


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "ADMIN", "Administrateur"
        MEMBER = "MEMBER", "Membre"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=6, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ActiveMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "appartenance"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], condition=Q(disabled_at__isnull=True),
                name="membership_one_active_per_user",
            ),
        ]
        indexes = [models.Index(fields=["user", "disabled_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.organization_id} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN
