"""Reads of campaigns for the organization side, always scoped by the acting user's memberships."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import User
from campaigns.codes import campaign_code_is_well_formed, campaign_code_normalize
from campaigns.errors import CampaignNotFound
from campaigns.models import Campaign
from organizations.models import Membership, Organization
from organizations.selectors import membership_get_active
from pixorga.collation import USER_NAMES, french_ordering


def _with_participants_count(queryset: QuerySet[Campaign]) -> QuerySet[Campaign]:
    # Previews and earlier sendings never count: a teacher testing the campaign is not a participant.
    return queryset.annotate(
        participants_count=Count(
            "participations",
            filter=Q(participations__is_preview=False, participations__is_current=True),
            distinct=True,
        )
    )


def campaign_for_member(*, user: User, campaign_id: int) -> Campaign:
    """A campaign of a live organization the user is an active member of; Http404 for anyone else."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    campaign = (
        Campaign.objects.select_related("organization", "owner", "target_profile")
        .filter(
            pk=campaign_id,
            organization__archived_at__isnull=True,
            organization__memberships__user=user,
            organization__memberships__disabled_at__isnull=True,
        )
        .first()
    )
    if campaign is None:
        raise Http404
    return campaign


def campaign_can_edit(*, user: User, campaign: Campaign) -> bool:
    """An ADMIN of the campaign's organization or its owner (still an active member) may edit and archive it."""
    membership = membership_get_active(user=user, organization=campaign.organization)
    if membership is None:
        return False
    return membership.is_admin or campaign.owner_id == user.pk


def campaign_get_by_code(*, code: str) -> Campaign:
    """The campaign a student's typed code designates (``"qwe-rty 234"`` finds ``QWERTY234``).

    Raises ``CampaignNotFound`` when the code is malformed or unknown, or its organization is closed (archived);
    archived campaigns are returned (the caller decides: joining refuses them with ``CampaignArchived``).
    """
    normalized = campaign_code_normalize(code or "")
    if not campaign_code_is_well_formed(normalized):
        raise CampaignNotFound()
    campaign = (
        Campaign.objects.select_related("organization", "target_profile")
        .filter(code=normalized, organization__archived_at__isnull=True)
        .first()
    )
    if campaign is None:
        raise CampaignNotFound()
    return campaign


def campaign_list(
    *,
    organization: Organization,
    owner_id: int | None = None,
    archived: bool | None = False,
    search: str = "",
) -> QuerySet[Campaign]:
    """The organization's campaigns, newest first, each with ``participants_count`` (one query).

    ``archived``: False → live campaigns only (the default), True → archived only, None → all.
    """
    queryset = Campaign.objects.filter(organization=organization).select_related("owner", "target_profile")
    if owner_id is not None:
        queryset = queryset.filter(owner_id=owner_id)
    if archived is True:
        queryset = queryset.filter(archived_at__isnull=False)
    elif archived is False:
        queryset = queryset.filter(archived_at__isnull=True)
    search = (search or "").strip()
    if search:
        queryset = queryset.filter(name__icontains=search)
    return _with_participants_count(queryset).order_by("-created_at", "-pk")


def campaign_get_with_count(*, campaign: Campaign) -> Campaign:
    """The same campaign re-read with ``participants_count`` (for detail outputs)."""
    return _with_participants_count(
        Campaign.objects.select_related("organization", "owner", "target_profile").filter(pk=campaign.pk)
    ).get()


def campaign_owner_choices(*, organization: Organization) -> QuerySet[User]:
    """Who may own a campaign of this organization: its active members, sorted by name."""
    return (
        User.objects.filter(
            memberships__organization=organization,
            memberships__disabled_at__isnull=True,
        )
        .order_by(*french_ordering("last_name", "first_name", "pk", names=USER_NAMES))
        .distinct()
    )


def campaign_owner_is_member(*, organization: Organization, user_id: int) -> bool:
    return Membership.objects.active().filter(organization=organization, user_id=user_id).exists()
