"""The student side: "J'ai un code" → landing page → account → who am I → "Associer" → the participation.

On a reserved campaign, a student without an account says who they are first (« Je crée mon compte »), then
chooses « Mon adresse e-mail » or « Mon identifiant »: the account is created already linked.

Thin views: every rule is in ``campaigns.services.joining.campaign_join`` and ``campaigns.services.signup``;
refusals become French messages on the page the student is on. No personal detail is kept between pages: each
step carries what was typed in its own form fields.
"""

from __future__ import annotations

import datetime
import logging
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from axes.helpers import get_client_ip_address
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services as accounts
from accounts.errors import EmailAlreadyUsed, InvalidEmail, InvalidPassword, TermsNotAccepted
from accounts.forms import PASSWORD_HELP, LoginForm, SignupForm
from accounts.models import normalize_email
from accounts.validators import PASSWORD_MAX_LENGTH
from campaigns.codes import CAMPAIGN_CODE_EXAMPLE, campaign_code_is_well_formed, campaign_code_normalize
from campaigns.errors import (
    CampaignArchived,
    CampaignNotFound,
    CodeGuessingLimited,
    ExternalIdRequired,
    LearnerDetailsRequired,
    LoginChoiceRequired,
)
from campaigns.models import Campaign
from campaigns.ratelimit import campaign_lookup_limited
from campaigns.selectors.campaigns import campaign_for_member
from campaigns.services.joining import campaign_is_reserved, campaign_join
from campaigns.services.signup import campaign_signup, campaign_signup_check, signup_client_key
from pixorga.errors import DomainError
from pixorga.ratelimit import signup_throttle
from pixorga.text import name_clean

logger = logging.getLogger(__name__)

SIGNUP_PREFIX = "signup"  # both account forms share the landing page; log-in keeps "username" for django-axes
_TYPED = ("first_name", "last_name", "day", "month", "year", "external_id")
_SIGNUP_TYPED = tuple(f"{SIGNUP_PREFIX}-{name}" for name in (*_TYPED, "email", "password"))
LOGIN_EMAIL, LOGIN_USERNAME = "email", "username"


# --- Forms ----------------------------------------------------------------------------------------------------------

class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code de la campagne", max_length=40,
        help_text=f"9 caractères : 6 lettres puis 3 chiffres, par exemple {CAMPAIGN_CODE_EXAMPLE}.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                                      "autofocus": True, "class": "join-code-input"}),
    )

    def clean_code(self):
        code = campaign_code_normalize(self.cleaned_data["code"])
        if not campaign_code_is_well_formed(code):
            raise forms.ValidationError(CampaignNotFound.default_message)
        return code


