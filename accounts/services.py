"""Every write on accounts: sign-up, Pix Orga terms, passwords, API keys.

The sign-up page, the API, and the invitation join page all create users through ``user_create``.
"""

import logging

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
from accounts.models import ApiToken, User, normalize_email
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


def password_check(*, password: str, email: str = "", first_name: str = "", last_name: str = "") -> None:
    """Django's validators (length, similarity to the e-mail and names, common passwords) and Pix's own rule."""
    candidate = User(email=normalize_email(email), first_name=first_name, last_name=last_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise InvalidPassword(error.messages) from None


# --- Users ------------------------------------------------------------------------------------------------------------

@transaction.atomic
def user_create(*, email: str, password: str, first_name: str, last_name: str, accept_terms: bool) -> User:
    """Create an account; the person accepted Pix's terms of use (not yet Pix Orga's, asked on joining a school)."""
    email = email_check(email=email)
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    if not first_name or not last_name:
        raise NameRequired()
    if not accept_terms:
        raise TermsNotAccepted()
    email_check_available(email=email)
    password_check(password=password or "", email=email, first_name=first_name, last_name=last_name)

    user = User(email=email, first_name=first_name, last_name=last_name, terms_accepted_at=timezone.now())
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same e-mail signed up a moment ago (case-insensitive unique constraint)
        raise EmailAlreadyUsed() from None
    logger.info("user created id=%s", user.pk)
    return user


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


def password_reset_request(*, email: str) -> None:
    """Queue the reset e-mail if an active account has this address; say nothing either way (no enumeration).

    The e-mail goes through a task so that the answer takes the same time whether the account exists or not, and
    an address receives at most a few per hour (the form must not become a way to flood someone's inbox).
    """
    from accounts.tasks import password_reset_email_send_task

    email = normalize_email(email)
    key = f"accounts:password-reset:{token_digest(email)}"
    cache.add(key, 0, timeout=3600)
    if cache.incr(key) > PASSWORD_RESET_MAX_PER_HOUR:
        logger.info("password reset request dropped: too many for this address")
        return
    for user_id in User.objects.filter(email=email, is_active=True).values_list("pk", flat=True):
        transaction.on_commit(lambda user_id=user_id: password_reset_email_send_task.delay(user_id))


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
def user_password_set(*, user: User, password: str) -> None:
    """Set a new password (already validated by the form) and lift any login lockout on this account."""
    from axes.utils import reset as axes_reset

    user.set_password(password)
    user.save(update_fields=["password"])
    # "Réinitialisez votre mot de passe" is the way out of a lockout that the lockout page offers.
    transaction.on_commit(lambda: axes_reset(username=user.email))
    logger.info("password set user=%s", user.pk)


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
    deleted, _ = ApiToken.objects.filter(pk=token_id, user=user).delete()
    if not deleted:
        raise ApiTokenNotFound()
    logger.info("api token revoked id=%s user=%s", token_id, user.pk)
