"""campaign_join and participation_share: every linking rule, refusal code, limit and sending case."""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.factories import UserFactory
from campaigns.errors import (
    CampaignArchived,
    ExternalIdRequired,
    LearnerDetailsRequired,
    LinkConflict,
    NoMatchingLearner,
    ParticipationAlreadyShared,
    ParticipationNotFound,
    ParticipationNotShareable,
    TooManyAttempts,
)
from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, LinkAttempt, Participation
from campaigns.services.joining import campaign_join
from assessments.services import participation_share
from organizations.factories import OrganizationFactory
from students.factories import LearnerFactory
from students.models import Learner, LearnerLinkEvent

BIRTHDATE = datetime.date(2011, 3, 14)


@pytest.fixture
def campaign(school, alice_admin):
    return CampaignFactory(organization=school, owner=alice_admin, name="Rentrée 2NDE")


@pytest.fixture
def eloise(school):
    return LearnerFactory(organization=school, first_name="Éloïse", family_name="Dupré", birthdate=BIRTHDATE,
                          division="2NDE1", ine="123456789AB")


@pytest.fixture
def student(db):
    return UserFactory(email="eloise.dupre@example.net", first_name="Eloise", last_name="Dupre")


def join(campaign, user, *, first_name="Eloise", last_name="Dupre", birthdate=BIRTHDATE, confirm=True, **kwargs):
    return campaign_join(campaign=campaign, user=user, first_name=first_name, last_name=last_name,
                         birthdate=birthdate, confirm=confirm, **kwargs)


def code_of(call) -> str:
    with pytest.raises(LinkConflict) as raised:
        call()
    return raised.value


# --- The match -------------------------------------------------------------------------------------------------------

def test_a_student_typing_names_without_accents_is_linked_and_starts_the_assessment(campaign, eloise, student):
    outcome = join(campaign, student)

    eloise.refresh_from_db()
    assert eloise.user == student and eloise.linked_at is not None
    assert outcome.link == "LINKED" and outcome.created
    participation = outcome.participation
    assert (participation.learner, participation.user, participation.status) == (eloise, student, "STARTED")
    assert LearnerLinkEvent.objects.filter(learner=eloise, user=student, action="LINKED").count() == 1
    assert list(LinkAttempt.objects.values_list("outcome", flat=True)) == ["LINKED"]


def test_a_profiles_collection_starts_ready_to_share(school, eloise, student, alice_admin):
    campaign = CampaignFactory(organization=school, owner=alice_admin, type=Campaign.Type.PROFILES_COLLECTION)
    assert join(campaign, student).participation.status == Participation.Status.TO_SHARE


@pytest.mark.parametrize("typed_first", ["Joé", "Jo e", "Jo-e", "JOE"])
def test_joe_is_found_however_his_name_is_typed(campaign, school, typed_first):
    joe = LearnerFactory(organization=school, first_name="Joe", family_name="Martin", birthdate=BIRTHDATE)
    outcome = join(campaign, UserFactory(), first_name=typed_first, last_name="martin", confirm=False)
    assert outcome.learner == joe


@pytest.mark.parametrize("first_name, last_name, birthdate", [
    ("Eloise", "Dupre", datetime.date(2011, 3, 15)),  # wrong birthdate
    ("Frédérique", "Dupre", BIRTHDATE),  # another first name
    ("Eloise", "Durand", BIRTHDATE),  # another family name
])
def test_wrong_details_give_the_same_no_match_refusal(campaign, eloise, student, first_name, last_name, birthdate):
    with pytest.raises(NoMatchingLearner) as raised:
        join(campaign, student, first_name=first_name, last_name=last_name, birthdate=birthdate)
    assert raised.value.message == (
        "Vérifiez vos informations (prénom, nom et date de naissance) ou contactez un enseignant."
    )
    eloise.refresh_from_db()
    assert eloise.user is None
    assert not Participation.objects.exists()
    assert list(LinkAttempt.objects.values_list("outcome", flat=True)) == ["NO_MATCH"]


