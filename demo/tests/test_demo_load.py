"""``manage.py demo_load``: run it as often as you like, one school, one staff account, a link that works."""

import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from campaigns.models import Campaign, Participation
from invitations.models import Invitation
from organizations.models import Membership, Organization

pytestmark = pytest.mark.django_db(transaction=True)  # the invitation e-mail leaves on commit


@pytest.fixture(autouse=True)
def local_demo(settings):
    settings.DEBUG = True  # the demo is for a developer's machine (pytest-django turns DEBUG off)


def demo_load(*args) -> str:
    out = StringIO()
    call_command("demo_load", *args, stdout=out)
    return out.getvalue()


def printed_link(output: str) -> str:
    return re.search(r"http://\S+/rejoindre\?token=\S+", output).group(0)


def test_running_twice_keeps_one_school_and_one_staff_account(settings):
    first, second = demo_load(), demo_load()

    school = Organization.objects.get(type="SCO")
    assert (school.name, school.type, school.external_id) == ("Lycée Pix", "SCO", "0751234A")
    assert school.email == "ce.0751234a@ac-pix.fr" and school.is_managing_students
    staff = User.objects.get(is_staff=True)
    assert staff.email == "staff@pixorga.invalid" and staff.is_staff and staff.is_superuser
    assert staff.check_password("PixorgaDemo2026")
    assert Invitation.objects.filter(organization=school, role="ADMIN", status="PENDING").count() == 1
    # A fresh link each run: the first one stopped working.
    assert printed_link(first) != printed_link(second)
    assert "staff@pixorga.invalid" in second and "/admin/" in second


def test_printed_link_lets_the_school_head_activate_the_school(client):
    demo_load()
    link = urlsplit(printed_link(demo_load()))

    page = client.get(f"{link.path}?{link.query}", follow=True)  # the token goes into the session
    assert page.status_code == 200
    assert "Lycée Pix" in page.content.decode()

    # Fill the sign-up form as the page names its fields (it shares the page with the log-in form).
    prefix = re.search(r'name="([\w-]*?)first_name"', page.content.decode()).group(1)
    fields = {"first_name": "Claire", "last_name": "Proviseure", "email": "ce.0751234a@ac-pix.fr",
              "password": "Rentree2026Ok", "accept_terms": "on"}
    response = client.post(link.path, {
        "token": link.query.removeprefix("token="), "action": "signup",
        **{prefix + name: value for name, value in fields.items()},
    })

    assert response.status_code == 302
    membership = Membership.objects.active().get(organization__external_id="0751234A")
    assert membership.role == Membership.Role.ADMIN
    assert membership.user.email == "ce.0751234a@ac-pix.fr"


def test_an_activated_school_gets_no_new_link(client):
    demo_load()
    school = Organization.objects.get(type="SCO")
    admin = User.objects.create_user("proviseur@example.net", "Proviseur2026", first_name="Paul", last_name="Roux")
    Membership.objects.create(user=admin, organization=school, role=Membership.Role.ADMIN)

    output = demo_load()

    assert "Déjà activé" in output and "proviseur@example.net" in output
    assert "/rejoindre?token=" not in output


def test_the_workshop_campaigns_can_be_joined_and_taken_at_once(client):
    first = demo_load()
    second = demo_load()

    workshop = Organization.objects.get(type="PRO")
    assert not workshop.is_managing_students
    assessment, collection = Campaign.objects.filter(organization=workshop).order_by("pk")
    assert assessment.target_profile.key == "parcours-de-rentree-6e" and assessment.campaign_skills.exists()
    assert collection.type == "PROFILES_COLLECTION"
    assert Campaign.objects.count() == 2  # the second run created nothing
    for output in (first, second):
        assert f"code {assessment.code}" in output and f"/campagnes/{assessment.code}" in output
        assert "enseignant@pixorga.invalid" in output and "eleve@pixorga.invalid" in output
    assert Membership.objects.get(organization=workshop).user.email == "enseignant@pixorga.invalid"

    student = User.objects.get(email="eleve@pixorga.invalid")
    assert student.check_password("PixorgaDemo2026")
    client.force_login(student)
    response = client.post(f"/campagnes/{assessment.code}", {"action": "start"})
    participation = Participation.objects.get(campaign=assessment)
    page = client.get(response.url)
    assert "Commencer mon parcours" in page.content.decode()
    assert participation.user.email == "eleve@pixorga.invalid"


def test_refuses_to_run_in_production(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        demo_load()
    assert not Organization.objects.exists()
