"""Every change to an invitation goes through here: HTML views, the API, the Celery task, and the activation of a
school (``organization_activate``: the admin, the ``create_organization`` command and the API)."""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User, normalize_email
from invitations import emails as invitation_emails
from invitations.errors import (
    InvalidEmails,
    InvitationAlreadyUsed,
    InvitationCancelled,
    InvitationExpired,
    InvitationNotFound,
    InvitationNotPending,
    NotASchool,
    OrganizationArchived,
    OrganizationHasNoEmail,
    SchoolAlreadyHasAdmin,
    TooManyActivationRequests,
    TooManyEmails,
    UnknownUai,
)
from invitations.models import FirstAdminRequest, Invitation, InvitationLink
from invitations.parsing import emails_parse
from organizations.models import Membership, Organization
from organizations.services import organization_create
from pixorga.queueing import task_enqueue_on_commit
from pixorga.ratelimit import rates, retry_at, retry_delay
from pixorga.text import name_clean
from pixorga.tokens import token_digest, token_generate

logger = logging.getLogger(__name__)

MAX_EMAILS_PER_BATCH = 50


@dataclass
class InvitationBatch:
    created: list[Invitation] = field(default_factory=list)
    resent: list[Invitation] = field(default_factory=list)
    already_members: list[str] = field(default_factory=list)


# --- Sending -----------------------------------------------------------------------------------------------------

@transaction.atomic
def invitations_send(*, organization: Organization, emails: str, by: User | None) -> InvitationBatch:
    """Invite every address typed by an admin; nothing is sent if one of them is invalid."""
    parsed = emails_parse(emails)
    if parsed.invalid or not parsed.valid:
        raise InvalidEmails(parsed.invalid)
    if len(parsed.valid) > MAX_EMAILS_PER_BATCH:
        raise TooManyEmails(MAX_EMAILS_PER_BATCH)
    _ensure_not_archived(organization)
    members = set(
        Membership.objects.active()
        .filter(organization=organization, user__email__in=parsed.valid)
        .values_list("user__email", flat=True)
    )
    batch = InvitationBatch()
    for email in parsed.valid:
        if email in members:
            batch.already_members.append(email)
            continue
        invitation, created = _invitation_issue(organization=organization, email=email, role="", by=by)
        (batch.created if created else batch.resent).append(invitation)
    return batch


@transaction.atomic
def invitation_send_first_admin(*, organization: Organization, by: User | None = None) -> Invitation:
    """The school head's invitation (role ADMIN) to the organization's stored address; re-sent if pending."""
    if not organization.email:
        raise OrganizationHasNoEmail()
    _ensure_not_archived(organization)
    invitation, _ = _invitation_issue(
        organization=organization, email=normalize_email(organization.email), role=Membership.Role.ADMIN, by=by
    )
    return invitation


@transaction.atomic
def organization_activate(
    *, name: str, type: str, uai: str, email: str, is_managing_students: bool, by: User | None = None
) -> Organization:
    """Activation by Pix staff: the organization is created and its first-administrator invitation sent to its
    address, in one transaction (no school without its invitation). The admin, the command and the API call this."""
    organization = organization_create(name=name, type=type, uai=uai, email=email,
                                       is_managing_students=is_managing_students, by=by)
    invitation_send_first_admin(organization=organization, by=by)
    return organization


@transaction.atomic
def invitation_resend(*, organization: Organization, invitation_id: int, by: User | None) -> Invitation:
    invitation = _pending_for_update(organization=organization, invitation_id=invitation_id)
    _ensure_not_archived(organization)
    _reissue(invitation)
    logger.info("invitation %s re-sent by user %s", invitation.pk, getattr(by, "pk", None))
    return invitation


@transaction.atomic
def invitation_cancel(*, organization: Organization, invitation_id: int, by: User | None) -> Invitation:
    invitation = _pending_for_update(organization=organization, invitation_id=invitation_id)
    invitation.status = Invitation.Status.CANCELLED
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["status", "cancelled_at"])
    logger.info("invitation %s cancelled by user %s", invitation.pk, getattr(by, "pk", None))
    return invitation