def test_a_disabled_learner_cannot_be_matched(campaign, eloise, student):
    Learner.objects.filter(pk=eloise.pk).update(disabled_at=timezone.now())
    with pytest.raises(NoMatchingLearner):
        join(campaign, student)


def test_checking_without_confirming_stores_only_the_attempt(campaign, eloise, student):
    outcome = join(campaign, student, confirm=False)

    assert (outcome.learner.first_name, outcome.learner.family_name) == ("Éloïse", "Dupré")
    assert outcome.participation is None
    eloise.refresh_from_db()
    assert eloise.user is None
    assert not Participation.objects.exists() and not LearnerLinkEvent.objects.exists()
    assert list(LinkAttempt.objects.values_list("outcome", flat=True)) == ["CHECKED"]


def test_a_reserved_campaign_without_details_asks_for_them(campaign, eloise, student):
    with pytest.raises(LearnerDetailsRequired):
        campaign_join(campaign=campaign, user=student, confirm=True)
    assert not LinkAttempt.objects.exists()


def test_the_matching_costs_the_same_queries_in_a_small_and_a_large_school(alice_admin):
    def queries_for(size: int) -> int:
        organization = OrganizationFactory()
        campaign = CampaignFactory(organization=organization, owner=alice_admin)
        LearnerFactory(organization=organization, first_name="Éloïse", family_name="Dupré", birthdate=BIRTHDATE)
        Learner.objects.bulk_create([
            Learner(organization=organization, ine=f"{organization.pk}-{n}", family_name=f"Nom{n}",
                    first_name=f"Prénom{n}", birthdate=datetime.date(2008, 1, 1) + datetime.timedelta(days=n % 2000))
            for n in range(size)
        ])
        student = UserFactory()
        with CaptureQueriesContext(connection) as queries:
            join(campaign, student)
        # The test's own transaction turns the join's into a savepoint: not a statement the join costs in service.
        return len([query for query in queries if "SAVEPOINT" not in query["sql"]])

    # Lock the account, its links, its failed attempts, the candidates, the failures on the name or the learner it
    # designates (after an advisory lock on PostgreSQL), the same INE elsewhere, the link, its audit event, the
    # attempt, the current participation, the new one: a whole school joins at once, each one counts.
    expected = 12 if connection.vendor == "postgresql" else 11
    assert queries_for(10) == queries_for(5_000) == expected


# --- Refusals ------------------------------------------------------------------------------------------------------

def test_r31_learner_already_linked_to_another_account_of_this_school(campaign, eloise, student):
    first = UserFactory(email="jeanne.dupont@example.net")
    join(campaign, first)

    error = code_of(lambda: join(campaign, student))

    assert (error.code, error.http_status) == ("R31", 409)
    assert error.login == "j***@example.net"
    assert error.message == ("L'élève Éloïse Dupré est déjà associé au compte j***@example.net. Connectez-vous avec "
                             "ce compte, ou demandez à un enseignant de dissocier l'élève.")
    assert LinkAttempt.objects.filter(user=student).values_list("outcome", flat=True).get() == "R31"


def test_r32_when_the_other_account_logs_in_with_a_username(campaign, eloise, student):
    other = UserFactory(email=None, username="eloise.dupre1403")
    join(campaign, other)

    error = code_of(lambda: join(campaign, student))

    assert (error.code, error.http_status) == ("R32", 409)
    assert error.login == "e***.d***1403"
    assert error.message == ("L'élève Éloïse Dupré est déjà associé à l'identifiant e***.d***1403. Connectez-vous "
                             "avec ce compte, ou demandez à un enseignant de dissocier l'élève.")
    assert LinkAttempt.objects.filter(user=student).values_list("outcome", flat=True).get() == "R32"


