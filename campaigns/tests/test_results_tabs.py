"""The campaign page's tabs — « Activité », « Résultats (n) », « Analyse », « Paramètres » — and the student's
page, as a member, an admin, an outsider and an anonymous visitor see them; « Dupliquer ».

Results are made through the services (see results_helpers): two classes, four students (levels 1, 3, 0, 2 on a
profile of two tubes of three levels, stages at 0 and 50 %, a badge at 60 %)."""

import re
from html import unescape

import pytest
from django.urls import reverse

from campaigns.models import Campaign, CampaignSkill
from campaigns.tests.results_helpers import (  # noqa: F401
    assessment_campaign,
    fast_password_hashing,
    profile_with_competences,
    profiles_campaign,
    retake,
    sent_result,
    started,
)
from content.factories import BadgeCriterionFactory, BadgeFactory, ChallengeFactory, SkillFactory, StageFactory

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"
TABS = ("detail", "results", "analysis", "settings")


@pytest.fixture
def profile(db):
    profile = profile_with_competences(("1.1", "2.1"), levels=3)
    StageFactory(target_profile=profile, threshold=0, title="Premiers pas", prescriber_title="À accompagner")
    StageFactory(target_profile=profile, threshold=50, title="Bien parti", prescriber_title="Autonome")
    BadgeCriterionFactory(badge=BadgeFactory(target_profile=profile, key="bravo", title="Bravo"), threshold=60)
    return profile


@pytest.fixture
def campaign(school, bob_member, profile):
    campaign = assessment_campaign(organization=school, by=bob_member, target_profile=profile, name="Rentrée 2de",
                                   multiple_sendings=True, external_id_label="Numéro d'élève")
    return campaign


@pytest.fixture
def four(campaign):
    return {
        "arnaud": sent_result(campaign, family_name="Arnaud", first_name="Léa", division="2NDE1", level=1),
        "bernard": sent_result(campaign, family_name="Bernard", first_name="Tom", division="2NDE1", level=3),
        "carre": sent_result(campaign, family_name="Carré", first_name="Inès", division="2NDE2", level=0),
        "dubois": sent_result(campaign, family_name="Dubois", first_name="Hugo", division="2NDE2", level=2),
    }


def url(name, campaign, *args, organization_id=None):
    return reverse(f"campaign_results:{name}", args=[organization_id or campaign.organization_id, campaign.pk, *args])


def html_of(client, address, **query):
    response = client.get(address, query)
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def test_the_tabs_have_their_own_urls(campaign):
    base = f"/organisations/{campaign.organization_id}/campagnes/{campaign.pk}"
    assert [url(name, campaign) for name in TABS] == [base, f"{base}/resultats", f"{base}/analyse",
                                                       f"{base}/parametres"]
    assert url("participant", campaign, 12) == f"{base}/participants/12"


def test_every_tab_shows_the_tabs_with_the_results_count_and_keeps_the_class_filter(client, campaign, four,
                                                                                   bob_member):
    client.force_login(bob_member)
    for name in TABS:
        html = html_of(client, url(name, campaign), division="2NDE2")
        assert "Résultats (2)" in html  # the class's students who sent results
        assert f'href="{url("analysis", campaign)}?division=2NDE2"' in html
        assert f'href="{url("results", campaign)}?division=2NDE2"' in html
        assert re.search(r'aria-current="page">(Activité|Résultats \(2\)|Analyse|Paramètres)<', html)
    assert "Résultats (4)" in html_of(client, url("results", campaign))


def test_an_unknown_class_in_the_address_is_dropped(client, campaign, four, bob_member):
    client.force_login(bob_member)
    assert "Résultats (4)" in html_of(client, url("results", campaign), division="3EME9")


