"""Reads about the signed-in person, always scoped to that person."""

from django.db.models import QuerySet

from accounts.models import User
from organizations.models import Membership


def user_has_active_membership(*, user: User) -> bool:
    return user.memberships.filter(disabled_at__isnull=True).exists()


def user_memberships_active(*, user: User) -> QuerySet[Membership]:
    """The person's active memberships in organizations that are not archived, with the organization (one query)."""
    return (
        Membership.objects.filter(user=user, disabled_at__isnull=True, organization__archived_at__isnull=True)
        .select_related("organization")
        .order_by("organization__name", "organization_id")
    )
