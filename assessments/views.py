"""The student area (French, phone-first): « Mes parcours », a participation, the test's questions, checkpoints,
results, « Mon profil » and its placement tests.

Thin views: the rules are in ``assessments.services``; refusals become French messages on the page the student
is on. Nothing of a challenge's solution reaches the page before the answer.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from assessments.errors import ChallengeAlreadyAnswered, ChallengeNotServed, InvalidAnswerValue
from assessments.knowledge import CHECKPOINT_EVERY
from assessments.models import Answer, Assessment, ChallengeReport
from assessments.presenters import (
    STATUS_LABELS,
    answer_display,
    illustration_url,
    instruction_summary,
    results_view,
    template_parts,
)
from assessments.selectors import (
    assessment_for_owner,
    assessment_progress,
    checkpoint_answers,
    participations_for_user,
    profile_for_user,
)
from assessments.services import (
    answer_record,
    assessment_start_for_competence,
    assessment_start_for_participation,
    challenge_report,
    challenge_timer_start,
    participation_share,
)
from assessments.services.assessment import assessment_check_open, timer_deadline
from campaigns.errors import CampaignArchived
from campaigns.models import Campaign, Participation
from campaigns.services.participations import (
    participation_can_start_again,
    participation_for_owner,
    participation_retry_at,
)
from content.models import Challenge
from pixorga.errors import DomainError

logger = logging.getLogger(__name__)


def _not_found(request, error: DomainError):
    return render(request, "campaigns/join/not_found.html", {"message": error.message}, status=404)


def _landing_url(campaign: Campaign) -> str:
    return reverse("join:landing", kwargs={"code": campaign.code})


# --- « Mes parcours » -----------------------------------------------------------------------------------------------

def _card(item: Participation) -> dict:
    """One line of « Mes parcours »: where the participation stands and the button that goes on."""
    campaign = item.campaign
    url = reverse("learner:participation", args=[item.pk])
    if campaign.type == Campaign.Type.PROFILES_COLLECTION:
        if item.status == Participation.Status.SHARED:
            return {"state": "Profil envoyé", "tone": "success", "action": "Voir", "url": url}
        return {"state": "Profil à envoyer", "tone": "warning", "action": "Envoyer mon profil", "url": url}
    if item.status == Participation.Status.SHARED:
        return {"state": "Résultats envoyés", "tone": "success", "action": "Voir mes résultats",
                "url": reverse("learner:results", args=[item.pk])}
    if campaign.is_archived or campaign.organization.is_archived:
        return {"state": "Campagne terminée", "tone": "muted", "action": "Voir", "url": url}
    assessment = getattr(item, "assessment", None)  # the reverse one-to-one raises AttributeError when absent
    if assessment is None:
        return {"state": "À commencer", "tone": "info", "action": "Commencer", "url": url}
    if assessment.is_completed:
        return {"state": "Terminé : résultats à envoyer", "tone": "warning", "action": "Voir mes résultats",
                "url": reverse("learner:checkpoint", args=[assessment.pk])}
    return {"state": "En cours", "tone": "info", "action": "Reprendre",
            "url": reverse("learner:assessment", args=[assessment.pk])}


@login_required
def home(request):
    cards = [{"participation": item, **_card(item)} for item in participations_for_user(user=request.user)]
    return render(request, "assessments/home.html", {"cards": cards})


# --- A participation -------------------------------------------------------------------------------------------------

@login_required
def participation(request, participation_id):
    try:
        item = participation_for_owner(user=request.user, participation_id=participation_id)
    except DomainError as error:
        return _not_found(request, error)
    campaign = item.campaign
    context = {"participation": item, "campaign": campaign, "organization": campaign.organization,
               "landing_url": _landing_url(campaign)}
    if campaign.type == Campaign.Type.PROFILES_COLLECTION:
        context.update(profile=profile_for_user(user=request.user),
                       can_send_again=participation_can_start_again(item))
        return render(request, "assessments/profile_collection.html", context)
    assessment = Assessment.objects.filter(participation=item).first()
    if item.status == Participation.Status.SHARED:
        return redirect("learner:results", participation_id=item.pk)
    if assessment is not None:
        return redirect("learner:assessment", assessment_id=assessment.pk)
    context["first_time"] = not Answer.objects.filter(user=request.user).exists()
    context["skills_count"] = campaign.campaign_skills.count() if campaign.target_profile_id else 0
    return render(request, "assessments/start.html", context)


@login_required
@require_POST
def start(request, participation_id):
    try:
        assessment = assessment_start_for_participation(participation_id=participation_id, user=request.user)
    except DomainError as error:
        if error.http_status == 404:
            return _not_found(request, error)
        messages.error(request, error.message)
        return redirect("learner:participation", participation_id=participation_id)
    return redirect("learner:assessment", assessment_id=assessment.pk)


@login_required
@require_POST
def share(request, participation_id):
    try:
        item = participation_share(participation_id=participation_id, user=request.user)
    except DomainError as error:
        if error.http_status == 404:
            return _not_found(request, error)
        messages.error(request, error.message)
        return redirect("learner:participation", participation_id=participation_id)
    if item.campaign.type == Campaign.Type.PROFILES_COLLECTION:
        messages.success(request, "Votre profil est envoyé : votre enseignant le recevra. Bravo !")
        return redirect("learner:participation", participation_id=item.pk)
    return redirect("learner:results", participation_id=item.pk)


@login_required
def results(request, participation_id):
    try:
        item = participation_for_owner(user=request.user, participation_id=participation_id)
    except DomainError as error:
        return _not_found(request, error)
    if item.campaign.type != Campaign.Type.ASSESSMENT or item.status != Participation.Status.SHARED:
        return redirect("learner:participation", participation_id=item.pk)
    campaign = item.campaign
    retry_at = participation_retry_at(item)
    return render(request, "assessments/results.html", {
        "participation": item, "campaign": campaign, "organization": campaign.organization,
        "view": results_view(item), "can_retry": participation_can_start_again(item),
        "retry_later": (campaign.multiple_sendings and (item.mastery_rate or 0) < 1 and not campaign.is_archived
                        and retry_at is not None and retry_at > timezone.now()),
        "retry_at": retry_at, "landing_url": _landing_url(campaign),
    })


# --- The test --------------------------------------------------------------------------------------------------------

def _assessment_or_404(request, assessment_id):
    try:
        return assessment_for_owner(user=request.user, assessment_id=assessment_id), None
    except DomainError as error:
        return None, _not_found(request, error)


def _context(assessment: Assessment) -> dict:
    campaign = assessment.participation.campaign if assessment.participation_id else None
    return {"assessment": assessment, "campaign": campaign,
            "organization": campaign.organization if campaign else None,
            "title": (campaign.title or campaign.name) if campaign else
            f"{assessment.competence.code} {assessment.competence.name}"}


@login_required
def assessment(request, assessment_id):
    """Resume: the question in progress, or the end of the test."""
    item, error_page = _assessment_or_404(request, assessment_id)
    if error_page:
        return error_page
    if item.is_completed:
        return redirect("learner:checkpoint", assessment_id=item.pk)
    return redirect("learner:challenge", assessment_id=item.pk)


def _challenge_page(request, item: Assessment, *, error: str = "", posted=None, status: int = 200):
    challenge: Challenge = item.current_challenge
    deadline = timer_deadline(item)
    remaining = None
    if deadline is not None:
        remaining = max(0, int((deadline - timezone.now()).total_seconds()))
    index = item.answers_count + 1
    step = (index - 1) % CHECKPOINT_EVERY
    chosen = set()
    if posted is not None:
        chosen = set(posted.getlist("value"))
    context = _context(item) | {
        "challenge": challenge, "index": index, "steps": [i <= step for i in range(CHECKPOINT_EVERY)],
        "options": list(enumerate(challenge.proposals or [], start=1)) if challenge.type in ("QCU", "QCM") else [],
        "parts": _parts(challenge, posted),
        "chosen": chosen, "error": error, "illustration_url": illustration_url(challenge),
        "timer_intro": challenge.timer is not None and item.timer_started_at is None,
        "remaining": remaining, "report_categories": ChallengeReport.Category.choices,
    }
    return render(request, "assessments/challenge.html", context, status=status)


def _parts(challenge: Challenge, posted) -> list[dict]:
    """A free-answer template as text and inputs, with what the student typed when the page comes back."""
    if challenge.type in (Challenge.Type.QCU, Challenge.Type.QCM):
        return []
    parts = []
    for part in template_parts(challenge):
        if part.field is None:
            parts.append({"text": part.text})
        else:
            key = part.field.key
            parts.append({"key": key, "placeholder": part.field.placeholder,
                          "value": posted.get(f"field-{key}", "") if posted is not None else ""})
    return parts


def _posted_value(challenge: Challenge, post):
    if challenge.type == Challenge.Type.QCU:
        return post.get("value", "")
    if challenge.type == Challenge.Type.QCM:
        return ",".join(post.getlist("value"))
    values = {key[len("field-"):]: value for key, value in post.items() if key.startswith("field-")}
    if challenge.type == Challenge.Type.QROC:
        return next(iter(values.values()), "")
    return values


@login_required
@require_http_methods(["GET", "POST"])
def challenge(request, assessment_id):
    item, error_page = _assessment_or_404(request, assessment_id)
    if error_page:
        return error_page
    if item.is_completed:
        return redirect("learner:checkpoint", assessment_id=item.pk)
    try:
        assessment_check_open(item)
    except CampaignArchived as error:
        return render(request, "assessments/closed.html", _context(item) | {"message": error.message}, status=403)
    if request.method == "GET":
        return _challenge_page(request, item)
    challenge_id = request.POST.get("challenge", "")
    skip = "skip" in request.POST
    current = item.current_challenge
    value = None if skip or current is None or current.pk != challenge_id else _posted_value(current, request.POST)
    try:
        outcome = answer_record(assessment_id=item.pk, user=request.user, challenge_id=challenge_id, value=value,
                                skip=skip)
    except InvalidAnswerValue as error:
        return _challenge_page(request, item, error=error.message, posted=request.POST, status=400)
    except (ChallengeAlreadyAnswered, ChallengeNotServed):
        # A double click or an old tab: the answer given first stands; go on from where the test is.
        return redirect("learner:assessment", assessment_id=item.pk)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("learner:assessment", assessment_id=item.pk)
    if outcome.checkpoint:
        return redirect("learner:checkpoint", assessment_id=item.pk)
    return redirect("learner:challenge", assessment_id=item.pk)


@login_required
@require_POST
def timer_start(request, assessment_id):
    try:
        challenge_timer_start(assessment_id=assessment_id, user=request.user,
                              challenge_id=request.POST.get("challenge", ""))
    except DomainError as error:
        if error.http_status == 404:
            return _not_found(request, error)
    return redirect("learner:challenge", assessment_id=assessment_id)


@login_required
@require_POST
def report(request, assessment_id):
    try:
        challenge_report(assessment_id=assessment_id, user=request.user,
                         challenge_id=request.POST.get("challenge", ""), category=request.POST.get("category", ""),
                         text=request.POST.get("text", ""))
    except DomainError as error:
        if error.http_status == 404:
            return _not_found(request, error)
        messages.error(request, error.message)
    else:
        messages.success(request, "Merci : votre signalement est transmis à l'équipe qui écrit les questions.")
    return redirect("learner:assessment", assessment_id=assessment_id)


@login_required
def checkpoint(request, assessment_id):
    item, error_page = _assessment_or_404(request, assessment_id)
    if error_page:
        return error_page
    answers = [{
        "answer": answer, "challenge": answer.challenge, "skill": answer.challenge.skill,
        "label": STATUS_LABELS[answer.status], "given": answer_display(answer.challenge, answer.value),
        "summary": instruction_summary(answer.challenge),
    } for answer in checkpoint_answers(item)]
    shared = bool(item.participation_id and item.participation.status == Participation.Status.SHARED)
    return render(request, "assessments/checkpoint.html", _context(item) | {
        "answers": answers, "progress": round(assessment_progress(item) * 100), "ended": item.is_completed,
        "shared": shared,
    })


# --- « Mon profil » --------------------------------------------------------------------------------------------------

@login_required
def profile(request):
    return render(request, "assessments/profile.html", {"profile": profile_for_user(user=request.user)})


@login_required
@require_POST
def placement_start(request, code):
    try:
        item = assessment_start_for_competence(user=request.user, competence_code=code)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("learner:profile")
    return redirect("learner:assessment", assessment_id=item.pk)
