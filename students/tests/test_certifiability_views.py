"""Certifiability on « Élèves » (column, filter, counts per class, export, reminder) and the « Certification » page,
as an admin, a member, an outsider and anonymous."""

import csv
import datetime
import io
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content.testing import content_bank  # noqa: F401
from students.models import Learner
from students.tests.certifiability_helpers import fast_password_hashing, learner_known, lycee_dates  # noqa: F401

pytestmark = pytest.mark.django_db

SHARED = Learner.CertifiabilitySource.PROFILE_SHARED
MARCH_12 = timezone.make_aware(datetime.datetime(2027, 3, 12, 21, 0))


def list_url(school, **params) -> str:
    return reverse("students:list", args=[school.pk]) + ("?" + urlencode(params, doseq=True) if params else "")


def export_url(school, **params) -> str:
    return reverse("students:export", args=[school.pk]) + ("?" + urlencode(params, doseq=True) if params else "")


def certification_url(school) -> str:
    return reverse("students:certification", args=[school.pk])


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.fixture
def three_students(school):
    """2NDE1: one certifiable (computed), one not (profile sent); 2NDE2: one never known."""
    return {
        "zoe": learner_known(school, "Aubert", "Zoé", division="2NDE1", level_one=6, at=MARCH_12),
        "hugo": learner_known(school, "Bernard", "Hugo", division="2NDE1", level_one=3, source=SHARED,
                              at=MARCH_12 - datetime.timedelta(days=3)),
        "lea": learner_known(school, "Colin", "Léa", division="2NDE2"),
    }


# « Élèves »: the column, the filter, the counts.

def test_the_column_shows_each_status_with_its_date_and_where_it_comes_from(client, school, bob_member,
                                                                           three_students):
    client.force_login(bob_member)
    page = client.get(list_url(school)).content.decode()
    assert "Certificabilité" in page
    assert "Certifiable</span>" in page and "le 12/03/2027 · calcul de la nuit" in page
    assert "Non certifiable</span>" in page and "le 09/03/2027 · profil envoyé" in page
    assert "Non communiqué</span>" in page
    assert "mis à jour chaque nuit pour les élèves qui se sont connectés, et à chaque envoi de profil".lower() in \
        page.lower()


@pytest.mark.parametrize(("value", "shown", "hidden"), [
    ("CERTIFIABLE", ["Aubert"], ["Bernard", "Colin"]),
    ("NOT_CERTIFIABLE", ["Bernard"], ["Aubert", "Colin"]),
    ("UNKNOWN", ["Colin"], ["Aubert", "Bernard"]),
])
def test_filter_by_certifiability(client, school, bob_member, three_students, value, shown, hidden):
    client.force_login(bob_member)
    page = client.get(list_url(school, certifiability=value)).content.decode()
    assert all(name in page for name in shown) and not any(f"<td>{name}" in page for name in hidden)
    assert "1 élève</strong> sur 3 correspond aux filtres" in page


def test_an_unknown_filter_value_is_dropped(client, school, bob_member, three_students):
    client.force_login(bob_member)
    page = client.get(list_url(school, certifiability="PEUT-ETRE")).content.decode()
    assert "<strong>3 élèves</strong>" in page


def test_counts_per_class_in_french(client, school, bob_member, three_students):
    client.force_login(bob_member)
    page = client.get(list_url(school)).content.decode()
    assert "1 certifiable sur 3 élèves" in page
    assert '<span class="division-name">2NDE1</span> : 1 certifiable sur 2' in page
    assert '<span class="division-name">2NDE2</span> : 0 certifiable sur 1' in page
    assert "certifiable(s)" not in page and "élève(s)" not in page


def test_counts_follow_the_class_filter_but_not_the_certifiability_filter(client, school, bob_member,
                                                                          three_students):
    client.force_login(bob_member)
    page = client.get(list_url(school, division="2NDE1", certifiability="UNKNOWN")).content.decode()
    assert "1 certifiable sur 2 élèves des classes choisies" in page
    assert '<span class="division-name">2NDE2</span>' not in page


