"""Reads of the student side, always scoped by the acting account: its tests, checkpoints, profile, parcours."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from assessments import results as campaign_results_module
from assessments.errors import AssessmentNotFound
from assessments.models import Answer, Assessment, KnowledgeState
from assessments.scoring import CERTIFIABLE_MIN_COMPETENCES, ProfileScore, profile_score
from assessments.knowledge import CHECKPOINT_EVERY, fresh_after, knowledge_read, placement_retry_at
from assessments.skillsets import skill_set_for_campaign, skill_set_for_competence, skill_table
from campaigns.models import Campaign, Participation


def assessment_for_owner(*, user: User, assessment_id: int) -> Assessment:
    assessment = (
        Assessment.objects.select_related("participation__campaign__organization", "competence",
                                          "current_challenge__skill__tube")
        .filter(pk=assessment_id, user=user).first()
    )
    if assessment is None:
        raise AssessmentNotFound()
    return assessment


def assessment_progress(assessment: Assessment) -> float:
    """Tested skills ÷ skills of the test (1 once it is over), 3 decimals."""
    if assessment.is_completed:
        return 1.0
    if assessment.type == Assessment.Type.CAMPAIGN:
        skill_set = skill_set_for_campaign(assessment.participation.campaign_id)
    else:
        skill_set = skill_set_for_competence(assessment.competence_id)
    knowledge = {tube: (k.floor, k.ceiling) for tube, k in
                 knowledge_read(user_id=assessment.user_id, since=fresh_after(assessment)).items()}
    return round(campaign_results_module.progress(skills=skill_set.skills, knowledge=knowledge), 3)


def checkpoint_answers(assessment: Assessment) -> list[Answer]:
    """The answers since the last checkpoint (the last 5 when the count is a multiple of 5), with their challenge."""
    count = assessment.answers_count
    if count == 0:
        return []
    size = count % CHECKPOINT_EVERY or CHECKPOINT_EVERY
    return list(
        Answer.objects.filter(assessment=assessment, index__gt=count - size)
        .select_related("challenge__skill").order_by("index")
    )


@dataclass(frozen=True, slots=True)
class CompetenceProfile:
    code: str
    name: str
    area_code: str
    area_name: str
    pix: int
    level: int
    placement: Assessment | None  # the latest placement test on it
    retry_at: datetime.datetime | None

    @property
    def action(self) -> str:
        """« Commencer », « Reprendre », « Retenter » or "" (retry not yet possible)."""
        if self.placement is None:
            return "Commencer"
        if self.placement.state == Assessment.State.STARTED:
            return "Reprendre"
        if self.retry_at is None or timezone.now() >= self.retry_at:
            return "Retenter"
        return ""

    @property
    def next_level_pix(self) -> int:
        return 8 - self.pix % 8


@dataclass(frozen=True, slots=True)
class Profile:
    score: ProfileScore
    competences: tuple[CompetenceProfile, ...]
    max_level: int

    @property
    def missing_for_certifiable(self) -> int:
        return max(0, CERTIFIABLE_MIN_COMPETENCES - self.score.certifiable_competences)

    def areas(self) -> list[tuple[str, str, list[CompetenceProfile]]]:
        grouped: dict[str, tuple[str, str, list]] = {}
        for competence in self.competences:
            grouped.setdefault(competence.area_code, (competence.area_code, competence.area_name, []))[2].append(
                competence)
        return list(grouped.values())


def profile_score_for_user(*, user_id: int) -> ProfileScore:
    """Pix and level per competence from the account's knowledge: 2 queries (knowledge, current release)."""
    table = skill_table()
    floors = dict(KnowledgeState.objects.filter(user_id=user_id).values_list("tube_id", "floor"))
    validated: dict[str, list[float]] = {}
    for tube_id, level, competence, pix in table.skills:
        if level <= floors.get(tube_id, 0):
            validated.setdefault(competence, []).append(pix)
    return profile_score(validated, competence_codes=[code for code, *_ in table.competences],
                         max_level=settings.MAX_REACHABLE_LEVEL)


def profile_for_user(*, user: User) -> Profile:
    score = profile_score_for_user(user_id=user.pk)
    table = skill_table()
    latest: dict[int, Assessment] = {}
    for assessment in (Assessment.objects.filter(user=user, type=Assessment.Type.PLACEMENT)
                       .select_related("competence").order_by("created_at", "pk")):
        latest[assessment.competence.code] = assessment
    competences = []
    for code, name, area_code, area_name in table.competences:
        placement = latest.get(code)
        competence_score = score.competences[code]
        competences.append(CompetenceProfile(
            code=code, name=name, area_code=area_code, area_name=area_name, pix=competence_score.pix,
            level=competence_score.level, placement=placement, retry_at=placement_retry_at(placement),
        ))
    return Profile(score=score, competences=tuple(competences), max_level=settings.MAX_REACHABLE_LEVEL)


def participations_for_user(*, user: User) -> list[Participation]:
    """« Mes parcours »: the account's current participations (teachers' previews included, marked), newest first,
    each with its assessment when it has one (one query)."""
    return list(
        Participation.objects.filter(user=user, is_current=True)
        .select_related("campaign__organization", "assessment")
        .order_by("-created_at", "-pk")
    )
