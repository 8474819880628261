"""The students list API carries each student's certifiability and filters by it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from students.models import Learner
from students.tests.certifiability_helpers import fast_password_hashing, learner_known  # noqa: F401

pytestmark = pytest.mark.django_db

MARCH_12 = timezone.make_aware(datetime.datetime(2027, 3, 12, 21, 0))


def url(school) -> str:
    return reverse("api-students-list", args=[school.pk])


@pytest.fixture
def students(school):
    learner_known(school, "Aubert", "Zoé", level_one=5, at=MARCH_12)
    learner_known(school, "Bernard", "Hugo", level_one=2, at=MARCH_12, source=Learner.CertifiabilitySource.PROFILE_SHARED)
    learner_known(school, "Colin", "Léa")


def test_each_student_has_a_status_a_date_and_a_source(api_client, bob_member, school, students):
    api_client.force_authenticate(bob_member)
    body = api_client.get(url(school)).json()
    by_name = {row["last_name"]: row["certifiability"] for row in body["results"]}
    assert by_name == {
        "Aubert": {"status": "CERTIFIABLE", "date": "2027-03-12T21:00:00+01:00", "source": "COMPUTED"},
        "Bernard": {"status": "NOT_CERTIFIABLE", "date": "2027-03-12T21:00:00+01:00", "source": "SHARED"},
        "Colin": {"status": "UNKNOWN", "date": None, "source": None},
    }


@pytest.mark.parametrize(("value", "names"), [
    ("CERTIFIABLE", ["Aubert"]), ("NOT_CERTIFIABLE", ["Bernard"]), ("UNKNOWN", ["Colin"]),
])
def test_filter_by_certifiability(api_client, bob_member, school, students, value, names):
    api_client.force_authenticate(bob_member)
    body = api_client.get(url(school), {"certifiability": value}).json()
    assert [row["last_name"] for row in body["results"]] == names and body["count"] == 1


def test_an_unknown_filter_value_is_a_validation_error(api_client, bob_member, school, students):
    api_client.force_authenticate(bob_member)
    response = api_client.get(url(school), {"certifiability": "MAYBE"})
    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR" and "certifiability" in response.json()["errors"]


def test_an_outsider_gets_404_and_anonymous_401(api_client, charlie_outsider, school, students):
    api_client.force_authenticate(charlie_outsider)
    assert api_client.get(url(school), {"certifiability": "CERTIFIABLE"}).status_code == 404
    api_client.force_authenticate(None)
    assert api_client.get(url(school)).status_code == 401


def test_the_schema_documents_the_field_and_the_filter(api_client, alice_admin):
    api_client.force_authenticate(alice_admin)
    schema = api_client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/organizations/{organization_id}/students/"]["get"]
    parameter = next(item for item in operation["parameters"] if item["name"] == "certifiability")
    assert parameter["schema"]["enum"] == ["CERTIFIABLE", "NOT_CERTIFIABLE", "UNKNOWN"]
    assert set(schema["components"]["schemas"]["CertifiabilityOutput"]["properties"]) == {"status", "date", "source"}
