"""What every tab of the campaign page shares: access (members of the campaign's organization; outsiders 404),
the header and its actions, the tabs, and the class filter carried from tab to tab in the query string."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from campaigns.analysis import number_fr
from campaigns.models import Campaign
from campaigns.selectors.campaigns import campaign_can_edit, campaign_for_member
from campaigns.selectors.participations import participation_divisions
from campaigns.selectors.results import results_count
from students.divisions import divisions_chosen
from students.forms import DivisionFilterForm

TABS = (("activity", "Activité", "campaign_results:detail"),
        ("results", "Résultats", "campaign_results:results"),
        ("analysis", "Analyse", "campaign_results:analysis"),
        ("settings", "Paramètres", "campaign_results:settings"))


def campaign_for_organization_member(*, user, organization_id: int, campaign_id: int) -> Campaign:
    """The campaign, if the user is a member of its organization and it is the URL's organization; else Http404."""
    campaign = campaign_for_member(user=user, campaign_id=campaign_id)
    if campaign.organization_id != organization_id:
        raise Http404
    return campaign


def url_or_none(name: str, *, campaign: Campaign) -> str | None:
    """The URL if that page exists (pages owned by other parts of the campaigns app may not be there yet), with or
    without the organization in its path."""
    for kwargs in ({"organization_id": campaign.organization_id, "campaign_id": campaign.pk},
                   {"campaign_id": campaign.pk}, {"organization_id": campaign.organization_id}):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


def selected_divisions(request, divisions: list[str]) -> list[str]:
    """The classes of the query string that the campaign has (a stale link's unknown class is dropped), with every
    class of a level ticked as a whole (« toute la 2nde »)."""
    return divisions_chosen(divisions=divisions, ticked=request.GET.getlist("division"),
                            levels=request.GET.getlist("niveau"))


def division_query(divisions: list[str]) -> str:
    """``?division=2NDE1&division=2NDE2``, or "" (the tabs' links keep the class filter)."""
    return f"?{urlencode([('division', division) for division in divisions])}" if divisions else ""


def tab_url(name: str, campaign: Campaign, divisions: list[str]) -> str:
    return reverse(name, args=[campaign.organization_id, campaign.pk]) + division_query(divisions)


def page_context(request, campaign: Campaign, *, tab: str, divisions: list[str], selected: list[str],
                 count: int | None = None) -> dict:
    """The header, the tabs (« Résultats (n) » with n for the chosen classes) and the actions of every tab."""
    if count is None:
        count = results_count(campaign=campaign, divisions=selected)
    can_edit = campaign_can_edit(user=request.user, campaign=campaign)
    is_assessment = campaign.type == Campaign.Type.ASSESSMENT
    tabs = []
    for key, label, name in TABS:
        if key == "analysis" and not is_assessment:
            continue
        if key == "results":
            label = f"{label} ({number_fr(count)})"
        tabs.append({"key": key, "label": label, "url": tab_url(name, campaign, selected), "current": key == tab})
    return {
        "organization": campaign.organization,
        "campaign": campaign,
        "is_assessment": is_assessment,
        "tab": tab,
        "tabs": tabs,
        "results_count": count,
        "divisions": divisions,
        "selected_divisions": selected,
        "division_query": division_query(selected),
        "direct_link": f"{settings.SITE_URL}/campagnes/{campaign.code}",
        "can_edit": can_edit,
        "edit_url": url_or_none("campaigns:edit", campaign=campaign) if can_edit else None,
        "archive_url": url_or_none("campaigns:archive", campaign=campaign)
        if can_edit and not campaign.is_archived else None,
        "unarchive_url": url_or_none("campaigns:unarchive", campaign=campaign)
        if can_edit and campaign.is_archived else None,
        "list_url": url_or_none("campaigns:list", campaign=campaign),
        "preview_url": url_or_none("join:preview", campaign=campaign) if not campaign.is_archived else None,
        "export_url": reverse("campaign_results:export", args=[campaign.organization_id, campaign.pk])
        + division_query(selected),
    }


def division_form(request, divisions: list[str]) -> DivisionFilterForm:
    return DivisionFilterForm(request.GET, divisions=divisions)


def tab_start(request, organization_id: int, campaign_id: int):
    """The campaign (access checked), its classes and the chosen ones."""
    campaign = campaign_for_organization_member(user=request.user, organization_id=organization_id,
                                                campaign_id=campaign_id)
    divisions = participation_divisions(campaign=campaign)
    return campaign, divisions, selected_divisions(request, divisions)
