"""Accounts without an e-mail: usernames in the database, log-in with « Adresse e-mail ou identifiant » (pages, API
token, lockout), one-time passwords and the obligation to choose one's own, the admin and createsuperuser."""

import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import services
from accounts.errors import InvalidPassword
from accounts.factories import DEFAULT_PASSWORD, UserFactory
from accounts.models import User
from accounts.one_time_passwords import one_time_password_is_well_formed

pytestmark = pytest.mark.django_db

MARCH_15 = datetime.date(2012, 3, 15)
NEW_PASSWORD = "Girafe2026"


def login_post(client, login, password, **extra):
    return client.post(reverse("accounts:login"), {"username": login, "password": password}, **extra)


@pytest.fixture
def lena():
    """A student's account without e-mail."""
    return UserFactory(email=None, username="lena.cote1503", first_name="Léna", last_name="Côte")


# --- The database ---------------------------------------------------------------------------------------------------

def test_an_account_with_a_username_only_is_stored_without_email(lena):
    lena.refresh_from_db()

    assert lena.email is None and lena.username == "lena.cote1503"
    assert lena.login == str(lena) == lena.get_username() == "lena.cote1503"


def test_a_username_is_stored_trimmed_and_lower_cased():
    user = UserFactory(email=None, username="  Lena.COTE1503 ")

    assert User.objects.get(pk=user.pk).username == "lena.cote1503"


def test_an_empty_email_is_stored_as_no_email():
    user = UserFactory(email="", username="lena.cote1503")

    assert User.objects.filter(pk=user.pk, email__isnull=True).exists()


def test_the_database_refuses_an_account_without_email_nor_username():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(first_name="Sans", last_name="Identifiant")])


def test_the_database_refuses_the_same_username_twice(lena):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(username="lena.cote1503", first_name="Léna", last_name="Côte")])


def test_the_database_refuses_a_username_that_is_not_lower_case(lena):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=lena.pk).update(username="Lena.Cote1503")


def test_accounts_without_email_do_not_collide_on_their_missing_email(lena):
    UserFactory(email=None, username="hugo.roy0101")

    assert User.objects.filter(email__isnull=True).count() == 2


# --- Creating an account with a username ------------------------------------------------------------------------------

def test_user_create_with_username_follows_the_rule():
    user = services.user_create_with_username(first_name="Léna", last_name="Côte", birthdate=MARCH_15,
                                              password=NEW_PASSWORD, accept_terms=True)

    user.refresh_from_db()
    assert user.username == "lena.cote1503" and user.email is None
    assert user.check_password(NEW_PASSWORD) and not user.must_change_password
    assert user.terms_accepted_at is not None


def test_a_second_lena_cote_born_on_the_15th_of_march_gets_four_other_digits(lena):
    user = services.user_create_with_username(first_name="LENA", last_name="cote", birthdate=MARCH_15.replace(2011),
                                              password=NEW_PASSWORD, accept_terms=True)

    assert user.username != "lena.cote1503"
    assert user.username.startswith("lena.cote") and user.username[-4:].isdigit() and len(user.username) == 13


def test_the_password_of_a_username_account_follows_the_sign_up_rule():
    with pytest.raises(InvalidPassword) as error:
        services.user_create_with_username(first_name="Léna", last_name="Côte", birthdate=MARCH_15,
                                           password="lenacote1", accept_terms=True)

    assert any("majuscule" in message for message in error.value.messages)
    assert not User.objects.exists()


def test_username_free_suggest_skips_a_taken_one(lena):
    assert services.username_free_suggest(first_name="Hugo", last_name="Roy", birthdate=MARCH_15) == "hugo.roy1503"
    assert services.username_free_suggest(first_name="Léna", last_name="Côte", birthdate=MARCH_15) != "lena.cote1503"


def test_user_username_add_gives_a_username_to_an_email_account_and_keeps_an_existing_one(lena):
    claire = UserFactory(email="claire@example.net", first_name="Claire", last_name="Roux")

    assert services.user_username_add(user=claire, first_name="Claire", last_name="Roux",
                                      birthdate=MARCH_15) == "claire.roux1503"
    assert services.user_username_add(user=lena, first_name="Léna", last_name="Côte",
                                      birthdate=MARCH_15) == "lena.cote1503"
    assert User.objects.get(pk=claire.pk).email == "claire@example.net"


# --- Logging in -------------------------------------------------------------------------------------------------------

def test_the_login_page_asks_for_an_email_or_a_username(client):
    html = client.get(reverse("accounts:login")).content.decode()

    assert "Adresse e-mail ou identifiant" in html
    assert 'autocomplete="username"' in html and 'type="email"' not in html