def test_activity_cards_chart_and_statuses(client, campaign, four, bob_member):
    started(campaign, family_name="Enzo", division="2NDE1", answers=1)
    client.force_login(bob_member)
    html = html_of(client, url("detail", campaign))
    assert re.search(r'data-stat="participants">5<', html) and re.search(r'data-stat="shared">4<', html)
    assert '<svg class="chart chart-cumulative chart-wide"' in html and "chart-narrow" in html  # desktop, phone
    assert "Voir les chiffres jour par jour" in html
    assert "5 participants, 4 résultats reçus" in html
    assert re.search(r'data-status="STARTED"><th scope="row">En cours</th><td class="number count-number">1<', html)
    assert 'data-status="TO_SHARE"' not in html  # an assessment never waits to be sent
    assert f'href="{url("participant", campaign, four["arnaud"].pk)}"' in html
    filtered = html_of(client, url("detail", campaign), division="2NDE2")
    assert re.search(r'data-stat="participants">2<', filtered)


def test_results_of_an_assessment_with_stages(client, campaign, four, bob_member):
    retake(four["arnaud"], level=2)
    client.force_login(bob_member)
    response = client.get(url("results", campaign))
    html = unescape(response.content.decode())
    assert "Palier moyen" in html and "0,8 étoile sur 1" in html  # stars 1, 1, 0, 1 → 0.75
    assert "résultat moyen : 58 % des acquis" in html  # (4/6 + 1 + 0 + 4/6) ÷ 4
    assert re.search(r'data-stat="shared">4 élèves<', html)
    assert "3 élèves sur 4" in html  # « Bravo »: Arnaud (now 67 %), Bernard, Dubois
    rows = response.context["page"].object_list
    assert [row.participant_last_name for row in rows] == ["Arnaud", "Bernard", "Carré", "Dubois"]
    assert rows[0].trend == "up" and rows[0].sendings == 2 and "En hausse" in html
    assert rows[0].stage_title == "Autonome" and rows[2].stage_title == "À accompagner"
    assert rows[0].url.startswith(url("participant", campaign, rows[0].pk))
    assert "Numéro d'élève" in html  # the external id column


def test_results_filters(client, campaign, four, bob_member):
    client.force_login(bob_member)

    def listed(**query):
        rows = client.get(url("results", campaign), query).context["page"].object_list
        return [row.participant_last_name for row in rows]

    assert listed(division="2NDE2") == ["Carré", "Dubois"]
    assert listed(stage="0") == ["Arnaud", "Carré"]
    assert listed(badge="bravo") == ["Bernard", "Dubois"]
    assert listed(q="hugo") == ["Dubois"]
    assert listed(stage="zéro", badge="nope") == ["Arnaud", "Bernard", "Carré", "Dubois"]  # bad values dropped
    html = html_of(client, url("results", campaign), q="personne")
    assert "Aucun résultat ne correspond à ces filtres" in html


def test_results_without_stages_show_the_average_result_and_the_distribution(client, school, bob_member):
    campaign = assessment_campaign(organization=school, by=bob_member,
                                   target_profile=profile_with_competences(("1.1",), levels=2))
    sent_result(campaign, level=1)
    sent_result(campaign, level=2)
    client.force_login(bob_member)
    html = html_of(client, url("results", campaign))
    assert "Résultat moyen" in html and re.search(r'data-stat="average">75 %<', html)
    assert "Répartition des élèves par résultat" in html and "50 à 59 %" in html
    assert '<strong>50 %</strong>' in html and '<strong>100 %</strong>' in html


def test_results_before_anyone_sent(client, campaign, bob_member):
    started(campaign, answers=1)
    client.force_login(bob_member)
    html = html_of(client, url("results", campaign))
    assert "Aucun élève n'a encore envoyé ses résultats" in html and "Résultats (0)" in html