def test_thousands_are_separated_by_a_narrow_space(client, school, bob_member):
    Learner.objects.bulk_create([Learner(organization=school, ine=f"{n:09d}AB", family_name=f"Nom{n}",
                                         first_name="Prénom", birthdate=datetime.date(2010, 1, 1), division="2NDE1",
                                         search_key=f"nom{n} prenom") for n in range(1203)])
    client.force_login(bob_member)
    page = client.get(list_url(school)).content.decode()
    assert "<strong>1\u202f203 élèves</strong>" in page
    assert "0 certifiable sur 1\u202f203 élèves" in page


def test_the_page_costs_the_same_queries_whatever_the_number_of_students_and_classes(client, school, bob_member):
    learner_known(school, "Seul", division="2NDE1", level_one=5)
    client.force_login(bob_member)
    with CaptureQueriesContext(connection) as few:
        client.get(list_url(school))
    for number in range(30):
        learner_known(school, f"Élève{number}", division=f"2NDE{number % 12}", level_one=number % 7)
    with CaptureQueriesContext(connection) as many:
        client.get(list_url(school))
    assert len(many) == len(few)


# « Élèves »: the CSV export.

def test_the_export_carries_the_certifiability_with_the_lists_filters(client, school, bob_member, three_students):
    client.force_login(bob_member)
    response = client.get(export_url(school, division="2NDE1"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="eleves-')
    rows = csv_rows(response)
    assert rows[0] == ["Nom", "Nom d'usage", "Prénom", "Date de naissance", "Classe", "Compte Pix associé (O/N)",
                       "Participations", "Certificabilité", "Date de la certificabilité",
                       "Origine de la certificabilité", "Compétences au niveau 1 ou plus"]
    body = {row[0]: row for row in rows[1:]}
    assert set(body) == {"Aubert", "Bernard"}
    assert body["Aubert"][5:] == ["O", "0", "Certifiable", "12/03/2027", "Calcul de la nuit", "6"]
    assert body["Bernard"][7:] == ["Non certifiable", "09/03/2027", "Profil envoyé", "3"]


def test_the_export_filtered_on_non_communique(client, school, bob_member, three_students):
    client.force_login(bob_member)
    rows = csv_rows(client.get(export_url(school, certifiability="UNKNOWN")))
    assert [row[0] for row in rows[1:]] == ["Colin"]
    assert rows[1][7:] == ["Non communiqué", "", "", ""]


def test_the_export_neutralises_formulas(client, school, bob_member):
    learner_known(school, "=HYPERLINK(\"http://x\")", "@Zoé", division="+2NDE", level_one=5)
    client.force_login(bob_member)
    row = csv_rows(client.get(export_url(school)))[1]
    assert row[0] == "'=HYPERLINK(\"http://x\")" and row[2] == "'@Zoé" and row[4] == "'+2NDE"


def test_the_export_costs_the_same_queries_whatever_the_number_of_students(client, school, bob_member):
    learner_known(school, "Seul", level_one=2)
    client.force_login(bob_member)
    with CaptureQueriesContext(connection) as few:
        csv_rows(client.get(export_url(school)))
    for number in range(40):
        learner_known(school, f"Élève{number}", level_one=number % 7)
    with CaptureQueriesContext(connection) as many:
        rows = csv_rows(client.get(export_url(school)))
    assert len(rows) == 42 and len(many) == len(few)


def test_an_outsider_cannot_export_another_schools_students(client, school, charlie_outsider, three_students):
    client.force_login(charlie_outsider)
    assert client.get(export_url(school)).status_code == 404


def test_anonymous_cannot_export(client, school, three_students):
    assert client.get(export_url(school)).status_code == 302


# The reminder before the last collection.

def test_the_reminder_shows_from_one_month_before_the_last_collection(client, school, bob_member, three_students,
                                                                     settings):
    lycee_dates(settings, collection_in_days=10)
    client.force_login(bob_member)
    page = client.get(list_url(school)).content.decode()
    assert "Collectez les profils de vos élèves avant le" in page
    assert "dans 10 jours" in page and "certification des lycées" in page
    assert "1 élève certifiable sur 3 pour l'instant" in page
    assert "Voir les élèves qui ne sont pas encore certifiables" not in page  # the page is for admins


def test_the_admin_reminder_links_to_the_certification_page(client, school, alice_admin, three_students, settings):
    lycee_dates(settings, collection_in_days=10)
    client.force_login(alice_admin)
    page = client.get(list_url(school)).content.decode()
    assert "Voir les élèves qui ne sont pas encore certifiables" in page
    assert f'href="{certification_url(school)}"' in page


def test_no_reminder_earlier_than_a_month_before(client, school, bob_member, three_students, settings):
    lycee_dates(settings, collection_in_days=45)
    client.force_login(bob_member)
    assert "Collectez les profils" not in client.get(list_url(school)).content.decode()


# « Certification » (admins).

def test_only_admins_see_the_link_to_certification(client, school, alice_admin, bob_member, three_students):
    client.force_login(alice_admin)
    assert f'href="{certification_url(school)}"' in client.get(list_url(school)).content.decode()
    client.force_login(bob_member)
    assert f'href="{certification_url(school)}"' not in client.get(list_url(school)).content.decode()


def test_a_member_without_the_admin_role_is_refused(client, school, bob_member, three_students):
    client.force_login(bob_member)
    assert client.get(certification_url(school)).status_code == 403


def test_an_outsider_cannot_tell_the_page_exists(client, school, charlie_outsider, three_students):
    client.force_login(charlie_outsider)
    assert client.get(certification_url(school)).status_code == 404
    assert client.get(reverse("students:certification", args=[987654])).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client, school):
    response = client.get(certification_url(school))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_the_page_gives_the_window_and_the_last_collection(client, school, alice_admin, three_students, settings):
    lycee_dates(settings, collection_in_days=10)
    client.force_login(alice_admin)
    page = client.get(certification_url(school)).content.decode()
    today = timezone.localdate()
    opening = today + datetime.timedelta(days=40)
    collection = today + datetime.timedelta(days=10)
    assert "Certification des lycées" in page
    assert f"du {_french(opening)} au {_french(today + datetime.timedelta(days=120))}" in page
    assert f"le {_french(collection)}" in page and "(dans 10 jours)" in page
    assert "1 élève certifiable</strong> sur 3" in page


def test_per_class_the_students_not_yet_certifiable_and_what_each_still_needs(client, school, alice_admin,
                                                                              content_bank):
    learner_known(school, "Aubert", "Zoé", division="2NDE1", level_one=5)
    learner_known(school, "Bernard", "Hugo", division="2NDE1", level_one=1, pix={"3.1": 2, "4.3": 7})
    learner_known(school, "Colin", "Léa", division="2NDE1", level_one=4, pix={"2.2": 5})
    learner_known(school, "Dumas", "Noé", division="2NDE1")
    learner_known(school, "Roux", "Inès", division="1G1", level_one=7)
    client.force_login(alice_admin)
    page = client.get(certification_url(school)).content.decode()

    assert "2NDE1 : 1 certifiable sur 4 · 1 non communiqué" in page
    # Fewest competences missing first (Léa: 1, Hugo: 4), then the student never known.
    assert page.index("Colin Léa") < page.index("Bernard Hugo") < page.index("Dumas Noé")
    assert "Aubert Zoé" not in page
    assert "4 sur 5 · il en manque 1" in page and "1 sur 5 · il en manque 4" in page
    # Léa's closest competence below level 1 comes first, with its name from the bank.
    lea = page[page.index("Colin Léa"):page.index("Bernard Hugo")]
    assert lea.index("2.2 Partager et publier") < lea.index("2.3 ")
    assert "(5 pix sur 8)" in lea
    hugo = page[page.index("Bernard Hugo"):page.index("Dumas Noé")]
    assert hugo.index("4.3 ") < hugo.index("3.1 ") < hugo.index("1.2 ")
    assert "et 10 autres compétences au niveau 0" in hugo
    assert "aucun profil reçu ni calculé" in page
    assert "1G1 : 1 certifiable sur 1</h3>" in page and "Tous les élèves de cette classe sont certifiables." in page


def test_a_cite_scolaire_has_both_windows_and_its_classes_under_each(client, school, alice_admin, settings):
    learner_known(school, "Aubert", division="3EME1", mef_code="10310019110", level_one=2)
    learner_known(school, "Bernard", division="2NDE1", mef_code="20010018110", level_one=2)
    client.force_login(alice_admin)
    page = client.get(certification_url(school)).content.decode()
    assert "Certification des lycées" in page and "Certification des collèges" in page
    lycee_part = page[page.index("Classes de lycée</h2>"):page.index("Classes de collège</h2>")]
    college_part = page[page.index("Classes de collège</h2>"):page.index("Élèves pas encore certifiables")]
    assert "2NDE1</a>" in lycee_part and "3EME1" not in lycee_part
    assert "3EME1</a>" in college_part and "2NDE1" not in college_part


def test_a_big_school_chooses_its_classes_to_see_the_students(client, school, alice_admin, content_bank,
                                                                monkeypatch):
    from students import views

    monkeypatch.setattr(views, "CERTIFICATION_LIST_ALL_UP_TO", 2)
    learner_known(school, "Aubert", "Zoé", division="2NDE1", level_one=3)
    learner_known(school, "Bernard", "Hugo", division="2NDE2", level_one=2)
    learner_known(school, "Colin", "Léa", division="2NDE3")
    client.force_login(alice_admin)

    page = client.get(certification_url(school)).content.decode()
    assert "3 élèves ne sont pas encore certifiables : choisissez une ou plusieurs classes" in page
    assert "Aubert Zoé" not in page and "Bernard Hugo" not in page
    assert '<a href="?division=2NDE2">2NDE2</a>' in page  # each class opens its list
    assert "2NDE2</a></th>\n                <td>0 certifiable sur 1</td>" in page

    page = client.get(certification_url(school), {"division": ["2NDE1", "2NDE3"]}).content.decode()
    assert "Aubert Zoé" in page and "Colin Léa" in page and "Bernard Hugo" not in page
    assert "2NDE1 : 0 certifiable sur 1</h3>" in page and "2NDE2 : " not in page


def test_a_school_whose_classes_tell_nothing_gets_the_lycee_dates_and_is_told(client, school, alice_admin):
    learner_known(school, "Aubert", division="ULIS", level_one=2)
    client.force_login(alice_admin)
    page = client.get(certification_url(school)).content.decode()
    assert "Certification des lycées" in page and "n'a pu être reconnu" in page


def test_the_certification_page_costs_the_same_queries_whatever_the_number_of_students(client, school,
                                                                                       alice_admin, content_bank):
    learner_known(school, "Seul", level_one=2)
    client.force_login(alice_admin)
    with CaptureQueriesContext(connection) as few:
        client.get(certification_url(school))
    for number in range(30):
        learner_known(school, f"Élève{number}", division=f"2NDE{number % 9}", level_one=number % 7)
    with CaptureQueriesContext(connection) as many:
        client.get(certification_url(school))
    assert len(many) == len(few)


def test_a_school_without_students_says_where_to_start(client, school, alice_admin):
    client.force_login(alice_admin)
    page = client.get(certification_url(school)).content.decode()
    assert "Aucun élève pour l'instant." in page and "Importez la liste de vos élèves" in page


MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def _french(date: datetime.date) -> str:
    return f"{DAYS[date.weekday()]} {date.day} {MONTHS[date.month - 1]} {date.year}"
