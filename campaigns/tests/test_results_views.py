"""The campaign page and its CSV export, as an admin, a member, an outsider and an anonymous visitor see them."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Participation
from students.factories import LearnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(school, bob_member):
    campaign = CampaignFactory(organization=school, name="Rentrée 6e", owner=bob_member,
                               title="Parcours de rentrée")
    ParticipationFactory(campaign=campaign, learner=LearnerFactory(
        organization=school, family_name="Arnaud", first_name="Léa", division="6EME1"))
    ParticipationFactory(campaign=campaign, status=Participation.Status.SHARED, shared_at=timezone.now(),
                         learner=LearnerFactory(organization=school, family_name="Bernard", first_name="Tom",
                                                division="6EME2"))
    ParticipationFactory(campaign=campaign, is_preview=True)
    return campaign


def detail(campaign, **query):
    return reverse("campaign_results:detail", args=[campaign.organization_id, campaign.pk])


def export(campaign):
    return reverse("campaign_results:export", args=[campaign.organization_id, campaign.pk])


def test_url_is_the_agreed_one(campaign):
    assert detail(campaign) == f"/organisations/{campaign.organization_id}/campagnes/{campaign.pk}"


def test_member_sees_the_code_the_direct_link_and_the_participants(client, campaign, bob_member, settings):
    client.force_login(bob_member)
    response = client.get(detail(campaign))
    html = response.content.decode()
    assert response.status_code == 200
    assert campaign.code in html and "Copier le code" in html
    assert f"{settings.SITE_URL}/campagnes/{campaign.code}" in html
    assert "Évaluation" in html and "Parcours de rentrée" in html
    assert "Arnaud" in html and "Bernard" in html
    assert "Résultats classe par classe" in html
    assert response.context["counts"].total == 2  # the preview does not count
    assert [p.participant_last_name for p in response.context["page"].object_list] == ["Arnaud", "Bernard"]


def test_admin_sees_the_page(client, campaign, alice_admin):
    client.force_login(alice_admin)
    assert client.get(detail(campaign)).status_code == 200


def test_outsider_gets_404(client, campaign, charlie_outsider):
    client.force_login(charlie_outsider)
    assert client.get(detail(campaign)).status_code == 404
    assert client.get(export(campaign)).status_code == 404


def test_a_campaign_of_another_school_under_this_schools_url_is_404(client, school, other_school, alice_admin):
    elsewhere = CampaignFactory(organization=other_school)
    client.force_login(alice_admin)
    url = reverse("campaign_results:detail", args=[school.pk, elsewhere.pk])
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client, campaign):
    response = client.get(detail(campaign))
    assert response.status_code == 302 and response["Location"].startswith("/connexion")
    assert client.get(export(campaign)).status_code == 302


def test_filter_by_several_divisions_with_checkboxes(client, campaign, bob_member, school):
    ParticipationFactory(campaign=campaign, learner=LearnerFactory(organization=school, family_name="Carré",
                                                                   division="5EME1"))
    client.force_login(bob_member)
    response = client.get(detail(campaign), {"division": ["6EME1", "5EME1"]})
    names = [p.participant_last_name for p in response.context["page"].object_list]
    assert names == ["Arnaud", "Carré"]
    html = response.content.decode()
    assert re.search(r'value="6EME1"[^>]*checked', html) and not re.search(r'value="6EME2"[^>]*checked', html)


def test_toute_la_6e_filters_every_class_of_the_level_and_the_export_follows(client, campaign, bob_member, school):
    ParticipationFactory(campaign=campaign, learner=LearnerFactory(organization=school, family_name="Carré",
                                                                   division="5EME1"))
    client.force_login(bob_member)
    response = client.get(detail(campaign), {"niveau": "6e"})
    assert [p.participant_last_name for p in response.context["page"].object_list] == ["Arnaud", "Bernard"]
    html = response.content.decode()
    assert re.search(r'value="6EME2"[^>]*checked', html) and not re.search(r'value="5EME1"[^>]*checked', html)
    assert "Classes choisies&nbsp;:</span> <strong>toute la 6e</strong>" in html
    assert re.search(r'name="niveau" value="6e"[^>]*checked', html)
    export_link = re.search(r'href="([^"]*/export[^"]*)"', html).group(1).replace("&amp;", "&")
    exported = b"".join(client.get(export_link).streaming_content).decode("utf-8-sig")
    assert "Arnaud" in exported and "Bernard" in exported and "Carré" not in exported


def test_filter_by_status_and_search(client, campaign, bob_member):
    client.force_login(bob_member)
    shared = client.get(detail(campaign), {"status": "SHARED"}).context["page"].object_list
    assert [p.participant_last_name for p in shared] == ["Bernard"]
    found = client.get(detail(campaign), {"q": "lea"}).context["page"].object_list
    assert [p.participant_last_name for p in found] == ["Arnaud"]


def test_counts_by_status_follow_the_division_filter(client, campaign, bob_member):
    client.force_login(bob_member)
    counts = client.get(detail(campaign), {"division": "6EME2"}).context["counts"]
    assert counts.total == 1 and counts.by_status["SHARED"] == 1


def test_pages_of_fifty(client, campaign, bob_member, school):
    for _ in range(50):
        ParticipationFactory(campaign=campaign, learner=LearnerFactory(organization=school))
    client.force_login(bob_member)
    assert len(client.get(detail(campaign)).context["page"].object_list) == 50
    assert len(client.get(detail(campaign), {"page": 2}).context["page"].object_list) == 2


def test_page_queries_do_not_grow_with_participants(client, campaign, bob_member, school,
                                                    django_assert_num_queries):
    client.force_login(bob_member)
    with django_assert_num_queries(13):
        assert client.get(detail(campaign)).status_code == 200
    for _ in range(30):
        ParticipationFactory(campaign=campaign, learner=LearnerFactory(organization=school))
    with django_assert_num_queries(13):
        assert client.get(detail(campaign)).status_code == 200


def test_empty_campaign_says_what_to_do(client, school, bob_member):
    campaign = CampaignFactory(organization=school)
    client.force_login(bob_member)
    html = client.get(detail(campaign)).content.decode()
    assert "Personne n'a encore rejoint cette campagne" in html


def test_edit_buttons_only_for_admin_or_owner(client, school, campaign, alice_admin, bob_member):
    other = CampaignFactory(organization=school, owner=alice_admin)
    client.force_login(bob_member)
    assert client.get(detail(campaign)).context["can_edit"] is True  # owner
    assert client.get(detail(other)).context["can_edit"] is False  # neither admin nor owner
    client.force_login(alice_admin)
    assert client.get(detail(campaign)).context["can_edit"] is True  # admin


def test_member_downloads_the_csv_of_a_division(client, campaign, bob_member):
    client.force_login(bob_member)
    response = client.get(export(campaign), {"division": "6EME2"})
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = text.lstrip("\ufeff").splitlines()
    assert len(rows) == 2 and ";Bernard;Tom;6EME2;" in rows[1]
    assert response["Content-Disposition"].endswith(f'_{campaign.code}_resultats.csv"')


def test_admin_downloads_the_whole_csv(client, campaign, alice_admin):
    client.force_login(alice_admin)
    response = client.get(export(campaign))
    assert len(b"".join(response.streaming_content).decode("utf-8").splitlines()) == 3


def test_owner_sees_modifier_and_archiver_which_come_back_here(client, campaign, bob_member):
    client.force_login(bob_member)
    html = client.get(detail(campaign)).content.decode()
    assert f'href="/organisations/{campaign.organization_id}/campagnes/{campaign.pk}/modifier"' in html
    assert "Archiver" in html and "Désarchiver" not in html
    response = client.post(reverse("campaigns:archive", args=[campaign.organization_id, campaign.pk]),
                           {"next": detail(campaign)})
    assert response.status_code == 302 and response["Location"] == detail(campaign)
    html = client.get(detail(campaign)).content.decode()
    assert "Archivée" in html and "Désarchiver" in html


def test_member_who_is_not_the_owner_sees_no_modifier_nor_archiver(client, school, alice_admin, bob_member):
    campaign = CampaignFactory(organization=school, owner=alice_admin)
    client.force_login(bob_member)
    html = client.get(detail(campaign)).content.decode()
    assert "/modifier" not in html and ">Archiver<" not in html


def test_any_member_may_preview_a_live_campaign_but_not_an_archived_one(client, school, alice_admin, bob_member):
    campaign = CampaignFactory(organization=school, owner=alice_admin)
    preview = reverse("join:preview", args=[campaign.pk])
    client.force_login(bob_member)
    html = client.get(detail(campaign)).content.decode()
    assert f'action="{preview}"' in html and "Prévisualiser" in html
    archived = CampaignFactory(organization=school, owner=alice_admin, archived_at=timezone.now())
    assert "Prévisualiser" not in client.get(detail(archived)).content.decode()
