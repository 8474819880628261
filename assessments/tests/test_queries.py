"""What an answer, the results page and « Mon profil » cost in queries: a constant, whatever the bank's size and
the student's history (a whole school answers at once).

Inside a test, a transaction's BEGIN/COMMIT is a SAVEPOINT/RELEASE pair, counted here (2 of the counts).
"""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import skillsets
from assessments.models import Answer, Assessment
from assessments.services import (
    answer_record,
    assessment_start_for_competence,
    assessment_start_for_participation,
    participation_share,
)
from assessments.services.certifiability import certifiability_learners_used_since
from assessments.tests.helpers import (  # noqa: F401  (fixtures)
    answer,
    assessment_campaign,
    current,
    days_ago,
    fast_password_hashing,
    fresh_skill_sets,
    other_student,
    participation_of,
    right_value,
    student,
    wrong_value,
)
from content.factories import ChallengeFactory, SkillFactory, TargetProfileFactory, TubeFactory
from content.models import Competence, TargetProfile
from content.testing import content_bank  # noqa: F401

# Lock the test (with the current release, for the skill-set cache), insert the answer, update the tube's knowledge,
# read the knowledge, update the test, keep the participation's progress for the school; and the transaction's two
# statements. Through the API the next challenge comes with the answer and costs nothing more. On PostgreSQL the
# knowledge's UPDATE and read are one statement, and so are the answer's INSERT and the test's and the participation's
# UPDATEs.
ON_POSTGRESQL = connection.vendor == "postgresql"
ANSWER_QUERIES = 5 if ON_POSTGRESQL else 8
# A placement test has no participation to keep up to date (on PostgreSQL that UPDATE was no statement of its own).
PLACEMENT_ANSWER_QUERIES = ANSWER_QUERIES if ON_POSTGRESQL else ANSWER_QUERIES - 1
# The same with the skill set built again (a new release, a new process): the campaign's skills, their challenges.
ANSWER_QUERIES_COLD = ANSWER_QUERIES + 2


def start(campaign, user):
    return assessment_start_for_participation(participation_id=participation_of(campaign, user).pk, user=user)


def answer_counted(assessment, user, *, ok=True):
    challenge = current(assessment)
    value = right_value(challenge) if ok else wrong_value(challenge)
    with CaptureQueriesContext(connection) as queries:
        outcome = answer_record(assessment_id=assessment.pk, user=user, challenge_id=challenge.pk, value=value)
    return outcome, len(queries)


def test_an_answer_on_the_tiny_profile(school, alice_admin, target_profile, student, django_assert_num_queries):
    assessment = start(assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile),
                       student)
    challenge = current(assessment)

    with django_assert_num_queries(ANSWER_QUERIES):
        answer_record(assessment_id=assessment.pk, user=student, challenge_id=challenge.pk, value="2")

    assert Answer.objects.count() == 1


@pytest.fixture
def history(content_bank, school, alice_admin, student):
    """30 answers of the student in other tests: a « Parcours de rentrée 6e », then placement tests."""
    chance = random.Random(30)
    back_to_school = assessment_campaign(organization=school, by=alice_admin, name="Rentrée",
                                         target_profile=TargetProfile.objects.get(key="parcours-de-rentree-6e"))
    first = start(back_to_school, student)
    for _ in range(18):
        answer(first, ok=chance.random() < 0.5)
    for code in ("4.1", "4.2", "4.3", "5.1", "5.2"):
        placement = assessment_start_for_competence(user=student, competence_code=code)
        while Answer.objects.filter(user=student).count() < 30 and not Assessment.objects.get(
                pk=placement.pk).is_completed:
            answer(placement, ok=chance.random() < 0.5)
    assert Answer.objects.filter(user=student).count() == 30
    return chance


def test_an_answer_on_the_16_competences_after_30_earlier_answers(history, school, alice_admin, student):
    everything = assessment_campaign(organization=school, by=alice_admin, name="Tout",
                                     target_profile=TargetProfile.objects.get(key="les-16-competences"))
    assert everything.campaign_skills.count() > 200
    assessment = start(everything, student)

    counts = []
    for _ in range(12):
        outcome, count = answer_counted(assessment, student, ok=history.random() < 0.5)
        counts.append(count)
        assert not outcome.ended

    assert counts == [ANSWER_QUERIES] * 12
    assert Answer.objects.filter(user=student).count() == 42


def test_an_answer_of_a_placement_test_costs_one_query_less(content_bank, student):
    placement = assessment_start_for_competence(user=student, competence_code="1.1")

    assert [answer_counted(placement, student)[1] for _ in range(3)] == [PLACEMENT_ANSWER_QUERIES] * 3


def test_an_answer_after_a_new_release_builds_the_skill_set_once(school, alice_admin, target_profile, student):
    assessment = start(assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile),
                       student)
    skillsets.cache_clear()  # as after content_load, or in a new process

    assert answer_counted(assessment, student)[1] == ANSWER_QUERIES_COLD
    assert answer_counted(assessment, student)[1] == ANSWER_QUERIES


def test_an_answer_through_the_api(history, api_client, school, alice_admin, student):
    everything = assessment_campaign(organization=school, by=alice_admin, name="Tout",
                                     target_profile=TargetProfile.objects.get(key="les-16-competences"))
    assessment = start(everything, student)
    api_client.force_authenticate(student)
    counts = []
    for _ in range(6):
        challenge = current(assessment)
        with CaptureQueriesContext(connection) as queries:
            response = api_client.post(reverse("api-assessment-answers", args=[assessment.pk]),
                                       {"challenge": challenge.pk, "value": wrong_value(challenge)}, format="json")
        assert response.status_code == 201
        counts.append(len(queries))

    assert counts == [ANSWER_QUERIES] * 6


