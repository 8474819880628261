"""In a browser: a teacher follows a campaign class by class and exports a division; an admin unlinks a student."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Participation
from students.factories import LearnerFactory
from students.models import LearnerLinkEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/pixorga/shots/campaigns")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, email: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def participant(campaign, family_name, first_name, division, **extra):
    user = UserFactory(email=f"{first_name.lower()}.{family_name.lower()}@example.net")
    learner = LearnerFactory(organization=campaign.organization, family_name=family_name, first_name=first_name,
                             division=division, user=user, linked_at=timezone.now())
    return ParticipationFactory(campaign=campaign, learner=learner, user=user, **extra)


def test_teacher_filters_a_division_and_downloads_its_csv(browser_page, school, bob_member, tmp_path):
    campaign = CampaignFactory(organization=school, name="Rentrée des 6e", owner=bob_member,
                               title="Parcours de rentrée")
    participant(campaign, "Arnaud", "Léa", "6EME1")
    participant(campaign, "Bernard", "Tom", "6EME1", status=Participation.Status.SHARED, shared_at=timezone.now())
    participant(campaign, "Carpentier", "Inès", "6EME2")
    page = browser_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    log_in(page, bob_member.email)
    page.goto(f"/organisations/{school.pk}/campagnes/{campaign.pk}")
    expect(page.get_by_role("heading", name="Rentrée des 6e")).to_be_visible()
    expect(page.locator(".campaign-code")).to_have_text(campaign.code)
    expect(page.get_by_text(f"/campagnes/{campaign.code}")).to_be_visible()
    page.get_by_role("button", name="Copier le code").click()
    expect(page.get_by_text(f"Copié : {campaign.code}")).to_be_visible()
    table = page.locator(".division-table")
    expect(table.get_by_role("row", name="6EME1")).to_contain_text("2")
    expect(page.locator(".participant-table tbody tr")).to_have_count(3)
    shot(page, "01-campaign-page")

    page.get_by_label("6EME1").check()
    page.get_by_role("button", name="Filtrer").click()
    rows = page.locator(".participant-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Arnaud")
    expect(rows.nth(1)).to_contain_text("Résultats reçus")
    expect(page.locator(".participant-table")).not_to_contain_text("Carpentier")
    shot(page, "02-filtered-6EME1")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter les résultats (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(f"_{campaign.code}_resultats.csv")
    path = tmp_path / "export.csv"
    download.save_as(path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Nom de l'organisation;ID Campagne;Code;Nom de la campagne;")
    assert [line.split(";")[5] for line in lines[1:]] == ["Arnaud", "Bernard"]  # after « Parcours »


def test_admin_unlinks_a_student_on_the_students_page(browser_page, school, alice_admin):
    campaign = CampaignFactory(organization=school, owner=alice_admin)
    participation = participant(campaign, "Dupont", "Jeanne", "6EME1")
    learner = participation.learner
    page = browser_page

    log_in(page, alice_admin.email)
    page.goto(f"/organisations/{school.pk}/eleves")
    row = page.get_by_role("row", name="Dupont")
    expect(row).to_contain_text("j***@example.net")
    expect(row.locator("td.number").last).to_have_text("1")  # « Participations »
    shot(page, "03-students-with-accounts")

    row.get_by_role("link", name="Dissocier").click()
    expect(page.get_by_role("heading", name="Dissocier l'élève de son compte")).to_be_visible()
    shot(page, "04-unlink-confirmation")
    page.get_by_role("button", name="Dissocier").click()

    expect(page.get_by_text("Le compte j***@example.net n'est plus associé à Jeanne Dupont")).to_be_visible()
    expect(page.get_by_role("row", name="Dupont")).to_contain_text("Non associé")
    shot(page, "05-unlinked")
    learner.refresh_from_db()
    assert learner.user_id is None
    assert LearnerLinkEvent.objects.filter(learner=learner, action="UNLINKED", by=alice_admin).exists()
    assert Participation.objects.filter(pk=participation.pk).exists()
