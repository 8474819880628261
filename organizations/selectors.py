"""Reads of organizations and memberships, always scoped by the acting user."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from organizations.models import Membership, Organization
from pixorga.collation import MEMBER_NAMES, french_ordering


def _active_membership_for(*, user: User, organization_id: int) -> Membership:
    """The user's active membership in a live organization, or Http404 (outsiders learn nothing)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    membership = (
        Membership.objects.active()
        .select_related("organization")
        .filter(user=user, organization_id=organization_id, organization__archived_at__isnull=True)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def organization_for_member(*, user: User, organization_id: int) -> Organization:
    return _active_membership_for(user=user, organization_id=organization_id).organization


def organization_for_admin(*, user: User, organization_id: int) -> Organization:
    membership = _active_membership_for(user=user, organization_id=organization_id)
    if not membership.is_admin:
        raise PermissionDenied("Cette action est réservée aux administrateurs de l'organisation.")
    return membership.organization


def membership_get_active(*, user: User, organization: Organization) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.active().filter(user=user, organization=organization).first()


def organizations_for_user(*, user: User) -> QuerySet[Organization]:
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(
        memberships__user=user, memberships__disabled_at__isnull=True, archived_at__isnull=True
    ).order_by("name", "pk")


def memberships_for_user(*, user: User) -> list[Membership]:
    """Active memberships in live organizations, with their organization, sorted by organization name."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.active()
        .filter(user=user, organization__archived_at__isnull=True)
        .select_related("organization")
        .order_by("organization__name", "organization_id")
    )


def membership_list_active(*, organization: Organization) -> QuerySet[Membership]:
    """The team: active members sorted by last name, then first name."""
    return (
        Membership.objects.active()
        .filter(organization=organization)
        .select_related("user")
        .order_by(*french_ordering("user__last_name", "user__first_name", "pk", names=MEMBER_NAMES))
    )


def membership_get_in_organization(*, organization: Organization, membership_id: int) -> Membership:
    """An active membership of this organization; ``Membership.DoesNotExist`` for any other id."""
    return Membership.objects.active().select_related("user").get(organization=organization, pk=membership_id)


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    """The person's active memberships in organizations that are not archived, with the organization (one query)."""
    return (
        Membership.objects.filter(user=user, disabled_at__isnull=True, organization__archived_at__isnull=True)
        .select_related("organization")
        .order_by("organization__name", "organization_id")
    )
