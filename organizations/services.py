"""Every write on organizations and memberships.

The rule "an organization always keeps at least one active administrator" lives here: each change that could
remove an administrator first locks the organization row, then counts, so two concurrent demotions are serialized.
"""

import logging
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from organizations.errors import (
    InvalidOrganization,
    InvalidRole,
    InvalidUai,
    LastAdminError,
    NotAnAdmin,
    UaiAlreadyUsed,
)
from organizations.models import Membership, Organization

logger = logging.getLogger(__name__)

UAI_PATTERN = re.compile(r"^[0-9]{7}[A-Z]$")


def organization_clean(*, name: str, type: str, uai: str, email: str) -> dict:
    """Validate and normalize creation input; raises ``InvalidOrganization`` (``.field`` says which input)."""
    name = (name or "").strip()
    if not name:
        raise InvalidOrganization("Le nom de l'organisation est obligatoire.", field="name")
    if len(name) > Organization._meta.get_field("name").max_length:
        raise InvalidOrganization("Le nom de l'organisation est trop long (255 caractères au plus).", field="name")
    type = (type or "").strip().upper()
    if type not in Organization.Type.values:
        raise InvalidOrganization(
            "Le type d'organisation doit être SCO (établissement scolaire), SUP (enseignement supérieur) "
            "ou PRO (professionnel).",
            field="type",
        )
    external_id = (uai or "").strip().upper()
    if type == Organization.Type.SCO and not UAI_PATTERN.match(external_id):
        raise InvalidUai()
    if len(external_id) > Organization._meta.get_field("external_id").max_length:
        raise InvalidOrganization("L'identifiant externe est trop long (64 caractères au plus).", field="uai")
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidOrganization(
            "L'adresse e-mail de contact est invalide : c'est à elle qu'est envoyée l'invitation du premier "
            "administrateur (pour un établissement scolaire, l'adresse ce.UAI@ac-… ).",
            field="email",
        ) from None
    return {"name": name, "type": type, "external_id": external_id, "email": email}


def _uai_taken(*, type: str, external_id: str, exclude_pk: int | None = None) -> bool:
    if type != Organization.Type.SCO or not external_id:
        return False
    return Organization.objects.filter(type=type, external_id=external_id).exclude(pk=exclude_pk).exists()


@transaction.atomic
def organization_create(
    *, name: str, type: str, uai: str, email: str, is_managing_students: bool, by: User | None = None
) -> Organization:
    """The organization alone. Activating a school (with its first-admin invitation) is
    ``invitations.services.organization_activate``, which calls this: invitations builds on organizations."""
    data = organization_clean(name=name, type=type, uai=uai, email=email)
    if _uai_taken(type=data["type"], external_id=data["external_id"]):
        raise UaiAlreadyUsed()
    try:
        with transaction.atomic():
            organization = Organization.objects.create(
                **data, is_managing_students=bool(is_managing_students), created_by=by
            )
    except IntegrityError:  # created concurrently with the same UAI
        raise UaiAlreadyUsed() from None
    logger.info("organization created id=%s type=%s by=%s", organization.pk, organization.type, getattr(by, "pk", None))
    return organization


@transaction.atomic
def membership_grant(*, organization: Organization, user: User, role: str) -> Membership:
    if role not in Membership.Role.values:
        raise InvalidRole()
    existing = (
        Membership.objects.active().select_for_update().filter(organization=organization, user=user).first()
    )
    if existing is None:
        try:
            with transaction.atomic():
                return Membership.objects.create(organization=organization, user=user, role=role)
        except IntegrityError:  # granted concurrently: the other grant's row is the membership
            existing = Membership.objects.active().select_for_update().get(organization=organization, user=user)
    if role == Membership.Role.ADMIN and existing.role != Membership.Role.ADMIN:
        existing.role = Membership.Role.ADMIN
        existing.save(update_fields=["role", "updated_at"])
    return existing


def _lock(organization: Organization) -> None:
    """Serialize every change that could leave the organization without an administrator."""
    Organization.objects.select_for_update().filter(pk=organization.pk).first()


def _active_admin_count(organization_id: int) -> int:
    return Membership.objects.active().filter(organization_id=organization_id, role=Membership.Role.ADMIN).count()


def _require_admin(*, organization: Organization, user: User) -> None:
    is_admin = Membership.objects.active().filter(
        organization=organization, user=user, role=Membership.Role.ADMIN
    ).exists()
    if not is_admin:
        raise NotAnAdmin()


def _refuse_if_last_admin(membership: Membership) -> None:
    if membership.is_admin and _active_admin_count(membership.organization_id) <= 1:
        raise LastAdminError()


def _disable(membership: Membership, *, by: User) -> None:
    membership.disabled_at = timezone.now()
    membership.disabled_by = by
    membership.save(update_fields=["disabled_at", "disabled_by", "updated_at"])


@transaction.atomic
def membership_change_role(*, organization: Organization, membership_id: int, role: str, by: User) -> Membership:
    """Raises ``Membership.DoesNotExist`` for an id that is not an active member of this organization."""
    if role not in Membership.Role.values:
        raise InvalidRole()
    _lock(organization)
    _require_admin(organization=organization, user=by)
    membership = Membership.objects.active().get(organization=organization, pk=membership_id)
    if membership.role == role:
        return membership
    if role != Membership.Role.ADMIN:
        _refuse_if_last_admin(membership)
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    logger.info("membership role changed id=%s role=%s by=%s", membership.pk, role, by.pk)
    return membership


@transaction.atomic
def membership_remove(*, organization: Organization, membership_id: int, by: User) -> Membership:
    """Disable a member (history kept; they may be invited again). ``Membership.DoesNotExist`` for a foreign id."""
    _lock(organization)
    _require_admin(organization=organization, user=by)
    membership = Membership.objects.active().get(organization=organization, pk=membership_id)
    _refuse_if_last_admin(membership)
    _disable(membership, by=by)
    logger.info("membership removed id=%s by=%s", membership.pk, by.pk)
    return membership


@transaction.atomic
def membership_leave(*, organization: Organization, user: User) -> Membership:
    """The user leaves; ``Membership.DoesNotExist`` if they are not an active member."""
    _lock(organization)
    membership = Membership.objects.active().get(organization=organization, user=user)
    _refuse_if_last_admin(membership)
    _disable(membership, by=user)
    logger.info("membership left id=%s", membership.pk)
    return membership
