"""« Dissocier »: an ADMIN unlinks a learner from the account that linked it; the students page shows the linked
account (masked). The participations column and re-linking by joining a campaign: campaigns/tests/test_learner_links.py."""

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from students.factories import LearnerFactory
from students.models import LearnerLinkEvent
from students.services.links import LearnerNotLinked, learner_unlink

pytestmark = pytest.mark.django_db


@pytest.fixture
def student():
    return UserFactory(email="jeanne.dupont@example.net", first_name="Jeanne", last_name="Dupont")


@pytest.fixture
def linked(school, student):
    # Linked as campaigns' linking leaves it (the account, its date, the LINKED event).
    learner = LearnerFactory(organization=school, family_name="Dupont", first_name="Jeanne", division="6EME1",
                             user=student, linked_at=timezone.now())
    LearnerLinkEvent.objects.create(learner=learner, user=student, action=LearnerLinkEvent.Action.LINKED, by=student)
    return learner


def unlink_url(learner):
    return reverse("students:unlink", args=[learner.organization_id, learner.pk])


def api_url(learner):
    return f"/api/v1/organizations/{learner.organization_id}/students/{learner.pk}/unlink/"


# The service.

def test_admin_unlinks_and_the_audit_trail_records_it(school, alice_admin, linked, student):
    learner = learner_unlink(organization=school, learner_id=linked.pk, by=alice_admin)

    assert learner.user_id is None and learner.linked_at is None
    event = LearnerLinkEvent.objects.filter(learner=linked).latest("pk")
    assert (event.action, event.user_id, event.by_id) == (LearnerLinkEvent.Action.UNLINKED, student.pk, alice_admin.pk)


def test_member_may_not_unlink(school, bob_member, linked):
    with pytest.raises(PermissionDenied):
        learner_unlink(organization=school, learner_id=linked.pk, by=bob_member)
    linked.refresh_from_db()
    assert linked.user_id is not None


def test_outsider_and_other_schools_learner_are_404(school, other_school, charlie_outsider, alice_admin, linked):
    with pytest.raises(Http404):
        learner_unlink(organization=school, learner_id=linked.pk, by=charlie_outsider)
    with pytest.raises(Http404):  # charlie's own school, alice's learner id
        learner_unlink(organization=other_school, learner_id=linked.pk, by=charlie_outsider)
    elsewhere = LearnerFactory(organization=other_school, user=UserFactory())
    with pytest.raises(Http404):
        learner_unlink(organization=school, learner_id=elsewhere.pk, by=alice_admin)


def test_a_learner_without_account_cannot_be_unlinked_twice(school, alice_admin, linked):
    learner_unlink(organization=school, learner_id=linked.pk, by=alice_admin)
    with pytest.raises(LearnerNotLinked):
        learner_unlink(organization=school, learner_id=linked.pk, by=alice_admin)
    assert LearnerLinkEvent.objects.filter(learner=linked, action="UNLINKED").count() == 1


# The pages.

def test_admin_confirms_then_unlinks(client, school, alice_admin, linked):
    client.force_login(alice_admin)
    page = html.unescape(client.get(unlink_url(linked)).content.decode())
    assert "Dissocier l'élève de son compte" in page and "j***@example.net" in page
    assert "jeanne.dupont@example.net" not in page
    assert "Ses participations aux campagnes sont conservées." in page

    response = client.post(unlink_url(linked), follow=True)
    assert response.redirect_chain[-1][0] == reverse("students:list", args=[school.pk])
    assert "Le compte j***@example.net n'est plus associé à Jeanne Dupont" in html.unescape(response.content.decode())
    linked.refresh_from_db()
    assert linked.user_id is None


def test_unlinking_an_unlinked_learner_says_so(client, school, alice_admin):
    learner = LearnerFactory(organization=school)
    client.force_login(alice_admin)
    response = client.post(unlink_url(learner), follow=True)
    assert "Cet élève n'est associé à aucun compte" in html.unescape(response.content.decode())


def test_member_gets_403_outsider_404_anonymous_login(client, school, bob_member, charlie_outsider, linked):
    client.force_login(bob_member)
    assert client.get(unlink_url(linked)).status_code == 403
    assert client.post(unlink_url(linked)).status_code == 403
    client.force_login(charlie_outsider)
    assert client.post(unlink_url(linked)).status_code == 404
    client.logout()
    response = client.post(unlink_url(linked))
    assert response.status_code == 302 and response["Location"].startswith("/connexion")
    linked.refresh_from_db()
    assert linked.user_id is not None


# The API.

def test_api_member_403_outsider_404_anonymous_401(api_client, school, bob_member, charlie_outsider, linked):
    assert api_client.post(api_url(linked)).status_code == 401
    api_client.force_authenticate(bob_member)
    assert api_client.post(api_url(linked)).status_code == 403
    api_client.force_authenticate(charlie_outsider)
    assert api_client.post(api_url(linked)).status_code == 404
    linked.refresh_from_db()
    assert linked.user_id is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admins_unlinking_at_once_unlink_once(school, alice_admin, linked):
    from organizations.factories import MembershipFactory
    from organizations.models import Membership
    from pixorga.testing import run_together

    admins = [alice_admin] + [MembershipFactory(organization=school, role=Membership.Role.ADMIN).user
                              for _ in range(3)]

    results = run_together(lambda i: learner_unlink(organization=school, learner_id=linked.pk, by=admins[i]),
                           len(admins))
    outcomes = ["unlinked" if kind == "ok" else "not linked" if isinstance(value, LearnerNotLinked) else str(value)
                for kind, value in results]

    assert sorted(outcomes) == ["not linked"] * 3 + ["unlinked"]
    assert LearnerLinkEvent.objects.filter(learner=linked, action="UNLINKED").count() == 1