@pytest.mark.parametrize("typed", ["lena.cote1503", "Lena.Cote1503", "  LENA.COTE1503 "])
def test_logging_in_with_the_username_in_any_case(client, lena, typed):
    response = login_post(client, typed, DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(lena.pk)


def test_an_account_with_both_logs_in_with_either(client):
    user = UserFactory(email="lena@example.net", username="lena.cote1503")

    assert login_post(client, "lena@example.net", DEFAULT_PASSWORD).status_code == 302
    client.logout()
    assert login_post(client, "lena.cote1503", DEFAULT_PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_username_says_the_same_as_a_wrong_password(client, lena):
    unknown = login_post(client, "lena.cote9999", DEFAULT_PASSWORD).content.decode()
    wrong = login_post(client, "lena.cote1503", "Mauvais2026").content.decode()

    message = "L&#x27;adresse e-mail, l&#x27;identifiant ou le mot de passe est incorrect."
    assert message in unknown and message in wrong
    assert "Votre enseignant peut réinitialiser votre mot de passe" in wrong
    assert "_auth_user_id" not in client.session


def test_the_api_token_accepts_a_username_as_login(api_client, lena):
    response = api_client.post(reverse("api-auth-token"), {"login": "Lena.Cote1503", "password": DEFAULT_PASSWORD},
                               format="json")

    assert response.status_code == 201
    me = api_client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {response.json()['token']}").json()
    assert me["username"] == "lena.cote1503" and me["email"] is None


def test_the_api_token_still_accepts_email_and_login_for_an_email(api_client, alice_admin):
    by_login = api_client.post(reverse("api-auth-token"),
                               {"login": "alice.admin@example.net", "password": DEFAULT_PASSWORD}, format="json")
    by_email = api_client.post(reverse("api-auth-token"),
                               {"email": "alice.admin@example.net", "password": DEFAULT_PASSWORD}, format="json")

    assert by_login.status_code == by_email.status_code == 201


# --- Lockout: per account, whatever login is typed ------------------------------------------------------------------

def test_failures_on_the_username_in_any_case_lock_the_account(client, lena):
    for typed in ["lena.cote1503", "Lena.Cote1503", "LENA.COTE1503", "lena.COTE1503", "Lena.cote1503"]:
        login_post(client, typed, "Mauvais2026")

    response = login_post(client, "lena.cote1503", DEFAULT_PASSWORD)

    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_failures_on_the_email_and_on_the_username_of_one_account_add_up(client, api_client):
    UserFactory(email="lena@example.net", username="lena.cote1503")
    for _ in range(3):
        login_post(client, "lena@example.net", "Mauvais2026")
    for _ in range(2):
        api_client.post(reverse("api-auth-token"), {"login": "lena.cote1503", "password": "x"}, format="json")

    assert login_post(client, "lena.cote1503", DEFAULT_PASSWORD).status_code == 429


def test_a_locked_username_does_not_lock_another_account(client, lena, alice_admin):
    for _ in range(6):
        login_post(client, "lena.cote1503", "Mauvais2026")

    assert login_post(client, "alice.admin@example.net", DEFAULT_PASSWORD).status_code == 302


def test_a_success_resets_the_count_of_the_username(client, lena):
    for _ in range(4):
        login_post(client, "Lena.Cote1503", "Mauvais2026")
    assert login_post(client, "lena.cote1503", DEFAULT_PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        assert login_post(client, "lena.cote1503", "Mauvais2026").status_code == 200


def test_a_one_time_password_lifts_the_lockout(client, lena, django_capture_on_commit_callbacks):
    for _ in range(6):
        login_post(client, "lena.cote1503", "Mauvais2026")
    with django_capture_on_commit_callbacks(execute=True):
        password = services.user_one_time_password_set(user=lena)

    assert login_post(client, "lena.cote1503", password).status_code == 302


# --- One-time passwords -----------------------------------------------------------------------------------------------

def test_a_one_time_password_is_stored_hashed_with_its_own_hasher(lena):
    password = services.user_one_time_password_set(user=lena)

    lena.refresh_from_db()
    assert one_time_password_is_well_formed(password)
    assert lena.password.startswith("argon2otp$argon2id$") and password not in lena.password
    assert lena.check_password(password) and not lena.check_password(DEFAULT_PASSWORD)
    assert lena.must_change_password


def test_logging_in_with_a_one_time_password_leads_to_choosing_ones_own(client, lena):
    password = services.user_one_time_password_set(user=lena)

    response = login_post(client, "lena.cote1503", password, follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:password_choose") + "?next=%2F"
    html = response.content.decode()
    assert "Choisissez votre mot de passe" in html and "lena.cote1503" in html
    assert "8 caractères minimum, dont une majuscule, une minuscule et un chiffre" in html


@pytest.mark.parametrize("path", ["/", "/campagnes", "/mes-parcours", "/cgu", "/organisations/1/eleves"])
def test_every_page_waits_for_the_new_password(client, lena, path):
    services.user_one_time_password_set(user=lena)
    client.force_login(lena)

    response = client.get(path)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:password_choose") + "?next=")


def test_logging_out_is_still_possible(client, lena):
    services.user_one_time_password_set(user=lena)
    client.force_login(lena)

    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_weak_new_password_is_refused_with_the_rule(client, lena):
    services.user_one_time_password_set(user=lena)
    client.force_login(lena)

    response = client.post(reverse("accounts:password_choose"),
                           {"new_password1": "girafes12", "new_password2": "girafes12"})

    assert response.status_code == 400
    assert "au moins une majuscule, une minuscule et un chiffre" in response.content.decode()
    assert User.objects.get(pk=lena.pk).must_change_password


def test_the_new_password_replaces_the_one_time_one_and_the_student_goes_on(client, lena):
    one_time = services.user_one_time_password_set(user=lena)
    client.force_login(lena)

    response = client.post(reverse("accounts:password_choose") + "?next=/campagnes",
                           {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "next": "/campagnes"})

    assert response.status_code == 302 and response.url == "/campagnes"
    lena.refresh_from_db()
    assert not lena.must_change_password
    assert lena.check_password(NEW_PASSWORD) and not lena.check_password(one_time)
    assert lena.password.startswith("argon2$")  # the default hasher again
    assert client.get("/campagnes").status_code == 200  # still logged in, and through the gate


def test_the_choose_page_is_left_alone_by_accounts_without_a_one_time_password(client, lena):
    client.force_login(lena)

    assert client.get(reverse("accounts:password_choose")).status_code == 302
    assert client.get("/campagnes").status_code == 200


def test_the_api_answers_403_until_the_password_is_chosen(api_client, lena):
    services.user_one_time_password_set(user=lena)
    api_client.force_authenticate(lena)

    refused = api_client.post(reverse("api-me-pix-orga-terms-accept"))
    me = api_client.get(reverse("api-me"))
    weak = api_client.post(reverse("api-me-password"), {"password": "girafes12"}, format="json")
    chosen = api_client.post(reverse("api-me-password"), {"password": NEW_PASSWORD}, format="json")
    again = api_client.post(reverse("api-me-password"), {"password": NEW_PASSWORD}, format="json")

    assert refused.status_code == 403 and refused.json()["code"] == "PASSWORD_CHANGE_REQUIRED"
    assert me.status_code == 200 and me.json()["must_change_password"] is True
    assert weak.status_code == 400 and "password" in weak.json()["errors"]
    assert chosen.status_code == 204
    assert again.status_code == 409 and again.json()["code"] == "PASSWORD_ALREADY_CHOSEN"
    assert api_client.get(reverse("api-me")).json()["must_change_password"] is False


# --- Places that show an account ------------------------------------------------------------------------------------

def test_the_no_access_page_shows_the_username_of_an_account_without_email(client, lena):
    client.force_login(lena)

    html = client.get(reverse("organizations:no_access")).content.decode()

    assert "lena.cote1503" in html and "None" not in html


def test_the_admin_creates_an_account_with_a_username_only(client):
    staff = UserFactory(email="support@pix.example", is_staff=True, is_superuser=True)
    client.force_login(staff)

    response = client.post(reverse("admin:accounts_user_add"), {
        "email": "", "username": "Hugo.Roy0101", "first_name": "Hugo", "last_name": "Roy",
        "usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    })

    assert response.status_code == 302, response.content.decode()[:3000]
    hugo = User.objects.get(username="hugo.roy0101")
    assert hugo.email is None
    listing = client.get(reverse("admin:accounts_user_changelist") + "?q=hugo.roy").content.decode()
    assert "hugo.roy0101" in listing
    assert client.get(reverse("admin:accounts_user_change", args=[hugo.pk])).status_code == 200


def test_the_admin_refuses_an_account_without_email_nor_username(client):
    staff = UserFactory(email="support@pix.example", is_staff=True, is_superuser=True)
    client.force_login(staff)

    response = client.post(reverse("admin:accounts_user_add"), {
        "email": "", "username": "", "first_name": "Hugo", "last_name": "Roy",
        "usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    })

    assert response.status_code == 200
    assert "Renseignez une adresse e-mail, un identifiant, ou les deux." in response.content.decode()
    assert User.objects.count() == 1


def test_createsuperuser_still_creates_a_staff_account_with_an_email(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", NEW_PASSWORD)

    call_command("createsuperuser", interactive=False, email="Support@Pix.example", first_name="Sam",
                 last_name="Support", verbosity=0)

    staff = User.objects.get(email="support@pix.example")
    assert staff.is_superuser and staff.username is None and staff.check_password(NEW_PASSWORD)


def test_a_student_logging_in_on_the_login_page_lands_on_mes_parcours(client, lena):
    response = login_post(client, "lena.cote1503", DEFAULT_PASSWORD, follow=True)

    assert response.redirect_chain[-1][0] == reverse("learner:home")


def test_an_email_account_linked_to_a_school_record_lands_on_mes_parcours_too(client, school):
    from students.factories import LearnerFactory

    student = UserFactory(email="hugo.roy@example.net")
    LearnerFactory(organization=school, user=student)
    client.force_login(student)

    assert client.get("/").url == reverse("learner:home")


def test_an_account_with_no_school_and_no_record_still_gets_the_no_access_page(client):
    client.force_login(UserFactory(email="prof.sans.ecole@example.net"))

    assert client.get("/").url == reverse("organizations:no_access")


def test_the_password_reset_page_tells_username_accounts_to_ask_their_teacher(client):
    html = client.get(reverse("accounts:password_reset")).content.decode()

    assert "Vous vous connectez avec un identifiant" in html and "Demandez à votre enseignant" in html