@transaction.atomic
def invitation_request_sco_first_admin(*, uai: str, first_name: str, last_name: str) -> Invitation:
    """Public self-service: a school with no administrator yet gets its first-admin invitation (re)sent."""
    uai = (uai or "").strip().upper()
    candidates = Organization.objects.filter(external_id=uai) if uai else Organization.objects.none()
    organization = candidates.filter(type=Organization.Type.SCO).select_for_update().first()
    if organization is None:
        raise NotASchool() if candidates.exists() else UnknownUai()
    _ensure_not_archived(organization)
    if not organization.email:
        raise OrganizationHasNoEmail()
    if Membership.objects.active().filter(organization=organization, role=Membership.Role.ADMIN).exists():
        raise SchoolAlreadyHasAdmin()
    _activation_requests_check(organization)  # the row is locked: simultaneous requests are counted one by one
    email = normalize_email(organization.email)
    pending = (
        Invitation.objects.select_for_update()
        .filter(organization=organization, email=email, status=Invitation.Status.PENDING).first()
    )
    if pending is not None and not pending.is_expired:
        # Anyone may ask: never invalidate the link the head may already hold, send one more that works as long.
        if pending.role != Membership.Role.ADMIN:
            pending.role = Membership.Role.ADMIN
            pending.save(update_fields=["role"])
        _link_add(pending)
        invitation = pending
    else:
        invitation = invitation_send_first_admin(organization=organization)
    FirstAdminRequest.objects.create(
        organization=organization, invitation=invitation,
        first_name=name_clean(first_name)[:150], last_name=name_clean(last_name)[:150],
    )
    logger.info("first-admin invitation %s requested for organization %s", invitation.pk, organization.pk)
    return invitation


def _activation_requests_check(organization: Organization) -> None:
    """``TooManyActivationRequests`` once the school has had ``LIMIT_ACTIVATION_REQUESTS_SCHOOL`` requests."""
    rate_list = rates("LIMIT_ACTIVATION_REQUESTS_SCHOOL")
    now = timezone.now()
    longest = max(rate.window for rate in rate_list)
    times = list(
        FirstAdminRequest.objects.filter(organization=organization, created_at__gt=now - longest)
        .order_by("-created_at").values_list("created_at", flat=True)[:max(rate.limit for rate in rate_list)]
    )
    allowed_at = retry_at(times, rate_list, now)
    if allowed_at is not None:
        raise TooManyActivationRequests(delay=retry_delay((allowed_at - now).total_seconds()))


def _link_add(invitation: Invitation) -> None:
    """One more link to ``invitation`` (same expiry), e-mailed; the earlier links keep working."""
    raw, digest = token_generate()
    InvitationLink.objects.create(invitation=invitation, token_digest=digest)
    invitation.last_sent_at = timezone.now()
    invitation.delivery_status = Invitation.Delivery.QUEUED
    invitation.delivery_updated_at = None
    invitation.provider_message_id = ""
    invitation.save(update_fields=["last_sent_at", "delivery_status", "delivery_updated_at", "provider_message_id"])
    _queue_email(invitation, raw)


def _holding(digest: str) -> Q:
    """The invitation a link's digest opens: its own token, or one of its extra links."""
    return Q(token_digest=digest) | Q(pk__in=InvitationLink.objects.filter(token_digest=digest).values("invitation"))


def _invitation_issue(*, organization: Organization, email: str, role: str, by: User | None) -> tuple[Invitation, bool]:
    """Create the pending invitation, or re-send the one already pending for this address. ``(invitation, created)``."""
    for _attempt in range(2):
        pending = (
            Invitation.objects.select_for_update()
            .filter(organization=organization, email=email, status=Invitation.Status.PENDING)
            .first()
        )
        if pending is not None:
            if role and pending.role != role:
                pending.role = role
                pending.save(update_fields=["role"])
            _reissue(pending)
            return pending, False
        raw, digest = token_generate()
        now = timezone.now()
        try:
            with transaction.atomic():  # savepoint: a concurrent insert must not poison the outer transaction
                invitation = Invitation.objects.create(
                    organization=organization, email=email, role=role, token_digest=digest, created_by=by,
                    created_at=now, last_sent_at=now, expires_at=now + settings.INVITATION_VALIDITY,
                )
        except IntegrityError:
            # Someone invited the same address at the same instant (invitation_one_pending_per_email):
            # loop once more and re-send theirs.
            continue
        _queue_email(invitation, raw)
        logger.info("invitation %s created for organization %s", invitation.pk, organization.pk)
        return invitation, True
    raise IntegrityError("invitation_one_pending_per_email: could not create nor find the pending invitation")


