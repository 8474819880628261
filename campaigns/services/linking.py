"""Linking an account to its school record (a SIECLE learner): finding it, the refusals, the link itself.

Called by ``campaigns.services.joining`` inside its transaction, after the account's row is locked: one account's
attempts are therefore counted and decided one at a time, on every database. ``campaigns.services.signup`` uses
the same finding, limits and link for a student who has no account yet (the attempts then counted against their
browser session, or address).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import User
from campaigns.errors import (
    AccountOfSomeoneElse,
    IneHasAccountElsewhere,
    IneLinkedToOtherAccount,
    LearnerHasAccount,
    LearnerLinkedToOtherAccount,
    NoMatchingLearner,
    TooManyAttempts,
)
from campaigns.matching import learner_match, name_normalize
from campaigns.models import LinkAttempt
from students.obfuscation import login_obfuscate
from organizations.models import Organization
from pixorga.ratelimit import rates, retry_at, retry_message
from students.models import Learner, LearnerLinkEvent

FAILED_OUTCOMES = frozenset({
    LinkAttempt.Outcome.NO_MATCH, LinkAttempt.Outcome.R11, LinkAttempt.Outcome.R12, LinkAttempt.Outcome.R31,
    LinkAttempt.Outcome.R32, LinkAttempt.Outcome.R70, LinkAttempt.Outcome.R90, LinkAttempt.Outcome.S51,
    LinkAttempt.Outcome.S52, LinkAttempt.Outcome.S61, LinkAttempt.Outcome.S62,
})
_MATCH_FIELDS = ("id", "organization_id", "ine", "birthdate", "first_name", "second_first_name", "third_first_name",
                 "family_name", "usage_name", "user_id", "disabled_at")


def user_login(user: User) -> str:
    """The login a person types: the e-mail, or a username for accounts without one."""
    return user.login


def user_lock(user: User) -> None:
    """Serialise this account's joins (double clicks, attempt counting): lock its row until the transaction ends.

    ``FOR NO KEY UPDATE`` on PostgreSQL: two joins of the account still wait for each other, but a transaction
    that only references the account (an import pre-linking a learner to it checks its foreign key when it
    commits) is not blocked — with ``FOR UPDATE`` that transaction and a join waiting on it would deadlock.
    """
    no_key = connection.features.has_select_for_no_key_update
    User.objects.select_for_update(no_key=no_key).filter(pk=user.pk).values_list("pk", flat=True).get()


def attempts_check(*, organization: Organization, now: datetime.datetime, user: User | None = None,
                   client: str = "", address: str = "") -> None:
    """``TooManyAttempts`` once the account (or, without one, the client and its address) has used up its failed
    attempts in this school.

    One indexed query (user, organization, created_at), read after the account's row was locked: two attempts of
    the same account cannot both pass the count. Without an account: one query for the client, one for the address.
    """
    if user is not None:
        allowed_at = _retry_at(LinkAttempt.objects.filter(user=user), organization, now,
                               rates("LIMIT_LINK_FAILURES_ACCOUNT"))
    else:
        allowed_at = max(filter(None, [
            _retry_at(LinkAttempt.objects.filter(client=client), organization, now,
                      rates("LIMIT_LINK_FAILURES_ACCOUNT")),
            _retry_at(LinkAttempt.objects.filter(address=address), organization, now,
                      rates("LIMIT_LINK_FAILURES_ADDRESS"))
            if address else None,
        ]), default=None)
    if allowed_at is not None:
        raise TooManyAttempts(retry_message((allowed_at - now).total_seconds()))


def _retry_at(attempts, organization, now, rate_list) -> datetime.datetime | None:
    longest = max(rate.window for rate in rate_list)
    failures = list(
        attempts.filter(organization=organization, outcome__in=FAILED_OUTCOMES, created_at__gt=now - longest)
        .order_by("-created_at").values_list("created_at", flat=True)[:max(rate.limit for rate in rate_list)]
    )
    return retry_at(failures, rate_list, now)


@dataclass(slots=True)
class TypedName:
    """Who the typed names designate, whatever the account or address: a keyed digest of the normalised names
    (never the names themselves), and the school's learner they match once known."""

    key: str
    learner_id: int | None = None

    @classmethod
    def of(cls, *, first_name: str | None, last_name: str | None) -> TypedName | None:
        typed = f"{name_normalize(first_name)}:{name_normalize(last_name)}"
        if typed == ":":
            return None
        digest = salted_hmac("campaigns.link-name", typed, secret=settings.SECRET_KEY, algorithm="sha256")
        return cls(digest.hexdigest())


