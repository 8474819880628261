"""The student's page, opened from any list: started, progress, sent; the mastery, stage, badges, per competence
and per tube (each level validated, failed or not tested), a selector over the sendings; for a profile, the Pix
score, certifiability and each competence's level and pix."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from campaigns import charts
from campaigns.analysis import count_fr, number_fr, percent
from campaigns.models import Campaign, Participation
from campaigns.selectors.results import student_results_read
from campaigns.views.results.activity import status_labels
from campaigns.views.results.common import page_context, tab_start
from campaigns.views.results.sent import COMPETENCES_COUNT, stars_label


@login_required
@require_GET
def campaign_participant(request, organization_id: int, campaign_id: int, participation_id: int):
    campaign, divisions, selected = tab_start(request, organization_id, campaign_id)
    student = student_results_read(campaign=campaign, participation_id=participation_id)
    participation = student.participation
    results = student.results
    query = "?" + request.GET.urlencode() if request.GET else ""
    labels = status_labels(campaign)
    for sending in student.sendings:
        sending.url = reverse("campaign_results:participant", args=[organization_id, campaign.pk, sending.id]) \
            + query
        if sending.shared_at:
            value = (f"{percent(sending.mastery_rate)} %" if campaign.type == Campaign.Type.ASSESSMENT
                     else f"{number_fr(sending.pix_score or 0)} pix")
            sending.label = f"Envoi n° {sending.number} du {sending.shared_at:%d/%m/%Y} · {value}"
        else:
            sending.label = f"{labels.get(sending.status, sending.status)} (commencé le {sending.created_at:%d/%m/%Y})"
    shared = participation.status == Participation.Status.SHARED
    context = page_context(request, campaign, tab="results", divisions=divisions, selected=selected)
    context.update({
        "student": student,
        "participation": participation,
        "shared": shared,
        "status_label": labels.get(participation.status, participation.get_status_display()),
        "progress": percent(participation.progress),
        "back_url": reverse("campaign_results:results", args=[organization_id, campaign.pk]) + query,
        "show_sendings": len(student.sendings) > 1,
    })
    if shared and campaign.type == Campaign.Type.ASSESSMENT:
        mastery = percent(participation.mastery_rate) or 0
        context["mastery"] = mastery
        context["mastery_bar"] = mark_safe(charts.bar(mastery, 100, label=f"{mastery} %"))
        context["validated_label"] = (f"{count_fr(results.get('validated_skills_count', 0), 'acquis validé', 'acquis validés')}"
                                      f" sur {number_fr(results.get('skills_count', 0))}")
        stage = results.get("stage")
        if stage:
            context["stage"] = stage
            context["stage_stars"] = mark_safe(charts.stars(stage["reached"], stage["total"],
                                                            label=stars_label(stage["reached"], stage["total"])))
            context["stage_label"] = stars_label(stage["reached"], stage["total"])
        context["badges"] = results.get("badges", [])
        for competence in student.competences:
            competence.bar = mark_safe(charts.bar(competence.percent or 0, 100, label=f"{competence.percent} %"))
            for tube in competence.tubes:
                tube.bubbles = mark_safe(charts.bubbles(tube.band[2], label=tube.band[1]))
    elif shared:
        context["pix_score"] = number_fr(participation.pix_score or 0)
        context["certifiable_label"] = f"{results.get('certifiable_competences', 0)} / {COMPETENCES_COUNT}"
    return render(request, "campaigns/results/participant.html", context)
