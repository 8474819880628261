import html as html_lib

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from invitations.factories import InvitationFactory
from organizations.factories import MembershipFactory, OrganizationFactory
from organizations.models import Membership
from organizations.tests.conftest import membership_of

pytestmark = pytest.mark.django_db

LAST_ADMIN = "L'organisation doit garder au moins un administrateur. Nommez d'abord un autre administrateur."


def page(response) -> str:
    """The HTML as a person reads it (entities decoded)."""
    return html_lib.unescape(response.content.decode())


def team_table(html: str) -> str:
    return html[html.index('<table class="team-table"'):html.index("</table>")]


def school_home_url(organization):
    return reverse("campaigns:home", args=[organization.pk])


def team_url(organization):
    return reverse("organizations:team", args=[organization.pk])


# Home and the no-access page

def test_home_sends_anonymous_visitors_to_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_home_sends_a_member_to_their_schools_home_page(client, school, bob_member):
    client.force_login(bob_member)

    assert client.get("/").headers["Location"] == school_home_url(school)


def test_home_sends_a_user_without_membership_to_the_no_access_page(client):
    client.force_login(UserFactory())

    response = client.get("/", follow=True)

    assert response.redirect_chain == [(reverse("organizations:no_access"), 302)]
    html = page(response)
    assert "L'accès à Pix Orga est limité aux membres invités" in html
    assert "demandez une invitation à un administrateur" in html
    assert reverse("invitations:sco_request") in html
    assert f'action="{reverse("accounts:logout")}"' in html
    assert "MON ORGANISATION" not in html


def test_a_removed_member_lands_on_the_no_access_page(client, school, alice_admin, bob_member):
    membership_of(bob_member, school).delete()
    MembershipFactory(user=bob_member, organization=school, disabled_at=timezone.now())
    client.force_login(bob_member)

    assert client.get("/").headers["Location"] == reverse("organizations:no_access")


def test_no_access_page_sends_members_home(client, bob_member):
    client.force_login(bob_member)

    assert client.get(reverse("organizations:no_access")).headers["Location"] == reverse("organizations:home")


# Team page

def test_admin_sees_the_team_sorted_by_last_name_with_every_tool(client, school, alice_admin, bob_member):
    InvitationFactory(organization=school, email="nouveau.prof@example.net")
    InvitationFactory(organization=school, email="ancienne@example.net", status="CANCELLED")
    client.force_login(alice_admin)

    response = client.get(team_url(school))

    html = page(response)
    assert response.status_code == 200
    table = team_table(html)
    assert table.index("Durand") < table.index("Martin")  # Bob Durand before Alice Martin
    assert "Inviter un membre" in html and reverse("invitations:invite", args=[school.pk]) in html
    assert html.count("Modifier le rôle") == 1  # Bob's: Alice, the only admin, cannot step down (the page says why)
    assert "Personne d'autre n'administre l'organisation" in html
    assert '<option value="ADMIN"' in html and ">Administrateur</option>" in html and ">Membre</option>" in html
    bob = membership_of(bob_member, school)
    assert reverse("organizations:member_remove", args=[school.pk, bob.pk]) in html
    alice = membership_of(alice_admin, school)
    assert reverse("organizations:member_remove", args=[school.pk, alice.pk]) not in html  # leave, not remove
    assert "Invitations en attente" in html and "Invité le" in html
    assert "nouveau.prof@example.net" in html and "ancienne@example.net" not in html
    # Leaving is not offered either: only why, and what to do first.
    assert reverse("organizations:leave", args=[school.pk]) not in html
    assert "n'a pas d'autre administrateur que vous" in html


def test_with_two_admins_each_may_change_their_role_and_leave(client, school, alice_admin, bob_member):
    bob = membership_of(bob_member, school)
    bob.role = "ADMIN"
    bob.save(update_fields=["role"])
    client.force_login(alice_admin)

    html = page(client.get(team_url(school)))

    assert html.count("Modifier le rôle") == 2
    assert "Personne d'autre n'administre" not in html
    assert reverse("organizations:leave", args=[school.pk]) in html


def test_member_sees_the_member_list_only(client, school, alice_admin, bob_member):
    InvitationFactory(organization=school, email="nouveau.prof@example.net")
    client.force_login(bob_member)

    response = client.get(team_url(school))

    html = page(response)
    assert response.status_code == 200
    table = team_table(html)
    assert "Martin" in table and "Alice" in table and "Administrateur" in table and "Membre" in table
    assert "Modifier le rôle" not in html
    assert "Supprimer" not in html
    assert "Inviter un membre" not in html
    assert "nouveau.prof@example.net" not in html and "Invitations en attente" not in html
    assert "Quitter l'organisation" in html


