"""The CSV export: French spreadsheets open it as is, columns in the agreed order, formulas neutralised."""

import datetime

import pytest
from django.utils import timezone

from campaigns.export import cell_neutralise, export_filename, export_lines, export_response
from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Participation
from campaigns.selectors.participations import participation_list
from students.factories import LearnerFactory

pytestmark = pytest.mark.django_db

HEADER = ["Nom de l'organisation", "ID Campagne", "Code", "Nom de la campagne", "Nom du Participant",
          "Prénom du Participant", "Classe", "Date de début", "Partage (O/N)", "Date du partage"]


def content(campaign, **filters) -> str:
    response = export_response(campaign=campaign, participations=participation_list(campaign=campaign, **filters))
    return b"".join(response.streaming_content).decode("utf-8")


def lines(campaign, **filters) -> list[list[str]]:
    return [line.split(";") for line in content(campaign, **filters).lstrip("\ufeff").splitlines()]


@pytest.fixture
def campaign(school):
    return CampaignFactory(organization=school, name="Rentrée 6e")


def test_header_in_the_agreed_order_without_external_id(campaign):
    assert lines(campaign) == [HEADER]


def test_header_with_the_external_id_label_before_the_dates(school):
    campaign = CampaignFactory(organization=school, external_id_label="Numéro d'élève")
    ParticipationFactory(campaign=campaign, external_id="A12",
                         learner=LearnerFactory(organization=school, family_name="Durand", first_name="Léa"))

    header, row = lines(campaign)
    assert header == HEADER[:7] + ["Numéro d'élève"] + HEADER[7:]
    assert row[7] == "A12"


def test_utf8_with_bom_and_semicolons(campaign):
    text = content(campaign)
    assert text.startswith("\ufeffNom de l'organisation;ID Campagne;")
    assert text.endswith("\r\n")


def test_one_line_per_participant_with_dates_and_sharing(campaign, school):
    started = timezone.make_aware(datetime.datetime(2026, 9, 3, 10, 0))
    shared = timezone.make_aware(datetime.datetime(2026, 9, 14, 23, 30))
    learner = LearnerFactory(organization=school, family_name="Lefèvre", first_name="Éloïse", division="6EME1")
    done = ParticipationFactory(campaign=campaign, learner=learner, status=Participation.Status.SHARED,
                                shared_at=shared)
    Participation.objects.filter(pk=done.pk).update(created_at=started)
    ParticipationFactory(campaign=campaign, learner=LearnerFactory(organization=school, family_name="Martin",
                                                                    first_name="Paul", division="6EME2"))
    ParticipationFactory(campaign=campaign, is_preview=True)

    rows = lines(campaign)[1:]
    assert rows[0] == ["Lycée Pix", str(campaign.pk), campaign.code, "Rentrée 6e", "Lefèvre", "Éloïse", "6EME1",
                       "03/09/2026", "O", "14/09/2026"]
    assert rows[1][4:7] == ["Martin", "Paul", "6EME2"]
    assert rows[1][-2:] == ["N", ""]
    assert len(rows) == 2  # the preview is not exported


def test_division_filter_is_honoured(campaign, school):
    for division in ("6EME1", "6EME2", "6EME2"):
        ParticipationFactory(campaign=campaign, learner=LearnerFactory(organization=school, division=division))

    assert [row[6] for row in lines(campaign, divisions=["6EME2"])[1:]] == ["6EME2", "6EME2"]


def test_formulas_are_neutralised(campaign, school):
    learner = LearnerFactory(organization=school, family_name='=HYPERLINK("http://evil.example","clic")',
                             first_name="@SUM(A1)", division="+6EME1")
    ParticipationFactory(campaign=campaign, learner=learner)

    text = content(campaign)
    assert "'=HYPERLINK(" in text
    row = lines(campaign)[1]
    assert row[5] == "'@SUM(A1)" and row[6] == "'+6EME1"


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+33", "'+33"), ("-2", "'-2"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Dupont", "Dupont"), ("", ""), ("a=b", "a=b"),
])
def test_cell_neutralise(value, expected):
    assert cell_neutralise(value) == expected


def test_streamed_with_a_dated_file_name(campaign):
    response = export_response(campaign=campaign, participations=participation_list(campaign=campaign))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{campaign.code}-participants-{timezone.localdate().isoformat()}.csv"')
    assert export_filename(campaign=campaign, today=datetime.date(2026, 11, 23)) == (
        f"{campaign.code}-participants-2026-11-23.csv")


def test_rows_come_one_at_a_time(campaign, school):
    ParticipationFactory(campaign=campaign, learner=LearnerFactory(organization=school))
    generator = export_lines(campaign=campaign, participations=participation_list(campaign=campaign))
    assert next(generator).startswith("\ufeff")
    assert next(generator).count(";") == len(HEADER) - 1
