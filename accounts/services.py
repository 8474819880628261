"""Every write on accounts: sign-up, usernames, Pix Orga terms, passwords (one-time ones too), API keys.

The sign-up page, the API, and the invitation join page all create users through ``user_create``; a student
signing up from a campaign with « Mon identifiant » through ``user_create_with_username``.
"""

import datetime
import logging
import os
import secrets
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.errors import (
    ApiTokenNotFound,
    EmailAlreadyUsed,
    InvalidEmail,
    InvalidPassword,
    NameRequired,
    TermsNotAccepted,
)
from accounts.hashers import ONE_TIME_PASSWORD_HASHER
from accounts.models import ApiToken, PendingPasswordResetEmail, User, normalize_email
from accounts.one_time_passwords import one_time_password_generate
from accounts.usernames import usernames_assign
from pixorga.queueing import task_enqueue, task_enqueue_on_commit
from pixorga.text import name_clean
from pixorga.tokens import token_digest, token_generate

logger = logging.getLogger(__name__)


# --- Rules, shared by the forms (early, per-field feedback) and the writes below (the guarantee) ---------------------

def email_check(*, email: str) -> str:
    """Return the normalized e-mail, or raise ``InvalidEmail``."""
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidEmail() from None
    if len(email) > User._meta.get_field("email").max_length:
        raise InvalidEmail()
    return email


def email_check_available(*, email: str) -> None:
    if User.objects.filter(email=normalize_email(email)).exists():
        raise EmailAlreadyUsed()


