"""« Résultats (n) »: each student's latest sent result. An assessment: « Résultat moyen » (or « Palier moyen »),
the distribution, badges; a profiles collection: « Profils reçus » with Pix score and certifiability. Rows open
the student's page."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from campaigns import analysis, charts
from campaigns.analysis import count_fr, number_fr, percent
from campaigns.models import Campaign
from campaigns.selectors.results import (
    RESULTS_PER_PAGE,
    badge_options,
    profiles_summary,
    results_list,
    results_summary,
    stage_options,
)
from campaigns.views.results.common import page_context, tab_start
from students.forms import DivisionFilterForm

COMPETENCES_COUNT = 16
CERTIFIABLE_CHOICES = [("", "Tous"), ("oui", "Certifiable"), ("non", "Non certifiable")]


def stars_label(reached: int, total: int) -> str:
    return f"{count_fr(reached, 'étoile')} sur {number_fr(total)}"


class ResultsFilterForm(DivisionFilterForm):
    """The list's query string; a bad value is dropped rather than shown as an error (it is a link, not input)."""

    q = forms.CharField(label="Rechercher un élève", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Nom ou prénom"}))
    stage = forms.MultipleChoiceField(label="Paliers", required=False, widget=forms.CheckboxSelectMultiple)
    badge = forms.MultipleChoiceField(label="Résultats thématiques obtenus", required=False,
                                      widget=forms.CheckboxSelectMultiple)
    certifiable = forms.ChoiceField(label="Certificabilité", required=False, choices=CERTIFIABLE_CHOICES)

    def __init__(self, *args, stages=(), badges=(), with_certifiable: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        total = max(len(stages) - 1, 0)
        self.fields["stage"].choices = [(str(option.reached), f"{stars_label(option.reached, total)} · "
                                                              f"{option.title}") for option in stages]
        self.fields["badge"].choices = [(option.key, option.title) for option in badges]
        if not with_certifiable:
            del self.fields["certifiable"]

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"divisions": data.get("division") or None,
                "stages": [int(value) for value in data.get("stage") or []] or None,
                "badges": data.get("badge") or None,
                "certifiable": {"oui": True, "non": False}.get(data.get("certifiable") or ""),
                "search": data.get("q") or None}


def _assessment_rows(rows, campaign: Campaign, query: str) -> None:
    for row in rows:
        row.percent = percent(row.mastery_rate) or 0
        row.bar = mark_safe(charts.bar(row.percent, 100, label=f"{row.percent} %"))
        stage = row.stage or None
        if stage:
            row.stars = mark_safe(charts.stars(stage["reached"], stage["total"],
                                               label=stars_label(stage["reached"], stage["total"])))
            row.stage_title = stage.get("prescriber_title") or stage.get("title", "")
        row.obtained = [badge["title"] for badge in row.badges or [] if badge.get("obtained")]
        _sendings(row, campaign, previous=getattr(row, "previous_value", None), current=row.mastery_rate)
        row.url = reverse("campaign_results:participant", args=[campaign.organization_id, campaign.pk, row.pk]) \
            + query


def _profile_rows(rows, campaign: Campaign, query: str) -> None:
    for row in rows:
        row.pix_label = number_fr(row.pix_score or 0)
        row.certifiable_label = f"{row.certifiable_competences or 0} / {COMPETENCES_COUNT}"
        previous = getattr(row, "previous_value", None)
        row.trend = None
        if previous is not None:
            row.trend = "up" if row.pix_score > previous else "down" if row.pix_score < previous else "stable"
            row.trend_label = {"up": "Score en hausse", "down": "Score en baisse",
                               "stable": "Score stable"}[row.trend] + " par rapport à l'envoi précédent"
        row.sendings_label = count_fr(getattr(row, "sendings", 1) or 1, "envoi")
        row.url = reverse("campaign_results:participant", args=[campaign.organization_id, campaign.pk, row.pk]) \
            + query


def _sendings(row, campaign: Campaign, *, previous, current) -> None:
    row.trend = analysis.trend(current, previous)
    row.trend_label = analysis.TREND_LABELS.get(row.trend, "")
    row.sendings_label = count_fr(getattr(row, "sendings", 1) or 1, "envoi")


def _assessment_summary(campaign: Campaign, selected: list[str], stages, badges) -> dict:
    summary = results_summary(campaign=campaign, divisions=selected, with_stages=bool(stages), badges=badges)
    context = {"summary": summary, "count_label": count_fr(summary.count, "élève")}
    if summary.average is not None:
        context["average_label"] = f"{percent(summary.average)} %"
    if stages:
        total = len(stages) - 1
        average = summary.stage_average
        if average is not None:
            word = "étoile" if average < 2 else "étoiles"
            context["stage_average_label"] = f"{number_fr(average, 1)} {word} sur {total}"
            context["stage_average_stars"] = mark_safe(charts.stars(int(analysis.round_half_up(average)), total,
                                                                    label=context["stage_average_label"]))
        top = max(summary.stage_counts.values(), default=0)
        context["distribution"] = [{
            "label": option.title, "count": summary.stage_counts.get(option.reached, 0),
            "count_label": count_fr(summary.stage_counts.get(option.reached, 0), "élève"),
            "stars": mark_safe(charts.stars(option.reached, total, label=stars_label(option.reached, total))),
            "bar": mark_safe(charts.bar(summary.stage_counts.get(option.reached, 0), top,
                                        label=count_fr(summary.stage_counts.get(option.reached, 0), "élève"))),
        } for option in stages]
    else:
        bands = summary.distribution
        top = max((band.count for band in bands), default=0)
        context["distribution"] = [{"label": band.label, "count": band.count,
                                    "count_label": count_fr(band.count, "élève"),
                                    "bar": mark_safe(charts.bar(band.count, top,
                                                                label=count_fr(band.count, "élève")))}
                                   for band in bands]
    context["badge_counts"] = [{"title": option.title, "label": f"{count_fr(summary.badge_counts[option.key], 'élève')}"
                                f" sur {number_fr(summary.count)}"} for option in badges]
    return context


@login_required
@require_GET
def campaign_results(request, organization_id: int, campaign_id: int):
    campaign, divisions, selected = tab_start(request, organization_id, campaign_id)
    is_assessment = campaign.type == Campaign.Type.ASSESSMENT
    stages = stage_options(campaign=campaign) if is_assessment else []
    badges = badge_options(campaign=campaign) if is_assessment else []
    form = ResultsFilterForm(request.GET, divisions=divisions, stages=stages, badges=badges,
                             with_certifiable=not is_assessment)
    filters = form.filters()
    filters["divisions"] = selected or None
    if is_assessment:
        context = _assessment_summary(campaign, selected, stages, badges)
        count = context["summary"].count
    else:
        summary = profiles_summary(campaign=campaign, divisions=selected)
        count = summary.count
        context = {"profiles": summary, "count_label": count_fr(summary.count, "profil"),
                   "certifiable_label": f"{count_fr(summary.certifiable, 'élève')} sur {number_fr(summary.count)}",
                   "average_pix_label": number_fr(summary.average_pix) if summary.average_pix is not None else None}
    rows = results_list(campaign=campaign, badge_slots=len(badges), **filters)
    page = Paginator(rows, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    query = "?" + request.GET.urlencode() if request.GET else ""
    if is_assessment:
        _assessment_rows(page.object_list, campaign, query)
    else:
        _profile_rows(page.object_list, campaign, query)
    context.update(page_context(request, campaign, tab="results", divisions=divisions, selected=selected,
                                count=count))
    is_filtered = any(value not in (None, []) for value in filters.values())
    context.update({
        "filter_form": form,
        "has_stages": bool(stages),
        "is_filtered": is_filtered,
        "page": page,
        "list_count_label": count_fr(page.paginator.count, "élève"),
        "clear_url": reverse("campaign_results:results", args=[organization_id, campaign.pk]),
    })
    template = "campaigns/results/results.html" if is_assessment else "campaigns/results/profiles.html"
    return render(request, template, context)
