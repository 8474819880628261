"""Reads about the signed-in person, always scoped to that person."""

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import User
from organizations.models import Membership


def user_has_active_membership(*, user: User) -> bool:
    return user.memberships.filter(disabled_at__isnull=True).exists()


def user_must_accept_pix_orga_terms(*, user) -> bool:
    """A member of a school who has not accepted the current Pix Orga terms: the pages send them to /cgu, the API
    answers 403 PIX_ORGA_TERMS_NOT_ACCEPTED. No query once the current version is accepted."""
    if user is None or not user.is_authenticated:
        return False
    if user.pix_orga_terms_version == settings.PIX_ORGA_TERMS_VERSION:
        return False
    return user_has_active_membership(user=user)


def user_memberships_active(*, user: User) -> QuerySet[Membership]:
    """The person's active memberships in organizations that are not archived, with the organization (one query)."""
    return (
        Membership.objects.filter(user=user, disabled_at__isnull=True, organization__archived_at__isnull=True)
        .select_related("organization")
        .order_by("organization__name", "organization_id")
    )