def test_outsider_gets_404_and_anonymous_is_sent_to_login(client, school, charlie_outsider):
    client.force_login(charlie_outsider)
    assert client.get(team_url(school)).status_code == 404

    client.logout()
    response = client.get(team_url(school))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_team_page_marks_equipe_as_the_current_page(client, school, bob_member):
    client.force_login(bob_member)

    html = page(client.get(team_url(school)))

    assert f'<a href="{team_url(school)}" aria-current="page">Équipe</a>' in html


def test_team_page_makes_its_organization_the_current_one(client, school, other_school, bob_member):
    MembershipFactory(user=bob_member, organization=other_school)
    client.force_login(bob_member)

    client.get(team_url(other_school))

    assert client.session["current_organization_id"] == other_school.pk


# Changing roles

def test_admin_promotes_a_member(client, school, alice_admin, bob_member):
    client.force_login(alice_admin)
    bob = membership_of(bob_member, school)

    response = client.post(reverse("organizations:member_role_change", args=[school.pk, bob.pk]),
                           {"role": "ADMIN"}, follow=True)

    bob.refresh_from_db()
    assert bob.role == Membership.Role.ADMIN
    assert response.redirect_chain == [(team_url(school), 302)]
    assert "Bob Durand est maintenant administrateur." in page(response)


def test_last_admin_demoting_themselves_is_refused_with_a_french_message(client, school, alice_admin, bob_member):
    client.force_login(alice_admin)
    alice = membership_of(alice_admin, school)

    response = client.post(reverse("organizations:member_role_change", args=[school.pk, alice.pk]),
                           {"role": "MEMBER"}, follow=True)

    alice.refresh_from_db()
    assert alice.role == Membership.Role.ADMIN
    assert LAST_ADMIN in page(response)


def test_unknown_role_is_refused(client, school, alice_admin, bob_member):
    client.force_login(alice_admin)
    bob = membership_of(bob_member, school)

    response = client.post(reverse("organizations:member_role_change", args=[school.pk, bob.pk]),
                           {"role": "OWNER"}, follow=True)

    assert "Choisissez le rôle « Administrateur » ou « Membre »." in page(response)
    bob.refresh_from_db()
    assert bob.role == Membership.Role.MEMBER


def test_member_cannot_change_roles(client, school, alice_admin, bob_member):
    client.force_login(bob_member)
    bob = membership_of(bob_member, school)

    response = client.post(reverse("organizations:member_role_change", args=[school.pk, bob.pk]), {"role": "ADMIN"})

    assert response.status_code == 403
    bob.refresh_from_db()
    assert bob.role == Membership.Role.MEMBER


def test_admin_cannot_touch_a_membership_of_another_school_through_their_own(
    client, school, other_school, alice_admin, charlie_outsider
):
    client.force_login(alice_admin)
    charlie = membership_of(charlie_outsider, other_school)

    role = client.post(reverse("organizations:member_role_change", args=[school.pk, charlie.pk]), {"role": "MEMBER"})
    confirm = client.get(reverse("organizations:member_remove", args=[school.pk, charlie.pk]))
    remove = client.post(reverse("organizations:member_remove", args=[school.pk, charlie.pk]))

    assert (role.status_code, confirm.status_code, remove.status_code) == (404, 404, 404)
    charlie.refresh_from_db()
    assert charlie.role == "ADMIN" and charlie.disabled_at is None


# Removing members

def test_remove_asks_for_confirmation_before_removing(client, school, alice_admin, bob_member):
    client.force_login(alice_admin)
    bob = membership_of(bob_member, school)

    response = client.get(reverse("organizations:member_remove", args=[school.pk, bob.pk]))

    html = page(response)
    assert response.status_code == 200
    assert "Supprimer Bob Durand de l'équipe ?" in html
    assert "Annuler" in html
    bob.refresh_from_db()
    assert bob.disabled_at is None


def test_admin_removes_a_member_after_confirming(client, school, alice_admin, bob_member):
    client.force_login(alice_admin)
    bob = membership_of(bob_member, school)

    response = client.post(reverse("organizations:member_remove", args=[school.pk, bob.pk]), follow=True)

    bob.refresh_from_db()
    assert bob.disabled_at is not None and bob.disabled_by == alice_admin
    html = page(response)
    assert "Bob Durand ne fait plus partie de l'organisation." in html
    assert "Durand" not in team_table(html)


