"""Results made the way a school gets them: a student of a class joins the campaign, takes the whole test (right
on every skill up to a chosen level, wrong above) and sends the results, all through the services.

    from campaigns.tests.results_helpers import fast_password_hashing, sent_result  # noqa: F401

(Copied from assessments/tests/helpers.py where needed: the two apps' tests stay independent.)
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

from accounts.factories import UserFactory
from assessments.correction import proposal_fields
from assessments.models import Assessment, KnowledgeState
from assessments.services import answer_record, assessment_start_for_participation
from assessments.services.sharing import participation_share
from campaigns.models import Campaign, Participation
from campaigns.services.campaigns import campaign_create
from campaigns.services.joining import campaign_join
from content.factories import ChallengeFactory, CompetenceFactory, SkillFactory, TargetProfileFactory, TubeFactory
from content.models import Challenge
from students.factories import LearnerFactory

_birthdays = itertools.count()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 costs ~0.1 s per account; these tests create many accounts and never test hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def assessment_campaign(*, organization, by, target_profile, name: str = "Rentrée des secondes",
                        multiple_sendings: bool = False, **extra) -> Campaign:
    return campaign_create(organization=organization, by=by, name=name, type=Campaign.Type.ASSESSMENT,
                           target_profile=target_profile, multiple_sendings=multiple_sendings, **extra)


def profiles_campaign(*, organization, by, name: str = "Collecte de décembre", **extra) -> Campaign:
    return campaign_create(organization=organization, by=by, name=name, type=Campaign.Type.PROFILES_COLLECTION,
                           **extra)


def profile_with_competences(codes=("1.1", "2.1", "3.1"), *, levels: int = 2, stages=None, **extra):
    """A public target profile with one tube per competence, ``levels`` levels each (one QCU per skill, right
    answer "2")."""
    tubes = []
    for code in codes:
        tube = TubeFactory(competence=CompetenceFactory(code=code))
        for level in range(1, levels + 1):
            ChallengeFactory(skill=SkillFactory(tube=tube, level=level))
        tubes.append((tube, levels))
    return TargetProfileFactory(tubes=tubes, **extra)


def student(organization, *, family_name: str | None = None, first_name: str | None = None,
            division: str = "2NDE1"):
    """A student of the school's SIECLE base, and the account they use (same names, so joining links them)."""
    birthdate = datetime.date(2010, 1, 1) + datetime.timedelta(days=next(_birthdays))
    kwargs = {key: value for key, value in (("family_name", family_name), ("first_name", first_name)) if value}
    learner = LearnerFactory(organization=organization, division=division, birthdate=birthdate, **kwargs)
    user = UserFactory(first_name=learner.first_name, last_name=learner.family_name)
    return learner, user


def join(campaign: Campaign, learner, user) -> Participation:
    """« J'ai un code »: the student joins (typing an external id « E<learner id> » when the campaign asks one)."""
    external_id = f"E{learner.pk}" if campaign.external_id_label else ""
    if not campaign.organization.is_managing_students:
        return campaign_join(campaign=campaign, user=user, confirm=True, external_id=external_id).participation
    return campaign_join(campaign=campaign, user=user, confirm=True, first_name=learner.first_name,
                         last_name=learner.family_name, birthdate=learner.birthdate,
                         external_id=external_id).participation


def _field_keys(challenge: Challenge) -> list[str]:
    template = challenge.proposals if isinstance(challenge.proposals, str) and challenge.proposals else "${reponse}"
    return [item.key for item in proposal_fields(template)]


def right_value(challenge: Challenge):
    """A value the correction accepts, built from the challenge's own solution."""
    if challenge.type in ("QCU", "QCM"):
        return str(challenge.solution)
    if challenge.type == "QROC":
        return next(line for line in str(challenge.solution).splitlines() if line.strip())
    keys = _field_keys(challenge)
    if challenge.type == "QROCM-ind":
        return {key: challenge.solution[key][0] for key in keys}
    groups = list(challenge.solution.values())
    return {key: groups[index][0] for index, key in enumerate(keys)}


def wrong_value(challenge: Challenge):
    if challenge.type == "QCU":
        return "1" if str(challenge.solution) != "1" else "2"
    if challenge.type == "QCM":
        every = ",".join(str(n) for n in range(1, len(challenge.proposals) + 1))
        return every if str(challenge.solution) != every else "1"
    if challenge.type == "QROC":
        return "xqzwv kjhgf"
    return {key: "xqzwv kjhgf" for key in _field_keys(challenge)}


def take_test(participation: Participation, user, level: int | dict[str, int]) -> Assessment:
    """The whole test, right on each skill whose level ≤ ``level`` (or ``level[tube name]``, 0 elsewhere)."""
    assessment = assessment_start_for_participation(participation_id=participation.pk, user=user)
    while True:
        assessment.refresh_from_db()
        if assessment.is_completed:
            return assessment
        challenge = assessment.current_challenge
        skill = challenge.skill
        wanted = level.get(skill.tube.name, 0) if isinstance(level, dict) else level
        value = right_value(challenge) if skill.level <= wanted else wrong_value(challenge)
        answer_record(assessment_id=assessment.pk, user=user, challenge_id=challenge.pk, value=value)


def sent_result(campaign: Campaign, *, level: int | dict[str, int] = 0, learner=None, user=None,
                division: str = "2NDE1", family_name: str | None = None, first_name: str | None = None,
                shared_days_ago: float | None = None) -> Participation:
    """A student joins, takes the test (or, for a profiles collection, has nothing to take) and sends it."""
    if learner is None:
        learner, user = student(campaign.organization, family_name=family_name, first_name=first_name,
                                division=division)
    participation = join(campaign, learner, user)
    if campaign.type == Campaign.Type.ASSESSMENT:
        take_test(participation, user, level)
    participation = participation_share(participation_id=participation.pk, user=user)
    if shared_days_ago is not None:
        Participation.objects.filter(pk=participation.pk).update(shared_at=days_ago(shared_days_ago))
        participation.refresh_from_db()
    return participation


def started(campaign: Campaign, *, division: str = "2NDE1", family_name: str | None = None,
            first_name: str | None = None, answers: int = 0) -> Participation:
    """A student who joined (and answered ``answers`` questions right) without sending anything."""
    learner, user = student(campaign.organization, family_name=family_name, first_name=first_name,
                            division=division)
    participation = join(campaign, learner, user)
    if answers and campaign.type == Campaign.Type.ASSESSMENT:
        assessment = assessment_start_for_participation(participation_id=participation.pk, user=user)
        for _ in range(answers):
            assessment.refresh_from_db()
            if assessment.is_completed:
                break
            challenge = assessment.current_challenge
            answer_record(assessment_id=assessment.pk, user=user, challenge_id=challenge.pk,
                          value=right_value(challenge))
    return participation


def retake(participation: Participation, *, level: int | dict[str, int]) -> Participation:
    """« Repasser mon parcours » five days later (multiple sendings): the failures are asked again; sent again."""
    Participation.objects.filter(pk=participation.pk).update(shared_at=days_ago(5))
    Assessment.objects.filter(participation=participation).update(completed_at=days_ago(5))
    KnowledgeState.objects.filter(user_id=participation.user_id).update(ceiling_at=days_ago(5))
    learner, user = participation.learner, participation.user
    return sent_result(participation.campaign, level=level, learner=learner, user=user)
