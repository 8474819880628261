"""« Gérer le compte » on « Élèves »: a school gives its students' accounts a username and one-time passwords.

Any member may do it (teachers need it in front of a class), for the school's own active, linked students only
(404 otherwise). An account linked to students of two schools may be managed by either, but only for its
username and one-time password: nothing here reads or changes anything else of the account. Every action is
recorded (``LearnerAccountEvent``: who, which student, when — never the password); a password is returned in
clear once, to be shown or put in the downloaded file, and only its hash is stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts import services as accounts
from accounts.models import User
from organizations.models import Organization
from organizations.selectors import membership_get_active
from pixorga.errors import Conflict, DomainError
from students.models import Learner, LearnerAccountEvent
from pixorga.collation import LEARNER_NAMES, french_ordering

logger = logging.getLogger(__name__)


class AccountAlreadyHasUsername(Conflict):
    code = "USERNAME_ALREADY_SET"
    default_message = "Ce compte a déjà un identifiant. Pour un nouveau mot de passe, utilisez « Réinitialiser le mot de passe »."


class AccountWithoutUsername(Conflict):
    code = "ACCOUNT_WITHOUT_USERNAME"
    default_message = (
        "Ce compte se connecte avec son adresse e-mail : l'élève réinitialise lui-même son mot de passe avec "
        "« Mot de passe oublié ? » sur la page de connexion. Vous pouvez aussi lui ajouter un identifiant."
    )


class NoLearnersChosen(DomainError):
    code = "NO_LEARNERS_CHOSEN"
    default_message = "Choisissez des élèves, ou une classe."


@dataclass(frozen=True, slots=True)
class PasswordRow:
    """One line of the file given to the teacher."""

    division: str
    family_name: str
    first_name: str
    username: str
    password: str


@dataclass(frozen=True, slots=True)
class PasswordsReset:
    rows: list[PasswordRow]
    skipped: list[Learner]  # without a linked account: nothing to reset


def _member_check(*, organization: Organization, by: User) -> None:
    if membership_get_active(user=by, organization=organization) is None:
        raise Http404


def _linked_learners(organization: Organization):
    return Learner.objects.filter(organization=organization, disabled_at__isnull=True, user__isnull=False)


def learner_with_account(*, organization: Organization, learner_id: int, lock: bool = False) -> Learner:
    """An active learner of the school with its linked account; Http404 for any other id (or no account)."""
    learners = _linked_learners(organization).select_related("user")
    if lock:
        learners = learners.select_for_update(of=("self", "user"))
    learner = learners.filter(pk=learner_id).first()
    if learner is None:
        raise Http404
    return learner


def _record(*, organization, learners: list[Learner], action: str, by: User) -> None:
    now = timezone.now()
    LearnerAccountEvent.objects.bulk_create([
        LearnerAccountEvent(organization=organization, learner=learner, user_id=learner.user_id, action=action,
                            by=by, created_at=now)
        for learner in learners
    ])


@transaction.atomic
def learner_username_add(*, organization: Organization, learner_id: int, by: User) -> tuple[str, str]:
    """« Ajouter l'identifiant »: a username by the rule and a one-time password; ``(username, password)``."""
    _member_check(organization=organization, by=by)
    learner = learner_with_account(organization=organization, learner_id=learner_id, lock=True)
    user = learner.user
    if user.username:
        raise AccountAlreadyHasUsername()
    username = accounts.user_username_add(user=user, first_name=learner.first_name, last_name=learner.family_name,
                                          birthdate=learner.birthdate)
    password = accounts.user_one_time_password_set(user=user)
    _record(organization=organization, learners=[learner], action=LearnerAccountEvent.Action.USERNAME_ADDED, by=by)
    logger.info("username added by a school: organization=%s learner=%s by=%s", organization.pk, learner.pk, by.pk)
    return username, password


@transaction.atomic
def learner_password_reset(*, organization: Organization, learner_id: int, by: User) -> str:
    """« Réinitialiser le mot de passe »: a new one-time password, for accounts that log in with a username."""
    _member_check(organization=organization, by=by)
    learner = learner_with_account(organization=organization, learner_id=learner_id, lock=True)
    if not learner.user.username:
        raise AccountWithoutUsername()
    password = accounts.user_one_time_password_set(user=learner.user)
    _record(organization=organization, learners=[learner], action=LearnerAccountEvent.Action.PASSWORD_RESET, by=by)
    logger.info("password reset by a school: organization=%s learner=%s by=%s", organization.pk, learner.pk, by.pk)
    return password


def learners_for_reset(*, organization: Organization, learner_ids: list[int] | None = None,
                       division: str | None = None) -> list[Learner]:
    """The active learners chosen (by ids, or a whole class), with their accounts, in the file's order."""
    if not learner_ids and not division:
        raise NoLearnersChosen()
    learners = Learner.objects.filter(organization=organization, disabled_at__isnull=True)
    learners = learners.filter(pk__in=learner_ids) if learner_ids else learners.filter(division=division)
    return list(learners.select_related("user").order_by(*french_ordering("division", "family_name", "first_name", "pk", names=LEARNER_NAMES)))


@transaction.atomic
def learners_passwords_reset(*, organization: Organization, by: User, learner_ids: list[int] | None = None,
                             division: str | None = None) -> PasswordsReset:
    """« Réinitialiser les mots de passe » for several students or a whole class, in one transaction.

    Usernames are generated where missing, then every linked account gets a one-time password. The number of
    queries does not grow with the number of students (one read, one lock, a few username look-ups, then bulk
    writes — batched only by SQLite's limit on query parameters). Ids of other schools are ignored as unknown.
    """
    _member_check(organization=organization, by=by)
    learners = learners_for_reset(organization=organization, learner_ids=learner_ids, division=division)
    linked = [learner for learner in learners if learner.user_id]
    skipped = [learner for learner in learners if not learner.user_id]
    if linked:
        # The accounts' rows, locked: a sign-up or another reset of the same accounts waits for this one.
        users = {user.pk: user for user in
                 User.objects.select_for_update().filter(pk__in=[learner.user_id for learner in linked])}
        for learner in linked:
            learner.user = users[learner.user_id]
        added = accounts.users_usernames_add(people=[
            (learner.user, learner.first_name, learner.family_name, learner.birthdate) for learner in linked
        ])
        passwords = accounts.users_one_time_passwords_set(users=list(users.values()))
        _record(organization=organization, learners=[learner for learner in linked if learner.user_id in added],
                action=LearnerAccountEvent.Action.USERNAME_ADDED, by=by)
        _record(organization=organization, learners=linked, action=LearnerAccountEvent.Action.PASSWORD_RESET, by=by)
    else:
        passwords = {}
    rows = [PasswordRow(learner.division, learner.family_name, learner.first_name, learner.user.username,
                        passwords[learner.user_id]) for learner in linked]
    logger.info("passwords reset by a school: organization=%s count=%s skipped=%s by=%s", organization.pk,
                len(rows), len(skipped), by.pk)
    return PasswordsReset(rows=rows, skipped=skipped)
