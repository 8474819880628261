"""Certifiability written on the learners: when a profiles collection is sent, and by the nightly computation for
the students whose account was used (logged in or answered) since the last run."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.factories import UserFactory
from assessments.models import KnowledgeState
from assessments.selectors import profile_score_for_user
from assessments.services import answer_record, assessment_start_for_participation, participation_share
from assessments.services import certifiability as nightly
from assessments.services.certifiability import (
    certifiability_compute,
    certifiability_learners_used_since,
    score_from_floors,
)
from assessments.skillsets import skill_table
from assessments.tasks import certifiability_compute_nightly
from campaigns.models import Campaign
from campaigns.services.campaigns import campaign_create
from campaigns.services.joining import campaign_join
from content.models import Tube
from content.testing import content_bank  # noqa: F401
from organizations.factories import OrganizationFactory
from students.factories import LearnerFactory
from students.models import Learner
from students.services.certifiability import learner_certifiability_record
from students.tests.certifiability_helpers import fast_password_hashing  # noqa: F401

pytestmark = pytest.mark.django_db

COMPUTED = Learner.CertifiabilitySource.COMPUTED
SHARED = Learner.CertifiabilitySource.PROFILE_SHARED

# Each competence of the bank has three tubes, each with one skill per level worth 8 ÷ 3 pix: the three level-1
# skills of a competence make its 8 pix (level 1); two skills make 5 pix (level 0).
LEVEL_ONE = {
    "1.1": {"motsCles": 1, "fiabiliteSource": 1, "veilleInfo": 1},
    "1.3": {"formulesTableur": 1, "trierFiltrer": 1, "lireGraphique": 1},
    "2.1": {"choixCanal": 1, "courrielPro": 1, "visioReunion": 1},
    "2.2": {"reutilisationOeuvre": 1, "visibilitePartage": 1, "photoAutrui": 1},
}
FIFTH = {"droitsCollaboration": 1, "coEdition": 1, "organisationGroupe": 1}  # 2.3


def knowledge(user, floors: dict[str, int]) -> None:
    """What the account has validated, by hand: the highest level validated per tube (by name)."""
    tubes = dict(Tube.objects.filter(name__in=floors).values_list("name", "id"))
    for name, floor in floors.items():
        KnowledgeState.objects.update_or_create(user=user, tube_id=tubes[name], defaults={"floor": floor})


def four_competences_and_five_pix(user) -> None:
    floors = {name: level for tubes in LEVEL_ONE.values() for name, level in tubes.items()}
    floors["rangementFichiers"] = 2  # 1.2: two skills (levels 1 and 2) → 5 pix, level 0
    knowledge(user, floors)


def student_of(school, *, first_name="Zoé", last_name="Aubert", last_login=None, division="2NDE1") -> Learner:
    user = UserFactory(first_name=first_name, last_name=last_name, last_login=last_login)
    return LearnerFactory(organization=school, user=user, first_name=first_name, family_name=last_name,
                          division=division)


def now_and_since():
    now = timezone.now()
    return now, now - datetime.timedelta(hours=24)


# Which learners the nightly run takes.

def test_the_run_takes_the_learners_whose_account_logged_in_since(school):
    now, since = now_and_since()
    logged_today = student_of(school, last_name="Aubert", last_login=now - datetime.timedelta(hours=3))
    logged_yesterday = student_of(school, last_name="Bernard", last_login=since - datetime.timedelta(minutes=1))
    never = student_of(school, last_name="Colin")
    unlinked = LearnerFactory(organization=school)
    left = student_of(school, last_name="Dumas", last_login=now)
    Learner.objects.filter(pk=left.pk).update(disabled_at=now)
    elsewhere = student_of(OrganizationFactory(is_managing_students=False), last_name="Roux", last_login=now)
    archived_school = OrganizationFactory(archived_at=now)
    archived = student_of(archived_school, last_name="Petit", last_login=now)

    chosen = {learner_id for learner_id, _ in certifiability_learners_used_since(since=since)}

    assert chosen == {logged_today.pk}
    assert not chosen & {logged_yesterday.pk, never.pk, unlinked.pk, left.pk, elsewhere.pk, archived.pk}


def test_the_run_takes_an_account_that_answered_a_question_without_logging_in(school, alice_admin, target_profile):
    now, since = now_and_since()
    learner = student_of(school, last_login=since - datetime.timedelta(days=3))
    campaign = campaign_create(organization=school, by=alice_admin, name="Rentrée", type=Campaign.Type.ASSESSMENT,
                               target_profile=target_profile)
    joined = campaign_join(campaign=campaign, user=learner.user, confirm=True, first_name=learner.first_name,
                           last_name=learner.family_name, birthdate=learner.birthdate)
    assert joined.learner.pk == learner.pk
    assessment = assessment_start_for_participation(participation_id=joined.participation.pk, user=learner.user)
    assessment.refresh_from_db()
    answer_record(assessment_id=assessment.pk, user=learner.user, challenge_id=assessment.current_challenge_id,
                  value="2")

    assert certifiability_learners_used_since(since=since) == [(learner.pk, learner.user_id)]
    assert certifiability_learners_used_since(since=timezone.now() + datetime.timedelta(minutes=1)) == []


def test_one_account_linked_in_two_schools_is_scored_once_and_written_on_both(school, other_school, content_bank):
    now, since = now_and_since()
    here = student_of(school, last_login=now)
    there = LearnerFactory(organization=other_school, user=here.user)
    four_competences_and_five_pix(here.user)

    run = certifiability_compute(since=since, now=now)

    assert (run.learners, run.accounts, run.written) == (2, 1, 2)
    there.refresh_from_db()
    assert there.certifiability == Learner.Certifiability.NOT_CERTIFIABLE and there.certifiability_at == now


# What it computes.

def test_the_computation_against_a_hand_built_knowledge(school, content_bank):
    now, since = now_and_since()
    learner = student_of(school, last_login=now)
    four_competences_and_five_pix(learner.user)

    certifiability_compute(since=since, now=now)

    learner.refresh_from_db()
    assert (learner.certifiability, learner.certifiability_at, learner.certifiability_source) == (
        Learner.Certifiability.NOT_CERTIFIABLE, now, COMPUTED)
    assert learner.certifiable_competences == 4
    levels = learner.certifiability_levels
    assert len(levels) == 16
    assert {code: levels[code] for code in ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3")} == {
        "1.1": {"pix": 8, "level": 1}, "1.2": {"pix": 5, "level": 0}, "1.3": {"pix": 8, "level": 1},
        "2.1": {"pix": 8, "level": 1}, "2.2": {"pix": 8, "level": 1}, "2.3": {"pix": 0, "level": 0},
    }

    # The next evening, with a fifth competence at level 1, the student becomes certifiable.
    knowledge(learner.user, FIFTH)
    later = now + datetime.timedelta(days=1)
    certifiability_compute(since=later - datetime.timedelta(hours=24), now=later)
    learner.refresh_from_db()
    assert (learner.certifiability, learner.certifiability_at, learner.certifiable_competences) == (
        Learner.Certifiability.CERTIFIABLE, later, 5)


def test_levels_above_one_and_the_cap(school, content_bank, settings):
    settings.MAX_REACHABLE_LEVEL = 1
    now, since = now_and_since()
    learner = student_of(school, last_login=now)
    knowledge(learner.user, {"motsCles": 3, "fiabiliteSource": 3, "veilleInfo": 3})  # 9 skills: 24 pix, level 3

    certifiability_compute(since=since, now=now)

    learner.refresh_from_db()
    assert learner.certifiability_levels["1.1"] == {"pix": 8, "level": 1}  # capped at MAX_REACHABLE_LEVEL × 8


def test_the_bulk_score_is_the_students_own_profile(content_bank):
    user = UserFactory()
    four_competences_and_five_pix(user)
    knowledge(user, {"motDePasseRobuste": 4, "hameconnage": 2, "connexionReseau": 1})
    floors = dict(KnowledgeState.objects.filter(user=user).values_list("tube_id", "floor"))
    assert score_from_floors(floors, table=skill_table()) == profile_score_for_user(user_id=user.pk)


def test_a_student_without_any_knowledge_is_not_certifiable(school, content_bank):
    now, since = now_and_since()
    learner = student_of(school, last_login=now)
    certifiability_compute(since=since, now=now)
    learner.refresh_from_db()
    assert learner.certifiability == Learner.Certifiability.NOT_CERTIFIABLE
    assert learner.certifiable_competences == 0 and learner.certifiability_levels["5.2"] == {"pix": 0, "level": 0}


def test_the_run_reads_the_knowledge_once_per_chunk_of_accounts(school, content_bank, monkeypatch):
    monkeypatch.setattr(nightly, "ACCOUNTS_PER_CHUNK", 4)
    now, since = now_and_since()
    skill_table()  # the release's table, kept in memory by the first run of the process
    for number in range(4):
        four_competences_and_five_pix(student_of(school, last_name=f"Élève{number}", last_login=now).user)
    with CaptureQueriesContext(connection) as one_chunk:
        certifiability_compute(since=since, now=now)
    for number in range(4, 8):
        four_competences_and_five_pix(student_of(school, last_name=f"Élève{number}", last_login=now).user)
    with CaptureQueriesContext(connection) as two_chunks:
        run = certifiability_compute(since=since, now=now + datetime.timedelta(seconds=1))
    assert run.written == 8
    # Per chunk: one read of the knowledge, one UPDATE of the learners.
    assert len(two_chunks) == len(one_chunk) + 2


# Sending a profiles collection.

@pytest.fixture
def collection(school, alice_admin):
    return campaign_create(organization=school, by=alice_admin, name="Profils de décembre",
                           type=Campaign.Type.PROFILES_COLLECTION)


def join(campaign, learner):
    return campaign_join(campaign=campaign, user=learner.user, confirm=True, first_name=learner.first_name,
                         last_name=learner.family_name, birthdate=learner.birthdate).participation


def test_sending_a_profile_records_it_on_the_learner_with_the_sending_date(school, collection, content_bank):
    learner = student_of(school)
    four_competences_and_five_pix(learner.user)
    knowledge(learner.user, FIFTH)
    participation = join(collection, learner)

    shared = participation_share(participation_id=participation.pk, user=learner.user)

    learner.refresh_from_db()
    assert shared.is_certifiable is True
    assert (learner.certifiability, learner.certifiability_at, learner.certifiability_source) == (
        Learner.Certifiability.CERTIFIABLE, shared.shared_at, SHARED)
    assert learner.certifiable_competences == 5
    assert learner.certifiability_levels["1.2"] == {"pix": 5, "level": 0}


def test_a_profile_sent_after_the_nightly_run_wins_and_an_older_run_cannot_overwrite_it(school, collection,
                                                                                       content_bank):
    learner = student_of(school, last_login=timezone.now())
    four_competences_and_five_pix(learner.user)
    before = timezone.now() - datetime.timedelta(minutes=5)
    certifiability_compute(since=before - datetime.timedelta(hours=24), now=before)
    learner.refresh_from_db()
    assert learner.certifiability == Learner.Certifiability.NOT_CERTIFIABLE

    knowledge(learner.user, FIFTH)
    shared = participation_share(participation_id=join(collection, learner).pk, user=learner.user)
    # A run dated before the sending (started earlier, finishing now) leaves the profile sent in place.
    knowledge(learner.user, {"coEdition": 0, "organisationGroupe": 0})
    certifiability_compute(since=before - datetime.timedelta(hours=24), now=before + datetime.timedelta(minutes=1))

    learner.refresh_from_db()
    assert (learner.certifiability, learner.certifiability_at, learner.certifiability_source) == (
        Learner.Certifiability.CERTIFIABLE, shared.shared_at, SHARED)


def test_a_later_nightly_run_replaces_a_profile_sent_earlier(school, collection, content_bank):
    learner = student_of(school, last_login=timezone.now())
    four_competences_and_five_pix(learner.user)
    shared = participation_share(participation_id=join(collection, learner).pk, user=learner.user)
    knowledge(learner.user, FIFTH)
    tonight = shared.shared_at + datetime.timedelta(hours=2)

    certifiability_compute(since=tonight - datetime.timedelta(hours=24), now=tonight)

    learner.refresh_from_db()
    assert (learner.certifiability, learner.certifiability_at, learner.certifiability_source) == (
        Learner.Certifiability.CERTIFIABLE, tonight, COMPUTED)


def test_a_profile_sent_in_an_organization_without_students_records_nothing(alice_admin, content_bank):
    from organizations.factories import MembershipFactory

    workshop = OrganizationFactory(is_managing_students=False, type="PRO", external_id="")
    MembershipFactory(organization=workshop, user=alice_admin)
    campaign = campaign_create(organization=workshop, by=alice_admin, name="Atelier",
                               type=Campaign.Type.PROFILES_COLLECTION)
    student = UserFactory()
    participation = campaign_join(campaign=campaign, user=student, confirm=True).participation
    assert participation.learner_id is None
    assert participation_share(participation_id=participation.pk, user=student).is_certifiable is False
    assert not Learner.objects.exclude(certifiability="").exists()


# The nightly task, its schedule and the cron command.

def test_the_task_scores_the_accounts_of_the_last_24_hours(school, content_bank):
    used = student_of(school, last_name="Aubert", last_login=timezone.now() - datetime.timedelta(hours=23))
    not_used = student_of(school, last_name="Bernard", last_login=timezone.now() - datetime.timedelta(hours=25))

    result = certifiability_compute_nightly.delay().get()

    assert (result["learners"], result["accounts"], result["written"]) == (1, 1, 1)
    used.refresh_from_db()
    not_used.refresh_from_db()
    assert used.certifiability_source == COMPUTED and not_used.certifiability == ""


def test_beat_runs_it_every_evening_at_nine_paris_time():
    from pixorga.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["certifiability-compute-nightly"]
    assert entry["task"] == certifiability_compute_nightly.name == "assessments.certifiability_compute_nightly"
    assert entry["task"] in app.tasks
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({21}, {0})
    assert str(app.conf.timezone) == "Europe/Paris"


def test_the_command_for_a_cron_says_what_it_did(school, content_bank):
    student_of(school, last_login=timezone.now() - datetime.timedelta(hours=30))
    out = io.StringIO()
    call_command("certifiability_compute", stdout=out)
    assert out.getvalue().startswith("Certificabilité calculée : 0 élève (0 compte), 0 mise à jour, en ")
    out = io.StringIO()
    call_command("certifiability_compute", "--hours", "48", stdout=out)
    assert out.getvalue().startswith("Certificabilité calculée : 1 élève (1 compte), 1 mise à jour, en ")


def test_an_older_computed_value_never_replaces_a_newer_one(school, content_bank):
    now, since = now_and_since()
    learner = student_of(school, last_login=now)
    learner_certifiability_record(learner_ids=[learner.pk], certifiable=True, at=now, source=SHARED)
    assert certifiability_compute(since=since, now=now - datetime.timedelta(seconds=1)).written == 0
    learner.refresh_from_db()
    assert (learner.certifiability, learner.certifiability_source) == (Learner.Certifiability.CERTIFIABLE, SHARED)