class LearnerForm(forms.Form):
    """Who the student is: names as in the school's records, birthdate as three fields (JJ / MM / AAAA)."""

    first_name = forms.CharField(label="Prénom", max_length=150,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label="Nom", max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    day = forms.IntegerField(label="Jour", min_value=1, max_value=31,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "JJ",
                                                           "maxlength": 2, "autocomplete": "bday-day"}))
    month = forms.IntegerField(label="Mois", min_value=1, max_value=12,
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "MM",
                                                             "maxlength": 2, "autocomplete": "bday-month"}))
    year = forms.IntegerField(label="Année", min_value=1900, max_value=2100,
                              widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "AAAA",
                                                            "maxlength": 4, "autocomplete": "bday-year"}))
    external_id = forms.CharField(required=False, max_length=255)

    error_messages = {"birthdate": "Cette date n'existe pas : vérifiez le jour, le mois et l'année (JJ / MM / AAAA)."}

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign.external_id_label:
            self.fields["external_id"].label = campaign.external_id_label
            self.fields["external_id"].required = True
            self.fields["external_id"].error_messages["required"] = (
                f"Remplissez le champ « {campaign.external_id_label} »."
            )
        else:
            del self.fields["external_id"]
        for name in ("day", "month", "year"):
            self.fields[name].error_messages.update({
                "required": "Indiquez votre date de naissance complète (JJ / MM / AAAA).",
                "invalid": self.error_messages["birthdate"], "min_value": self.error_messages["birthdate"],
                "max_value": self.error_messages["birthdate"],
            })

    def clean_first_name(self):
        return name_clean(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return name_clean(self.cleaned_data["last_name"])

    def clean(self):
        cleaned = super().clean()
        day, month, year = cleaned.get("day"), cleaned.get("month"), cleaned.get("year")
        if None not in (day, month, year):
            try:
                cleaned["birthdate"] = datetime.date(year, month, day)
            except ValueError:
                raise forms.ValidationError(self.error_messages["birthdate"], code="birthdate") from None
        return cleaned


class SignupLoginForm(forms.Form):
    """Signing up from a reserved campaign, once the record is found: how the student will log in, and a password."""

    login_kind = forms.ChoiceField(
        label="Je me connecterai avec", widget=forms.RadioSelect,
        choices=[(LOGIN_USERNAME, "Mon identifiant"), (LOGIN_EMAIL, "Mon adresse e-mail")],
        error_messages={"required": LoginChoiceRequired.default_message},
    )
    email = forms.EmailField(
        label="Adresse e-mail", max_length=254, required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": InvalidEmail.default_message},
    )
    password = forms.CharField(
        label="Mot de passe", strip=False, help_text=PASSWORD_HELP, max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Choisissez un mot de passe."},
    )
    accept_terms = forms.BooleanField(
        label="J'accepte les conditions d'utilisation de Pix",
        error_messages={"required": TermsNotAccepted.default_message},
    )

    email_already_used = False

    def __init__(self, *args, first_name: str = "", last_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.names = {"first_name": first_name, "last_name": last_name}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("login_kind") == LOGIN_EMAIL:
            email = normalize_email(cleaned.get("email"))
            if not email and "email" not in self.errors:
                self.add_error("email", "Indiquez votre adresse e-mail, ou choisissez « Mon identifiant ».")
            elif email:
                try:
                    accounts.email_check_available(email=email)
                except EmailAlreadyUsed:
                    self.email_already_used = True
                    self.add_error("email", "Un compte existe déjà avec cette adresse e-mail.")
                cleaned["email"] = email
        else:
            cleaned["email"] = ""
        if cleaned.get("password"):
            try:
                accounts.password_check(password=cleaned["password"], email=cleaned.get("email") or "", **self.names)
            except InvalidPassword as error:
                self.add_error("password", error.messages)
        return cleaned

    def add_domain_error(self, error) -> None:
        field = {EmailAlreadyUsed: "email", InvalidEmail: "email", InvalidPassword: "password",
                 TermsNotAccepted: "accept_terms", LoginChoiceRequired: "login_kind"}.get(type(error))
        self.email_already_used = isinstance(error, EmailAlreadyUsed)
        self.add_error(field, getattr(error, "messages", None) or error.message)


# --- "J'ai un code" --------------------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def code(request):
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_lookup_limited(request=request, code=form.cleaned_data["code"])
        except (CampaignNotFound, CodeGuessingLimited) as error:
            form.add_error("code", error.message)
            status = error.http_status
        else:
            return redirect("join:landing", code=campaign.code)
    elif request.method == "POST":
        status = 404
    return render(request, "campaigns/join/code.html", {"form": form}, status=status)


# --- The campaign's landing page, with the account forms --------------------------------------------------------------

def _landing_url(campaign: Campaign, **query) -> str:
    url = reverse("join:landing", kwargs={"code": campaign.code})
    return f"{url}?{urlencode(query)}" if query else url


@sensitive_post_parameters("password", *_SIGNUP_TYPED)
@require_http_methods(["GET", "POST"])
def landing(request, code):
    normalized = campaign_code_normalize(code)
    if normalized != code and campaign_code_is_well_formed(normalized):
        return redirect("join:landing", code=normalized)
    try:
        campaign = campaign_lookup_limited(request=request, code=code, direct_link=True)
    except (CampaignNotFound, CodeGuessingLimited) as error:
        form = CodeForm(initial={"code": code})
        return render(request, "campaigns/join/code.html", {"form": form, "lookup_error": error.message},
                      status=error.http_status)

    action = request.POST.get("action") if request.method == "POST" else None
    tab = "connexion" if request.GET.get("onglet") == "connexion" else "inscription"
    show_account = request.GET.get("etape") == "compte"
    reserved = campaign_is_reserved(campaign)
    signup_form = SignupForm(prefix=SIGNUP_PREFIX)
    identity_form = LearnerForm(prefix=SIGNUP_PREFIX, campaign=campaign)
    login_form = LoginForm(request)
    status = 200
    if not campaign.is_archived:
        if action == "start" and request.user.is_authenticated:
            return _start(request, campaign)
        if action in ("signup_identify", "signup_create") and reserved and not request.user.is_authenticated:
            page = _signup(request, campaign, action)
            if not isinstance(page, LearnerForm):
                return page
            show_account, tab, identity_form = True, "inscription", page
            status = getattr(page, "status", 400)
        elif action == "signup" and not reserved and not request.user.is_authenticated:
            show_account, tab = True, "inscription"
            signup_form = SignupForm(request.POST, prefix=SIGNUP_PREFIX)
            if signup_form.is_valid():
                try:
                    user = signup_form.save(request=request)
                except DomainError as error:  # the form now carries the message next to its field
                    status = error.http_status
                else:
                    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                    return _start(request, campaign)
        elif action == "login" and not request.user.is_authenticated:
            show_account, tab = True, "connexion"
            login_form = LoginForm(request, data=request.POST)
            if login_form.is_valid():
                user = login_form.get_user()
                login(request, user)
                if user.must_change_password:  # a one-time password: their own first, then « Je commence »
                    return redirect(_landing_url(campaign))
                return _start(request, campaign)
    login_form.fields["username"].widget.attrs.pop("autofocus", None)
    return render(request, "campaigns/join/landing.html", {
        "campaign": campaign, "organization": campaign.organization, "show_account": show_account, "tab": tab,
        "reserved": reserved, "signup_form": signup_form, "identity_form": identity_form, "login_form": login_form,
        "landing_url": _landing_url(campaign),
    }, status=403 if campaign.is_archived else status)


# --- Signing up from a reserved campaign: who am I, then the account, created linked -----------------------------

def _signup_client(request) -> dict:
    """Who the attempts are counted against, without an account: this browser's session, and its address."""
    if not request.session.session_key:
        request.session.save()
    return {"client": signup_client_key("session", request.session.session_key),
            "address": signup_client_key("address", get_client_ip_address(request) or "unknown")}


def _signup(request, campaign: Campaign, action: str):
    """Step 1 (``signup_identify``): the record is found → step 2. Step 2 (``signup_create``): the account.

    Returns a response, or the identity form carrying the refusal (the landing page shows it again).
    """
    identity_form = LearnerForm(request.POST, prefix=SIGNUP_PREFIX, campaign=campaign)
    if not identity_form.is_valid():
        identity_form.status = 400
        return identity_form
    typed = identity_form.cleaned_data
    client = _signup_client(request)
    login_form = SignupLoginForm(request.POST if action == "signup_create" else None, prefix=SIGNUP_PREFIX,
                                 first_name=typed["first_name"], last_name=typed["last_name"],
                                 initial={"login_kind": LOGIN_USERNAME})
    if action == "signup_identify" or not login_form.is_valid():
        try:
            check = campaign_signup_check(campaign=campaign, first_name=typed["first_name"],
                                          last_name=typed["last_name"], birthdate=typed["birthdate"], **client)
        except DomainError as error:  # not found, S51/S52/S61/S62, too many attempts
            return _identity_refused(identity_form, error)
        return _signup_page(request, campaign, identity_form, login_form, check.learner.first_name,
                            check.suggested_username, status=400 if login_form.errors else 200)
    data = login_form.cleaned_data
    try:
        with signup_throttle(request):
            outcome = campaign_signup(
                campaign=campaign, first_name=typed["first_name"], last_name=typed["last_name"],
                birthdate=typed["birthdate"], password=data["password"], accept_terms=data["accept_terms"],
                email=data["email"] or None, username=data["login_kind"] == LOGIN_USERNAME, **client,
            )
    except (EmailAlreadyUsed, InvalidEmail, InvalidPassword, TermsNotAccepted, LoginChoiceRequired) as error:
        login_form.add_domain_error(error)
        return _signup_page(request, campaign, identity_form, login_form, typed["first_name"],
                            request.POST.get("suggested_username", ""), status=error.http_status)
    except DomainError as error:
        return _identity_refused(identity_form, error)
    login(request, outcome.user, backend="django.contrib.auth.backends.ModelBackend")
    logger.info("signed up from a campaign: campaign=%s user=%s", campaign.pk, outcome.user.pk)
    if outcome.user.username and not outcome.user.email:
        # The student must learn their username before anything else: it is shown big, with « Je commence ».
        return render(request, "campaigns/join/signup_done.html", {
            "campaign": campaign, "organization": campaign.organization, "username": outcome.user.username,
            "first_name": outcome.learner.first_name, "external_id": typed.get("external_id", ""),
            "landing_url": _landing_url(campaign),
        }, status=201)
    return _start(request, campaign)


def _identity_refused(identity_form, error: DomainError):
    identity_form.add_error(None, error.message)
    identity_form.conflict = getattr(error, "code", "")
    identity_form.has_account = identity_form.conflict in ("S51", "S52", "S61", "S62")
    identity_form.status = error.http_status
    return identity_form


def _signup_page(request, campaign, identity_form, login_form, first_name: str, suggested_username: str, *,
                 status: int):
    return render(request, "campaigns/join/signup.html", {
        "campaign": campaign, "organization": campaign.organization, "identity_form": identity_form,
        "form": login_form, "first_name": first_name, "suggested_username": suggested_username,
        "landing_url": _landing_url(campaign), "login_email": LOGIN_EMAIL, "login_username": LOGIN_USERNAME,
    }, status=status)


def _start(request, campaign: Campaign):
    """"Je commence": join directly when the account is (or can be) linked automatically, else the linking form."""
    try:
        outcome = campaign_join(campaign=campaign, user=request.user, confirm=True,
                                external_id=request.POST.get("external_id", ""))
    except LearnerDetailsRequired:
        return redirect("join:link", code=campaign.code)
    except ExternalIdRequired as error:
        # The account is linked (or needs no link): only the field is missing. Say so on the page that asks for it.
        return _landing_external_id_missing(request, campaign, error)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("join:landing", code=campaign.code)
    return _joined(request, outcome)


def _landing_external_id_missing(request, campaign: Campaign, error: ExternalIdRequired):
    return render(request, "campaigns/join/landing.html", {
        "campaign": campaign, "organization": campaign.organization, "show_account": False, "tab": "inscription",
        "reserved": campaign_is_reserved(campaign), "landing_url": _landing_url(campaign),
        "external_id_error": error.message,
    }, status=error.http_status)


def _joined(request, outcome):
    participation = outcome.participation
    if outcome.link == "AUTO_LINKED":
        messages.success(request, "Nous vous avons reconnu grâce à votre autre établissement : "
                                  "votre compte est maintenant associé à cet établissement.")
    return redirect("learner:participation", participation_id=participation.pk)


# --- Who am I: the linking form, the confirmation ----------------------------------------------------------------

def _campaign_or_code_page(request, code):
    try:
        return campaign_lookup_limited(request=request, code=code, direct_link=True), None
    except (CampaignNotFound, CodeGuessingLimited) as error:
        form = CodeForm(initial={"code": code})
        return None, render(request, "campaigns/join/code.html", {"form": form, "lookup_error": error.message},
                            status=error.http_status)


def _needs_account(request, campaign):
    return redirect(_landing_url(campaign, etape="compte"))


def _link_page(request, campaign, form, *, status=200, conflict=None):
    return render(request, "campaigns/join/link.html", {
        "campaign": campaign, "organization": campaign.organization, "form": form, "conflict": conflict,
        "reserved": campaign_is_reserved(campaign), "landing_url": _landing_url(campaign),
    }, status=status)


def _join_with_form(request, campaign, form, *, confirm: bool):
    data = form.cleaned_data
    return campaign_join(campaign=campaign, user=request.user, first_name=data["first_name"],
                         last_name=data["last_name"], birthdate=data["birthdate"], confirm=confirm,
                         external_id=data.get("external_id", ""))


@sensitive_post_parameters(*_TYPED)
@require_http_methods(["GET", "POST"])
def link(request, code):
    campaign, error_page = _campaign_or_code_page(request, code)
    if error_page:
        return error_page
    if not request.user.is_authenticated:
        return _needs_account(request, campaign)
    if campaign.is_archived:
        messages.error(request, CampaignArchived.default_message)
        return redirect("join:landing", code=campaign.code)
    initial = {"first_name": request.user.first_name, "last_name": request.user.last_name}
    form = LearnerForm(request.POST or None, campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = _join_with_form(request, campaign, form, confirm=False)
        except DomainError as error:
            return _refused(request, campaign, form, error)
        if outcome.link != "LINKED":  # already linked (another tab, or automatically): nothing to confirm
            return _start(request, campaign)
        learner = outcome.learner
        return render(request, "campaigns/join/confirm.html", {
            "campaign": campaign, "organization": campaign.organization, "form": form,
            "learner_name": f"{learner.first_name} {learner.family_name}", "login": request.user.login,
            "landing_url": _landing_url(campaign),
        })
    return _link_page(request, campaign, form, status=400 if form.errors else 200)


def _refused(request, campaign, form, error: DomainError):
    form.add_error(None, error.message)
    return _link_page(request, campaign, form, status=error.http_status, conflict=getattr(error, "code", None))


@sensitive_post_parameters(*_TYPED)
@require_http_methods(["GET", "POST"])
def confirm(request, code):
    campaign, error_page = _campaign_or_code_page(request, code)
    if error_page:
        return error_page
    if not request.user.is_authenticated:
        return _needs_account(request, campaign)
    if request.method == "GET":
        return redirect("join:link", code=campaign.code)
    form = LearnerForm(request.POST, campaign=campaign)
    if not form.is_valid():
        return _link_page(request, campaign, form, status=400)
    try:
        outcome = _join_with_form(request, campaign, form, confirm=True)
    except DomainError as error:
        return _refused(request, campaign, form, error)
    messages.success(request, f"C'est fait : votre compte est associé à l'élève "
                              f"{outcome.learner.first_name} {outcome.learner.family_name}.")
    return redirect("learner:participation", participation_id=outcome.participation.pk)


# --- A teacher's trial run -----------------------------------------------------------------------------------------

@login_required
@require_POST
def preview(request, campaign_id):
    """"Prévisualiser": a member tries the campaign as a student would (never counted). Outsiders: 404."""
    campaign = campaign_for_member(user=request.user, campaign_id=campaign_id)
    try:
        outcome = campaign_join(campaign=campaign, user=request.user, confirm=True, preview=True)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("campaign_results:detail", organization_id=campaign.organization_id, campaign_id=campaign.pk)
    return redirect("learner:participation", participation_id=outcome.participation.pk)
