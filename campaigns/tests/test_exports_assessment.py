"""The « Évaluation » export as a teacher opens it in a spreadsheet: Pix Orga's columns in order, each sent result
as the snapshot holds it, NA for results not sent, the page's class filter, and a query count that grows neither
with the students nor with the competences."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.exports import campaign_export_response, common
from campaigns.models import Participation, ParticipationCompetenceResult
from campaigns.services.joining import campaign_join
from campaigns.tests.exports_helpers import (
    assessment_campaign,
    assessment_taken,
    dated,
    fast_password_hashing,  # noqa: F401
    framework_profile,
    results_sent,
    student_joins,
)
from content.testing import content_bank  # noqa: F401

pytestmark = pytest.mark.django_db

UTC = datetime.timezone.utc
IDENTITY = ["Nom de l'organisation", "ID Campagne", "Code", "Nom de la campagne", "Parcours", "Nom du Participant",
            "Prénom du Participant", "Classe"]
ACTIVITY = ["% de progression", "Date et heure de début", "Partage (O/N)", "Date et heure du partage"]
COMPETENCES = ("Mener une recherche et une veille d'information", "Gérer des données", "Interagir")
AREAS = ("Information et données", "Communication et collaboration")
# Levels of the student sent below: 5 skills of 9 validated (recherche 1–2, tri 1–2, courriel 1).
ELOISE = {"recherche": 2, "tri": 2, "donnees": 0, "courriel": 1}


def export_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return [line.split(";") for line in text.removeprefix("\ufeff").split("\r\n")[:-1]]


def export_url(campaign) -> str:
    return reverse("campaign_results:export", args=[campaign.organization_id, campaign.pk])


@pytest.fixture
def profile(db):
    return framework_profile()


@pytest.fixture
def campaign(school, alice_admin, profile):
    return assessment_campaign(organization=school, by=alice_admin, target_profile=profile,
                               name="Rentrée numérique", external_id_label="Numéro d'élève")


def test_header_lists_pix_orga_columns_in_order(campaign):
    header, = export_rows(campaign_export_response(campaign=campaign))

    expected = IDENTITY + ["Numéro d'élève"] + ACTIVITY + [
        "Palier obtenu (/2)", "Chercheur obtenu (O/N)", "Données obtenu (O/N)",
        "% maitrise de l'ensemble des acquis du profil"]
    for name in COMPETENCES:
        expected += [f"% de maitrise des acquis de la compétence {name}",
                     f"Nombre d'acquis du profil cible dans la compétence {name}",
                     f"Acquis maitrisés dans la compétence {name}"]
    for name in AREAS:
        expected += [f"% de maitrise des acquis du domaine {name}",
                     f"Nombre d'acquis du profil cible du domaine {name}", f"Acquis maitrisés du domaine {name}"]
    assert header == expected


def test_without_stages_nor_badges_nor_external_id_those_columns_are_absent(school, alice_admin):
    campaign = assessment_campaign(organization=school, by=alice_admin,
                                   target_profile=framework_profile(with_stages=False, with_badges=False))
    header, = export_rows(campaign_export_response(campaign=campaign))
    assert header[:13] == IDENTITY + ACTIVITY[:4] + ["% maitrise de l'ensemble des acquis du profil"]
    assert not any(column.startswith("Palier") or column.endswith("obtenu (O/N)") for column in header)


def test_a_sent_row_holds_the_snapshot_and_a_row_not_sent_has_na(campaign, school):
    eloise = student_joins(campaign, family_name="Dupré", first_name="Éloïse", division="6EME1", external_id="A12")
    results_sent(eloise, ELOISE)
    dated(eloise, created=datetime.datetime(2026, 9, 3, 8, 5, tzinfo=UTC),
          shared=datetime.datetime(2026, 12, 1, 22, 30, tzinfo=UTC))
    marc = student_joins(campaign, family_name="Leroy", first_name="Marc", division="6EME2", external_id="B7")
    dated(marc, created=datetime.datetime(2026, 11, 30, 23, 59, tzinfo=UTC))

    header, first, second = export_rows(campaign_export_response(campaign=campaign))
    sent = dict(zip(header, first))
    assert first[:9] == ["Lycée Pix", str(campaign.pk), campaign.code, "Rentrée numérique", "Culture numérique",
                         "Dupré", "Éloïse", "6EME1", "A12"]
    # Summer and winter time: 08:05 UTC is 10:05 in Paris in September, 22:30 UTC is 23:30 in December.
    assert first[9:13] == ["1", "03/09/2026 10:05", "Oui", "01/12/2026 23:30"]
    # 55,6 % of the skills: the stage of 30 % (1 star of 2), « Chercheur » (50 %) but not « Données ».
    assert [sent["Palier obtenu (/2)"], sent["Chercheur obtenu (O/N)"], sent["Données obtenu (O/N)"]] == [
        "1", "Oui", "Non"]
    assert sent["% maitrise de l'ensemble des acquis du profil"] == "0,56"  # 5 ÷ 9
    per_competence = [(sent[f"% de maitrise des acquis de la compétence {name}"],
                       sent[f"Nombre d'acquis du profil cible dans la compétence {name}"],
                       sent[f"Acquis maitrisés dans la compétence {name}"]) for name in COMPETENCES]
    assert per_competence == [("0,8", "5", "4"), ("0", "2", "0"), ("0,5", "2", "1")]
    per_area = [(sent[f"% de maitrise des acquis du domaine {name}"],
                 sent[f"Nombre d'acquis du profil cible du domaine {name}"],
                 sent[f"Acquis maitrisés du domaine {name}"]) for name in AREAS]
    assert per_area == [("0,57", "7", "4"), ("0,5", "2", "1")]  # 4 ÷ 7, 1 ÷ 2

    assert second[5:13] == ["Leroy", "Marc", "6EME2", "B7", "0", "01/12/2026 00:59", "Non", "NA"]
    assert second[13:] == ["NA"] * (len(header) - 13)


def test_progress_of_a_test_in_progress_is_the_share_of_skills_tested(school, alice_admin, target_profile):
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile)
    participation = student_joins(campaign)
    assessment = assessment_taken(participation, {"motsCles": 3}, answers=1)
    # One right answer on level L validates levels 1 to L of the only tube: L of the 3 skills are tested.
    level = assessment.answers.get().skill.level
    expected = {1: "0,33", 2: "0,67", 3: "1"}[level]

    header, row = export_rows(campaign_export_response(campaign=campaign))
    cells = dict(zip(header, row))
    assert [cells[column] for column in ACTIVITY] == [expected, cells["Date et heure de début"], "Non", "NA"]


def test_file_is_utf8_with_bom_semicolons_decimal_commas_and_a_dated_name(campaign):
    results_sent(student_joins(campaign, external_id="A12"), ELOISE)

    response = campaign_export_response(campaign=campaign)
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbfNom de l'organisation;ID Campagne;Code;")
    assert body.endswith(b"\r\n")
    assert ";0,56;" in body.decode("utf-8") and "0.56" not in body.decode("utf-8")
    name = response["Content-Disposition"].removeprefix('attachment; filename="').removesuffix('"')
    date, time, code, suffix = name.split("_")
    assert (len(date), len(time), code, suffix) == (8, 4, campaign.code, "resultats.csv")
    assert response["Cache-Control"] == "no-store"


def test_formulas_in_names_are_neutralised(school, alice_admin, profile):
    # A school that does not manage students: names come from the accounts, typed by anyone.
    school.is_managing_students = False
    school.save(update_fields=["is_managing_students"])
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=profile)
    student_joins(campaign, family_name='=HYPERLINK("http://evil.example";"clic")', first_name="@SUM(A1)")

    text = b"".join(campaign_export_response(campaign=campaign).streaming_content).decode("utf-8")
    line = text.split("\r\n")[1]
    assert line.startswith(f'Lycée Pix;{campaign.pk};{campaign.code};Rentrée numérique;Culture numérique;'
                           '"\'=HYPERLINK(""http://evil.example"";""clic"")";\'@SUM(A1);;')


def test_the_page_class_filter_applies_to_the_export(client, campaign, bob_member):
    for family_name, division in (("Arnaud", "6EME1"), ("Bernard", "6EME2"), ("Carpentier", "6EME2")):
        results_sent(student_joins(campaign, family_name=family_name, division=division), ELOISE)

    client.force_login(bob_member)
    response = client.get(export_url(campaign), {"division": "6EME2"})
    assert response.status_code == 200
    assert [(row[5], row[7]) for row in export_rows(response)[1:]] == [("Bernard", "6EME2"),
                                                                       ("Carpentier", "6EME2")]


def test_previews_and_earlier_sendings_are_not_exported(campaign, alice_admin):
    campaign.multiple_sendings = True
    campaign.save(update_fields=["multiple_sendings"])
    first = student_joins(campaign, family_name="Dupré")
    results_sent(first, ELOISE)
    first.refresh_from_db()
    dated(first, created=first.created_at, shared=first.shared_at - datetime.timedelta(days=5))
    # Five days later the student starts again: the first sending stays as history, and is not exported.
    again = student_joins(campaign, user=first.user)
    assert again.pk != first.pk
    campaign_join(campaign=campaign, user=alice_admin, confirm=True, preview=True)

    rows = export_rows(campaign_export_response(campaign=campaign))[1:]
    assert [(row[5], row[11]) for row in rows] == [("Dupré", "Non")]


def test_outsider_gets_404_and_anonymous_is_sent_to_log_in(client, campaign, charlie_outsider):
    assert client.get(export_url(campaign)).status_code == 302
    client.force_login(charlie_outsider)
    assert client.get(export_url(campaign)).status_code == 404
    wrong_school = reverse("campaign_results:export", args=[charlie_outsider.memberships.get().organization_id,
                                                            campaign.pk])
    assert client.get(wrong_school).status_code == 404


def test_api_export_for_a_member_and_404_for_an_outsider(api_client, campaign, bob_member, charlie_outsider):
    results_sent(student_joins(campaign, family_name="Arnaud", division="6EME1"), ELOISE)
    results_sent(student_joins(campaign, family_name="Bernard", division="6EME2"), ELOISE)
    url = f"/api/v1/campaigns/{campaign.pk}/export/"
    assert api_client.get(url).status_code == 401
    api_client.force_authenticate(charlie_outsider)
    assert api_client.get(url).status_code == 404
    api_client.force_authenticate(bob_member)
    response = api_client.get(url, {"division": "6EME1"}, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and response.streaming
    rows = export_rows(response)
    assert [row[5] for row in rows[1:]] == ["Arnaud"] and rows[1][12:14] != ["NA", "NA"]


def _queries(campaign) -> int:
    with CaptureQueriesContext(connection) as queries:
        rows = export_rows(campaign_export_response(campaign=campaign))
    return len(queries), len(rows) - 1


def test_queries_grow_neither_with_students_nor_with_competences(school, alice_admin, profile, target_profile):
    wide = assessment_campaign(organization=school, by=alice_admin, target_profile=profile, name="Trois")
    narrow = assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile, name="Une")
    results_sent(student_joins(wide, family_name="Arnaud"), ELOISE)
    results_sent(student_joins(narrow, family_name="Arnaud"), {"motsCles": 2})
    one_student = _queries(wide)
    assert _queries(narrow) == one_student  # 1 competence and 3 competences

    for family_name in ("Bernard", "Carpentier", "Dubois"):
        results_sent(student_joins(wide, family_name=family_name), ELOISE)
    student_joins(wide, family_name="Leroy")  # not sent
    assert _queries(wide) == (one_student[0], 5)


def test_one_more_query_per_chunk_of_rows(school, alice_admin, target_profile, monkeypatch):
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile)
    for family_name in ("Arnaud", "Bernard", "Carpentier", "Dubois", "Escoffier"):
        results_sent(student_joins(campaign, family_name=family_name), {"motsCles": 2})
    one_chunk, rows = _queries(campaign)

    monkeypatch.setattr(common, "CHUNK_SIZE", 2)  # 5 rows: 3 chunks
    assert _queries(campaign) == (one_chunk + 2, rows)
    assert ParticipationCompetenceResult.objects.filter(participation__campaign=campaign).count() == 5


def test_les_16_competences_has_every_competence_and_area_in_order(content_bank, school, alice_admin):  # noqa: F811
    from content.models import Area, Competence, TargetProfile

    campaign = assessment_campaign(organization=school, by=alice_admin,
                                   target_profile=TargetProfile.objects.get(key="les-16-competences"))
    header, = export_rows(campaign_export_response(campaign=campaign))
    competences = [column.removeprefix("Acquis maitrisés dans la compétence ") for column in header
                   if column.startswith("Acquis maitrisés dans la compétence ")]
    areas = [column.removeprefix("Acquis maitrisés du domaine ") for column in header
             if column.startswith("Acquis maitrisés du domaine ")]
    assert competences == list(Competence.objects.order_by("code").values_list("name", flat=True))
    assert len(competences) == 16
    assert areas == list(Area.objects.order_by("code").values_list("name", flat=True))
    assert header.index("% maitrise de l'ensemble des acquis du profil") < header.index(
        f"% de maitrise des acquis de la compétence {competences[0]}")
    assert Participation.objects.filter(campaign=campaign).count() == 0
