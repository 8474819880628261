"""The student side: "J'ai un code" → landing page → account → who am I → "Associer" → the participation.

Thin views: every rule is in ``campaigns.services.joining.campaign_join``; refusals become French messages on the
page the student is on. No personal detail is kept between pages: the confirmation carries what was typed in its
own form fields.
"""

from __future__ import annotations

import datetime
import logging
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import LoginForm, SignupForm
from campaigns.codes import CAMPAIGN_CODE_EXAMPLE, campaign_code_is_well_formed, campaign_code_normalize
from campaigns.errors import (
    CampaignArchived,
    CampaignNotFound,
    CodeGuessingLimited,
    ExternalIdRequired,
    LearnerDetailsRequired,
)
from campaigns.models import Campaign
from campaigns.ratelimit import campaign_lookup_limited
from campaigns.selectors.campaigns import campaign_for_member
from campaigns.services.joining import campaign_is_reserved, campaign_join
from pixorga.errors import DomainError

logger = logging.getLogger(__name__)

SIGNUP_PREFIX = "signup"  # both account forms share the landing page; log-in keeps "username" for django-axes
_TYPED = ("first_name", "last_name", "day", "month", "year", "external_id")


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

    def clean(self):
        cleaned = super().clean()
        day, month, year = cleaned.get("day"), cleaned.get("month"), cleaned.get("year")
        if None not in (day, month, year):
            try:
                cleaned["birthdate"] = datetime.date(year, month, day)
            except ValueError:
                raise forms.ValidationError(self.error_messages["birthdate"], code="birthdate") from None
        return cleaned


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


@sensitive_post_parameters("password", "signup-password")
@require_http_methods(["GET", "POST"])
def landing(request, code):
    normalized = campaign_code_normalize(code)
    if normalized != code and campaign_code_is_well_formed(normalized):
        return redirect("join:landing", code=normalized)
    try:
        campaign = campaign_lookup_limited(request=request, code=code)
    except (CampaignNotFound, CodeGuessingLimited) as error:
        form = CodeForm(initial={"code": code})
        return render(request, "campaigns/join/code.html", {"form": form, "lookup_error": error.message},
                      status=error.http_status)

    action = request.POST.get("action") if request.method == "POST" else None
    tab = "connexion" if request.GET.get("onglet") == "connexion" else "inscription"
    show_account = request.GET.get("etape") == "compte"
    signup_form = SignupForm(prefix=SIGNUP_PREFIX)
    login_form = LoginForm(request)
    if not campaign.is_archived:
        if action == "start" and request.user.is_authenticated:
            return _start(request, campaign)
        if action == "signup" and not request.user.is_authenticated:
            show_account, tab = True, "inscription"
            signup_form = SignupForm(request.POST, prefix=SIGNUP_PREFIX)
            if signup_form.is_valid():
                try:
                    user = signup_form.save()
                except DomainError:
                    pass  # the form now carries the message next to its field
                else:
                    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                    return _start(request, campaign)
        elif action == "login" and not request.user.is_authenticated:
            show_account, tab = True, "connexion"
            login_form = LoginForm(request, data=request.POST)
            if login_form.is_valid():
                login(request, login_form.get_user())
                return _start(request, campaign)
    login_form.fields["username"].widget.attrs.pop("autofocus", None)
    return render(request, "campaigns/join/landing.html", {
        "campaign": campaign, "organization": campaign.organization, "show_account": show_account, "tab": tab,
        "signup_form": signup_form, "login_form": login_form, "landing_url": _landing_url(campaign),
    }, status=403 if campaign.is_archived else 200)


def _start(request, campaign: Campaign):
    """"Je commence": join directly when the account is (or can be) linked automatically, else the linking form."""
    try:
        outcome = campaign_join(campaign=campaign, user=request.user, confirm=True,
                                external_id=request.POST.get("external_id", ""))
    except (LearnerDetailsRequired, ExternalIdRequired):
        return redirect("join:link", code=campaign.code)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("join:landing", code=campaign.code)
    return _joined(request, outcome)


def _joined(request, outcome):
    participation = outcome.participation
    if outcome.link == "AUTO_LINKED":
        messages.success(request, "Nous vous avons reconnu grâce à votre autre établissement : "
                                  "votre compte est maintenant associé à cet établissement.")
    return redirect("learner:participation", participation_id=participation.pk)


# --- Who am I: the linking form, the confirmation ----------------------------------------------------------------

def _campaign_or_code_page(request, code):
    try:
        return campaign_lookup_limited(request=request, code=code), None
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
            "learner_name": f"{learner.first_name} {learner.family_name}", "login": request.user.email,
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