def _reissue(invitation: Invitation) -> None:
    """Fresh token (every previous link stops working), new date and validity, delivery tracking restarted."""
    InvitationLink.objects.filter(invitation=invitation).delete()
    raw, digest = token_generate()
    now = timezone.now()
    invitation.token_digest = digest
    invitation.last_sent_at = now
    invitation.expires_at = now + settings.INVITATION_VALIDITY
    invitation.delivery_status = Invitation.Delivery.QUEUED
    invitation.delivery_updated_at = None
    invitation.provider_message_id = ""
    invitation.save(update_fields=["token_digest", "last_sent_at", "expires_at", "delivery_status",
                                   "delivery_updated_at", "provider_message_id"])
    _queue_email(invitation, raw)


def _queue_email(invitation: Invitation, raw_token: str) -> None:
    # The raw token travels to the task because only its digest is stored; the broker is internal, never log it.
    from invitations.tasks import invitation_email_send

    invitation_id = invitation.pk

    def broker_down() -> None:  # the data is committed: show the admin a failure they can retry (« Renvoyer »)
        Invitation.objects.filter(_holding(token_digest(raw_token)), pk=invitation_id).update(
            delivery_status=Invitation.Delivery.FAILED, delivery_updated_at=timezone.now()
        )

    task_enqueue_on_commit(invitation_email_send, invitation_id, raw_token, on_broker_down=broker_down)