def test_member_cannot_remove_anyone(client, school, alice_admin, bob_member):
    client.force_login(bob_member)
    alice = membership_of(alice_admin, school)

    assert client.get(reverse("organizations:member_remove", args=[school.pk, alice.pk])).status_code == 403
    assert client.post(reverse("organizations:member_remove", args=[school.pk, alice.pk])).status_code == 403
    alice.refresh_from_db()
    assert alice.disabled_at is None


def test_last_admin_removing_themselves_is_refused(client, school, alice_admin):
    client.force_login(alice_admin)
    alice = membership_of(alice_admin, school)

    response = client.post(reverse("organizations:member_remove", args=[school.pk, alice.pk]), follow=True)

    assert LAST_ADMIN in page(response)
    alice.refresh_from_db()
    assert alice.disabled_at is None


# Leaving

def test_leave_asks_for_confirmation(client, school, bob_member):
    client.force_login(bob_member)

    response = client.get(reverse("organizations:leave", args=[school.pk]))

    assert response.status_code == 200
    assert "Quitter Lycée Pix ?" in page(response)
    assert membership_of(bob_member, school).disabled_at is None


def test_member_leaves_and_is_sent_home(client, school, alice_admin, bob_member):
    client.force_login(bob_member)

    response = client.post(reverse("organizations:leave", args=[school.pk]), follow=True)

    assert response.redirect_chain[0] == (reverse("organizations:home"), 302)
    assert response.redirect_chain[-1] == (reverse("organizations:no_access"), 302)
    assert "Vous avez quitté l'organisation Lycée Pix." in page(response)
    assert not Membership.objects.active().filter(user=bob_member).exists()


def test_member_of_two_schools_leaving_one_lands_on_the_other(client, school, other_school, alice_admin, bob_member):
    MembershipFactory(user=bob_member, organization=other_school)
    client.force_login(bob_member)
    client.get(team_url(school))

    response = client.post(reverse("organizations:leave", args=[school.pk]), follow=True)

    assert response.redirect_chain[-1] == (school_home_url(other_school), 302)


def test_last_admin_cannot_leave(client, school, alice_admin, bob_member):
    client.force_login(alice_admin)

    response = client.post(reverse("organizations:leave", args=[school.pk]), follow=True)

    assert response.redirect_chain == [(team_url(school), 302)]
    assert LAST_ADMIN in page(response)
    assert membership_of(alice_admin, school).disabled_at is None


# Switcher

def test_switcher_shows_the_current_organization_and_the_others(client, school, other_school, bob_member):
    third = OrganizationFactory(name="Collège Jules Verne")
    MembershipFactory(user=bob_member, organization=other_school)
    MembershipFactory(user=bob_member, organization=third)
    client.force_login(bob_member)

    html = page(client.get(team_url(school)))

    switcher = html[html.index('class="org-switcher"'):html.index("</details>")]
    assert "MON ORGANISATION" in switcher
    assert switcher.index("Lycée Pix") < switcher.index("Changer d'organisation")
    assert f'name="organization_id" value="{other_school.pk}"' in switcher
    assert f'name="organization_id" value="{third.pk}"' in switcher
    assert f'name="organization_id" value="{school.pk}"' not in switcher


def test_switcher_of_a_single_organization_has_no_menu(client, school, bob_member):
    client.force_login(bob_member)

    html = page(client.get(team_url(school)))

    assert "MON ORGANISATION" in html and "<details" not in html


def test_switching_stores_the_choice_and_opens_that_schools_home_page(client, school, other_school, bob_member):
    MembershipFactory(user=bob_member, organization=other_school)
    client.force_login(bob_member)

    response = client.post(reverse("organizations:switch"), {"organization_id": other_school.pk})

    assert response.headers["Location"] == school_home_url(other_school)
    assert client.session["current_organization_id"] == other_school.pk
    assert client.get("/").headers["Location"] == school_home_url(other_school)


def test_switching_to_an_organization_you_are_not_in_is_404(client, school, other_school, bob_member):
    client.force_login(bob_member)

    assert client.post(reverse("organizations:switch"), {"organization_id": other_school.pk}).status_code == 404
    assert client.post(reverse("organizations:switch"), {"organization_id": "abc"}).status_code == 404
    assert "current_organization_id" not in client.session


def test_switch_only_accepts_post(client, bob_member, school):
    client.force_login(bob_member)

    assert client.get(reverse("organizations:switch")).status_code == 405
