"""Campaign management pages as an admin, a member, the owner, an outsider and an anonymous visitor."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Campaign
from organizations.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def list_url(organization, **query):
    url = reverse("campaigns:list", kwargs={"organization_id": organization.pk})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def create_url(organization):
    return reverse("campaigns:create", kwargs={"organization_id": organization.pk})


def edit_url(campaign):
    return reverse("campaigns:edit", kwargs={"organization_id": campaign.organization_id, "campaign_id": campaign.pk})


def archive_url(campaign, action="archive"):
    return reverse(f"campaigns:{action}",
                   kwargs={"organization_id": campaign.organization_id, "campaign_id": campaign.pk})


def campaign_page(campaign):
    return f"/organisations/{campaign.organization_id}/campagnes/{campaign.pk}"


@pytest.fixture
def bobs_campaign(school, bob_member):
    return CampaignFactory(organization=school, owner=bob_member, name="Maths 2de B", code="BABYCK234")


@pytest.fixture
def dana_member(school):
    user = UserFactory(first_name="Dana", last_name="Roux")
    MembershipFactory(user=user, organization=school)
    return user


VALID = {"name": "Rentrée 2de", "type": "ASSESSMENT", "title": "Parcours de rentrée",
         "landing_page_text": "Bienvenue", "external_id_label": ""}


@pytest.fixture
def valid(target_profile):
    """A valid creation form: an assessment on a target profile the school may use."""
    return {**VALID, "target_profile": target_profile.pk}


# The list

def test_anonymous_visitors_are_sent_to_the_login_page(client, school):
    for url in (list_url(school), create_url(school)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/connexion")


def test_outsiders_get_404_on_every_page(client, charlie_outsider, school, bobs_campaign, valid):
    client.force_login(charlie_outsider)
    assert client.get(list_url(school)).status_code == 404
    assert client.get(create_url(school)).status_code == 404
    assert client.post(create_url(school), {**valid, "owner": charlie_outsider.pk}).status_code == 404
    assert client.get(edit_url(bobs_campaign)).status_code == 404
    assert client.post(archive_url(bobs_campaign)).status_code == 404
    assert client.post(archive_url(bobs_campaign, "unarchive")).status_code == 404
    assert not Campaign.objects.filter(name="Rentrée 2de").exists()
    bobs_campaign.refresh_from_db()
    assert bobs_campaign.archived_at is None


def test_a_campaign_is_not_reachable_through_another_organizations_url(client, charlie_outsider, other_school,
                                                                       bobs_campaign):
    client.force_login(charlie_outsider)
    url = reverse("campaigns:edit", kwargs={"organization_id": other_school.pk, "campaign_id": bobs_campaign.pk})
    assert client.get(url).status_code == 404


def test_mes_campagnes_shows_only_my_campaigns_with_their_participants(client, school, bob_member, alice_admin,
                                                                        bobs_campaign):
    CampaignFactory(organization=school, owner=alice_admin, name="Français 1re")
    ParticipationFactory.create_batch(3, campaign=bobs_campaign)
    ParticipationFactory(campaign=bobs_campaign, is_preview=True)
    client.force_login(bob_member)

    response = client.get(list_url(school))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Maths 2de B" in html and "BABYCK234" in html and "Français 1re" not in html
    row = list(response.context["page"].object_list)[0]
    assert row.participants_count == 3
    assert f'href="{campaign_page(bobs_campaign)}"' in html
    assert 'aria-current="page">Campagnes</a>' in html


def test_toutes_les_campagnes_lists_the_whole_school_and_filters_by_owner(client, school, bob_member, alice_admin,
                                                                          bobs_campaign, other_school):
    CampaignFactory(organization=school, owner=alice_admin, name="Français 1re")
    CampaignFactory(organization=other_school, name="Ailleurs")
    client.force_login(bob_member)

    html = client.get(list_url(school, tab="toutes")).content.decode()
    assert "Maths 2de B" in html and "Français 1re" in html and "Ailleurs" not in html

    html = client.get(list_url(school, tab="toutes", owner=alice_admin.pk)).content.decode()
    assert "Maths 2de B" not in html and "Français 1re" in html


def test_search_by_name_and_archived_filter(client, school, bob_member, bobs_campaign):
    old = CampaignFactory(organization=school, owner=bob_member, name="Maths 2019",
                          archived_at=bobs_campaign.created_at)
    client.force_login(bob_member)

    html = client.get(list_url(school)).content.decode()
    assert "Maths 2de B" in html and "Maths 2019" not in html  # archived ones are hidden by default

    html = client.get(list_url(school, archived=1)).content.decode()
    assert "Maths 2019" in html and "Maths 2de B" not in html and "Désarchiver" in html

    response = client.get(list_url(school, q="2de"))
    assert [c.pk for c in response.context["page"].object_list] == [bobs_campaign.pk]
    assert old.pk not in [c.pk for c in response.context["page"].object_list]


def test_a_bad_filter_value_is_ignored(client, school, bob_member, bobs_campaign):
    client.force_login(bob_member)
    response = client.get(list_url(school, tab="nimporte", owner="abc", archived="zz", page="999"))
    assert response.status_code == 200
    assert "Maths 2de B" in response.content.decode()


def test_the_list_is_paginated(client, school, bob_member):
    CampaignFactory.create_batch(27, organization=school, owner=bob_member)
    client.force_login(bob_member)
    first = client.get(list_url(school))
    assert len(first.context["page"].object_list) == 25 and "Page 1 sur 2" in first.content.decode()
    assert len(client.get(list_url(school, page=2)).context["page"].object_list) == 2


def test_edit_and_archive_buttons_only_for_admins_and_the_owner(client, school, bob_member, alice_admin,
                                                                dana_member, bobs_campaign):
    client.force_login(dana_member)
    html = client.get(list_url(school, tab="toutes")).content.decode()
    assert "Maths 2de B" in html and edit_url(bobs_campaign) not in html and archive_url(bobs_campaign) not in html

    for user in (alice_admin, bob_member):
        client.force_login(user)
        html = client.get(list_url(school, tab="toutes")).content.decode()
        assert edit_url(bobs_campaign) in html and archive_url(bobs_campaign) in html


def _names(response):
    return [campaign.name for campaign in response.context["page"].object_list]


# Creation

def test_a_member_creates_a_campaign_and_sees_its_code(client, school, bob_member, valid):
    client.force_login(bob_member)
    page = client.get(create_url(school)).content.decode()
    assert "Évaluation" in page and "Collecte de profils" in page
    assert "N'utilisez pas d'identifiant sensible (INE, numéro de sécurité sociale…)" in page

    response = client.post(create_url(school), {**valid, "owner": bob_member.pk})

    campaign = Campaign.objects.get(name="Rentrée 2de")
    assert response.status_code == 302 and response.url == campaign_page(campaign)
    assert campaign.owner == bob_member and campaign.creator == bob_member
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"Campagne créée : code {campaign.code}"]


def test_an_admin_creates_a_campaign_for_a_member(client, school, alice_admin, bob_member, valid):
    client.force_login(alice_admin)
    client.post(create_url(school), {**valid, "type": "PROFILES_COLLECTION", "target_profile": "", "multiple_sendings": "on",
                                     "owner": bob_member.pk})
    campaign = Campaign.objects.get()
    assert campaign.owner == bob_member and campaign.creator == alice_admin and campaign.multiple_sendings


def test_the_owner_must_be_a_member_of_the_school(client, school, bob_member, charlie_outsider, valid):
    client.force_login(bob_member)
    response = client.post(create_url(school), {**valid, "owner": charlie_outsider.pk})
    assert response.status_code == 400
    assert "Choisissez un membre de l&#x27;organisation." in response.content.decode()
    assert not Campaign.objects.exists()


def test_creation_errors_are_shown_beside_the_fields(client, school, bob_member, valid):
    client.force_login(bob_member)
    response = client.post(create_url(school), {**valid, "name": "", "type": "ASSESSMENT", "target_profile": "",
                                                "landing_page_text": "a" * 5001, "owner": bob_member.pk})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Donnez un nom à la campagne." in html
    assert "Choisissez le parcours que les élèves passeront." in html
    assert "ne peut pas dépasser 5 000 caractères" in html
    assert not Campaign.objects.exists()


# Edition and archiving

def test_the_owner_and_an_admin_edit_a_campaign(client, bob_member, alice_admin, dana_member, bobs_campaign):
    client.force_login(bob_member)
    assert 'value="Maths 2de B"' in client.get(edit_url(bobs_campaign)).content.decode()
    response = client.post(edit_url(bobs_campaign), {"name": "Maths 2de B – T1", "title": "", "owner": dana_member.pk,
                                                     "landing_page_text": "", "external_id_label": ""})
    assert response.status_code == 302 and response.url == campaign_page(bobs_campaign)
    bobs_campaign.refresh_from_db()
    assert bobs_campaign.name == "Maths 2de B – T1" and bobs_campaign.owner == dana_member

    client.force_login(alice_admin)
    client.post(edit_url(bobs_campaign), {"name": "Par Alice", "owner": dana_member.pk})
    bobs_campaign.refresh_from_db()
    assert bobs_campaign.name == "Par Alice"


def test_a_member_who_is_not_the_owner_gets_403(client, dana_member, bobs_campaign):
    client.force_login(dana_member)
    assert client.get(edit_url(bobs_campaign)).status_code == 403
    assert client.post(edit_url(bobs_campaign), {"name": "Piratée", "owner": dana_member.pk}).status_code == 403
    assert client.post(archive_url(bobs_campaign)).status_code == 403
    bobs_campaign.refresh_from_db()
    assert bobs_campaign.name == "Maths 2de B" and bobs_campaign.archived_at is None


def test_archiving_moves_the_campaign_to_the_archived_list(client, school, bob_member, alice_admin, bobs_campaign):
    client.force_login(alice_admin)
    response = client.post(archive_url(bobs_campaign), {"next": list_url(school, tab="toutes")})
    assert response.status_code == 302 and response.url == list_url(school, tab="toutes")
    bobs_campaign.refresh_from_db()
    assert bobs_campaign.archived_at is not None and bobs_campaign.archived_by == alice_admin

    client.force_login(bob_member)
    assert _names(client.get(list_url(school))) == []
    assert _names(client.get(list_url(school, archived=1))) == ["Maths 2de B"]
    client.post(archive_url(bobs_campaign, "unarchive"))
    bobs_campaign.refresh_from_db()
    assert bobs_campaign.archived_at is None


def test_archive_does_not_redirect_to_another_site(client, bob_member, bobs_campaign, school):
    client.force_login(bob_member)
    response = client.post(archive_url(bobs_campaign), {"next": "https://evil.example/"})
    assert response.url == list_url(school)


def test_archive_is_post_only(client, bob_member, bobs_campaign):
    client.force_login(bob_member)
    assert client.get(archive_url(bobs_campaign)).status_code == 405


def test_an_archived_campaign_is_not_edited(client, bob_member, bobs_campaign):
    bobs_campaign.archived_at = bobs_campaign.created_at
    bobs_campaign.save()
    client.force_login(bob_member)
    response = client.get(edit_url(bobs_campaign))
    assert response.status_code == 302


def test_pix_staff_can_look_a_campaign_up_by_code_in_the_admin(client, bobs_campaign):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get("/admin/campaigns/campaign/?q=BABYCK234")
    assert response.status_code == 200 and "Maths 2de B" in response.content.decode()
    assert client.get(f"/admin/campaigns/campaign/{bobs_campaign.pk}/change/").status_code == 200
    assert client.get("/admin/campaigns/campaign/add/").status_code == 403


def test_the_list_costs_the_same_number_of_queries_for_3_or_25_campaigns(client, school, bob_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    CampaignFactory.create_batch(3, organization=school, owner=bob_member)
    client.force_login(bob_member)
    with CaptureQueriesContext(connection) as few:
        client.get(list_url(school))
    CampaignFactory.create_batch(22, organization=school, owner=bob_member)
    with CaptureQueriesContext(connection) as many:
        response = client.get(list_url(school))
    assert len(response.context["page"].object_list) == 25
    assert len(many) == len(few)


def test_campagnes_is_in_the_menu_of_every_organization(client, bob_member):
    from organizations.factories import OrganizationFactory
    from organizations.models import Organization

    company = OrganizationFactory(type=Organization.Type.PRO, is_managing_students=False, external_id="")
    MembershipFactory(user=bob_member, organization=company)
    client.force_login(bob_member)
    html = client.get(reverse("organizations:team", kwargs={"organization_id": company.pk})).content.decode()
    assert f'href="{list_url(company)}"' in html and ">Campagnes</a>" in html
    assert ">Élèves</a>" not in html


def test_a_5000_character_landing_text_with_line_breaks_is_accepted(client, school, bob_member, valid):
    client.force_login(bob_member)
    text = "ligne\n" * 833 + "ab"
    response = client.post(create_url(school), {**valid, "landing_page_text": text.replace("\n", "\r\n"),
                                                "owner": bob_member.pk})
    assert response.status_code == 302
    assert Campaign.objects.get().landing_page_text == text
