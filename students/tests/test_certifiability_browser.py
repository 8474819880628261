"""In a browser: an admin filters « Élèves » by certifiability, downloads the list, then opens « Certification »."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.factories import DEFAULT_PASSWORD
from content.testing import content_bank  # noqa: F401
from students.models import Learner
from students.tests.certifiability_helpers import fast_password_hashing, learner_known  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/pixorga/shots/students")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, email: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def test_an_admin_filters_the_students_by_certifiability(browser_page, school, alice_admin, content_bank):
    page = browser_page
    learner_known(school, "Aubert", "Zoé", division="2NDE1", level_one=6)
    learner_known(school, "Bernard", "Hugo", division="2NDE1", level_one=3, pix={"2.2": 6},
                  source=Learner.CertifiabilitySource.PROFILE_SHARED)
    learner_known(school, "Colin", "Léa", division="2NDE2")
    log_in(page, alice_admin.email)

    page.get_by_role("link", name="Élèves").first.click()
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name="Certificabilité")).to_be_visible()
    expect(table.get_by_role("row", name="Aubert")).to_contain_text("Certifiable")
    expect(table.get_by_role("row", name="Bernard")).to_contain_text("Non certifiable")
    expect(table.get_by_role("row", name="Bernard")).to_contain_text("profil envoyé")
    expect(table.get_by_role("row", name="Colin")).to_contain_text("Non communiqué")
    page.get_by_text("Certificabilité par classe").click()
    expect(page.get_by_text("2NDE1 : 1 certifiable sur 2")).to_be_visible()
    expect(page.get_by_text("2NDE2 : 0 certifiable sur 1")).to_be_visible()
    shot(page, "certifiability-list")

    page.get_by_label("Certificabilité").select_option(label="Non certifiable")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("1 élève sur 3 correspond aux filtres")).to_be_visible()
    expect(table.get_by_role("row", name="Bernard")).to_be_visible()
    expect(table.get_by_role("row", name="Aubert")).to_have_count(0)
    expect(table.get_by_role("row", name="Colin")).to_have_count(0)
    shot(page, "certifiability-filtered")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter la liste (CSV)").click()
    text = Path(download_info.value.path()).read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["Bernard"] and rows[1][7] == "Non certifiable"

    page.get_by_role("link", name="Certification").click()
    expect(page.get_by_role("heading", name="Certification", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Certification des lycées")).to_be_visible()
    expect(page.get_by_role("heading", name="2NDE1 : 1 certifiable sur 2")).to_be_visible()
    row = page.get_by_role("row", name="Bernard Hugo")
    expect(row).to_contain_text("3 sur 5 · il en manque 2")
    expect(row).to_contain_text("2.2 Partager et publier (6 pix sur 8)")
    shot(page, "certification")
