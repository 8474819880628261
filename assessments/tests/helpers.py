"""What the tests of assessments/ share: a campaign on a target profile, a student's participation, right and
wrong answers to any challenge, and a fresh in-memory skill-set cache for every test."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.factories import UserFactory
from assessments import skillsets
from assessments.correction import proposal_fields
from assessments.models import Assessment
from assessments.services import answer_record
from campaigns.models import Campaign, Participation
from campaigns.services.campaigns import campaign_create
from content.models import Challenge, TargetProfile


@pytest.fixture(autouse=True)
def fresh_skill_sets():
    """The skill sets are cached in memory by (campaign id, release version); test databases reuse both."""
    skillsets.cache_clear()
    yield
    skillsets.cache_clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 costs ~0.1 s per account; these tests create accounts and never test hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def student(db):
    return UserFactory(email="eloise.dupre@example.net", first_name="Éloïse", last_name="Dupré")


@pytest.fixture
def other_student(db):
    return UserFactory(email="marc.leroy@example.net", first_name="Marc", last_name="Leroy")


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def assessment_campaign(*, organization, by, target_profile: TargetProfile, multiple_sendings: bool = False,
                        name: str = "Rentrée des secondes") -> Campaign:
    """An « Évaluation » created the way a teacher creates one (its skills frozen)."""
    return campaign_create(organization=organization, by=by, name=name, type=Campaign.Type.ASSESSMENT,
                           title=name, target_profile=target_profile, multiple_sendings=multiple_sendings)


def participation_of(campaign: Campaign, user) -> Participation:
    status = (Participation.Status.TO_SHARE if campaign.type == Campaign.Type.PROFILES_COLLECTION
              else Participation.Status.STARTED)
    return Participation.objects.create(campaign=campaign, user=user, status=status)


def field_keys(challenge: Challenge) -> list[str]:
    template = challenge.proposals if isinstance(challenge.proposals, str) and challenge.proposals else "${reponse}"
    return [field.key for field in proposal_fields(template)]


def right_value(challenge: Challenge):
    """A value the correction accepts, built from the challenge's own solution."""
    if challenge.type in ("QCU", "QCM"):
        return str(challenge.solution)
    if challenge.type == "QROC":
        return next(line for line in str(challenge.solution).splitlines() if line.strip())
    keys = field_keys(challenge)
    if challenge.type == "QROCM-ind":
        return {key: challenge.solution[key][0] for key in keys}
    groups = list(challenge.solution.values())  # QROCM-dep: each field takes another group
    return {key: groups[index][0] for index, key in enumerate(keys)}


def wrong_value(challenge: Challenge):
    """A complete value the correction refuses."""
    if challenge.type == "QCU":
        return "1" if str(challenge.solution) != "1" else "2"
    if challenge.type == "QCM":
        every = ",".join(str(n) for n in range(1, len(challenge.proposals) + 1))
        return every if str(challenge.solution) != every else "1"
    if challenge.type == "QROC":
        return "xqzwv kjhgf"
    return {key: "xqzwv kjhgf" for key in field_keys(challenge)}


def current(assessment: Assessment) -> Challenge:
    assessment.refresh_from_db()
    return assessment.current_challenge


def answer(assessment: Assessment, *, ok: bool = True, skip: bool = False):
    """The student answers the challenge served, right or wrong (or « Je passe »)."""
    challenge = current(assessment)
    value = None if skip else (right_value(challenge) if ok else wrong_value(challenge))
    return answer_record(assessment_id=assessment.pk, user=assessment.user, challenge_id=challenge.pk, value=value,
                         skip=skip)


def answer_as_level(assessment: Assessment, true_levels: dict[str, int]):
    """Answer until the end as a student whose level in each tube (by name) is ``true_levels`` (0 elsewhere)."""
    outcomes = []
    while True:
        assessment.refresh_from_db()
        if assessment.is_completed:
            return outcomes
        skill = assessment.current_challenge.skill
        outcomes.append(answer(assessment, ok=skill.level <= true_levels.get(skill.tube.name, 0)))