def test_profiles_received(client, school, bob_member):
    practice = assessment_campaign(organization=school, by=bob_member, name="Entraînement",
                                   target_profile=profile_with_competences(("1.1", "2.1", "3.1", "4.1", "5.1")))
    strong = sent_result(practice, family_name="Fort", level=2)
    collection = profiles_campaign(organization=school, by=bob_member)
    sent_result(collection, learner=strong.learner, user=strong.user)
    sent_result(collection, family_name="Débutant", division="2NDE2")
    started(collection, family_name="Enzo")
    client.force_login(bob_member)
    html = html_of(client, url("results", collection))
    assert "Profils reçus" in html and re.search(r'data-stat="shared">2 profils<', html)
    assert "1 élève sur 2" in html and "5 / 16" in html and '<span class="badge badge-success">Certifiable</span>' \
        in html
    rows = client.get(url("results", collection), {"certifiable": "oui"}).context["page"].object_list
    assert [row.participant_last_name for row in rows] == ["Fort"]
    assert "Analyse" not in re.search(r'<nav class="campaign-tabs".*?</nav>', html, re.S).group(0)
    assert client.get(url("analysis", collection)).status_code == 404
    activity = html_of(client, url("detail", collection))
    assert "Profils reçus" in activity and "En attente d'envoi" in activity


def test_analysis_tab(client, campaign, four, bob_member):
    client.force_login(bob_member)
    html = html_of(client, url("analysis", campaign))
    assert "Analyse des derniers résultats envoyés par <strong>4 élèves</strong>" in html
    for title in ("Résultats par compétence", "Sujets à travailler", "Positionnement", "Comparer les classes"):
        assert f">{title}</h3>" in html
    assert "<strong>50 %</strong>" in html  # each competence: 6 validated ÷ 4 students ÷ 3 skills
    assert "2 élèves sur 4 n'ont pas validé le niveau 2 de ce sujet. Niveau moyen atteint : 1,5 sur 3." in html
    assert "Recommandé" in html and "score 65" in html
    assert "1,5 sur 3" in html and "Novice" in html
    assert "40 × niveau atteint ÷ niveau maximum du sujet" in html
    assert re.search(r'2NDE1</a></th>\s*<td class="number">2</td>\s*<td class="number heat heat-2">67 %', html)


def test_analysis_of_one_class(client, campaign, four, bob_member):
    client.force_login(bob_member)
    html = html_of(client, url("analysis", campaign), division="2NDE2")
    assert "par <strong>2 élèves</strong> de 2NDE2" in html
    assert "<strong>33 %</strong>" in html and "Classe affichée : <strong>2NDE2</strong>" in html


def test_analysis_before_anyone_sent(client, campaign, bob_member):
    client.force_login(bob_member)
    assert "L'analyse apparaîtra dès qu'un élève aura envoyé ses résultats" in html_of(client, url("analysis",
                                                                                              campaign))


def test_student_page_of_an_assessment(client, campaign, four, bob_member):
    second = retake(four["arnaud"], level=2)
    client.force_login(bob_member)
    html = html_of(client, url("participant", campaign, second.pk), division="2NDE1")
    assert "Léa Arnaud" in html and "Classe 2NDE1" in html
    assert "Envoi n° 1 du" in html and "33 %" in html and "Envoi n° 2 du" in html
    assert re.search(r'aria-current="page">Envoi n° 2', html)
    assert "<strong>67 %</strong>" in html and "4 acquis validés sur 6" in html
    assert "Autonome" in html and "Obtenu" in html and "Bravo" in html
    assert html.count('<li class="level level-validated"') == 4 and html.count('<li class="level level-failed"') == 2
    assert f'href="{url("results", campaign)}?division=2NDE1"' in html  # back to the list, same class


def test_student_page_while_the_test_goes_on(client, campaign, bob_member):
    participation = started(campaign, family_name="Enzo", first_name="Noé", answers=1)
    client.force_login(bob_member)
    html = html_of(client, url("participant", campaign, participation.pk))
    assert "Noé n'a pas encore envoyé ses résultats" in html and "Avancement" in html