def test_r11_same_ine_linked_to_another_account_in_another_school(campaign, eloise, student, other_school):
    somebody = UserFactory(email="jules.verne@example.net")
    LearnerFactory(organization=other_school, ine=eloise.ine, birthdate=BIRTHDATE, user=somebody,
                   linked_at=timezone.now())

    error = code_of(lambda: join(campaign, student))

    assert (error.code, error.http_status) == ("R11", 409)
    assert "j***@example.net" in error.message and "autre établissement" in error.message
    eloise.refresh_from_db()
    assert eloise.user is None


def test_r12_same_ine_elsewhere_with_an_account_that_logs_in_with_a_username(campaign, eloise, student,
                                                                             other_school):
    somebody = UserFactory(email=None, username="eloise.dupre1403")
    LearnerFactory(organization=other_school, ine=eloise.ine, birthdate=BIRTHDATE, user=somebody,
                   linked_at=timezone.now())

    error = code_of(lambda: join(campaign, student))

    assert (error.code, error.http_status) == ("R12", 409)
    assert "l'identifiant e***.d***1403, utilisé dans un autre établissement" in error.message
    eloise.refresh_from_db()
    assert eloise.user is None


def test_r70_account_already_linked_to_another_learner_of_this_school(campaign, school, eloise, student):
    LearnerFactory(organization=school, first_name="Marc", family_name="Dupré", birthdate=BIRTHDATE, user=student)

    error = code_of(lambda: join(campaign, student))

    assert (error.code, error.http_status) == ("R70", 409)
    assert "e***@example.net" in error.message
    eloise.refresh_from_db()
    assert eloise.user is None


def test_r90_account_linked_elsewhere_to_someone_with_another_ine_and_birthdate(campaign, eloise, student,
                                                                                other_school):
    LearnerFactory(organization=other_school, ine="999999999ZZ", birthdate=datetime.date(2005, 6, 1), user=student)

    error = code_of(lambda: join(campaign, student))
    assert (error.code, error.http_status) == ("R90", 422)
    assert error.message.startswith("Le compte e***@example.net semble appartenir à quelqu'un d'autre.")


def test_an_account_linked_elsewhere_with_the_same_birthdate_is_not_r90(campaign, eloise, student, other_school):
    LearnerFactory(organization=other_school, ine="999999999ZZ", birthdate=BIRTHDATE, user=student)
    assert join(campaign, student).learner == eloise


def test_an_archived_campaign_cannot_be_joined(campaign, eloise, student):
    Campaign.objects.filter(pk=campaign.pk).update(archived_at=timezone.now())
    campaign.refresh_from_db()
    with pytest.raises(CampaignArchived) as raised:
        join(campaign, student)
    assert raised.value.http_status == 403
    assert not Participation.objects.exists()


def test_a_campaign_of_an_archived_organization_cannot_be_joined(campaign, school, eloise, student):
    type(school).objects.filter(pk=school.pk).update(archived_at=timezone.now())
    campaign.refresh_from_db()
    with pytest.raises(CampaignArchived):
        join(campaign, student)


# --- Automatic linking -------------------------------------------------------------------------------------------

def test_an_account_linked_in_this_school_joins_another_campaign_without_details(campaign, school, eloise,
                                                                                student, alice_admin):
    join(campaign, student)
    second = CampaignFactory(organization=school, owner=alice_admin)

    outcome = campaign_join(campaign=second, user=student, confirm=True)

    assert outcome.link == "ALREADY" and outcome.participation.learner == eloise
    assert LearnerLinkEvent.objects.count() == 1


def test_an_account_linked_in_another_school_is_linked_by_ine(campaign, eloise, student, other_school):
    LearnerFactory(organization=other_school, ine=eloise.ine, birthdate=BIRTHDATE, user=student)

    outcome = campaign_join(campaign=campaign, user=student, confirm=True)

    eloise.refresh_from_db()
    assert outcome.link == "AUTO_LINKED" and eloise.user == student
    assert outcome.participation.learner == eloise
    assert LinkAttempt.objects.values_list("outcome", flat=True).get() == "AUTO_LINKED"


