"""Signing up from a reserved campaign: a student without an account is found in the school's records first,
then their account is created already linked to that record — in one transaction.

The record is found exactly as when an account links itself (``linking.learner_find``: the same matching, the same
limits, counted here against the student's browser session — their address for the API — and against the
address), and refused when the student already has an account (S51/S52 in this school, S61/S62 elsewhere with the
same INE: they must log in with it). As in ``joining``, every refusal is decided before the first write, recorded
in ``LinkAttempt`` and committed, then raised.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts import services as accounts
from accounts.errors import TermsNotAccepted
from accounts.models import User
from campaigns.errors import (
    CampaignArchived,
    CampaignNotReserved,
    LinkConflict,
    LoginChoiceRequired,
    NoMatchingLearner,
    TooManyAttempts,
)
from campaigns.models import Campaign, LinkAttempt
from campaigns.services import linking
from pixorga.text import name_clean
from students.models import Learner

logger = logging.getLogger(__name__)

_REFUSALS = (NoMatchingLearner, LinkConflict, TooManyAttempts)


def signup_client_key(kind: str, value: str) -> str:
    """A keyed digest of a session key or an address: attempts are counted without storing either."""
    return salted_hmac("campaigns.signup-attempt", f"{kind}:{value}", secret=settings.SECRET_KEY).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class SignupCheck:
    """The record found for the typed details, and the username the student would get (free at this moment)."""

    learner: Learner
    suggested_username: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SignupOutcome:
    user: User
    learner: Learner

    @property
    def login(self) -> str:
        return self.user.login


def _reserved(campaign: Campaign) -> None:
    if campaign.is_archived or campaign.organization.is_archived:
        raise CampaignArchived()
    if not campaign.organization.is_managing_students:
        raise CampaignNotReserved()


def campaign_signup_check(*, campaign: Campaign, first_name: str, last_name: str, birthdate: datetime.date,
                          client: str, address: str = "") -> SignupCheck:
    """Find the record of a student without an account (a CHECKED attempt is recorded; nothing else is stored).

    Raises ``CampaignArchived``, ``CampaignNotReserved``, ``NoMatchingLearner``, ``TooManyAttempts``, S51/S52/S61/S62.
    """
    _reserved(campaign)
    first_name, last_name = name_clean(first_name), name_clean(last_name)
    learner = _decided(campaign=campaign, first_name=first_name, last_name=last_name, birthdate=birthdate,
                       client=client, address=address, create=None)
    suggestion = accounts.username_free_suggest(first_name=learner.first_name, last_name=learner.family_name,
                                                birthdate=learner.birthdate)
    return SignupCheck(learner=learner, suggested_username=suggestion)


def campaign_signup(*, campaign: Campaign, first_name: str, last_name: str, birthdate: datetime.date, password: str,
                    accept_terms: bool, client: str, address: str = "", email: str | None = None,
                    username: bool = False) -> SignupOutcome:
    """Create the account of the student the details designate, linked to their record, in one transaction.

    ``email``: the account logs in with it; ``username=True``: with a username made by the rule from the
    record's names and birthdate (``lena.cote1503``). The account takes the names of the record.

    Raises what ``campaign_signup_check`` raises, ``LoginChoiceRequired``, and the refusals of ``user_create``
    (``InvalidEmail``, ``EmailAlreadyUsed``, ``InvalidPassword``, ``TermsNotAccepted``, ``NameRequired``).
    """
    _reserved(campaign)
    first_name, last_name = name_clean(first_name), name_clean(last_name)
    email = (email or "").strip()
    if bool(email) == bool(username):
        raise LoginChoiceRequired()
    if not accept_terms:
        raise TermsNotAccepted()
    # The account's own rules first (nothing is written, no attempt counted): a weak password is not an attempt.
    if email:
        email = accounts.email_check(email=email)
        accounts.email_check_available(email=email)
    accounts.password_check(password=password or "", email=email, first_name=first_name, last_name=last_name)

    def create(learner: Learner) -> User:
        names = {"first_name": learner.first_name, "last_name": learner.family_name}
        if email:
            return accounts.user_create(email=email, password=password, accept_terms=True, **names)
        return accounts.user_create_with_username(birthdate=learner.birthdate, password=password, accept_terms=True,
                                                  **names)

    outcome = _decided(campaign=campaign, first_name=first_name, last_name=last_name, birthdate=birthdate,
                       client=client, address=address, create=create)
    logger.info("campaign sign-up: campaign=%s user=%s learner=%s", campaign.pk, outcome.user.pk,
                outcome.learner.pk)
    return outcome


def _decided(*, campaign, first_name, last_name, birthdate, client, address, create):
    """The one transaction: limits, matching, the record locked, conflicts; then (``create``) account and link."""
    organization = campaign.organization
    now = timezone.now()
    typed = linking.TypedName.of(first_name=first_name, last_name=last_name)
    with transaction.atomic():
        try:
            linking.attempts_check(organization=organization, now=now, client=client, address=address)
            found = linking.learner_find(organization=organization, first_name=first_name, last_name=last_name,
                                         birthdate=birthdate, typed=typed, now=now)
            # Locked: two sign-ups for one record are decided one after the other (the second one gets S51/S52).
            learner = Learner.objects.select_for_update().get(pk=found.pk)
            linking.signup_conflicts_check(learner=learner, organization=organization)
        except _REFUSALS as error:
            refusal = error
            linking.attempt_record(organization=organization, campaign=campaign, outcome=linking.outcome_for(error),
                                   client=client, address=address, typed=typed)
            logger.info("campaign sign-up refused: campaign=%s code=%s", campaign.pk, error.code)
        else:
            if create is None:
                linking.attempt_record(organization=organization, campaign=campaign,
                                       outcome=LinkAttempt.Outcome.CHECKED, client=client, address=address,
                                       typed=typed)
                return learner
            user = create(learner)
            linking.learner_link(learner=learner, user=user, now=now)
            linking.attempt_record(organization=organization, campaign=campaign, outcome=LinkAttempt.Outcome.SIGNED_UP,
                                   user=user, client=client, address=address, typed=typed)
            return SignupOutcome(user=user, learner=learner)
    raise refusal