def test_student_page_of_a_profile(client, school, bob_member):
    collection = profiles_campaign(organization=school, by=bob_member)
    participation = sent_result(collection, family_name="Débutant", first_name="Zoé")
    client.force_login(bob_member)
    html = html_of(client, url("participant", collection, participation.pk))
    assert "Score Pix" in html and "Non certifiable" in html and "0 / 16" in html and "Profil envoyé" in html


def test_a_participation_of_another_campaign_is_404(client, school, campaign, four, bob_member, profile):
    other = assessment_campaign(organization=school, by=bob_member, target_profile=profile, name="Autre")
    client.force_login(bob_member)
    assert client.get(url("participant", other, four["arnaud"].pk)).status_code == 404


def test_settings_tab(client, campaign, bob_member, alice_admin, school):
    client.force_login(bob_member)
    html = html_of(client, url("settings", campaign))
    assert "Évaluation" in html and campaign.target_profile.name in html and "Pour les enseignants." in html
    assert "6 acquis figés" in html and "Numéro d'élève" in html and "Envoi multiple" in html
    assert f"/campagnes/{campaign.code}" in html and ">Dupliquer</button>" in html and ">Modifier</a>" in html
    other = assessment_campaign(organization=school, by=alice_admin, target_profile=campaign.target_profile)
    html = html_of(client, url("settings", other))
    assert ">Dupliquer</button>" in html and ">Modifier</a>" not in html  # neither its owner nor an admin


def test_duplicate_makes_a_new_campaign_owned_by_who_duplicates_with_the_profiles_skills_now(
        client, campaign, alice_admin, profile):
    tube = CampaignSkill.objects.filter(campaign=campaign).first().skill.tube
    ChallengeFactory(skill=SkillFactory(tube=tube, level=4))  # the content grew since the campaign was created
    profile.capped_tubes.filter(tube=tube).update(level=4)
    client.force_login(alice_admin)
    response = client.post(url("duplicate", campaign))
    copy = Campaign.objects.exclude(pk=campaign.pk).get()
    assert response.status_code == 302 and response["Location"] == url("settings", copy)
    assert (copy.name, copy.owner, copy.type, copy.target_profile_id) == (
        "Copie de Rentrée 2de", alice_admin, campaign.type, campaign.target_profile_id)
    assert (copy.external_id_label, copy.multiple_sendings) == (campaign.external_id_label, True)
    assert copy.code != campaign.code
    assert CampaignSkill.objects.filter(campaign=campaign).count() == 6
    assert CampaignSkill.objects.filter(campaign=copy).count() == 7
    assert f"code {copy.code}" in unescape(client.get(response["Location"]).content.decode())


def test_duplicate_is_a_post_and_not_for_outsiders(client, campaign, charlie_outsider, bob_member):
    client.force_login(bob_member)
    assert client.get(url("duplicate", campaign)).status_code == 405
    client.force_login(charlie_outsider)
    assert client.post(url("duplicate", campaign)).status_code == 404
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize("name", [*TABS, "participant", "export"])
def test_outsider_gets_404_and_anonymous_goes_to_log_in(client, campaign, four, charlie_outsider, name):
    args = [four["arnaud"].pk] if name == "participant" else []
    response = client.get(url(name, campaign, *args))
    assert response.status_code == 302 and response["Location"].startswith("/connexion")
    client.force_login(charlie_outsider)
    assert client.get(url(name, campaign, *args)).status_code == 404


@pytest.mark.parametrize("name", [*TABS, "participant"])
def test_a_campaign_under_another_schools_address_is_404(client, campaign, four, alice_admin, other_school, name):
    args = [four["arnaud"].pk] if name == "participant" else []
    client.force_login(alice_admin)
    assert client.get(url(name, campaign, *args)).status_code == 200
    assert client.get(url(name, campaign, *args, organization_id=other_school.pk)).status_code == 404


def test_admin_sees_every_tab(client, campaign, four, alice_admin):
    client.force_login(alice_admin)
    for name in TABS:
        assert client.get(url(name, campaign)).status_code == 200