def _pending_for_update(*, organization: Organization, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.select_for_update().filter(organization=organization, pk=invitation_id).first()
    if invitation is None:
        raise InvitationNotFound("Cette invitation n'existe pas.")
    if invitation.status != Invitation.Status.PENDING:
        raise InvitationNotPending()
    return invitation


def _ensure_not_archived(organization: Organization) -> None:
    if organization.archived_at is not None:
        raise OrganizationArchived()


# --- Delivery (Celery task, provider webhooks) ----------------------------------------------------------------------

def invitation_email_deliver(*, invitation_id: int, token: str) -> bool:
    """Send the invitation e-mail for this token. False (nothing sent) if it was re-sent or cancelled meanwhile.

    Not atomic on purpose: no transaction is held open while talking to the e-mail provider.
    Provider errors propagate so that the task retries.
    """
    digest = token_digest(token)
    invitation = (
        Invitation.objects.select_related("organization")
        .filter(_holding(digest), pk=invitation_id, status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        logger.info("invitation %s: e-mail skipped, the invitation was re-sent, cancelled or used", invitation_id)
        return False
    message = invitation_emails.invitation_message(invitation=invitation, token=token)
    message.send()
    message_id = _provider_message_id(message)
    Invitation.objects.filter(
        _holding(digest), pk=invitation_id, delivery_status__in=_may_become(Invitation.Delivery.SENT)
    ).update(delivery_status=Invitation.Delivery.SENT, delivery_updated_at=timezone.now())
    Invitation.objects.filter(_holding(digest), pk=invitation_id).update(provider_message_id=message_id)
    logger.info("invitation %s: e-mail sent (provider message %s)", invitation_id, message_id or "-")
    return True


def invitation_email_failed(*, invitation_id: int, token: str) -> None:
    """After the last retry: the admin sees "Échec d'envoi" and can re-send."""
    Invitation.objects.filter(_holding(token_digest(token)), pk=invitation_id).update(
        delivery_status=Invitation.Delivery.FAILED, delivery_updated_at=timezone.now()
    )
    logger.warning("invitation %s: e-mail failed after the last retry", invitation_id)


# Later states win; an event never moves an invitation back (e.g. a late "sent" after "delivered").
_DELIVERY_RANK = {
    Invitation.Delivery.QUEUED: 0,
    Invitation.Delivery.SENT: 1,
    Invitation.Delivery.FAILED: 1,
    Invitation.Delivery.DEFERRED: 2,
    Invitation.Delivery.DELIVERED: 3,
    Invitation.Delivery.BOUNCED: 4,
    Invitation.Delivery.REJECTED: 4,
    Invitation.Delivery.SPAM: 5,
}


def _may_become(new_status: str) -> list[str]:
    """Current statuses from which ``new_status`` may be recorded."""
    rank = _DELIVERY_RANK[new_status]
    return [status for status, r in _DELIVERY_RANK.items() if r <= rank]


def invitation_delivery_track(*, message_id: str, delivery_status: str, at: datetime | None = None) -> int:
    """Record a provider's tracking event for the sending ``message_id``. Returns how many invitations changed."""
    if not message_id:
        return 0
    return Invitation.objects.filter(
        provider_message_id=str(message_id), delivery_status__in=_may_become(delivery_status)
    ).update(delivery_status=delivery_status, delivery_updated_at=at or timezone.now())


def _provider_message_id(message) -> str:
    status = getattr(message, "anymail_status", None)
    message_id = getattr(status, "message_id", None)
    if message_id is None:
        return ""
    if isinstance(message_id, set):  # one id per recipient; an invitation has one recipient
        message_id = next(iter(message_id), "") if len(message_id) == 1 else ""
    return str(message_id)[:255]


# --- Acceptance ---------------------------------------------------------------------------------------------------

def invitation_get_for_token(*, token: str) -> Invitation:
    """The invitation behind a link, whatever its status. Unknown or garbled token → InvitationNotFound."""
    if not token or len(token) > 200:
        raise InvitationNotFound()
    digest = token_digest(token)
    invitation = Invitation.objects.select_related("organization").filter(token_digest=digest).first()
    if invitation is None:  # one of the extra links of « Activer l'espace »?
        link = InvitationLink.objects.select_related("invitation__organization").filter(token_digest=digest).first()
        invitation = link.invitation if link is not None else None
    if invitation is None:
        raise InvitationNotFound()
    return invitation


def invitation_check_usable(invitation: Invitation) -> None:
    """Raise the error a person holding this link should see, if it cannot be accepted."""
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvitationAlreadyUsed()
    if invitation.status == Invitation.Status.CANCELLED:
        raise InvitationCancelled()
    if invitation.is_expired:
        raise InvitationExpired()
    if invitation.organization.archived_at is not None:
        raise OrganizationArchived()


@transaction.atomic
def invitation_accept_new_account(*, token: str, email: str, password: str, first_name: str, last_name: str,
                                  accept_terms: bool, accept_pix_orga_terms: bool = False) -> Membership:
    """Sign up through the link: the account is created only if the invitation is accepted (no orphan account)."""
    from accounts.services import user_create

    invitation_check_usable(invitation_get_for_token(token=token))
    user = user_create(email=email, password=password, first_name=first_name, last_name=last_name,
                       accept_terms=accept_terms, accept_pix_orga_terms=accept_pix_orga_terms)
    return invitation_accept(token=token, user=user)


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """Single use, even under concurrent clicks: the conditional UPDATE lets exactly one caller through."""
    from organizations.services import membership_grant  # imported here: organizations.services imports us

    invitation = invitation_get_for_token(token=token)
    invitation_check_usable(invitation)
    # Lock the organization, as the membership services do, so "is anybody a member yet?" holds until commit.
    organization = Organization.objects.select_for_update().get(pk=invitation.organization_id)
    now = timezone.now()
    taken = Invitation.objects.filter(
        pk=invitation.pk, status=Invitation.Status.PENDING, token_digest=invitation.token_digest, expires_at__gt=now
    ).update(status=Invitation.Status.ACCEPTED, accepted_by=user, accepted_at=now)
    if not taken:  # someone else used, cancelled or re-sent it meanwhile: say what happened now
        invitation_check_usable(invitation_get_for_token(token=token))
        raise InvitationAlreadyUsed()
    role = invitation.role
    if not role:
        has_members = Membership.objects.active().filter(organization=organization).exists()
        role = Membership.Role.MEMBER if has_members else Membership.Role.ADMIN
    membership = membership_grant(organization=organization, user=user, role=role)
    logger.info("invitation %s accepted by user %s (membership %s)", invitation.pk, user.pk, membership.pk)
    return membership