# --- Pages ----------------------------------------------------------------------------------------------------------

def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def sent(campaign, user, *, answers: int | None = None):
    """A finished and sent test (``answers``: stop answering right after that many, then fail the rest)."""
    participation = participation_of(campaign, user)
    assessment = assessment_start_for_participation(participation_id=participation.pk, user=user)
    given = 0
    while not Assessment.objects.get(pk=assessment.pk).is_completed:
        answer(assessment, ok=answers is None or given < answers)
        given += 1
    participation_share(participation_id=participation.pk, user=user)
    participation.refresh_from_db()
    return participation


# The session and its account, the participation (with its campaign, organization, target profile, learner), the
# account's memberships (the site's menu).
RESULTS_PAGE_QUERIES = 4


def test_the_results_page_costs_the_same_for_one_tube_or_the_16_competences(content_bank, client, school,
                                                                             alice_admin, student):
    tube = TubeFactory(name="petitSujet")
    for level in (1, 2):
        ChallengeFactory(skill=SkillFactory(tube=tube, level=level))
    small = sent(assessment_campaign(organization=school, by=alice_admin, name="Petit",
                                     target_profile=TargetProfileFactory(tubes=[(tube, 2)])), student)
    protection = sent(assessment_campaign(organization=school, by=alice_admin, name="Protection",
                                          target_profile=TargetProfile.objects.get(key="protection-et-securite")),
                      student, answers=6)
    assert len(protection.results["competences"]) == 3 and protection.results["badges"]
    client.force_login(student)

    counts = [queries_of(client, reverse("learner:results", args=[p.pk])) for p in (small, protection)]

    assert counts == [RESULTS_PAGE_QUERIES] * 2


# The session and its account, the current release (twice: the score, then the competences), the knowledge, the
# placement tests, the account's memberships (the site's menu).
PROFILE_PAGE_QUERIES = 7


def test_mon_profil_costs_the_same_whatever_the_placement_tests_and_knowledge(content_bank, client, student):
    client.force_login(student)
    client.get(reverse("learner:profile"))  # the skill table read once per release
    before = queries_of(client, reverse("learner:profile"))

    for code in ("1.1", "2.2", "4.1", "5.2"):
        placement = assessment_start_for_competence(user=student, competence_code=code)
        for _ in range(2):
            if not Assessment.objects.get(pk=placement.pk).is_completed:
                answer(placement, ok=True)
    Assessment.objects.filter(competence__in=Competence.objects.filter(code__in=["1.1", "2.2"])).update(
        state="completed", completed_at=days_ago(1), current_challenge=None)
    after = queries_of(client, reverse("learner:profile"))

    assert [before, after] == [PROFILE_PAGE_QUERIES] * 2


def test_the_profile_api_costs_the_same_whatever_the_history(history, api_client, student, other_student):
    api_client.force_authenticate(other_student)
    api_client.get(reverse("api-my-profile"))  # the skill table read once per release
    counts = []
    for user in (other_student, student):  # no history, then 30 answers in six tests
        api_client.force_authenticate(user)
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(reverse("api-my-profile"))
        assert response.status_code == 200 and len(response.json()["competences"]) == 16
        counts.append(len(queries))

    # The current release (twice), the knowledge, the placement tests.
    assert counts == [4, 4]


def test_the_history_read_back_is_every_answer_in_order(history, school, alice_admin, student):
    """The database adds each answer to the test's history (it is not sent whole): what it holds is the answers."""
    everything = assessment_campaign(organization=school, by=alice_admin, name="Tout",
                                     target_profile=TargetProfile.objects.get(key="les-16-competences"))
    assessment = start(everything, student)
    for _ in range(8):
        answer_counted(assessment, student, ok=history.random() < 0.5)

    stored = Assessment.objects.get(pk=assessment.pk)
    answers = Answer.objects.filter(assessment=assessment).select_related("challenge__skill").order_by("index")
    assert stored.history == [[each.challenge.skill.level, each.status == "ok", each.challenge_id,
                               each.challenge.timer is not None] for each in answers]
    assert stored.answers_count == len(answers) == 8


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL: set DATABASE_URL")
@pytest.mark.django_db
def test_the_tables_an_answer_writes_keep_only_the_indexes_read():
    """Every answer writes one entry per index of Answer; no index on the test's served challenge, so that
    updating a test after an answer can be HOT (no new entry in its indexes)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE tablename IN (%s, %s)",
                       [Answer._meta.db_table, Assessment._meta.db_table])
        definitions = cursor.fetchall()
    answer_indexes = [definition for table, definition in definitions if table == Answer._meta.db_table]
    # id, (test, index), (test, challenge), (challenge, status), account: an entry each per answer; and the BRIN
    # on the date, which takes none.
    assert len(answer_indexes) == 6
    assert [definition for definition in answer_indexes if "USING brin" in definition] == [
        f"CREATE INDEX answer_created_at_brin ON public.{Answer._meta.db_table} USING brin (created_at) "
        "WITH (autosummarize='on')"]
    assert not any("current_challenge_id" in definition for _table, definition in definitions)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL: set DATABASE_URL")
@pytest.mark.django_db
def test_the_nightly_run_finds_who_answered_through_the_date_index():
    """The accounts that answered since the last run are found from the BRIN index on the answers' date, not by
    reading every answer ever given (on a test's few rows the planner would read the table anyway: told not to)."""
    with CaptureQueriesContext(connection) as queries:
        certifiability_learners_used_since(since=days_ago(1))
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {query['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on answer_created_at_brin" in plan
