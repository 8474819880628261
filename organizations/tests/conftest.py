import pytest

from accounts.factories import UserFactory
from organizations.factories import MembershipFactory
from organizations.models import Membership


def membership_of(user, organization):
    return Membership.objects.active().get(user=user, organization=organization)


@pytest.fixture
def dora_coadmin(school):
    """A second ADMIN of the school."""
    user = UserFactory(email="dora.coadmin@example.net", first_name="Dora", last_name="Bernard")
    MembershipFactory(user=user, organization=school, role=Membership.Role.ADMIN)
    return user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 costs ~0.1 s per user; these tests create many users and never test hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