def _serialise(key: str) -> None:
    """Attempts on one name (or one learner) decided one at a time, whatever the accounts: a PostgreSQL advisory
    lock until the transaction ends (SQLite writes one transaction at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"pixorga:link:{key}"])


def _name_check(*, organization: Organization, now: datetime.datetime, typed: TypedName) -> None:
    """``TooManyAttempts`` once this name, or the learner it designates, has had its failures in this school.

    One lock (the learner, else the name) and one indexed query: a whole school joins at once, each one counts.
    """
    _serialise(f"learner:{typed.learner_id}" if typed.learner_id else f"name:{organization.pk}:{typed.key}")
    who = Q(name_key=typed.key) | Q(learner_id=typed.learner_id) if typed.learner_id else Q(name_key=typed.key)
    allowed_at = _retry_at(LinkAttempt.objects.filter(who), organization, now, rates("LIMIT_LINK_FAILURES_NAME"))
    if allowed_at is not None:
        raise TooManyAttempts(retry_message((allowed_at - now).total_seconds()))


def attempt_record(*, organization: Organization, campaign, outcome: str, user: User | None = None,
                   client: str = "", address: str = "", typed: TypedName | None = None) -> LinkAttempt:
    # Who, when, the outcome, which learner; of the typed names only a keyed digest, never the birthdate.
    return LinkAttempt.objects.create(user=user, client=client, address=address, organization=organization,
                                      campaign=campaign, outcome=outcome, name_key=typed.key if typed else "",
                                      learner_id=typed.learner_id if typed else None)


def learner_find(*, organization: Organization, first_name: str, last_name: str, birthdate: datetime.date,
                 typed: TypedName | None = None, now: datetime.datetime | None = None) -> Learner:
    """The organization's active learner the student is: ONE query on (organization, birthdate), then the matching.

    ``NoMatchingLearner`` (the same message whatever failed) when no candidate, or several, fit. With ``typed``,
    failures are also limited per school and typed name, and per learner the name designates whatever the
    birthdate (``LIMIT_LINK_FAILURES_NAME``, whatever the account or address): past it, ``TooManyAttempts`` — for
    the right birthdate too, so trying birthdates one account after another finds nothing.
    """
    now = now or timezone.now()
    candidates = list(
        Learner.objects.filter(organization=organization, birthdate=birthdate, disabled_at__isnull=True)
        .only(*_MATCH_FIELDS)
    )
    result = learner_match(first_name=first_name, last_name=last_name, candidates=candidates)
    if typed is None:
        if not result.is_match:
            raise NoMatchingLearner()
        return result.matched
    if result.is_match:
        typed.learner_id = result.matched.pk
    else:
        # The learner the names designate, born on another day (a spelling variant still designates them).
        named = learner_match(first_name=first_name, last_name=last_name, candidates=list(
            Learner.objects.filter(organization=organization, disabled_at__isnull=True).only(*_MATCH_FIELDS)))
        typed.learner_id = named.matched.pk if named.is_match else None
    _name_check(organization=organization, now=now, typed=typed)
    if not result.is_match:
        raise NoMatchingLearner()
    return result.matched


def learner_links_of(*, user: User) -> list[Learner]:
    """Every learner the account is linked to (one per school at most): one query, reused by every rule below."""
    return list(Learner.objects.filter(user=user).only(*_MATCH_FIELDS))


def learner_auto_link_candidate(*, organization: Organization, links: list[Learner]) -> Learner | None:
    """A free active learner of this school with the INE of a learner the account is linked to elsewhere."""
    other_ines = [link.ine for link in links if link.organization_id != organization.pk]
    if not other_ines:
        return None  # no link elsewhere: no query
    return (
        Learner.objects.filter(organization=organization, disabled_at__isnull=True, user__isnull=True,
                               ine__in=other_ines)
        .only(*_MATCH_FIELDS).order_by("pk").first()
    )


def _linked_to_other_account(learner: Learner, other: User) -> LearnerLinkedToOtherAccount:
    login = user_login(other)
    return LearnerLinkedToOtherAccount(first_name=learner.first_name, last_name=learner.family_name,
                                       login=login_obfuscate(login), by_email=bool(other.email))


def conflicts_check(*, learner: Learner, user: User, organization: Organization, links: list[Learner]) -> None:
    """Refuse a link Pix would refuse (R31/R32, then R11/R12, then R90). R70 is decided by the caller."""
    if learner.user_id is not None and learner.user_id != user.pk:
        raise _linked_to_other_account(learner, User.objects.get(pk=learner.user_id))
    # Only the other account's id: building this query with its user's columns cost more than running it.
    elsewhere = (
        Learner.objects.filter(ine=learner.ine, user__isnull=False)
        .exclude(organization=organization).exclude(user=user).values_list("user_id", flat=True).first()
    )
    if elsewhere is not None:
        other = User.objects.get(pk=elsewhere)
        raise IneLinkedToOtherAccount(login=login_obfuscate(user_login(other)), by_email=bool(other.email))
    if links and all(link.ine != learner.ine and link.birthdate != learner.birthdate for link in links):
        raise AccountOfSomeoneElse(login=login_obfuscate(user_login(user)))


def signup_conflicts_check(*, learner: Learner, organization: Organization) -> None:
    """Someone without an account found their record: refuse when they already have one (S51/S52, then S61/S62).

    The caller has locked the learner's row: two sign-ups for the same record are decided one after the other.
    """
    if learner.user_id is not None:
        other = User.objects.get(pk=learner.user_id)
        raise LearnerHasAccount(login=login_obfuscate(user_login(other)), by_email=bool(other.email))
    elsewhere = (
        Learner.objects.filter(ine=learner.ine, user__isnull=False)
        .exclude(organization=organization).values_list("user_id", flat=True).first()
    )
    if elsewhere is not None:
        other = User.objects.get(pk=elsewhere)
        raise IneHasAccountElsewhere(login=login_obfuscate(user_login(other)), by_email=bool(other.email))


def learner_link(*, learner: Learner, user: User, now: datetime.datetime | None = None) -> None:
    """Link ``learner`` to ``user``: a conditional UPDATE, the database deciding races.

    - another account linked it first (the UPDATE finds ``user`` no longer NULL) → R31/R32;
    - this account was linked to another learner of the school meanwhile by a transaction that did not hold its
      lock (an import pre-linking it): ``learner_one_per_user`` raises IntegrityError, the caller's transaction is
      lost and ``campaign_join`` runs again, to find that link and answer R70.
    """
    now = now or timezone.now()
    updated = Learner.objects.filter(pk=learner.pk, user__isnull=True).update(user=user, linked_at=now,
                                                                             updated_at=now)
    if not updated:
        current = Learner.objects.select_related("user").get(pk=learner.pk)
        if current.user_id == user.pk:
            return
        raise _linked_to_other_account(current, current.user)
    learner.user, learner.user_id, learner.linked_at = user, user.pk, now
    LearnerLinkEvent.objects.create(learner=learner, user=user, action=LearnerLinkEvent.Action.LINKED, by=user)


def outcome_for(error: Exception) -> str:
    """The ``LinkAttempt`` outcome recorded for a refusal."""
    if isinstance(error, TooManyAttempts):
        return LinkAttempt.Outcome.RATE_LIMITED
    if isinstance(error, NoMatchingLearner):
        return LinkAttempt.Outcome.NO_MATCH
    return LinkAttempt.Outcome(error.code)
