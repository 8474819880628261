from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from organizations.models import Membership, Organization


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "PENDING", "En attente"
        ACCEPTED = "ACCEPTED", "Acceptée"
        CANCELLED = "CANCELLED", "Annulée"

    class Delivery(models.TextChoices):
        QUEUED = "QUEUED", "En cours d'envoi"
        SENT = "SENT", "Envoyée"
        DELIVERED = "DELIVERED", "Remise"
        DEFERRED = "DEFERRED", "Remise retardée"
        BOUNCED = "BOUNCED", "Adresse en erreur"
        REJECTED = "REJECTED", "Refusée par le fournisseur"
        SPAM = "SPAM", "Classée en indésirable"
        FAILED = "FAILED", "Échec d'envoi"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("adresse e-mail")
    # ADMIN for the first-admin invitation; empty: decided on acceptance (ADMIN if nobody is a member yet).
    role = models.CharField(max_length=6, choices=Membership.Role.choices, blank=True)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.PENDING)
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_sent_at = models.DateTimeField("invité le", default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    delivery_status = models.CharField(max_length=9, choices=Delivery.choices, default=Delivery.QUEUED)
    delivery_updated_at = models.DateTimeField(null=True, blank=True)
    # The e-mail provider's id for the last sending, to match its tracking events.
    provider_message_id = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        verbose_name = "invitation"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"], condition=Q(status="PENDING"),
                name="invitation_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=~Q(status="ACCEPTED") | Q(accepted_at__isnull=False), name="invitation_accepted_has_date"
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"invitation {self.pk} ({self.organization_id}, {self.status})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class InvitationLink(models.Model):
    """One more link to a pending invitation, sent when someone asks again on « Activer l'espace » while an earlier
    link still works: every link keeps working until the invitation expires, is accepted, re-sent by an
    administrator or by staff, or cancelled. Stored as a digest, like the invitation's own token."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="extra_links")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "lien d'invitation supplémentaire"
        verbose_name_plural = "liens d'invitation supplémentaires"

    def __str__(self) -> str:
        return f"lien {self.pk} (invitation {self.invitation_id})"


class FirstAdminRequest(models.Model):
    """Who asked, on the public self-service page, for a school's first-admin invitation (kept out of logs)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="first_admin_requests")
    invitation = models.ForeignKey(Invitation, null=True, on_delete=models.SET_NULL, related_name="+")
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "demande d'activation d'établissement"
        indexes = [models.Index(fields=["organization", "created_at"], name="first_admin_request_org")]
        verbose_name_plural = "demandes d'activation d'établissement"

    def __str__(self) -> str:
        return f"demande {self.pk} ({self.organization_id})"
