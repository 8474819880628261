"""A student's participations: sending ("J'envoie mon profil")."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from campaigns.errors import (
    CampaignArchived,
    ParticipationAlreadyShared,
    ParticipationNotFound,
    ParticipationNotShareable,
)
from campaigns.models import Participation

logger = logging.getLogger(__name__)


def participation_for_owner(*, user: User, participation_id: int) -> Participation:
    """The user's own participation; ``ParticipationNotFound`` (404) for anyone else's."""
    participation = (
        Participation.objects.select_related("campaign__organization", "learner")
        .filter(pk=participation_id, user=user).first()
    )
    if participation is None:
        raise ParticipationNotFound()
    return participation


@transaction.atomic
def participation_share(*, participation_id: int, user: User) -> Participation:
    """TO_SHARE → SHARED with ``shared_at`` (owner only). A conditional UPDATE: a double click shares once."""
    participation = participation_for_owner(user=user, participation_id=participation_id)
    if participation.status == Participation.Status.SHARED:
        raise ParticipationAlreadyShared()
    if participation.status != Participation.Status.TO_SHARE or not participation.is_current:
        raise ParticipationNotShareable()
    if participation.campaign.is_archived:
        raise CampaignArchived()
    now = timezone.now()
    shared = Participation.objects.filter(pk=participation.pk, status=Participation.Status.TO_SHARE).update(
        status=Participation.Status.SHARED, shared_at=now
    )
    if not shared:
        raise ParticipationAlreadyShared()
    participation.status, participation.shared_at = Participation.Status.SHARED, now
    logger.info("participation shared: participation=%s", participation.pk)
    return participation
