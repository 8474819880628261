"""The campaign page of the organization side: its code and direct link, its participants class by class, and
their CSV export. Members of the campaign's organization only (outsiders 404)."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from campaigns.export import export_response
from campaigns.models import Campaign, Participation
from campaigns.selectors.campaigns import campaign_can_edit, campaign_for_member
from campaigns.selectors.participations import (
    PARTICIPATIONS_PER_PAGE,
    STATUSES,
    participation_counts,
    participation_counts_by_division,
    participation_divisions,
    participation_list,
)
from students.forms import DivisionFilterForm


class ParticipationFilterForm(DivisionFilterForm):
    """The page's query string; a bad value is dropped rather than shown as an error (it is a link, not input)."""

    q = forms.CharField(label="Rechercher un participant", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Nom ou prénom"}))
    status = forms.MultipleChoiceField(label="Statut", required=False, choices=Participation.Status.choices,
                                       widget=forms.CheckboxSelectMultiple)

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"divisions": data.get("division") or None, "statuses": data.get("status") or None,
                "search": data.get("q") or None}


def campaign_for_organization_member(*, user, organization_id: int, campaign_id: int) -> Campaign:
    """The campaign, if the user is a member of its organization and it is the URL's organization; else Http404."""
    campaign = campaign_for_member(user=user, campaign_id=campaign_id)
    if campaign.organization_id != organization_id:
        raise Http404
    return campaign


def _url_or_none(name: str, *, campaign: Campaign) -> str | None:
    """The URL if that page exists (pages owned by other parts of the campaigns app may not be there yet), with or
    without the organization in its path."""
    for kwargs in ({"organization_id": campaign.organization_id, "campaign_id": campaign.pk},
                   {"campaign_id": campaign.pk}, {"organization_id": campaign.organization_id}):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


def _filter_form(request, campaign: Campaign) -> ParticipationFilterForm:
    return ParticipationFilterForm(request.GET, divisions=participation_divisions(campaign=campaign))


@login_required
@require_GET
def campaign_detail(request, organization_id: int, campaign_id: int):
    campaign = campaign_for_organization_member(user=request.user, organization_id=organization_id,
                                                campaign_id=campaign_id)
    filter_form = _filter_form(request, campaign)
    filters = filter_form.filters()
    page = Paginator(participation_list(campaign=campaign, **filters), PARTICIPATIONS_PER_PAGE).get_page(
        request.GET.get("page"))
    counts = participation_counts(campaign=campaign, divisions=filters["divisions"], search=filters["search"])
    can_edit = campaign_can_edit(user=request.user, campaign=campaign)
    context = {
        "organization": campaign.organization,
        "campaign": campaign,
        "direct_link": f"{settings.SITE_URL}/campagnes/{campaign.code}",
        "can_edit": can_edit,
        "edit_url": _url_or_none("campaigns:edit", campaign=campaign) if can_edit else None,
        "archive_url": _url_or_none("campaigns:archive", campaign=campaign)
        if can_edit and not campaign.is_archived else None,
        "unarchive_url": _url_or_none("campaigns:unarchive", campaign=campaign)
        if can_edit and campaign.is_archived else None,
        "list_url": _url_or_none("campaigns:list", campaign=campaign),
        "preview_url": _url_or_none("join:preview", campaign=campaign) if not campaign.is_archived else None,
        "filter_form": filter_form,
        "is_filtered": any(filters.values()),
        "selected_statuses": filters["statuses"] or [],
        "counts": counts,
        "counts_filtered": bool(filters["divisions"] or filters["search"]),
        "division_table": participation_counts_by_division(campaign=campaign),
        "status_labels": [label for _, label in Participation.Status.choices],
        "statuses": STATUSES,
        "page": page,
    }
    return render(request, "campaigns/results/detail.html", context)


@login_required
@require_GET
def campaign_export(request, organization_id: int, campaign_id: int):
    campaign = campaign_for_organization_member(user=request.user, organization_id=organization_id,
                                                campaign_id=campaign_id)
    filters = _filter_form(request, campaign).filters()
    return export_response(campaign=campaign, participations=participation_list(campaign=campaign, **filters))
