"""« Gérer le compte » and « Réinitialiser les mots de passe » on « Élèves »: services, pages and API, as an admin,
a member (teachers need it in class) and an outsider; the file; the audit trail; the cost of a whole class."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from accounts.models import User
from accounts.one_time_passwords import one_time_password_is_well_formed
from students.factories import LearnerFactory
from students.models import Learner, LearnerAccountEvent
from students.services import accounts as services
from students.services.accounts import AccountAlreadyHasUsername, AccountWithoutUsername

pytestmark = pytest.mark.django_db

BIRTHDATE = datetime.date(2012, 3, 15)


@pytest.fixture
def lena(school):
    """A 6EME2 student whose account logs in with a username."""
    user = UserFactory(email=None, username="lena.cote1503", first_name="Léna", last_name="Côte")
    return LearnerFactory(organization=school, first_name="Léna", family_name="Côte", birthdate=BIRTHDATE,
                          division="6EME2", user=user, linked_at=timezone.now())


@pytest.fixture
def hugo(school):
    """A 6EME2 student whose account logs in with an e-mail."""
    user = UserFactory(email="hugo.roy@example.net", first_name="Hugo", last_name="Roy")
    return LearnerFactory(organization=school, first_name="Hugo", family_name="Roy",
                          birthdate=datetime.date(2012, 1, 5), division="6EME2", user=user, linked_at=timezone.now())


@pytest.fixture
def zoe(school):
    """A 6EME2 student who has no account yet."""
    return LearnerFactory(organization=school, first_name="Zoé", family_name="Adam", division="6EME2")


def fresh(learner) -> User:
    return User.objects.get(pk=learner.user_id)


def rows_of(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


# --- Services -------------------------------------------------------------------------------------------------------

def test_adding_a_username_to_an_email_account_gives_a_one_time_password(school, bob_member, hugo):
    username, password = services.learner_username_add(organization=school, learner_id=hugo.pk, by=bob_member)

    user = fresh(hugo)
    assert username == user.username == "hugo.roy0501"
    assert user.email == "hugo.roy@example.net"  # nothing else of the account changes
    assert one_time_password_is_well_formed(password) and user.check_password(password)
    assert user.must_change_password
    event = LearnerAccountEvent.objects.get()
    assert (event.learner, event.user, event.by, event.organization, event.action) == (
        hugo, user, bob_member, school, "USERNAME_ADDED")
    assert password not in str(LearnerAccountEvent.objects.values().get())


def test_an_account_with_a_username_cannot_get_another(school, bob_member, lena):
    with pytest.raises(AccountAlreadyHasUsername):
        services.learner_username_add(organization=school, learner_id=lena.pk, by=bob_member)


def test_resetting_the_password_of_a_username_account(school, alice_admin, lena):
    password = services.learner_password_reset(organization=school, learner_id=lena.pk, by=alice_admin)

    user = fresh(lena)
    assert user.must_change_password and user.password.startswith("argon2otp$")
    assert user.check_password(password) and not user.check_password(DEFAULT_PASSWORD)
    assert LearnerAccountEvent.objects.get().action == "PASSWORD_RESET"


def test_an_email_account_resets_its_own_password(school, alice_admin, hugo):
    with pytest.raises(AccountWithoutUsername) as error:
        services.learner_password_reset(organization=school, learner_id=hugo.pk, by=alice_admin)

    assert error.value.http_status == 409 and "Mot de passe oublié ?" in error.value.message
    assert fresh(hugo).check_password(DEFAULT_PASSWORD)
    assert not LearnerAccountEvent.objects.exists()


def test_only_the_schools_own_active_linked_students(school, other_school, alice_admin, charlie_outsider, lena,
                                                     zoe):
    from django.http import Http404

    elsewhere = LearnerFactory(organization=other_school, user=UserFactory(email=None, username="x.y0101"))
    left = LearnerFactory(organization=school, user=UserFactory(email=None, username="a.b0101"),
                          disabled_at=timezone.now())
    for organization, learner, by in [(school, zoe, alice_admin), (school, elsewhere, alice_admin),
                                      (school, left, alice_admin), (school, lena, charlie_outsider)]:
        with pytest.raises(Http404):
            services.learner_password_reset(organization=organization, learner_id=learner.pk, by=by)
    assert not LearnerAccountEvent.objects.exists()


def test_an_account_linked_in_two_schools_is_managed_by_either_for_its_password(school, other_school,
                                                                                 charlie_outsider, lena):
    there = LearnerFactory(organization=other_school, ine=lena.ine, user_id=lena.user_id, first_name="Léna",
                           family_name="Côte", birthdate=BIRTHDATE, linked_at=timezone.now())

    password = services.learner_password_reset(organization=other_school, learner_id=there.pk, by=charlie_outsider)

    assert fresh(lena).check_password(password)
    assert Learner.objects.get(pk=lena.pk).user_id == lena.user_id  # the other school's link is untouched
    event = LearnerAccountEvent.objects.get()
    assert (event.organization, event.learner) == (other_school, there)


def test_a_class_reset_adds_usernames_where_missing_and_skips_students_without_account(school, bob_member, lena,
                                                                                        hugo, zoe):
    LearnerFactory(organization=school, division="5EME1", user=UserFactory(email=None, username="autre.classe0101"))

    reset = services.learners_passwords_reset(organization=school, by=bob_member, division="6EME2")

    assert [(row.family_name, row.username) for row in reset.rows] == [("Côte", "lena.cote1503"),
                                                                      ("Roy", "hugo.roy0501")]
    assert [learner.pk for learner in reset.skipped] == [zoe.pk]
    for learner, row in [(lena, reset.rows[0]), (hugo, reset.rows[1])]:
        user = fresh(learner)
        assert user.check_password(row.password) and user.must_change_password
    assert User.objects.get(username="autre.classe0101").check_password(DEFAULT_PASSWORD)
    actions = sorted(LearnerAccountEvent.objects.values_list("learner__first_name", "action"))
    assert actions == [("Hugo", "PASSWORD_RESET"), ("Hugo", "USERNAME_ADDED"), ("Léna", "PASSWORD_RESET")]
    assert set(LearnerAccountEvent.objects.values_list("by", flat=True)) == {bob_member.pk}


def test_chosen_students_of_another_school_are_ignored(school, other_school, alice_admin, lena):
    elsewhere = LearnerFactory(organization=other_school, user=UserFactory(email=None, username="x.y0101"))

    reset = services.learners_passwords_reset(organization=school, by=alice_admin,
                                              learner_ids=[lena.pk, elsewhere.pk])

    assert [row.username for row in reset.rows] == ["lena.cote1503"]
    assert User.objects.get(username="x.y0101").check_password(DEFAULT_PASSWORD)


def test_a_class_reset_is_one_transaction(school, alice_admin, lena, hugo, monkeypatch):
    from accounts import services as accounts

    def broken(**kwargs):
        raise RuntimeError("the server stops half-way")

    monkeypatch.setattr(accounts, "users_one_time_passwords_set", broken)

    with pytest.raises(RuntimeError):
        services.learners_passwords_reset(organization=school, by=alice_admin, division="6EME2")

    assert fresh(hugo).username is None  # the username added before the failure is rolled back too
    assert not LearnerAccountEvent.objects.exists()


def test_a_class_reset_costs_the_same_queries_for_5_or_40_students(school, alice_admin):
    def class_of(size, division):
        for n in range(size):
            user = UserFactory(email=f"eleve{division}{n}@example.net" if n % 2 else None,
                               username=None if n % 2 else f"eleve{n}.{division.lower()}0101")
            LearnerFactory(organization=school, division=division, user=user, first_name=f"Eleve{n}")

    class_of(5, "6EME1")
    class_of(40, "6EME3")
    counts = []
    for division in ("6EME1", "6EME3"):
        with CaptureQueriesContext(connection) as queries:
            services.learners_passwords_reset(organization=school, by=alice_admin, division=division)
        counts.append(len(queries))

    assert counts[0] == counts[1], counts


# --- Pages ------------------------------------------------------------------------------------------------------------

def list_page(client, school, **params):
    from urllib.parse import urlencode

    url = reverse("students:list", args=[school.pk]) + ("?" + urlencode(params, doseq=True) if params else "")
    return client.get(url).content.decode()


def test_each_row_shows_how_the_student_logs_in(client, school, bob_member, lena, hugo, zoe):
    client.force_login(bob_member)

    page = list_page(client, school)

    assert "lena.cote1503" in page  # a username in clear: the teacher gives it to the student
    assert "h***@example.net" in page and "hugo.roy@example.net" not in page
    assert page.count("Gérer le compte") == 2  # linked students only
    assert reverse("students:account", args=[school.pk, lena.pk]) in page
    assert "Réinitialiser les mots de passe des élèves cochés" in page


def test_a_class_filtered_offers_to_reset_the_whole_class(client, school, bob_member, lena):
    client.force_login(bob_member)

    page = list_page(client, school, division="6EME2")

    assert "Réinitialiser les mots de passe de la classe 6EME2" in page
    assert reverse("students:passwords_reset", args=[school.pk]) + "?division=6EME2" in page


def test_a_member_adds_a_username_and_sees_the_password_once(client, school, bob_member, hugo):
    client.force_login(bob_member)
    url = reverse("students:account", args=[school.pk, hugo.pk])

    before = client.get(url).content.decode()
    response = client.post(url, {"action": "username"})
    again = client.get(url).content.decode()

    assert "Ajouter l'identifiant" in before and "h***@example.net" in before
    page = response.content.decode()
    user = fresh(hugo)
    password = re.search(r'data-testid="password">([a-z0-9]+)<', page).group(1)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "hugo.roy0501" in page and user.check_password(password)
    assert "n'est affiché qu'une fois" in page
    assert password not in again and "Réinitialiser le mot de passe" in again


def test_resetting_a_username_accounts_password_on_the_page(client, school, alice_admin, lena):
    client.force_login(alice_admin)

    response = client.post(reverse("students:account", args=[school.pk, lena.pk]), {"action": "password"})

    password = re.search(r'data-testid="password">([a-z0-9]+)<', response.content.decode()).group(1)
    assert fresh(lena).check_password(password)


def test_an_email_accounts_password_is_not_reset_by_the_school(client, school, alice_admin, hugo):
    client.force_login(alice_admin)

    response = client.post(reverse("students:account", args=[school.pk, hugo.pk]), {"action": "password"})

    assert response.status_code == 409
    assert "réinitialise lui-même son mot de passe" in response.content.decode()


def test_outsiders_and_students_without_account_get_404(client, school, charlie_outsider, bob_member, lena, zoe):
    client.force_login(charlie_outsider)
    assert client.get(reverse("students:account", args=[school.pk, lena.pk])).status_code == 404
    assert client.post(reverse("students:passwords_reset", args=[school.pk]), {"division": "6EME2"}).status_code == 404
    client.force_login(bob_member)
    assert client.get(reverse("students:account", args=[school.pk, zoe.pk])).status_code == 404


def test_anonymous_is_sent_to_log_in(client, school, lena):
    response = client.get(reverse("students:account", args=[school.pk, lena.pk]))

    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_confirmation_says_who_gets_a_password_and_who_is_skipped(client, school, bob_member, lena, hugo, zoe):
    client.force_login(bob_member)

    response = client.get(reverse("students:passwords_reset", args=[school.pk]) + "?division=6EME2")

    page = response.content.decode()
    assert "Réinitialiser les mots de passe de la classe 6EME2" in page
    assert "2 élèves recevront" in page and "1 compte recevra aussi un identifiant" in page
    assert "1 élève sans compte sera ignoré" in page and "Adam Zoé" in page
    assert fresh(lena).check_password(DEFAULT_PASSWORD)  # nothing done yet


def test_reset_and_download_the_file(client, school, bob_member, lena, hugo, zoe):
    client.force_login(bob_member)

    response = client.post(reverse("students:passwords_reset", args=[school.pk]), {"division": "6EME2"})

    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="\d{8}_\d{4}_mots_de_passe\.csv"', response["Content-Disposition"])
    assert "no-store" in response["Cache-Control"]
    rows = rows_of(response)
    assert rows[0] == ["Classe", "Nom", "Prénom", "Identifiant", "Mot de passe"]
    assert [row[:4] for row in rows[1:]] == [["6EME2", "Côte", "Léna", "lena.cote1503"],
                                             ["6EME2", "Roy", "Hugo", "hugo.roy0501"],
                                             ["6EME2", "Adam", "Zoé", ""]]
    assert fresh(lena).check_password(rows[1][4]) and fresh(hugo).check_password(rows[2][4])
    assert rows[3][4].startswith("Non réinitialisé : pas de compte associé")


def test_checked_students_only(client, school, bob_member, lena, hugo):
    client.force_login(bob_member)
    url = reverse("students:passwords_reset", args=[school.pk])

    confirmation = client.get(url, {"learners": [lena.pk]}).content.decode()
    response = client.post(url, {"learners": [lena.pk]})

    assert "1 élève recevra" in confirmation
    assert [row[3] for row in rows_of(response)[1:]] == ["lena.cote1503"]
    assert fresh(hugo).check_password(DEFAULT_PASSWORD)


def test_nothing_chosen_says_what_to_do(client, school, bob_member):
    client.force_login(bob_member)

    response = client.post(reverse("students:passwords_reset", args=[school.pk]))

    assert response.status_code == 400 and "Choisissez des élèves, ou une classe." in response.content.decode()


def test_a_student_logs_in_with_the_file_and_must_choose_a_password(client, school, bob_member, lena):
    client.force_login(bob_member)
    rows = rows_of(client.post(reverse("students:passwords_reset", args=[school.pk]), {"learners": [lena.pk]}))
    client.logout()

    response = client.post(reverse("accounts:login"), {"username": rows[1][3], "password": rows[1][4]}, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:password_choose"))


# --- API ------------------------------------------------------------------------------------------------------------

def api_url(school, learner=None, action=""):
    if learner is None:
        return f"/api/v1/organizations/{school.pk}/students/password-reset/"
    return f"/api/v1/organizations/{school.pk}/students/{learner.pk}/account/{action}"


def test_api_reads_how_the_student_logs_in(api_client, school, bob_member, lena, hugo):
    api_client.force_authenticate(bob_member)

    assert api_client.get(api_url(school, lena)).json() == {
        "learner_id": lena.pk, "username": "lena.cote1503", "email": None, "must_change_password": False}
    assert api_client.get(api_url(school, hugo)).json()["email"] == "h***@example.net"


def test_api_adds_a_username_and_resets_a_password(api_client, school, bob_member, lena, hugo):
    api_client.force_authenticate(bob_member)

    added = api_client.post(api_url(school, hugo, "username/"))
    again = api_client.post(api_url(school, hugo, "username/"))
    reset = api_client.post(api_url(school, lena, "password-reset/"))
    email_only = LearnerFactory(organization=school, user=UserFactory(email="x@example.net"))
    refused = api_client.post(api_url(school, email_only, "password-reset/"))

    assert added.status_code == 201 and added.json()["username"] == "hugo.roy0501"
    assert fresh(hugo).check_password(added.json()["password"]) and "no-store" in added["Cache-Control"]
    assert (again.status_code, again.json()["code"]) == (409, "USERNAME_ALREADY_SET")
    assert reset.status_code == 200 and fresh(lena).check_password(reset.json()["password"])
    assert (refused.status_code, refused.json()["code"]) == (409, "ACCOUNT_WITHOUT_USERNAME")
    assert api_client.get(api_url(school, lena)).json()["must_change_password"] is True


def test_api_resets_a_class_and_answers_the_file(api_client, school, bob_member, lena, hugo, zoe):
    api_client.force_authenticate(bob_member)

    response = api_client.post(api_url(school), {"division": "6EME2"}, format="json")

    assert response.status_code == 200 and response["X-Skipped-Count"] == "1"
    rows = rows_of(response)
    assert [row[3] for row in rows[1:]] == ["lena.cote1503", "hugo.roy0501", ""]


def test_api_resets_chosen_learners_and_refuses_nothing(api_client, school, alice_admin, lena, hugo):
    api_client.force_authenticate(alice_admin)

    chosen = api_client.post(api_url(school), {"learners": [hugo.pk]}, format="json")
    nothing = api_client.post(api_url(school), {}, format="json")

    assert [row[3] for row in rows_of(chosen)[1:]] == ["hugo.roy0501"]
    assert (nothing.status_code, nothing.json()["code"]) == (400, "NO_LEARNERS_CHOSEN")


def test_api_access(api_client, school, charlie_outsider, lena, zoe, bob_member):
    assert api_client.get(api_url(school, lena)).status_code == 401
    api_client.force_authenticate(charlie_outsider)
    assert api_client.get(api_url(school, lena)).status_code == 404
    assert api_client.post(api_url(school), {"division": "6EME2"}, format="json").status_code == 404
    api_client.force_authenticate(bob_member)
    assert api_client.get(api_url(school, zoe)).status_code == 404


def test_the_students_list_api_shows_the_username(api_client, school, bob_member, lena, hugo):
    api_client.force_authenticate(bob_member)

    results = api_client.get(f"/api/v1/organizations/{school.pk}/students/").json()["results"]

    assert {row["first_name"]: row["account"] for row in results} == {"Léna": "lena.cote1503",
                                                                     "Hugo": "h***@example.net"}


def test_staff_read_the_trail_in_the_admin_without_changing_it(client, school, bob_member, lena):
    services.learner_password_reset(organization=school, learner_id=lena.pk, by=bob_member)
    staff = UserFactory(email="support@pix.example", is_staff=True, is_superuser=True)
    client.force_login(staff)

    listing = client.get(reverse("admin:students_learneraccountevent_changelist"))

    assert listing.status_code == 200 and "Mot de passe provisoire" in listing.content.decode()
    event = LearnerAccountEvent.objects.get()
    assert client.post(reverse("admin:students_learneraccountevent_delete", args=[event.pk]),
                       {"post": "yes"}).status_code == 403
