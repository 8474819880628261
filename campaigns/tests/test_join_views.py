"""The student pages: code, landing page with the account forms, linking form, confirmation, participation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, LinkAttempt, Participation
from students.factories import LearnerFactory

BIRTHDATE = datetime.date(2011, 3, 14)
TYPED = {"first_name": "Eloise", "last_name": "Dupre", "day": "14", "month": "3", "year": "2011"}


@pytest.fixture
def campaign(school, alice_admin):
    return CampaignFactory(organization=school, owner=alice_admin, title="Parcours de rentrée",
                           landing_page_text="Bienvenue en seconde !")


@pytest.fixture
def eloise(school):
    return LearnerFactory(organization=school, first_name="Éloïse", family_name="Dupré", birthdate=BIRTHDATE,
                          division="2NDE1", ine="123456789AB")


@pytest.fixture
def student(db):
    return UserFactory(email="eloise.dupre@example.net", first_name="Eloise", last_name="Dupre")


def text(response) -> str:
    return response.content.decode()


def test_a_code_typed_in_lower_case_with_spaces_leads_to_the_landing_page(client, campaign):
    loose = f" {campaign.code[:6].lower()} {campaign.code[6:]} "
    response = client.post(reverse("join:code"), {"code": loose})
    assert response.status_code == 302
    assert response.url == reverse("join:landing", args=[campaign.code])


def test_a_wrong_code_says_what_a_code_looks_like(client, campaign):
    response = client.post(reverse("join:code"), {"code": "ABCDEF999"})
    assert response.status_code == 404
    assert "6 lettres puis 3 chiffres, par exemple ABCDEF234" in text(response)
    malformed = client.post(reverse("join:code"), {"code": "12"})
    assert "par exemple ABCDEF234" in text(malformed)


def test_wrong_codes_are_limited_per_browser(client, campaign):
    for _ in range(30):  # LIMIT_WRONG_CODES_ACCOUNT
        client.post(reverse("join:code"), {"code": "ABCDEF999"})
    response = client.post(reverse("join:code"), {"code": campaign.code})
    assert response.status_code == 429 and "Trop de codes essayés" in text(response)


def test_the_direct_link_shows_the_landing_page_and_normalises_the_code(client, campaign):
    assert client.get(f"/campagnes/{campaign.code.lower()}").url == f"/campagnes/{campaign.code}"
    response = client.get(f"/campagnes/{campaign.code}")
    page = text(response)
    assert "Lycée Pix" in page and "Parcours de rentrée" in page and "Bienvenue en seconde !" in page
    assert "Je commence" in page
    assert "organizations/_nav" not in page and "Équipe" not in page  # no organization menu here


def test_an_archived_campaign_landing_page_says_it_is_over(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(archived_at=timezone.now())
    response = client.get(f"/campagnes/{campaign.code}")
    assert response.status_code == 403 and "Cette campagne est terminée" in text(response)


def test_sign_up_on_the_landing_page_finds_the_learner_then_creates_the_account_linked(client, campaign, eloise):
    identity = {"signup-first_name": "Eloise", "signup-last_name": "Dupre", "signup-day": "14",
                "signup-month": "3", "signup-year": "2011"}
    found = client.post(f"/campagnes/{campaign.code}", {"action": "signup_identify", **identity})
    assert "Bonjour Éloïse" in text(found) and "eloise.dupre1403" in text(found)

    response = client.post(f"/campagnes/{campaign.code}", {
        "action": "signup_create", **identity, "signup-login_kind": "email", "signup-email": "eloise@example.net",
        "signup-password": "Pixorga2026x", "signup-accept_terms": "on",
    })
    participation = Participation.objects.get(user__email="eloise@example.net")
    assert response.status_code == 302
    assert response.url == reverse("learner:participation", args=[participation.pk])
    assert participation.learner == eloise  # linked on creation: no « Qui êtes-vous ? » any more


def test_log_in_on_the_landing_page_of_an_already_linked_account_joins_directly(client, campaign, eloise, student,
                                                                                  school, alice_admin):
    eloise.user, eloise.linked_at = student, timezone.now()
    eloise.save()
    response = client.post(f"/campagnes/{campaign.code}", {
        "action": "login", "username": student.email, "password": DEFAULT_PASSWORD,
    })
    participation = Participation.objects.get(user=student)
    assert response.url == reverse("learner:participation", args=[participation.pk])
    assert participation.learner == eloise


def test_the_confirmation_then_associer_starts_the_participation(client, campaign, eloise, student):
    client.force_login(student)
    check = client.post(reverse("join:link", args=[campaign.code]), {**TYPED, "first_name": "éloise"})
    page = text(check)
    assert ("Le compte <strong>eloise.dupre@example.net</strong> va être associé à l'élève "
            "<strong>Éloïse Dupré</strong>. S'il s'agit bien de vous, cliquez sur Associer.") in page
    assert "Ce n'est pas vous&nbsp;?" in page
    assert not Participation.objects.exists()

    response = client.post(reverse("join:confirm", args=[campaign.code]), {**TYPED, "first_name": "éloise"})
    participation = Participation.objects.get()
    assert response.url == reverse("learner:participation", args=[participation.pk])
    page = text(client.get(response.url))
    assert "Vous participez à «&nbsp;Parcours de rentrée&nbsp;»" in page
    assert "Commencer mon parcours" in page
    assert "2NDE1" in page


def test_a_birthdate_that_does_not_exist_is_explained(client, campaign, eloise, student):
    client.force_login(student)
    response = client.post(reverse("join:link", args=[campaign.code]), {**TYPED, "day": "31", "month": "2"})
    assert response.status_code == 400
    assert "Cette date n&#x27;existe pas" in text(response)
    assert not LinkAttempt.objects.exists()


def test_no_match_is_shown_on_the_form(client, campaign, eloise, student):
    client.force_login(student)
    response = client.post(reverse("join:link", args=[campaign.code]), {**TYPED, "year": "2012"})
    assert response.status_code == 404
    page = text(response)
    assert "Vérifiez vos informations (prénom, nom et date de naissance) ou contactez un enseignant." in page
    assert "NO_MATCHING_LEARNER" not in page and "Code :" not in page


def test_another_account_trying_the_same_learner_gets_the_r31_hint(client, campaign, eloise, student):
    first = UserFactory(email="jeanne.dupont@example.net")
    client.force_login(first)
    client.post(reverse("join:confirm", args=[campaign.code]), TYPED)
    client.force_login(student)

    response = client.post(reverse("join:link", args=[campaign.code]), TYPED)

    assert response.status_code == 409
    assert ("L&#x27;élève Éloïse Dupré est déjà associé au compte j***@example.net. Connectez-vous avec ce compte, "
            "ou demandez à un enseignant de dissocier l&#x27;élève.") in text(response)
    assert "R31" not in text(response)


def test_anonymous_is_sent_to_the_account_step(client, campaign):
    response = client.get(reverse("join:link", args=[campaign.code]))
    assert response.url == f"/campagnes/{campaign.code}?etape=compte"


def test_a_profile_is_sent_with_j_envoie_mon_profil(client, school, eloise, student, alice_admin):
    campaign = CampaignFactory(organization=school, owner=alice_admin, type=Campaign.Type.PROFILES_COLLECTION)
    client.force_login(student)
    client.post(reverse("join:confirm", args=[campaign.code]), TYPED)
    participation = Participation.objects.get()
    assert "J'envoie mon profil" in text(client.get(reverse("learner:participation", args=[participation.pk])))

    response = client.post(reverse("learner:share", args=[participation.pk]), follow=True)

    participation.refresh_from_db()
    assert participation.status == "SHARED"
    assert "Votre profil est envoyé" in text(response)


def test_a_participation_page_is_its_owners_only(client, campaign, eloise, student, alice_admin, bob_member):
    client.force_login(student)
    client.post(reverse("join:confirm", args=[campaign.code]), TYPED)
    url = reverse("learner:participation", args=[Participation.objects.get().pk])
    for somebody in (alice_admin, bob_member):
        client.force_login(somebody)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_a_member_previews_a_campaign_and_an_outsider_cannot(client, campaign, eloise, bob_member,
                                                             charlie_outsider):
    client.force_login(charlie_outsider)
    assert client.post(reverse("join:preview", args=[campaign.pk])).status_code == 404
    client.force_login(bob_member)
    response = client.post(reverse("join:preview", args=[campaign.pk]))
    participation = Participation.objects.get()
    assert participation.is_preview and participation.learner is None
    page = text(client.get(response.url))
    assert "Prévisualisation" in page
    assert client.get(reverse("join:preview", args=[campaign.pk])).status_code == 405


def test_je_commence_on_a_campaign_not_reserved_starts_at_once(client, alice_admin, student):
    from organizations.factories import OrganizationFactory

    campaign = CampaignFactory(organization=OrganizationFactory(type="PRO", is_managing_students=False),
                               owner=alice_admin, title="Parcours libre")
    client.force_login(student)
    response = client.post(f"/campagnes/{campaign.code}", {"action": "start"})
    participation = Participation.objects.get()
    assert response.url == reverse("learner:participation", args=[participation.pk])
    assert participation.learner is None


def test_the_external_id_is_asked_on_the_linking_form(client, school, eloise, student, alice_admin):
    campaign = CampaignFactory(organization=school, owner=alice_admin, external_id_label="Numéro d'élève")
    client.force_login(student)
    form = client.get(reverse("join:link", args=[campaign.code]))
    assert "Numéro d&#x27;élève" in text(form)
    missing = client.post(reverse("join:link", args=[campaign.code]), TYPED)
    assert missing.status_code == 400 and "Remplissez le champ « Numéro d&#x27;élève »" in text(missing)

    client.post(reverse("join:confirm", args=[campaign.code]), {**TYPED, "external_id": "A42"})
    assert Participation.objects.get().external_id == "A42"


def test_a_linked_student_without_the_external_id_is_told_it_is_required_and_stays_linked(client, school, eloise,
                                                                                          student, alice_admin):
    eloise.user, eloise.linked_at = student, timezone.now()
    eloise.save(update_fields=["user", "linked_at"])
    campaign = CampaignFactory(organization=school, owner=alice_admin, external_id_label="Numéro d'élève")
    client.force_login(student)

    missing = client.post(reverse("join:landing", args=[campaign.code]), {"action": "start", "external_id": "  "})

    assert missing.status_code == 400
    page = text(missing)
    assert "Remplissez le champ « Numéro d&#x27;élève » pour commencer." in page
    assert 'aria-invalid="true"' in page and "Qui êtes-vous" not in page
    assert Participation.objects.count() == 0
    eloise.refresh_from_db()
    assert eloise.user_id == student.pk

    started = client.post(reverse("join:landing", args=[campaign.code]), {"action": "start", "external_id": "A42"})
    participation = Participation.objects.get()
    assert started.url == reverse("learner:participation", args=[participation.pk])
    assert (participation.external_id, participation.learner_id) == ("A42", eloise.pk)


def test_a_profile_can_be_sent_again_with_multiple_sendings(client, school, eloise, student, alice_admin):
    campaign = CampaignFactory(organization=school, owner=alice_admin, type=Campaign.Type.PROFILES_COLLECTION,
                               multiple_sendings=True)
    client.force_login(student)
    client.post(reverse("join:confirm", args=[campaign.code]), TYPED)
    first = Participation.objects.get()
    client.post(reverse("learner:share", args=[first.pk]))
    page = text(client.get(reverse("learner:participation", args=[first.pk])))
    assert "Envoyer un profil à jour" in page

    response = client.post(f"/campagnes/{campaign.code}", {"action": "start"})

    second = Participation.objects.get(is_current=True)
    assert second != first and response.url == reverse("learner:participation", args=[second.pk])


def test_too_many_failures_say_when_to_retry_on_the_form(client, campaign, eloise, student):
    client.force_login(student)
    for _ in range(5):
        assert client.post(reverse("join:link", args=[campaign.code]), {**TYPED, "year": "2012"}).status_code == 404
    response = client.post(reverse("join:link", args=[campaign.code]), TYPED)
    assert response.status_code == 429
    assert "Vous avez fait trop d&#x27;essais. Réessayez dans 15 minutes" in text(response)


def test_the_students_pages_are_their_own_space_not_pix_orga(client, campaign, eloise, student):
    landing = text(client.get(reverse("join:landing", args=[campaign.code])))
    assert "Pix Orga" not in landing and "Mon espace" in landing and "· Mon espace Pix</title>" in landing

    login = text(client.get(reverse("accounts:login"), {"next": f"/campagnes/{campaign.code}"}))
    assert "Connexion à mon espace" in login and "Pix Orga" not in login

    client.force_login(student)
    client.post(reverse("join:confirm", args=[campaign.code]), TYPED)
    home = text(client.get(reverse("learner:home")))
    assert "Pix Orga" not in home

    client.logout()
    staff_login = text(client.get(reverse("accounts:login")))
    assert "Pix Orga auto-hébergeable" in staff_login  # the school staff's pages keep the product's name
