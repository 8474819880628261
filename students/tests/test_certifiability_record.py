"""Recording a learner's certifiability: the latest date wins, whoever writes first; in bulk."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.factories import UserFactory
from students.factories import LearnerFactory
from students.models import Learner
from students.services import certifiability as service
from students.services.certifiability import (
    CertifiabilityProfile,
    learner_certifiabilities_record,
    learner_certifiability_record,
)

pytestmark = pytest.mark.django_db

SHARED = Learner.CertifiabilitySource.PROFILE_SHARED
COMPUTED = Learner.CertifiabilitySource.COMPUTED
MONDAY = timezone.make_aware(datetime.datetime(2026, 11, 2, 21, 0))


def at(days: float) -> datetime.datetime:
    return MONDAY + datetime.timedelta(days=days)


def levels(*certifiable_codes: str, pix_elsewhere: int = 3) -> dict:
    """A profile with level 1 (8 pix) in the given competences and ``pix_elsewhere`` pix in 1.1 … 1.3 otherwise."""
    profile = {code: {"pix": pix_elsewhere, "level": 0} for code in ("1.1", "1.2", "1.3")}
    profile.update({code: {"pix": 8, "level": 1} for code in certifiable_codes})
    return profile


def stored(learner: Learner) -> tuple:
    learner.refresh_from_db()
    return learner.certifiability, learner.certifiability_at, learner.certifiability_source


def test_a_learner_never_known_is_non_communique(school):
    learner = LearnerFactory(organization=school)
    assert stored(learner) == ("", None, "")
    assert learner.certifiability_levels == {} and learner.certifiable_competences is None


def test_the_first_profile_is_recorded_with_its_date_source_and_levels(school):
    learner = LearnerFactory(organization=school)

    written = learner_certifiability_record(learner_ids=[learner.pk], certifiable=False, at=at(0), source=SHARED,
                                            competences=levels("2.1", "2.2"))

    assert written == 1
    assert stored(learner) == (Learner.Certifiability.NOT_CERTIFIABLE, at(0), SHARED)
    assert learner.certifiable_competences == 2
    assert learner.certifiability_levels["2.1"] == {"pix": 8, "level": 1}
    assert learner.certifiability_levels["1.1"] == {"pix": 3, "level": 0}


def test_a_newer_date_replaces_an_older_one_whatever_the_source(school):
    learner = LearnerFactory(organization=school)
    learner_certifiability_record(learner_ids=[learner.pk], certifiable=False, at=at(0), source=SHARED)

    learner_certifiability_record(learner_ids=[learner.pk], certifiable=True, at=at(1), source=COMPUTED,
                                  competences=levels("1.1", "1.2", "1.3", "2.1", "2.2"))

    assert stored(learner) == (Learner.Certifiability.CERTIFIABLE, at(1), COMPUTED)
    assert learner.certifiable_competences == 5


def test_an_older_date_arriving_later_changes_nothing(school):
    learner = LearnerFactory(organization=school)
    learner_certifiability_record(learner_ids=[learner.pk], certifiable=True, at=at(2), source=SHARED,
                                  competences=levels("1.1", "1.2", "1.3", "2.1", "2.2"))

    written = learner_certifiability_record(learner_ids=[learner.pk], certifiable=False, at=at(1), source=COMPUTED,
                                            competences=levels())

    assert written == 0
    assert stored(learner) == (Learner.Certifiability.CERTIFIABLE, at(2), SHARED)
    assert learner.certifiable_competences == 5


def test_the_same_date_twice_keeps_the_first(school):
    learner = LearnerFactory(organization=school)
    learner_certifiability_record(learner_ids=[learner.pk], certifiable=True, at=at(0), source=SHARED)
    assert learner_certifiability_record(learner_ids=[learner.pk], certifiable=False, at=at(0),
                                         source=COMPUTED) == 0
    assert stored(learner) == (Learner.Certifiability.CERTIFIABLE, at(0), SHARED)


def test_by_account_it_reaches_the_accounts_learners_in_every_school(school, other_school):
    student = UserFactory()
    here = LearnerFactory(organization=school, user=student)
    there = LearnerFactory(organization=other_school, user=student)
    someone_else = LearnerFactory(organization=school, user=UserFactory())

    assert learner_certifiability_record(user_id=student.pk, certifiable=True, at=at(0), source=COMPUTED) == 2

    assert stored(here)[0] == stored(there)[0] == Learner.Certifiability.CERTIFIABLE
    assert stored(someone_else) == ("", None, "")


def test_someone_must_be_named():
    with pytest.raises(ValueError):
        learner_certifiability_record(certifiable=True, at=at(0), source=COMPUTED)


def test_in_bulk_each_learner_gets_its_own_profile_and_newer_values_stay(school, monkeypatch):
    monkeypatch.setattr(service, "CHUNK_SIZE", 2)  # three chunks for five learners
    learners = [LearnerFactory(organization=school) for _ in range(5)]
    # The third one sent a profile after the computation's date: it keeps it.
    learner_certifiability_record(learner_ids=[learners[2].pk], certifiable=True, at=at(1), source=SHARED,
                                  competences=levels("1.1", "1.2", "1.3", "2.1", "2.2"))
    profiles = {learner.pk: CertifiabilityProfile(certifiable=index % 2 == 0, competences=levels(*["1.1"] * index))
                for index, learner in enumerate(learners)}

    written = learner_certifiabilities_record(profiles=profiles, at=at(0.5), source=COMPUTED)

    assert written == 4
    results = {learner.pk: stored(learner) for learner in learners}
    assert results[learners[0].pk] == (Learner.Certifiability.CERTIFIABLE, at(0.5), COMPUTED)
    assert results[learners[1].pk] == (Learner.Certifiability.NOT_CERTIFIABLE, at(0.5), COMPUTED)
    assert results[learners[2].pk] == (Learner.Certifiability.CERTIFIABLE, at(1), SHARED)
    learners[1].refresh_from_db()
    learners[0].refresh_from_db()
    assert learners[1].certifiable_competences == 1 and learners[1].certifiability_levels["1.1"]["level"] == 1
    assert learners[0].certifiable_competences == 0


def test_the_database_refuses_a_status_without_its_date(school):
    learner = LearnerFactory(organization=school)
    with pytest.raises(IntegrityError), transaction.atomic():
        Learner.objects.filter(pk=learner.pk).update(certifiability=Learner.Certifiability.CERTIFIABLE)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_writers_racing_keep_the_newest_date_whatever_their_order():
    from organizations.factories import OrganizationFactory
    from pixorga.testing import run_together

    learners = [LearnerFactory(organization=OrganizationFactory()) for _ in range(3)]
    ids = [learner.pk for learner in learners]
    dates = [at(hours / 24) for hours in range(8)]  # eight writers, each with its own date

    def write(i):
        if i % 2:  # half as the nightly run (in bulk), half as profiles sent
            return learner_certifiabilities_record(
                profiles={pk: CertifiabilityProfile(certifiable=i == 7, competences=levels()) for pk in ids},
                at=dates[i], source=COMPUTED)
        return learner_certifiability_record(learner_ids=ids, certifiable=False, at=dates[i], source=SHARED)

    results = run_together(write, len(dates))

    assert {kind for kind, _ in results} == {"ok"}
    for learner in learners:
        assert stored(learner) == (Learner.Certifiability.CERTIFIABLE, dates[7], COMPUTED)