def test_a_campaign_of_an_organization_not_managing_students_needs_no_learner(alice_admin, student):
    organization = OrganizationFactory(type="PRO", is_managing_students=False)
    campaign = CampaignFactory(organization=organization, owner=alice_admin)

    outcome = campaign_join(campaign=campaign, user=student, confirm=True)

    assert outcome.learner is None and outcome.participation.learner is None
    assert outcome.participation.status == "STARTED"
    assert not LinkAttempt.objects.exists()


def test_the_external_id_is_required_when_the_campaign_asks_for_it(school, eloise, student, alice_admin):
    campaign = CampaignFactory(organization=school, owner=alice_admin, external_id_label="Numéro d'élève")
    with pytest.raises(ExternalIdRequired):
        join(campaign, student)
    eloise.refresh_from_db()
    assert eloise.user is None  # nothing half-done
    assert join(campaign, student, external_id=" 42 ").participation.external_id == "42"


# --- Attempts -----------------------------------------------------------------------------------------------------

def test_the_sixth_failure_in_fifteen_minutes_is_refused_with_when_to_retry(campaign, eloise, student):
    for _ in range(5):
        with pytest.raises(NoMatchingLearner):
            join(campaign, student, birthdate=datetime.date(2000, 1, 1))

    with pytest.raises(TooManyAttempts) as raised:
        join(campaign, student)  # even the right details wait
    assert raised.value.http_status == 429
    assert "Réessayez dans 15 minutes" in raised.value.message
    assert LinkAttempt.objects.filter(outcome="RATE_LIMITED").count() == 1


def test_the_retry_delay_counts_from_the_oldest_failure_of_the_window(campaign, school, eloise, student):
    now = timezone.now()
    LinkAttempt.objects.bulk_create([LinkAttempt(user=student, organization=school, outcome="NO_MATCH")
                                     for _ in range(5)])
    LinkAttempt.objects.update(created_at=now - datetime.timedelta(minutes=3, seconds=30))
    with pytest.raises(TooManyAttempts) as raised:
        join(campaign, student)
    assert "Réessayez dans 12 minutes" in raised.value.message


def test_twenty_failures_in_a_day_block_until_the_next_day(campaign, school, eloise, student):
    LinkAttempt.objects.bulk_create([LinkAttempt(user=student, organization=school, outcome="NO_MATCH")
                                     for _ in range(20)])
    LinkAttempt.objects.update(created_at=timezone.now() - datetime.timedelta(hours=2))
    with pytest.raises(TooManyAttempts) as raised:
        join(campaign, student)
    assert "Réessayez dans 22 heures" in raised.value.message


def test_failures_are_counted_per_account_and_school(campaign, school, eloise, student, other_school,
                                                    alice_admin):
    other_campaign = CampaignFactory(organization=other_school, owner=alice_admin)
    for _ in range(5):
        with pytest.raises(NoMatchingLearner):
            join(other_campaign, student)
    somebody = UserFactory()
    for _ in range(5):
        with pytest.raises(NoMatchingLearner):
            join(campaign, somebody, birthdate=datetime.date(2000, 1, 1))

    assert join(campaign, student).learner == eloise  # neither another school's failures nor another account's
    with pytest.raises(TooManyAttempts):
        join(campaign, somebody)


def test_attempts_never_store_what_was_typed(campaign, eloise, student):
    join(campaign, student, confirm=False)
    stored = LinkAttempt.objects.values().get()
    # client and address: keyed digests, for attempts without an account (signing up from a campaign).
    assert set(stored) == {"id", "user_id", "client", "address", "organization_id", "campaign_id", "outcome",
                           "name_key", "learner_id", "created_at"}
    assert stored["client"] == stored["address"] == ""
    # The typed names only as a keyed digest (limits per name), and the learner they found.
    assert len(stored["name_key"]) == 64 and "eloise" not in stored["name_key"].lower()
    assert stored["learner_id"] == eloise.pk


# --- Participations ------------------------------------------------------------------------------------------------

