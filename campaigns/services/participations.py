"""A student's participations: reading one's own, and when a new one may start (multiple sendings).

Sending (« J'envoie mon profil », « Voir mes résultats ») takes a snapshot of the student's knowledge: it lives with
the assessment (``assessments.services.sharing``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from campaigns.errors import ParticipationNotFound
from campaigns.models import Campaign, Participation


def participation_for_owner(*, user: User, participation_id: int) -> Participation:
    """The user's own participation; ``ParticipationNotFound`` (404) for anyone else's."""
    participation = (
        Participation.objects.select_related("campaign__organization", "campaign__target_profile", "learner")
        .filter(pk=participation_id, user=user).first()
    )
    if participation is None:
        raise ParticipationNotFound()
    return participation


def participation_retry_at(participation: Participation) -> datetime.datetime | None:
    """When an assessment's results sent may be followed by a new attempt (« Repasser mon parcours »)."""
    if participation.shared_at is None:
        return None
    return participation.shared_at + datetime.timedelta(days=settings.CAMPAIGN_RETRY_DAYS)


def participation_can_start_again(participation: Participation, *, now: datetime.datetime | None = None) -> bool:
    """A sent participation may be followed by a new one: with multiple sendings, a profile at any time; an
    assessment below 100 %, CAMPAIGN_RETRY_DAYS after it was sent."""
    campaign = participation.campaign
    if not (campaign.multiple_sendings and participation.is_current
            and participation.status == Participation.Status.SHARED and not campaign.is_archived):
        return False
    if campaign.type == Campaign.Type.PROFILES_COLLECTION:
        return True
    return (participation.mastery_rate or 0) < 1 and participation_retry_at(participation) <= (now or timezone.now())
