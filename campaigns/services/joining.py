"""A student joins a campaign: the one path of the student pages and of the API.

``campaign_join`` runs in one transaction that first locks the account's row: a double click, or two tabs, are
decided one after the other (one participation), and failed attempts are counted without a race. Every refusal
(no match, a conflict, too many attempts) is decided before the first write, then recorded in ``LinkAttempt`` and
committed before it is raised: the normal path needs no savepoint (each one costs two round trips, and a whole
school joins at once). A write that a concurrent transaction makes impossible (the import pre-linking the account
to another learner of the school meanwhile) rolls the whole attempt back; it is then run once more, and reads
what the other transaction committed.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from campaigns.errors import (
    AccountLinkedToOtherLearner,
    CampaignArchived,
    ExternalIdRequired,
    LearnerDetailsRequired,
    LinkConflict,
    NoMatchingLearner,
    TooManyAttempts,
)
from campaigns.models import Campaign, LinkAttempt, Participation
from students.obfuscation import login_obfuscate
from campaigns.services import linking
from campaigns.services.participations import participation_can_start_again
from organizations.selectors import organization_for_member
from pixorga.text import name_clean
from students.models import Learner

logger = logging.getLogger(__name__)

_REFUSALS = (NoMatchingLearner, LinkConflict, TooManyAttempts)


@dataclass(frozen=True, slots=True, kw_only=True)
class JoinOutcome:
    """``participation`` is None for a check (``confirm=False``); ``learner`` is None for a non-reserved campaign.

    ``link``: ``"LINKED"`` (typed details), ``"AUTO_LINKED"`` (same INE elsewhere), ``"ALREADY"`` (linked before in
    this school) or ``""`` (no learner involved).
    """

    participation: Participation | None
    learner: Learner | None
    created: bool = False
    link: str = ""


def campaign_is_reserved(campaign: Campaign) -> bool:
    """A campaign of an organization that manages students is reserved to them."""
    return campaign.organization.is_managing_students


def campaign_join(
    *,
    campaign: Campaign,
    user: User,
    first_name: str | None = None,
    last_name: str | None = None,
    birthdate: datetime.date | None = None,
    confirm: bool,
    external_id: str = "",
    preview: bool = False,
) -> JoinOutcome:
    """Join ``campaign`` as ``user``.

    - ``preview=True``: a member of the organization tries the campaign as a student would (no learner, never
      counted); anyone else gets Http404.
    - Not reserved: the participation starts (``confirm=False`` only says nothing is needed).
    - Reserved: the account's learner in this school, else the learner of another school's link with the same
      INE (automatic link), else the learner the typed details designate. ``confirm=False`` records a CHECKED
      attempt and stores nothing else; ``confirm=True`` links and starts the participation.

    Raises ``CampaignArchived``, ``LearnerDetailsRequired`` (no automatic link and nothing typed),
    ``NoMatchingLearner``, the ``LinkConflict`` R-codes, ``TooManyAttempts``, ``ExternalIdRequired``.
    """
    if campaign.is_archived or campaign.organization.is_archived:
        raise CampaignArchived()
    if preview:
        return _preview_start(campaign=campaign, user=user)
    external_id = (external_id or "").strip()
    first_name = name_clean(first_name) if first_name is not None else None
    last_name = name_clean(last_name) if last_name is not None else None
    details = {"first_name": first_name, "last_name": last_name, "birthdate": birthdate, "confirm": confirm,
               "external_id": external_id}
    try:
        return _join_once(campaign=campaign, user=user, **details)
    except IntegrityError:
        logger.info("campaign join: a concurrent write won, trying again: campaign=%s user=%s", campaign.pk, user.pk)
    return _join_once(campaign=campaign, user=user, **details)


def _join_once(*, campaign, user, first_name, last_name, birthdate, confirm, external_id) -> JoinOutcome:
    organization = campaign.organization
    with transaction.atomic():
        linking.user_lock(user)
        if not organization.is_managing_students:
            if not confirm:
                return JoinOutcome(participation=None, learner=None)
            participation, created = _participation_start(campaign=campaign, user=user, learner=None,
                                                          external_id=external_id)
            return JoinOutcome(participation=participation, learner=None, created=created)
        typed_name = linking.TypedName.of(first_name=first_name, last_name=last_name)
        try:
            # Nothing is written before every refusal has been decided: a refusal leaves nothing to roll back.
            return _reserved_join(campaign=campaign, user=user, first_name=first_name, last_name=last_name,
                                  birthdate=birthdate, confirm=confirm, external_id=external_id,
                                  typed_name=typed_name)
        except _REFUSALS as error:
            refusal = error
            linking.attempt_record(user=user, organization=organization, campaign=campaign,
                                   outcome=linking.outcome_for(error), typed=typed_name)
            logger.info("campaign join refused: campaign=%s user=%s code=%s", campaign.pk, user.pk, error.code)
    raise refusal


def _reserved_join(*, campaign, user, first_name, last_name, birthdate, confirm, external_id,
                   typed_name=None) -> JoinOutcome:
    organization = campaign.organization
    now = timezone.now()
    typed = bool(first_name and last_name and birthdate)
    links = linking.learner_links_of(user=user)
    learner = next((link for link in links if link.organization_id == organization.pk), None)
    if learner is not None:
        link = "ALREADY"
        if typed:
            # Details typed by an account that already has its learner here: they must not designate another one.
            linking.attempts_check(user=user, organization=organization, now=now)
            try:
                found = linking.learner_find(organization=organization, first_name=first_name,
                                             last_name=last_name, birthdate=birthdate)
            except NoMatchingLearner:
                found = learner
            if found.pk != learner.pk:
                raise AccountLinkedToOtherLearner(login=login_obfuscate(linking.user_login(user)))
        if not learner.is_active:
            raise NoMatchingLearner()  # left the school: the campaign is reserved to its current students
    else:
        learner = linking.learner_auto_link_candidate(organization=organization, links=links)
        link = "AUTO_LINKED"
        if learner is None:
            if not typed:
                raise LearnerDetailsRequired()
            link = "LINKED"
            linking.attempts_check(user=user, organization=organization, now=now)
            learner = linking.learner_find(organization=organization, first_name=first_name, last_name=last_name,
                                           birthdate=birthdate, typed=typed_name, now=now)
            linking.conflicts_check(learner=learner, user=user, organization=organization, links=links)

    if not confirm:
        if link == "LINKED":
            linking.attempt_record(user=user, organization=organization, campaign=campaign,
                                   outcome=LinkAttempt.Outcome.CHECKED, typed=typed_name)
        return JoinOutcome(participation=None, learner=learner, link=link)

    if link != "ALREADY":
        linking.learner_link(learner=learner, user=user, now=now)
        linking.attempt_record(user=user, organization=organization, campaign=campaign, outcome=link,
                               typed=typed_name if link == "LINKED" else None)
    participation, created = _participation_start(campaign=campaign, user=user, learner=learner,
                                                  external_id=external_id)
    return JoinOutcome(participation=participation, learner=learner, created=created, link=link)


def _initial_status(campaign: Campaign) -> str:
    if campaign.type == Campaign.Type.PROFILES_COLLECTION:
        return Participation.Status.TO_SHARE
    return Participation.Status.STARTED


def _participation_start(*, campaign: Campaign, user: User, learner: Learner | None, external_id: str,
                         preview: bool = False) -> tuple[Participation, bool]:
    """The account's current participation, or a new one (after a shared one, with multiple sendings).

    The caller holds the account's row lock. One read finds both the account's current participation and the
    learner's: the learner may have taken part with another account before an admin unlinked it (« Dissocier »);
    that one stays as history and the linked account's becomes the current one. The partial unique constraints
    stay the last word (an IntegrityError makes ``campaign_join`` run again).
    """
    wanted = Q(user=user) | Q(learner=learner) if learner is not None else Q(user=user)
    current = None
    stale = []
    for row in Participation.objects.filter(wanted, campaign=campaign, is_current=True):
        if row.user_id == user.pk:
            current = row
        else:
            stale.append(row.pk)
    if current is not None:
        current.campaign = campaign
        if not participation_can_start_again(current):
            return current, False
        stale.append(current.pk)
    if campaign.external_id_label and not external_id and not preview:
        raise ExternalIdRequired(f"Remplissez le champ « {campaign.external_id_label} » pour commencer.")
    if stale:
        Participation.objects.filter(pk__in=stale).update(is_current=False)
    participation = Participation.objects.create(
        campaign=campaign, user=user, learner=learner, external_id=external_id[:255],
        status=_initial_status(campaign), is_preview=preview,
    )
    logger.info("participation started: campaign=%s participation=%s", campaign.pk, participation.pk)
    return participation, True


def _preview_start(*, campaign: Campaign, user: User) -> JoinOutcome:
    organization_for_member(user=user, organization_id=campaign.organization_id)  # Http404 for outsiders
    with transaction.atomic():
        linking.user_lock(user)
        participation, created = _participation_start(campaign=campaign, user=user, learner=None, external_id="",
                                                      preview=True)
    return JoinOutcome(participation=participation, learner=None, created=created)
