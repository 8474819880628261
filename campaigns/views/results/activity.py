"""« Activité », the campaign page's first tab: its code and direct link, the cards, the cumulative chart of
started and sent participations, the statuses, the participants class by class and their list; and the CSV."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from campaigns import charts
from campaigns.analysis import count_fr, number_fr
from campaigns.export import export_response
from campaigns.models import Campaign, Participation
from campaigns.selectors.participations import (
    PARTICIPATIONS_PER_PAGE,
    STATUSES,
    participation_counts,
    participation_counts_by_division,
    participation_divisions,
    participation_list,
)
from campaigns.selectors.results import activity_read
from campaigns.views.results.common import campaign_for_organization_member, page_context, tab_start
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


def status_labels(campaign: Campaign) -> dict[str, str]:
    """What a status means for this kind of campaign (a profile is « reçu », not « Résultats reçus »)."""
    if campaign.type == Campaign.Type.PROFILES_COLLECTION:
        return {"STARTED": "En cours", "TO_SHARE": "En attente d'envoi", "SHARED": "Profils reçus"}
    return {"STARTED": "En cours", "TO_SHARE": "En attente d'envoi", "SHARED": "Résultats reçus"}


def _status_rows(campaign: Campaign, by_status: dict[str, int]) -> list[dict]:
    labels = status_labels(campaign)
    # An assessment never waits to be sent, a profiles collection is not « en cours »: shown only when not empty.
    hidden = {"TO_SHARE"} if campaign.type == Campaign.Type.ASSESSMENT else {"STARTED"}
    rows = [{"status": status, "label": labels[status], "count": by_status.get(status, 0)}
            for status in STATUSES if status not in hidden or by_status.get(status)]
    top = max((row["count"] for row in rows), default=0)
    for row in rows:
        row["bar"] = mark_safe(charts.bar(row["count"], top, label=f"{row['label']} : {row['count']}",
                                          css=f"bar-{row['status'].lower()}"))
        row["count_label"] = number_fr(row["count"])
    return rows


@login_required
@require_GET
def campaign_detail(request, organization_id: int, campaign_id: int):
    campaign, divisions, selected = tab_start(request, organization_id, campaign_id)
    filter_form = ParticipationFilterForm(request.GET, divisions=divisions)
    filters = filter_form.filters()
    activity = activity_read(campaign=campaign, divisions=selected)
    page = Paginator(participation_list(campaign=campaign, **filters), PARTICIPATIONS_PER_PAGE).get_page(
        request.GET.get("page"))
    counts = participation_counts(campaign=campaign, divisions=filters["divisions"], search=filters["search"])
    labels = status_labels(campaign)
    shared_label = labels["SHARED"]
    for participation in page.object_list:
        participation.status_label = labels.get(participation.status, participation.get_status_display())
        participation.url = reverse("campaign_results:participant",
                                    args=[organization_id, campaign.pk, participation.pk])
    context = page_context(request, campaign, tab="activity", divisions=divisions, selected=selected,
                           count=activity.shared)
    context.update({
        "activity": activity,
        "participants_label": count_fr(activity.participants, "participant"),
        "participants_count": number_fr(activity.participants),
        "shared_card_label": shared_label,
        "shared_count": number_fr(activity.shared),
        "chart": mark_safe("".join(charts.cumulative_chart(
            activity.days, until=activity.today, shared_label=shared_label, width=width, height=height, css=css,
            label=f"Participants et {shared_label.lower()}, cumulés jour après jour")
            for width, height, css in ((640, 270, "chart-wide"), (340, 240, "chart-narrow")))),
        "status_rows": _status_rows(campaign, activity.by_status),
        "filter_form": filter_form,
        "is_filtered": any(filters.values()),
        "counts": counts,
        "counts_label": count_fr(counts.total, "participant"),
        "counts_filtered": bool(filters["divisions"] or filters["search"]),
        "division_table": [line for line in participation_counts_by_division(campaign=campaign)
                           if not selected or line.division in selected],
        "status_labels": [labels[status] for status in STATUSES],
        "page": page,
    })
    return render(request, "campaigns/results/detail.html", context)


@login_required
@require_GET
def campaign_export(request, organization_id: int, campaign_id: int):
    campaign = campaign_for_organization_member(user=request.user, organization_id=organization_id,
                                                campaign_id=campaign_id)
    form = ParticipationFilterForm(request.GET, divisions=participation_divisions(campaign=campaign))
    return export_response(campaign=campaign, participations=participation_list(campaign=campaign,
                                                                                **form.filters()))
