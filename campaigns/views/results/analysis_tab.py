"""« Analyse » (assessment): « Résultats par compétence » by area, « Sujets à travailler » with why, the
« Positionnement » per tube and competence, and the class-by-class comparison; all for the chosen classes."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from campaigns import analysis, charts
from campaigns.analysis import count_fr, number_fr
from campaigns.models import Campaign
from campaigns.selectors.results import analysis_read
from campaigns.views.results.common import division_form, page_context, tab_start


def position_view(position: analysis.Position | None, *, scale: int, name: str) -> dict | None:
    if position is None:
        return None
    mean, maximum = number_fr(position.mean_level, 1), number_fr(position.max_level, 1)
    label = f"{name} : niveau moyen {mean} sur {maximum} ({position.label})"
    return {"mean": mean, "max": maximum, "label": position.label,
            "gauge": mark_safe(charts.gauge(position.mean_level, position.max_level, scale=scale, label=label))}


def heat(value: int | None) -> str:
    """A cell's shade in the class comparison: by quarter of the skills validated."""
    if value is None:
        return "none"
    return str(min(value // 25, 3))


@login_required
@require_GET
def campaign_analysis(request, organization_id: int, campaign_id: int):
    campaign, divisions, selected = tab_start(request, organization_id, campaign_id)
    if campaign.type != Campaign.Type.ASSESSMENT:
        raise Http404  # a profiles collection has nothing to analyse: no tab, no page
    result = analysis_read(campaign=campaign, divisions=selected)
    scale = result.campaign_max or 1
    for competence in result.competences:
        competence.bar = mark_safe(charts.bar(competence.percent or 0, 100, label=f"{competence.percent or 0} %"))
        competence.position_view = position_view(competence.position, scale=scale, name=competence.name)
        for tube in competence.tubes:
            tube.position_view = position_view(tube.position, scale=scale, name=tube.title)
    for tube in result.tubes:
        tube.score_label = number_fr(tube.score, 0)
        tube.bubbles = mark_safe(charts.bubbles(tube.band[2], label=tube.band[1]))
    division_rows = [{"division": row.division, "participants": row.participants,
                      "cells": [{"percent": row.percents.get(c.code), "heat": heat(row.percents.get(c.code))}
                                for c in result.competences]} for row in result.divisions]
    context = page_context(request, campaign, tab="analysis", divisions=divisions, selected=selected,
                           count=result.participants)
    context.update({
        "analysis": result,
        "filter_form": division_form(request, divisions),
        "participants_label": count_fr(result.participants, "élève"),
        "global_position": position_view(result.position, scale=scale, name="Toute la campagne"),
        "score_formula": analysis.SCORE_FORMULA,
        "bands": [(label, upper) for upper, _, label, _ in analysis.BANDS],
        "division_rows": division_rows,
        "show_divisions": len(result.divisions) > 1 or bool(selected),
    })
    return render(request, "campaigns/results/analysis.html", context)
