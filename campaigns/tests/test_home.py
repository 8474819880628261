"""The school's home page (« Accueil »): where the school stands and the next thing to do, the landing page after
logging in and accepting the terms, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.factories import DEFAULT_PASSWORD
from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Participation
from campaigns.selectors.home import next_step_choose
from organizations.factories import MembershipFactory
from students.factories import LearnerFactory
from students.models import ImportJob


def home_url(organization) -> str:
    return reverse("campaigns:home", args=[organization.pk])


def html(response) -> str:
    return response.content.decode()


def test_logging_in_lands_on_the_school_home_page(client, school, alice_admin):
    response = client.post(reverse("accounts:login"), {"username": alice_admin.email, "password": DEFAULT_PASSWORD},
                           follow=True)

    assert response.redirect_chain[-1][0] == home_url(school)
    assert "<h1>Accueil</h1>" in html(response)


def test_accepting_the_terms_lands_on_the_school_home_page(client, school, alice_admin):
    alice_admin.pix_orga_terms_version = ""
    alice_admin.save(update_fields=["pix_orga_terms_version"])
    client.force_login(alice_admin)
    assert reverse("accounts:terms") in client.get(reverse("organizations:home"), follow=True).redirect_chain[-1][0]

    response = client.post(reverse("accounts:terms"), follow=True)

    assert response.redirect_chain[-1][0] == home_url(school)


def test_a_new_head_is_told_to_invite_the_team_first(client, school, alice_admin):
    client.force_login(alice_admin)

    page = html(client.get(home_url(school)))

    assert "Prochaine étape" in page and "Personne d'autre ne fait encore partie de l'équipe" in page
    assert reverse("invitations:invite", args=[school.pk]) in page
    assert "1 membre" in page and "dont 1 administrateur" in page
    assert "0 élève" in page and "Aucun import SIECLE pour l'instant" in page


def test_with_a_team_the_admin_is_told_to_import_the_students_and_a_member_to_wait(client, school, alice_admin,
                                                                                   bob_member):
    client.force_login(alice_admin)
    assert reverse("students:import", args=[school.pk]) in html(client.get(home_url(school)))

    client.force_login(bob_member)
    page = html(client.get(home_url(school)))
    assert "Un administrateur de l'établissement l'importe depuis SIECLE" in page
    assert reverse("students:import", args=[school.pk]) not in page


def test_the_page_says_where_the_school_stands_and_sends_to_the_latest_results(client, school, alice_admin,
                                                                               bob_member):
    for index in range(3):
        LearnerFactory(organization=school, ine=f"12345678{index}AB")
    LearnerFactory(organization=school, ine="999999999ZZ", disabled_at=timezone.now())  # left: not counted
    finished = timezone.make_aware(datetime.datetime(2026, 9, 7, 10, 0))
    ImportJob.objects.create(organization=school, file_name="eleves.zip", status=ImportJob.Status.DONE,
                             finished_at=finished)
    campaign = CampaignFactory(organization=school, owner=alice_admin)
    ParticipationFactory(campaign=campaign)
    ParticipationFactory(campaign=campaign, status=Participation.Status.SHARED,
                         shared_at=timezone.make_aware(datetime.datetime(2026, 10, 2, 9, 0)))
    ParticipationFactory(campaign=campaign, is_preview=True)  # a teacher's trial run: never counted
    client.force_login(alice_admin)

    page = html(client.get(home_url(school)))

    assert "2 membres" in page and "3 élèves" in page and "Dernier import SIECLE le 7 septembre 2026" in page
    assert "1 campagne" in page and "2 participations en tout" in page
    assert "Derniers reçus le 2 octobre 2026" in page
    assert reverse("campaign_results:results", args=[school.pk, campaign.pk]) in page
    assert "Voir les derniers résultats" in page


def test_the_number_of_queries_does_not_grow_with_the_school(client, school, alice_admin, bob_member,
                                                          django_assert_num_queries):
    campaign = CampaignFactory(organization=school, owner=alice_admin)
    ParticipationFactory(campaign=campaign, status=Participation.Status.SHARED, shared_at=timezone.now())
    LearnerFactory(organization=school, ine="123456789AB")
    client.force_login(alice_admin)
    client.get(home_url(school))  # the session's first writes
    with CaptureQueriesContext(connection) as small:
        client.get(home_url(school))

    for index in range(20):
        LearnerFactory(organization=school, ine=f"2000000{index:02d}AB")
        MembershipFactory(organization=school)
    for _ in range(3):
        other = CampaignFactory(organization=school, owner=alice_admin)
        for _ in range(5):
            ParticipationFactory(campaign=other, status=Participation.Status.SHARED, shared_at=timezone.now())
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(home_url(school)).status_code == 200


def test_an_outsider_gets_404_and_anonymous_is_sent_to_log_in(client, school, charlie_outsider):
    assert client.get(home_url(school)).status_code == 302
    client.force_login(charlie_outsider)
    assert client.get(home_url(school)).status_code == 404


@pytest.mark.parametrize(("figures", "is_admin", "expected"), [
    ({"members": 1, "manages_students": True, "learners": 0, "campaigns": 0}, True, "invite"),
    ({"members": 1, "manages_students": True, "learners": 0, "campaigns": 0}, False, "wait_import"),
    ({"members": 2, "manages_students": True, "learners": 0, "campaigns": 0}, True, "import"),
    ({"members": 2, "manages_students": False, "learners": 0, "campaigns": 0}, True, "campaign"),
    ({"members": 2, "manages_students": True, "learners": 30, "campaigns": 1}, True, "share_code"),
    ({"members": 2, "manages_students": True, "learners": 30, "campaigns": 1, "participants": 4}, True, "follow"),
    ({"members": 2, "manages_students": True, "learners": 30, "campaigns": 1, "participants": 4,
      "results_received": 1}, False, "results"),
])
def test_the_next_step_is_the_first_thing_missing(figures, is_admin, expected):
    figures = {"participants": 0, "results_received": 0, **figures}
    assert next_step_choose(**figures, is_admin=is_admin) == expected
