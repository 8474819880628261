import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import LoginForm, SignupForm
from accounts.views import INVITATION_TOKEN_SESSION_KEY
from invitations import services
from invitations.errors import (
    InvalidEmails,
    InvitationAlreadyUsed,
    InvitationCancelled,
    InvitationExpired,
    InvitationNotFound,
    OrganizationArchived,
    SchoolAlreadyHasAdmin,
)
from invitations.forms import InviteForm, ScoRequestForm
from invitations.models import Invitation
from invitations.parsing import email_obfuscate
from invitations.selectors import organization_admin_names
from organizations.context_processors import SESSION_KEY as CURRENT_ORGANIZATION_SESSION_KEY
from organizations.models import Membership, Organization
from organizations.selectors import membership_get_active, organization_for_admin
from pixorga.errors import DomainError
from pixorga.ratelimit import client_address, counter_hit, rates, retry_delay, signup_throttle

logger = logging.getLogger(__name__)

# Both forms share the page: the sign-up one is prefixed (the log-in one keeps "username" for django-axes).
SIGNUP_PREFIX = "signup"


# --- Admin side: invite, re-send, cancel ------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def invite(request, organization_id):
    organization = organization_for_admin(user=request.user, organization_id=organization_id)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.invitations_send(organization=organization, emails=form.cleaned_data["emails"],
                                              by=request.user)
        except InvalidEmails as error:
            form.add_error("emails", error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            _batch_messages(request, batch)
            return redirect("organizations:team", organization_id=organization.pk)
    return render(request, "invitations/invite.html", {
        "organization": organization, "form": form, "validity_days": settings.INVITATION_VALIDITY.days,
    })


def _batch_messages(request, batch: services.InvitationBatch) -> None:
    parts = []
    if batch.created:
        n = len(batch.created)
        parts.append(f"{n} invitation{'s' if n > 1 else ''} envoyée{'s' if n > 1 else ''}")
    if batch.resent:
        n = len(batch.resent)
        label = "renvoyée" if parts else "invitation renvoyée"
        if not parts and n > 1:
            label = "invitations renvoyées"
        elif n > 1:
            label = "renvoyées"
        parts.append(f"{n} {label}")
    summary = ", ".join(parts)
    if batch.already_members:
        members = batch.already_members
        if len(members) == 1:
            note = f"{members[0]} est déjà membre"
        else:
            note = f"{', '.join(members[:-1])} et {members[-1]} sont déjà membres"
        summary = f"{summary} ; {note}" if summary else note[0].upper() + note[1:]
    summary += "."
    if batch.created or batch.resent:
        messages.success(request, summary)
    else:
        messages.warning(request, summary + " Aucune invitation n'a été envoyée.")


@login_required
@require_POST
def resend(request, organization_id, invitation_id):
    organization = organization_for_admin(user=request.user, organization_id=organization_id)
    try:
        invitation = services.invitation_resend(organization=organization, invitation_id=invitation_id,
                                                by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"L'invitation a été renvoyée à {invitation.email}. "
                                  "Le lien du précédent e-mail ne fonctionne plus.")
    return redirect("organizations:team", organization_id=organization.pk)


@login_required
@require_POST
def cancel(request, organization_id, invitation_id):
    organization = organization_for_admin(user=request.user, organization_id=organization_id)
    try:
        invitation = services.invitation_cancel(organization=organization, invitation_id=invitation_id,
                                                by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"L'invitation de {invitation.email} a été annulée : son lien ne fonctionne plus.")
    return redirect("organizations:team", organization_id=organization.pk)


# --- The link of the e-mail ----------------------------------------------------------------------------------------

@sensitive_post_parameters("password", "signup-password", "token")
@require_http_methods(["GET", "POST"])
def join(request):
    """Opening the page changes nothing (mail scanners follow links): acceptance happens on POST only.

    The e-mail's ``/rejoindre?token=…`` puts the token in the session and redirects to ``/rejoindre``: the token stays
    out of access logs, browser history and the Referer of anything the page loads or links to.
    """
    if request.method == "GET" and "token" in request.GET:
        request.session[INVITATION_TOKEN_SESSION_KEY] = request.GET["token"]
        rest = request.GET.copy()
        del rest["token"]
        response = redirect(f"{reverse('invitations:join')}{'?' + rest.urlencode() if rest else ''}")
        response["Referrer-Policy"] = "no-referrer"
        return response
    token = request.POST.get("token") or request.session.get(INVITATION_TOKEN_SESSION_KEY) or ""
    try:
        invitation = services.invitation_get_for_token(token=token)
        services.invitation_check_usable(invitation)
    except InvitationNotFound as error:
        return render(request, "invitations/join_not_found.html", {"message": error.message}, status=404)
    except (InvitationAlreadyUsed, InvitationCancelled, InvitationExpired, OrganizationArchived) as error:
        return _unusable(request, invitation, error)

    organization = invitation.organization
    action = request.POST.get("action") if request.method == "POST" else None
    tab = request.GET.get("onglet") if request.GET.get("onglet") in ("inscription", "connexion") else "inscription"
    signup_form = SignupForm(initial={"email": invitation.email}, prefix=SIGNUP_PREFIX, pix_orga_terms=True)
    login_form = LoginForm(request)
    status = 200

    if request.method == "POST":
        if request.user.is_authenticated and action == "accept":
            return _accept(request, token=token, user=request.user, invitation=invitation)
        if not request.user.is_authenticated and action == "signup":
            tab = "inscription"
            signup_form = SignupForm(request.POST, prefix=SIGNUP_PREFIX, pix_orga_terms=True)
            if signup_form.is_valid():
                try:
                    with signup_throttle(request):
                        membership = services.invitation_accept_new_account(
                            token=token, **signup_form.user_create_arguments()
                        )
                except (InvitationAlreadyUsed, InvitationCancelled, InvitationExpired, InvitationNotFound,
                        OrganizationArchived) as error:
                    return _unusable_after_post(request, token, error)
                except DomainError as error:
                    status = error.http_status
                    signup_form.add_domain_error(error)
                else:
                    login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
                    return _joined(request, membership, previous_role=None)
        elif not request.user.is_authenticated and action == "login":
            tab = "connexion"
            login_form = LoginForm(request, data=request.POST)
            if login_form.is_valid():
                user = login_form.get_user()
                return _accept(request, token=token, user=user, invitation=invitation, log_in=True)

    login_form.fields["username"].widget.attrs.pop("autofocus", None)  # the sign-up tab is shown first
    context = {
        "invitation": invitation,
        "organization": organization,
        "token": token,
        "tab": tab,
        "signup_form": signup_form,
        "login_form": login_form,
        "join_url": reverse("invitations:join"),
    }
    return render(request, "invitations/join.html", context, status=status)


def _accept(request, *, token, user, invitation: Invitation, log_in: bool = False):
    previous = membership_get_active(user=user, organization=invitation.organization)
    try:
        membership = services.invitation_accept(token=token, user=user)
    except (InvitationAlreadyUsed, InvitationCancelled, InvitationExpired, InvitationNotFound,
            OrganizationArchived) as error:
        return _unusable_after_post(request, token, error)
    if log_in:
        login(request, user)
    return _joined(request, membership, previous_role=previous.role if previous else None)


def _joined(request, membership: Membership, *, previous_role: str | None):
    organization = membership.organization
    if previous_role is None:
        messages.success(request, f"Vous avez rejoint {organization.name}.")
    elif previous_role != membership.role:
        messages.success(request, f"Vous faisiez déjà partie de {organization.name} : l'invitation est acceptée et "
                                  "vous en êtes maintenant administrateur.")
    else:
        messages.info(request, f"Vous faites déjà partie de {organization.name} "
                               f"({membership.get_role_display().lower()}) : l'invitation est acceptée, "
                               "votre accès reste inchangé.")
    request.session[CURRENT_ORGANIZATION_SESSION_KEY] = organization.pk
    request.session.pop(INVITATION_TOKEN_SESSION_KEY, None)  # used: the link is single-use anyway
    home_url = reverse("campaigns:home", args=[organization.pk])
    if not request.user.has_accepted_current_pix_orga_terms:
        return redirect(f"{reverse('accounts:terms')}?{urlencode({'next': home_url})}")
    return redirect(home_url)


def _unusable_after_post(request, token, error):
    try:
        invitation = services.invitation_get_for_token(token=token)
    except InvitationNotFound as not_found:
        return render(request, "invitations/join_not_found.html", {"message": not_found.message}, status=404)
    return _unusable(request, invitation, error)


def _unusable(request, invitation: Invitation, error: DomainError):
    organization = invitation.organization
    context = {
        "organization": organization,
        "invitation": invitation,
        "reason": {InvitationAlreadyUsed: "used", InvitationCancelled: "cancelled", InvitationExpired: "expired",
                   OrganizationArchived: "archived"}[type(error)],
        "admin_names": organization_admin_names(organization=organization),
        "is_first_admin": invitation.role == Membership.Role.ADMIN,
        "is_school": organization.type == Organization.Type.SCO,
        "accepted_by_you": request.user.is_authenticated and invitation.accepted_by_id == request.user.pk,
    }
    return render(request, "invitations/join_unusable.html", context, status=error.http_status)


# --- Public: activate my school's space -----------------------------------------------------------------------------

@sensitive_post_parameters("first_name", "last_name")
@require_http_methods(["GET", "POST"])
def sco_request(request):
    form = ScoRequestForm(request.POST or None)
    context = {"form": form}
    status = 200
    if request.method == "POST":
        wait = counter_hit(scope="activation-request", key=client_address(request),
                           rate_list=rates("LIMIT_ACTIVATION_REQUESTS_ADDRESS"))
        if wait is not None:
            logger.warning("sco first-admin request rate-limited")
            context["rate_limited"] = retry_delay(wait)
            return render(request, "invitations/sco_request.html", context, status=429)
        if form.is_valid():
            try:
                invitation = services.invitation_request_sco_first_admin(**form.cleaned_data)
            except SchoolAlreadyHasAdmin as error:
                context["already_has_admin"] = True
                form.add_error(None, error.message)
                status = 409
            except DomainError as error:
                form.add_error(None, error.message)
                status = error.http_status
            else:
                return render(request, "invitations/sco_request_sent.html", {
                    "organization": invitation.organization,
                    "masked_email": email_obfuscate(invitation.email),
                    "expires_at": invitation.expires_at,
                })
    return render(request, "invitations/sco_request.html", context, status=status)