def password_check(*, password: str, email: str = "", first_name: str = "", last_name: str = "",
                   username: str = "") -> None:
    """Django's validators (length, similarity to the login and names, common passwords) and Pix's own rule."""
    candidate = User(email=normalize_email(email), username=username, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise InvalidPassword(error.messages) from None


# --- Users ------------------------------------------------------------------------------------------------------------

@transaction.atomic
def user_create(*, email: str, password: str, first_name: str, last_name: str, accept_terms: bool,
                accept_pix_orga_terms: bool = False) -> User:
    """Create an account; the person accepted Pix's terms of use, and Pix Orga's when a team member signs up
    (``accept_pix_orga_terms``: the sign-up form linked them, so the terms page does not ask again)."""
    email = email_check(email=email)
    first_name, last_name = _names_check(first_name, last_name)
    if not accept_terms:
        raise TermsNotAccepted()
    email_check_available(email=email)
    password_check(password=password or "", email=email, first_name=first_name, last_name=last_name)

    now = timezone.now()
    user = User(email=email, first_name=first_name, last_name=last_name, terms_accepted_at=now)
    if accept_pix_orga_terms:
        user.pix_orga_terms_version, user.pix_orga_terms_accepted_at = settings.PIX_ORGA_TERMS_VERSION, now
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same e-mail signed up a moment ago (case-insensitive unique constraint)
        raise EmailAlreadyUsed() from None
    logger.info("user created id=%s", user.pk)
    return user


def _names_check(first_name: str, last_name: str) -> tuple[str, str]:
    # Zero-width and bidirectional control characters never reach an account's name (pixorga.text).
    first_name, last_name = name_clean(first_name), name_clean(last_name)
    if not first_name or not last_name:
        raise NameRequired()
    return first_name, last_name


# --- Usernames --------------------------------------------------------------------------------------------------------

_random = secrets.SystemRandom()
USERNAME_INSERT_ATTEMPTS = 20


def usernames_taken(candidates: set[str]) -> set[str]:
    """Which of these usernames already belong to an account (one query; usernames are stored lower-cased)."""
    if not candidates:
        return set()
    return set(User.objects.filter(username__in=candidates).values_list("username", flat=True))


def username_free_suggest(*, first_name: str, last_name: str, birthdate: datetime.date) -> str:
    """The username the rule would give now (shown before the account is created; it may still change)."""
    return usernames_assign([(0, first_name, last_name, birthdate)], taken=usernames_taken, rng=_random)[0]


def _save_with_free_username(*, user: User, first_name: str, last_name: str, birthdate: datetime.date) -> None:
    """Save ``user`` with the first free username of the rule; retried when another account took it meanwhile.

    The unique index decides: on PostgreSQL a concurrent insert of the same username waits for the other
    transaction, then fails here (in a savepoint) once it commits; the next candidate is tried.
    """
    tried: set[str] = set()
    for _ in range(USERNAME_INSERT_ATTEMPTS):
        username = usernames_assign([(0, first_name, last_name, birthdate)],
                                    taken=lambda candidates: usernames_taken(candidates) | (candidates & tried),
                                    rng=_random)[0]
        user.username = username
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            if not User.objects.filter(username=username).exists():
                raise  # another constraint (the e-mail, say): not ours to retry
            tried.add(username)
            continue
        return
    raise IntegrityError("no free username after several attempts")


@transaction.atomic
def user_create_with_username(*, first_name: str, last_name: str, birthdate: datetime.date, password: str,
                              accept_terms: bool) -> User:
    """An account without e-mail: its username follows the rule (``lena.cote1503``, else 4 random digits)."""
    first_name, last_name = _names_check(first_name, last_name)
    if not accept_terms:
        raise TermsNotAccepted()
    password_check(password=password or "", first_name=first_name, last_name=last_name)
    user = User(first_name=first_name, last_name=last_name, terms_accepted_at=timezone.now())
    user.set_password(password)
    _save_with_free_username(user=user, first_name=first_name, last_name=last_name, birthdate=birthdate)
    logger.info("user created with a username id=%s", user.pk)
    return user


@transaction.atomic
def user_username_add(*, user: User, first_name: str, last_name: str, birthdate: datetime.date) -> str:
    """Give a username to an account that has none (a school's « Ajouter l'identifiant »); returns it."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.username:
        user.username = locked.username
        return locked.username
    _save_with_free_username(user=locked, first_name=first_name, last_name=last_name, birthdate=birthdate)
    user.username = locked.username
    logger.info("username added user=%s", user.pk)
    return locked.username


def users_usernames_add(*, people: list[tuple[User, str, str, datetime.date]]) -> dict[int, str]:
    """A username for each account of ``people`` (``(user, first_name, last_name, birthdate)``) that has none.

    Bulk: one query (nearly always) to find free usernames, one UPDATE for all. The caller holds the transaction and has
    locked the rows; a username taken by a concurrent sign-up between the check and the UPDATE makes it fail
    (IntegrityError), and it is tried once more with fresh candidates.
    """
    wanted = [(user.pk, first, last, birthdate) for user, first, last, birthdate in people if not user.username]
    if not wanted:
        return {}
    by_id = {user.pk: user for user, *_ in people}
    for attempt in (1, 2):
        chosen = usernames_assign(wanted, taken=usernames_taken, rng=_random)
        for user_id, username in chosen.items():
            by_id[user_id].username = username
        try:
            with transaction.atomic():
                # One UPDATE (SQLite alone splits it, by its limit on query parameters).
                User.objects.bulk_update([by_id[user_id] for user_id in chosen], ["username"])
        except IntegrityError:
            if attempt == 2:
                raise
            continue
        logger.info("usernames added count=%s", len(chosen))
        return chosen
    raise AssertionError("unreachable")


@transaction.atomic
def user_accept_pix_orga_terms(*, user: User) -> None:
    user.pix_orga_terms_version = settings.PIX_ORGA_TERMS_VERSION
    user.pix_orga_terms_accepted_at = timezone.now()
    User.objects.filter(pk=user.pk).update(
        pix_orga_terms_version=user.pix_orga_terms_version, pix_orga_terms_accepted_at=user.pix_orga_terms_accepted_at
    )
    logger.info("pix orga terms accepted user=%s version=%s", user.pk, user.pix_orga_terms_version)


# --- Passwords --------------------------------------------------------------------------------------------------------

PASSWORD_RESET_MAX_PER_HOUR = 3


PENDING_RESET_EMAIL_MAX_AGE = datetime.timedelta(hours=24)  # older: the person has asked again or given up


def password_reset_request(*, email: str) -> None:
    """Queue the reset e-mail for this address; say nothing either way (no enumeration).

    The web process only counts the request and queues the address: the worker looks for the account
    (``password_reset_emails_send_for``), so the answer takes the same time whether an account exists or not, the
    broker up or down. An address receives at most a few per hour (the form must not become a way to flood someone's
    inbox). With the broker down, an existing account's e-mail waits in ``PendingPasswordResetEmail`` for the retry
    task; an unknown address leaves no trace.
    """
    email = normalize_email(email)
    key = f"accounts:password-reset:{token_digest(email)}"
    cache.add(key, 0, timeout=3600)
    if cache.incr(key) > PASSWORD_RESET_MAX_PER_HOUR:
        logger.info("password reset request dropped: too many for this address")
        return

    def broker_down() -> None:
        for user_id in User.objects.filter(email=email, is_active=True).values_list("pk", flat=True):
            PendingPasswordResetEmail.objects.update_or_create(user_id=user_id,
                                                               defaults={"requested_at": timezone.now()})
            logger.info("password reset e-mail kept for later user=%s", user_id)

    task_enqueue_on_commit(_tasks().password_reset_emails_for_address_task, email, on_broker_down=broker_down)


def _tasks():
    from accounts import tasks  # as before: accounts.tasks imports this module

    return tasks


def password_reset_emails_send_for(*, email: str) -> None:
    """In the worker: the reset e-mail of each active account with this address (none for an unknown one)."""
    for user_id in User.objects.filter(email=normalize_email(email), is_active=True).values_list("pk", flat=True):
        password_reset_email_send(user_id=user_id)


def password_reset_emails_pending_queue() -> int:
    """Queue again the reset e-mails the broker could not take; returns how many left. Run by the beat every minute.

    A row is deleted only once its e-mail is queued; rows older than a day are dropped (a stale request).
    """
    PendingPasswordResetEmail.objects.filter(requested_at__lt=timezone.now() - PENDING_RESET_EMAIL_MAX_AGE).delete()
    queued = 0
    for pending in PendingPasswordResetEmail.objects.order_by("requested_at"):
        if not task_enqueue(_tasks().password_reset_email_send_task, pending.user_id, on_broker_down=lambda: None):
            break  # still down: the next run tries again
        PendingPasswordResetEmail.objects.filter(pk=pending.pk, requested_at=pending.requested_at).delete()
        queued += 1
    if queued:
        logger.info("pending password reset e-mails queued count=%s", queued)
    return queued


def password_reset_email_send(*, user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
    )
    # Built from SITE_URL, never from the Host header of whoever asked for the reset.
    context = {"user": user, "reset_url": f"{settings.SITE_URL}{path}", "site_url": settings.SITE_URL}
    subject = "Réinitialisation de votre mot de passe Pix Orga"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("accounts/email/password_reset.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("accounts/email/password_reset.html", context), "text/html")
    message.send()
    logger.info("password reset e-mail sent user=%s", user.pk)


@transaction.atomic
def user_password_set(*, user: User, password: str, keep_token: ApiToken | None = None) -> None:
    """Set a password the person chose (already validated by the form) and lift any login lockout on this account.

    It ends a one-time password's obligation: the account no longer has to choose one. Its API keys are revoked
    (whoever held the old password may hold a key), except ``keep_token``: the key that made this very request, as
    the session that changes a password stays open.
    """
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    user_password_changed(user=user, keep_token=keep_token)


@transaction.atomic
def user_password_changed(*, user: User, keep_token: ApiToken | None = None) -> None:
    """What follows a new password, however it was set (a page, the API, ``manage.py changepassword``): the
    account's API keys are revoked but ``keep_token``, and its login lockout is lifted."""
    users_api_tokens_revoke(users=[user], keep_token=keep_token)
    # "Réinitialisez votre mot de passe" is the way out of a lockout that the lockout page offers.
    logins = [user.login]
    transaction.on_commit(lambda: _lockouts_lift(logins))
    logger.info("password set user=%s", user.pk)


def _lockouts_lift(logins: list[str]) -> None:
    """Forget the failed log-ins of these accounts (django-axes counts them per account login, see lockout.py)."""
    from axes.models import AccessAttempt

    # One DELETE for any number of accounts (axes.utils.reset deletes one login at a time).
    AccessAttempt.objects.filter(username__in=[login for login in logins if login]).delete()


def user_password_choose(*, user: User, password: str, keep_token: ApiToken | None = None) -> None:
    """An account that logged in with a one-time password chooses its own (the sign-up rule)."""
    password_check(password=password or "", email=user.email or "", username=user.username or "",
                   first_name=user.first_name, last_name=user.last_name)
    user_password_set(user=user, password=password, keep_token=keep_token)


# --- One-time passwords (given by a teacher, to be replaced at the first log-in) -------------------------------------

def one_time_password_hash(password: str) -> str:
    """The one-time password hasher (cheaper than the default: see accounts/hashers.py for why it is safe)."""
    from django.contrib.auth.hashers import make_password

    return make_password(password, hasher=ONE_TIME_PASSWORD_HASHER)


HASH_THREADS = 4
HASH_IN_THREADS_FROM = 32  # passwords: below, the threads cost more than they save


def _hash_all(passwords: list[str]) -> list[str]:
    """Hash many one-time passwords: Argon2 releases the GIL, so a class's are hashed on several cores at once."""
    if len(passwords) < HASH_IN_THREADS_FROM:
        return [one_time_password_hash(password) for password in passwords]
    with ThreadPoolExecutor(max_workers=min(HASH_THREADS, os.cpu_count() or 1)) as pool:
        return list(pool.map(one_time_password_hash, passwords))


@transaction.atomic
def user_one_time_password_set(*, user: User) -> str:
    """A new one-time password for the account, returned in clear this once (only its hash is stored)."""
    return users_one_time_passwords_set(users=[user])[user.pk]


def users_one_time_passwords_set(*, users: list[User]) -> dict[int, str]:
    """A one-time password for each account: one UPDATE for all; ``{user_id: password in clear}``.

    The accounts must choose their own password at their next log-in, their login lockouts are lifted (a
    locked-out student is the usual reason for a reset) and their API keys revoked. The caller holds the transaction.
    """
    passwords = {user.pk: one_time_password_generate(_random) for user in users}
    for user, encoded in zip(users, _hash_all([passwords[user.pk] for user in users]), strict=True):
        user.password = encoded
        user.must_change_password = True
    User.objects.bulk_update(users, ["password", "must_change_password"])  # one UPDATE (SQLite: by its limit)
    users_api_tokens_revoke(users=users)
    logins = [user.login for user in users]
    transaction.on_commit(lambda: _lockouts_lift(logins))
    logger.info("one-time passwords set count=%s", len(users))
    return passwords


# --- API keys ---------------------------------------------------------------------------------------------------------

@transaction.atomic
def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Return the token and its raw key: the key is shown this once and only its digest is kept."""
    raw, digest = token_generate()
    token = ApiToken.objects.create(user=user, digest=digest, prefix=raw[:8], name=(name or "")[:100])
    logger.info("api token created id=%s user=%s", token.pk, user.pk)
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> None:
    """Revoke one of the person's own keys (another person's is NOT_FOUND, as one that does not exist)."""
    deleted, _ = ApiToken.objects.filter(pk=token_id, user=user).delete()
    if not deleted:
        raise ApiTokenNotFound()
    logger.info("api token revoked id=%s user=%s", token_id, user.pk)


def users_api_tokens_revoke(*, users: list[User], keep_token: ApiToken | None = None) -> int:
    """Revoke every API key of these accounts (one DELETE), but ``keep_token``; on every password change or reset."""
    tokens = ApiToken.objects.filter(user__in=[user.pk for user in users])
    if keep_token is not None:
        tokens = tokens.exclude(pk=keep_token.pk)
    deleted, _ = tokens.delete()
    if deleted:
        logger.info("api tokens revoked on a password change count=%s users=%s", deleted, len(users))
    return deleted
