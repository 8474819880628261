"""What the export tests share: a small framework (3 competences, 2 areas), a campaign made by a teacher, students
who join, take the test answering right up to a chosen level per tube, and send their results — all through the
services, as a school's data is made."""

from __future__ import annotations

import datetime

import pytest

from accounts.factories import UserFactory
from assessments.correction import proposal_fields
from assessments.models import Assessment
from assessments.services import answer_record, assessment_start_for_participation
from assessments.services.sharing import participation_share
from campaigns.models import Campaign, Participation
from campaigns.services.campaigns import campaign_create
from campaigns.services.joining import campaign_join
from content.factories import (
    AreaFactory,
    BadgeCriterionFactory,
    BadgeFactory,
    ChallengeFactory,
    CompetenceFactory,
    SkillFactory,
    StageFactory,
    TargetProfileFactory,
    TubeFactory,
)
from content.models import BadgeCriterion, Challenge, TargetProfile
from students.factories import LearnerFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 costs ~0.1 s per account; these tests create accounts and never test hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def framework_profile(*, with_stages: bool = True, with_badges: bool = True) -> TargetProfile:
    """« Culture numérique »: tubes recherche (1–3) and tri (1–2) in 1.1, donnees (1–2) in 1.2 (area 1), courriel
    (1–2) in 2.1 (area 2): 9 skills, one QCU each (right option "2"). Stages at 0 %, 30 %, 70 %; badges
    « Chercheur » (50 % of the campaign) and « Données » (every skill of donnees)."""
    information = AreaFactory(code="1", name="Information et données")
    communication = AreaFactory(code="2", name="Communication et collaboration")
    search = CompetenceFactory(code="1.1", area=information, name="Mener une recherche et une veille d'information")
    data = CompetenceFactory(code="1.2", area=information, name="Gérer des données")
    mail = CompetenceFactory(code="2.1", area=communication, name="Interagir")
    tubes = []
    for name, competence, top in (("recherche", search, 3), ("tri", search, 2), ("donnees", data, 2),
                                  ("courriel", mail, 2)):
        tube = TubeFactory(name=name, competence=competence, practical_title=f"Le sujet {name}")
        for level in range(1, top + 1):
            ChallengeFactory(id=f"{name}{level}-a", skill=SkillFactory(tube=tube, level=level))
        tubes.append((tube, top))
    profile = TargetProfileFactory(name="Culture numérique", tubes=tubes)
    if with_stages:
        for threshold in (0, 30, 70):
            StageFactory(target_profile=profile, threshold=threshold, title=f"Palier {threshold} %")
    if with_badges:
        BadgeCriterionFactory(badge=BadgeFactory(target_profile=profile, key="chercheur", title="Chercheur"),
                              scope=BadgeCriterion.Scope.CAMPAIGN, threshold=50)
        BadgeCriterionFactory(badge=BadgeFactory(target_profile=profile, key="donnees", title="Données"),
                              scope=BadgeCriterion.Scope.TUBES, threshold=100,
                              tubes=[{"tube": "donnees", "level": 2}])
    return profile


def assessment_campaign(*, organization, by, target_profile: TargetProfile, **fields) -> Campaign:
    return campaign_create(organization=organization, by=by, name=fields.pop("name", "Rentrée numérique"),
                           type=Campaign.Type.ASSESSMENT, target_profile=target_profile, **fields)


def profiles_campaign(*, organization, by, **fields) -> Campaign:
    return campaign_create(organization=organization, by=by, name=fields.pop("name", "Collecte de décembre"),
                           type=Campaign.Type.PROFILES_COLLECTION, **fields)


def student_joins(campaign: Campaign, *, family_name: str = "Dupré", first_name: str = "Éloïse",
                  division: str = "6EME1", external_id: str = "", user=None) -> Participation:
    """A new student of the school (a SIECLE learner when the school manages students) joins with the typed
    details, or ``user`` (already linked to their learner in this school) joins with nothing to type; with an
    identifier when the campaign asks for one."""
    external_id = external_id or ("E1" if campaign.external_id_label else "")
    if user is not None or not campaign.organization.is_managing_students:
        user = user or UserFactory(first_name=first_name, last_name=family_name)
        return campaign_join(campaign=campaign, user=user, confirm=True, external_id=external_id).participation
    user = UserFactory(first_name=first_name, last_name=family_name)
    learner = LearnerFactory(organization=campaign.organization, family_name=family_name, first_name=first_name,
                             division=division)
    return campaign_join(campaign=campaign, user=user, confirm=True, first_name=first_name, last_name=family_name,
                         birthdate=learner.birthdate, external_id=external_id).participation


def _value(challenge: Challenge, ok: bool):
    if challenge.type in ("QCU", "QCM"):
        right = str(challenge.solution)
        return right if ok else ("1" if right != "1" else "2")
    if challenge.type == "QROC":
        return next(line for line in str(challenge.solution).splitlines() if line.strip()) if ok else "xqzwv kjhgf"
    template = challenge.proposals if isinstance(challenge.proposals, str) else "\n".join(challenge.proposals)
    keys = [field.key for field in proposal_fields(template)]
    if not ok:
        return {key: "xqzwv kjhgf" for key in keys}
    if challenge.type == "QROCM-ind":
        return {key: challenge.solution[key][0] for key in keys}
    groups = list(challenge.solution.values())
    return {key: groups[index][0] for index, key in enumerate(keys)}


def assessment_taken(participation: Participation, levels: dict[str, int], *, answers: int | None = None) -> Assessment:
    """The student starts and answers right exactly when a skill's level is at most ``levels[tube name]`` (0
    elsewhere), until the test ends (or after ``answers`` answers)."""
    assessment = assessment_start_for_participation(participation_id=participation.pk, user=participation.user)
    given = 0
    while answers is None or given < answers:
        assessment.refresh_from_db()
        if assessment.is_completed:
            break
        challenge = assessment.current_challenge
        ok = challenge.skill.level <= levels.get(challenge.skill.tube.name, 0)
        answer_record(assessment_id=assessment.pk, user=participation.user, challenge_id=challenge.pk,
                      value=_value(challenge, ok))
        given += 1
    return assessment


def results_sent(participation: Participation, levels: dict[str, int] | None = None) -> Participation:
    """Take the test (assessment) at ``levels``, then send the results (or the profile)."""
    if participation.campaign.type == Campaign.Type.ASSESSMENT:
        assessment_taken(participation, levels or {})
    return participation_share(participation_id=participation.pk, user=participation.user)


def dated(participation: Participation, *, created: datetime.datetime,
          shared: datetime.datetime | None = None) -> None:
    """Pin the start (and sending) times, so that the file's dates can be written by hand."""
    changes = {"created_at": created}
    if shared is not None:
        changes["shared_at"] = shared
    Participation.objects.filter(pk=participation.pk).update(**changes)
