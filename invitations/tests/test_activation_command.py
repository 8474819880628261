"""``create_organization``: a school activated from the command line (moved from organizations' tests)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from invitations.models import Invitation
from organizations.models import Organization

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("create_organization", *args, stdout=out)
    return out.getvalue()


def test_creates_the_school_prints_its_id_and_invites_the_first_admin():
    out = run("--name", "Lycée Pix", "--type", "SCO", "--uai", "0751234a", "--email", "ce.0751234a@ac-pix.fr",
              "--managing-students")

    organization = Organization.objects.get()
    assert out.strip() == str(organization.pk)
    assert (organization.name, organization.type, organization.external_id) == ("Lycée Pix", "SCO", "0751234A")
    assert organization.is_managing_students is True
    invitation = Invitation.objects.get(organization=organization)
    assert (invitation.email, invitation.role) == ("ce.0751234a@ac-pix.fr", "ADMIN")


def test_without_the_flag_the_organization_does_not_manage_students():
    run("--name", "Université Pix", "--type", "SUP", "--email", "pix@univ.fr")

    assert Organization.objects.get().is_managing_students is False


def test_duplicate_uai_is_a_clear_error_and_creates_nothing(school):
    with pytest.raises(CommandError, match="Un établissement avec cet UAI existe déjà"):
        run("--name", "Doublon", "--type", "SCO", "--uai", "0751234A", "--email", "ce.doublon@ac-pix.fr")

    assert Organization.objects.count() == 1


def test_bad_uai_is_a_clear_error():
    with pytest.raises(CommandError, match="7 chiffres suivis d'une lettre"):
        run("--name", "Lycée", "--type", "SCO", "--uai", "12AB", "--email", "ce.x@ac-pix.fr")

    assert not Organization.objects.exists()


def test_the_process_exits_non_zero_on_bad_input(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3"}
    result = subprocess.run(
        [sys.executable, "manage.py", "create_organization", "--name", "X", "--type", "SCO", "--uai", "bad",
         "--email", "ce.x@ac-pix.fr"],
        cwd=Path(settings.BASE_DIR), capture_output=True, text=True, env=env, timeout=60,
    )

    # The UAI is refused before any query: an empty database is enough for this check.
    assert result.returncode != 0
    assert "7 chiffres suivis d'une lettre" in result.stderr
    assert result.stdout == ""
