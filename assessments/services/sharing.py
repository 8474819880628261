"""Sending results to the school: « Voir mes résultats » (assessment) and « J'envoie mon profil » (profiles
collection). The participation becomes SHARED with a snapshot of the knowledge at that moment; every page of the
school reads the snapshot, never live answers."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from assessments.models import Assessment
from assessments.results import BadgeDef, CriterionDef, StageDef, campaign_results
from assessments.selectors import profile_score_for_user
from assessments.knowledge import knowledge_read
from assessments.skillsets import skill_set_for_campaign
from campaigns.errors import CampaignArchived, ParticipationAlreadyShared, ParticipationNotShareable
from campaigns.models import Campaign, Participation, ParticipationCompetenceResult, ParticipationTubeResult
from campaigns.services.participations import participation_for_owner
from content.models import Competence, TargetProfile
from students.models import Learner
from students.services.certifiability import learner_certifiability_record

logger = logging.getLogger(__name__)


def _stages_and_badges(target_profile_id: int | None) -> tuple[list[StageDef], list[BadgeDef]]:
    if target_profile_id is None:
        return [], []
    target_profile = TargetProfile.objects.prefetch_related("stages", "badges__criteria").get(pk=target_profile_id)
    stages = [StageDef(title=s.title, message=s.message, prescriber_title=s.prescriber_title,
                       prescriber_description=s.prescriber_description, threshold=s.threshold, level=s.level)
              for s in target_profile.stages.all()]
    badges = [BadgeDef(key=b.key, title=b.title, message=b.message, criteria=tuple(
        CriterionDef(scope=c.scope, threshold=c.threshold,
                     tubes=tuple((t["tube"], int(t["level"])) for t in (c.tubes or [])))
        for c in b.criteria.all()))
        for b in target_profile.badges.all()]
    return stages, badges


def assessment_snapshot(*, participation: Participation) -> dict:
    """One student's results on an assessment campaign, from the account's knowledge now."""
    campaign = participation.campaign
    skill_set = skill_set_for_campaign(campaign.pk)
    knowledge = {tube: (k.floor, k.ceiling) for tube, k in
                 knowledge_read(user_id=participation.user_id, since=None).items()}
    stages, badges = _stages_and_badges(campaign.target_profile_id)
    names = dict(Competence.objects.values_list("code", "name"))
    return campaign_results(skills=skill_set.skills, knowledge=knowledge, stages=stages, badges=badges,
                            competence_names=names)


def _result_rows(participation: Participation, snapshot: dict) -> None:
    """The snapshot per competence and per tube as rows: the school's analysis is then a GROUP BY."""
    competence_ids = dict(Competence.objects.values_list("code", "id"))
    ParticipationCompetenceResult.objects.bulk_create([
        ParticipationCompetenceResult(participation=participation, competence_id=competence_ids[code],
                                      validated=item["validated"], total=item["total"])
        for code, item in snapshot["competences"].items()
    ])
    rows = []
    for tube_id, item in snapshot["tubes"].items():
        not_validated = sorted(int(level) for level, state in item["levels"].items() if state != "validated")
        rows.append(ParticipationTubeResult(
            participation=participation, tube_id=int(tube_id), reached=item["reached"], max_level=item["max"],
            next_level=not_validated[0] if not_validated else None, validated=item["validated"],
            failed=item["failed"], total=item["total"],
        ))
    ParticipationTubeResult.objects.bulk_create(rows)


def _mark_latest(participation: Participation) -> None:
    """This sending becomes the student's latest in the campaign; earlier ones stay as history."""
    same_student = Q(user_id=participation.user_id)
    if participation.learner_id is not None:
        same_student |= Q(learner_id=participation.learner_id)
    (Participation.objects.filter(same_student, campaign_id=participation.campaign_id, is_latest_shared=True)
     .exclude(pk=participation.pk).update(is_latest_shared=False))


@transaction.atomic
def participation_share(*, participation_id: int, user: User) -> Participation:
    """Send the participation (its owner only). An assessment must be over; a double click sends once."""
    participation = participation_for_owner(user=user, participation_id=participation_id)
    locked = Participation.objects.select_for_update().get(pk=participation.pk)
    if locked.status == Participation.Status.SHARED:
        raise ParticipationAlreadyShared()
    campaign = participation.campaign
    if not locked.is_current:
        raise ParticipationNotShareable()
    if campaign.is_archived or campaign.organization.is_archived:
        raise CampaignArchived()
    now = timezone.now()
    changes = {"status": Participation.Status.SHARED, "shared_at": now, "is_latest_shared": True}
    snapshot = None
    if campaign.type == Campaign.Type.ASSESSMENT:
        assessment = Assessment.objects.filter(participation=participation).first()
        if assessment is None or not assessment.is_completed:
            raise ParticipationNotShareable("Terminez d'abord votre parcours : vos résultats seront envoyés à "
                                            "votre enseignant à la fin.")
        snapshot = assessment_snapshot(participation=participation)
        changes.update(mastery_rate=snapshot["mastery_rate"],
                       validated_skills_count=snapshot["validated_skills_count"], results=snapshot)
    else:
        if locked.status != Participation.Status.TO_SHARE:
            raise ParticipationNotShareable()
        score = profile_score_for_user(user_id=user.pk)
        changes.update(
            pix_score=score.pix_score, is_certifiable=score.certifiable,
            results={"competences": {code: {"pix": c.pix, "level": c.level} for code, c in score.competences.items()},
                     "certifiable_competences": score.certifiable_competences},
        )
        if participation.learner_id is not None and not participation.is_preview:
            # « Élèves » shows it (unless the nightly computation has a newer one).
            learner_certifiability_record(learner_ids=[participation.learner_id], certifiable=score.certifiable,
                                          at=now, source=Learner.CertifiabilitySource.PROFILE_SHARED,
                                          competences=changes["results"]["competences"])
    _mark_latest(participation)
    for field, value in changes.items():
        setattr(participation, field, value)
    participation.save(update_fields=list(changes))
    if snapshot is not None:
        _result_rows(participation, snapshot)
    logger.info("participation shared: participation=%s", participation.pk)
    return participation
