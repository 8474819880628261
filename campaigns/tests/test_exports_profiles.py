"""The « Collecte de profils » export: Pix Orga's columns in order, each sent profile as the snapshot holds it (pix
and level per competence of the framework), NA for profiles not sent, the page's class filter, a constant number of
queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.exports import campaign_export_response
from campaigns.tests.exports_helpers import (
    assessment_campaign,
    dated,
    fast_password_hashing,  # noqa: F401
    framework_profile,
    profiles_campaign,
    results_sent,
    student_joins,
)
from content.factories import CompetenceFactory
from content.models import Competence, TargetProfile
from content.testing import content_bank  # noqa: F401

pytestmark = pytest.mark.django_db

UTC = datetime.timezone.utc
IDENTITY = ["Nom de l'organisation", "ID Campagne", "Code", "Nom de la campagne", "Nom du Participant",
            "Prénom du Participant", "Classe"]
PROFILE = ["Envoi (O/N)", "Date de l'envoi", "Nombre de pix total", "Certifiable (O/N)",
           "Nombre de compétences certifiables"]
COMPETENCES = ("Mener une recherche et une veille d'information", "Gérer des données", "Interagir")


def export_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return [line.split(";") for line in text.removeprefix("\ufeff").split("\r\n")[:-1]]


@pytest.fixture
def framework(db):
    return framework_profile()


@pytest.fixture
def collection(school, alice_admin, framework):
    return profiles_campaign(organization=school, by=alice_admin, name="Collecte de décembre")


def profile_sent(collection, *, alice_admin, family_name: str, division: str, levels: dict[str, int]):
    """The student first takes an assessment of the school (its knowledge is their profile), then sends the profile
    the collection asks for."""
    assessment = assessment_campaign(organization=collection.organization, by=alice_admin,
                                     target_profile=TargetProfile.objects.get(name="Culture numérique"),
                                     name=f"Évaluation de {family_name}")
    taken = student_joins(assessment, family_name=family_name, division=division)
    results_sent(taken, levels)
    participation = student_joins(collection, family_name=family_name, division=division, user=taken.user)
    return results_sent(participation)


def test_header_lists_pix_orga_columns_in_order(school, alice_admin, framework):
    campaign = profiles_campaign(organization=school, by=alice_admin, external_id_label="Numéro d'élève")
    header, = export_rows(campaign_export_response(campaign=campaign))
    expected = IDENTITY + ["Numéro d'élève"] + PROFILE
    for name in COMPETENCES:
        expected += [f"Niveau pour la compétence {name}", f"Nombre de pix pour la compétence {name}"]
    assert header == expected


def test_a_sent_profile_and_a_profile_not_sent(collection, alice_admin):
    # recherche 1–2 and tri 1–2 (4 skills × 4 pix in 1.1: level 2), courriel 1 (4 pix in 2.1: level 0).
    eloise = profile_sent(collection, alice_admin=alice_admin, family_name="Dupré", division="6EME1",
                          levels={"recherche": 2, "tri": 2, "courriel": 1})
    dated(eloise, created=datetime.datetime(2026, 12, 1, 7, 0, tzinfo=UTC),
          shared=datetime.datetime(2026, 12, 1, 7, 42, tzinfo=UTC))
    student_joins(collection, family_name="Leroy", first_name="Marc", division="6EME2")

    header, sent, waiting = export_rows(campaign_export_response(campaign=collection))
    assert sent[:7] == ["Lycée Pix", str(collection.pk), collection.code, "Collecte de décembre", "Dupré", "Éloïse",
                        "6EME1"]
    assert sent[7:12] == ["Oui", "01/12/2026 08:42", "20", "Non", "1"]
    assert sent[12:] == ["2", "16", "0", "0", "0", "4"]
    assert waiting[4:7] == ["Leroy", "Marc", "6EME2"]
    assert waiting[7:] == ["Non"] + ["NA"] * (len(header) - 8)


def test_formulas_in_names_are_neutralised_and_numbers_stay_numbers(school, alice_admin, framework):
    school.is_managing_students = False
    school.save(update_fields=["is_managing_students"])
    campaign = profiles_campaign(organization=school, by=alice_admin)
    results_sent(student_joins(campaign, family_name="+33 6 12", first_name='=HYPERLINK("http://x")'))

    _, row = export_rows(campaign_export_response(campaign=campaign))
    assert row[4:7] == ["'+33 6 12", '"\'=HYPERLINK(""http://x"")"', ""]
    assert row[7] == "Oui" and row[9:12] == ["0", "Non", "0"]


def test_the_page_class_filter_applies_to_the_export(client, collection, bob_member):
    for family_name, division in (("Arnaud", "6EME1"), ("Bernard", "6EME2")):
        student_joins(collection, family_name=family_name, division=division)
    client.force_login(bob_member)
    response = client.get(reverse("campaign_results:export", args=[collection.organization_id, collection.pk]),
                          {"division": "6EME1"})
    assert [row[4] for row in export_rows(response)[1:]] == ["Arnaud"]


def test_outsider_gets_404_on_the_page_and_the_api(client, api_client, collection, charlie_outsider):
    client.force_login(charlie_outsider)
    assert client.get(reverse("campaign_results:export",
                              args=[collection.organization_id, collection.pk])).status_code == 404
    api_client.force_authenticate(charlie_outsider)
    response = api_client.get(f"/api/v1/campaigns/{collection.pk}/export/")
    assert response.status_code == 404 and response.json()["code"] == "NOT_FOUND"


def _queries(campaign) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        rows = export_rows(campaign_export_response(campaign=campaign))
    return len(queries), len(rows) - 1


def test_queries_grow_neither_with_students_nor_with_competences(collection):
    results_sent(student_joins(collection, family_name="Arnaud"))
    one = _queries(collection)
    for family_name in ("Bernard", "Carpentier", "Dubois"):
        results_sent(student_joins(collection, family_name=family_name))
    student_joins(collection, family_name="Escoffier")
    CompetenceFactory(code="3.1", name="Développer des documents textuels")
    CompetenceFactory(code="5.2", name="Évoluer dans un environnement numérique")
    assert _queries(collection) == (one[0], 5)


def test_the_real_framework_gives_16_competences_in_order(content_bank, school, alice_admin):  # noqa: F811
    campaign = profiles_campaign(organization=school, by=alice_admin)
    header, = export_rows(campaign_export_response(campaign=campaign))
    levels = [column.removeprefix("Niveau pour la compétence ") for column in header
              if column.startswith("Niveau pour la compétence ")]
    assert levels == list(Competence.objects.order_by("code").values_list("name", flat=True))
    assert len(levels) == 16 and len(header) == len(IDENTITY) + len(PROFILE) + 32
