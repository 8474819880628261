"""Campaign management pages: the list ("Mes campagnes" / "Toutes les campagnes"), creation, edition, archiving."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.errors import NotCampaignEditor
from campaigns.forms import TAB_ALL, TAB_MINE, CampaignCreateForm, CampaignEditForm, CampaignFilterForm
from campaigns.models import Campaign
from campaigns.selectors.campaigns import (
    campaign_can_edit,
    campaign_for_member,
    campaign_list,
    campaign_owner_choices,
)
from campaigns.services.campaigns import (
    InvalidCampaign,
    campaign_archive,
    campaign_create,
    campaign_unarchive,
    campaign_update,
)
from content.selectors import target_profiles_for_organization
from organizations.context_processors import SESSION_KEY
from organizations.selectors import membership_get_active, organization_for_member
from pixorga.errors import DomainError

CAMPAIGNS_PER_PAGE = 25


def campaign_page_url(campaign: Campaign) -> str:
    """The campaign page (participants, results), or the list while that page is not installed."""
    try:
        return reverse("campaign_results:detail",
                       kwargs={"organization_id": campaign.organization_id, "campaign_id": campaign.pk})
    except NoReverseMatch:
        return reverse("campaigns:list", kwargs={"organization_id": campaign.organization_id})


def _campaign_in_organization(request, organization_id: int, campaign_id: int) -> Campaign:
    campaign = campaign_for_member(user=request.user, campaign_id=campaign_id)
    if campaign.organization_id != organization_id:
        raise Http404
    return campaign


def _require_editor(request, campaign: Campaign) -> None:
    if not campaign_can_edit(user=request.user, campaign=campaign):
        raise PermissionDenied(NotCampaignEditor.default_message)


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_GET
def campaign_list_view(request, organization_id: int):
    organization = organization_for_member(user=request.user, organization_id=organization_id)
    membership = membership_get_active(user=request.user, organization=organization)
    request.session[SESSION_KEY] = organization.pk
    owners = campaign_owner_choices(organization=organization)
    filter_form = CampaignFilterForm(request.GET, owners=owners)
    filters = filter_form.filters(user=request.user)
    tab = filters.pop("tab")
    paginator = Paginator(campaign_list(organization=organization, **filters), CAMPAIGNS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    for campaign in page.object_list:
        campaign.page_url = campaign_page_url(campaign)
        campaign.can_edit = membership.is_admin or campaign.owner_id == request.user.pk
    is_filtered = bool(filters["search"] or filters["archived"] or (tab == TAB_ALL and filters["owner_id"]))
    context = {
        "organization": organization,
        "filter_form": filter_form,
        "tab": tab,
        "tab_mine": TAB_MINE,
        "tab_all": TAB_ALL,
        "archived": filters["archived"],
        "is_filtered": is_filtered,
        "page": page,
        "count": paginator.count,
    }
    return render(request, "campaigns/manage/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create_view(request, organization_id: int):
    organization = organization_for_member(user=request.user, organization_id=organization_id)
    request.session[SESSION_KEY] = organization.pk
    owners = campaign_owner_choices(organization=organization)
    form = CampaignCreateForm(request.POST or None, owners=owners, initial={"owner": request.user.pk},
                              target_profiles=target_profiles_for_organization(organization=organization))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = campaign_create(organization=organization, by=request.user, **form.cleaned_data)
            except InvalidCampaign as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"Campagne créée : code {campaign.code}")
                return redirect(campaign_page_url(campaign))
        status = 400
    return render(request, "campaigns/manage/form.html",
                  {"organization": organization, "form": form, "is_creation": True}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit_view(request, organization_id: int, campaign_id: int):
    campaign = _campaign_in_organization(request, organization_id, campaign_id)
    _require_editor(request, campaign)
    organization = campaign.organization
    request.session[SESSION_KEY] = organization.pk
    if campaign.is_archived:
        messages.error(request, "Cette campagne est archivée : désarchivez-la avant de la modifier.")
        return redirect(campaign_page_url(campaign))
    owners = campaign_owner_choices(organization=organization)
    initial = {field: getattr(campaign, field) for field in ("name", "title", "landing_page_text",
                                                            "external_id_label")}
    initial["owner"] = campaign.owner_id
    form = CampaignEditForm(request.POST or None, owners=owners, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign_update(campaign=campaign, by=request.user, **form.cleaned_data)
            except InvalidCampaign as error:
                form.add_domain_error(error)
            except DomainError as error:
                messages.error(request, error.message)
                return redirect(campaign_page_url(campaign))
            else:
                messages.success(request, f"La campagne « {campaign.name} » a été modifiée.")
                return redirect(campaign_page_url(campaign))
        status = 400
    return render(request, "campaigns/manage/form.html",
                  {"organization": organization, "form": form, "campaign": campaign, "is_creation": False},
                  status=status)


@login_required
@require_POST
def campaign_archive_view(request, organization_id: int, campaign_id: int):
    campaign = _campaign_in_organization(request, organization_id, campaign_id)
    _require_editor(request, campaign)
    campaign_archive(campaign=campaign, by=request.user)
    messages.success(request, f"La campagne « {campaign.name} » est archivée : les élèves ne peuvent plus la "
                              "rejoindre. Vous la retrouvez dans les campagnes archivées.")
    return redirect(_next_or(request, reverse("campaigns:list", kwargs={"organization_id": organization_id})))


@login_required
@require_POST
def campaign_unarchive_view(request, organization_id: int, campaign_id: int):
    campaign = _campaign_in_organization(request, organization_id, campaign_id)
    _require_editor(request, campaign)
    campaign_unarchive(campaign=campaign, by=request.user)
    messages.success(request, f"La campagne « {campaign.name} » est de nouveau ouverte aux élèves.")
    return redirect(_next_or(request, reverse("campaigns:list", kwargs={"organization_id": organization_id})))