def test_a_double_submit_gives_one_participation(campaign, eloise, student):
    first = join(campaign, student)
    second = join(campaign, student)
    assert second.participation == first.participation and not second.created
    assert Participation.objects.count() == 1


def test_with_multiple_sendings_a_new_join_after_sharing_starts_a_new_participation(school, eloise, student,
                                                                                   alice_admin):
    campaign = CampaignFactory(organization=school, owner=alice_admin, type=Campaign.Type.PROFILES_COLLECTION,
                               multiple_sendings=True)
    first = join(campaign, student).participation
    assert join(campaign, student).participation == first  # not shared yet: the same one
    participation_share(participation_id=first.pk, user=student)

    second = join(campaign, student).participation

    first.refresh_from_db()
    assert second != first and second.is_current and not first.is_current
    assert (first.status, second.status) == ("SHARED", "TO_SHARE")


def test_without_multiple_sendings_a_shared_participation_is_returned(school, eloise, student, alice_admin):
    campaign = CampaignFactory(organization=school, owner=alice_admin, type=Campaign.Type.PROFILES_COLLECTION)
    first = join(campaign, student).participation
    participation_share(participation_id=first.pk, user=student)
    assert join(campaign, student).participation == first
    assert Participation.objects.count() == 1


def test_sharing_is_for_the_owner_once(school, eloise, student, alice_admin, bob_member):
    campaign = CampaignFactory(organization=school, owner=alice_admin, type=Campaign.Type.PROFILES_COLLECTION)
    participation = join(campaign, student).participation

    with pytest.raises(ParticipationNotFound):
        participation_share(participation_id=participation.pk, user=bob_member)
    shared = participation_share(participation_id=participation.pk, user=student)
    assert shared.status == "SHARED" and shared.shared_at is not None
    with pytest.raises(ParticipationAlreadyShared) as raised:
        participation_share(participation_id=participation.pk, user=student)
    assert raised.value.http_status == 409


def test_an_assessment_cannot_be_shared_yet(campaign, eloise, student):
    participation = join(campaign, student).participation
    with pytest.raises(ParticipationNotShareable):
        participation_share(participation_id=participation.pk, user=student)


# --- Preview ---------------------------------------------------------------------------------------------------

def test_a_member_previews_without_a_learner_and_it_never_counts(campaign, bob_member, eloise):
    outcome = campaign_join(campaign=campaign, user=bob_member, confirm=True, preview=True)
    assert outcome.participation.is_preview and outcome.participation.learner is None
    assert not LinkAttempt.objects.exists()
    assert campaign_join(campaign=campaign, user=bob_member, confirm=True, preview=True).participation == \
        outcome.participation


def test_an_outsider_cannot_preview(campaign, charlie_outsider):
    with pytest.raises(Http404):
        campaign_join(campaign=campaign, user=charlie_outsider, confirm=True, preview=True)
    assert not Participation.objects.exists()


def test_logs_carry_ids_and_codes_never_what_was_typed(campaign, eloise, student):
    import io
    import logging

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("campaigns")
    previous_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        with pytest.raises(NoMatchingLearner):
            join(campaign, student, birthdate=datetime.date(2011, 3, 15))
        join(campaign, student)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)
    logged = stream.getvalue()
    assert "NO_MATCHING_LEARNER" in logged
    for typed in ("Eloise", "Dupre", "Éloïse", "Dupré", "2011-03-1", "eloise.dupre"):
        assert typed not in logged


def test_after_an_unlink_the_learners_new_account_takes_over_the_participation(campaign, eloise, student):
    wrong = UserFactory()
    old = join(campaign, wrong).participation
    Learner.objects.filter(pk=eloise.pk).update(user=None, linked_at=None)  # an admin's « Dissocier »

    new = join(campaign, student).participation

    old.refresh_from_db()
    assert new.user == student and new.learner == eloise and new.is_current
    assert not old.is_current and old.user == wrong  # kept as history
