"""Every organization page and API endpoint × (admin, member, outsider, anonymous): outsiders get 404."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from organizations.factories import MembershipFactory
from organizations.tests.conftest import membership_of

pytestmark = pytest.mark.django_db

PEOPLE = ["admin", "member", "outsider", "anonymous"]
LOGIN = "login"  # expected: redirect to the login page

# (method, url builder, data, expected status per person)
HTML = {
    "team": ("get", lambda s, bob, eve: reverse("organizations:team", args=[s.pk]), None,
             [200, 200, 404, LOGIN]),
    "role change": ("post", lambda s, bob, eve: reverse("organizations:member_role_change", args=[s.pk, bob.pk]),
                    {"role": "MEMBER"}, [302, 403, 404, LOGIN]),
    "remove confirmation": ("get", lambda s, bob, eve: reverse("organizations:member_remove", args=[s.pk, eve.pk]),
                            None, [200, 403, 404, LOGIN]),
    "remove": ("post", lambda s, bob, eve: reverse("organizations:member_remove", args=[s.pk, eve.pk]), None,
               [302, 403, 404, LOGIN]),
    "leave confirmation": ("get", lambda s, bob, eve: reverse("organizations:leave", args=[s.pk]), None,
                           [200, 200, 404, LOGIN]),
    "leave": ("post", lambda s, bob, eve: reverse("organizations:leave", args=[s.pk]), None,
              [302, 302, 404, LOGIN]),
    "switch": ("post", lambda s, bob, eve: reverse("organizations:switch"), {"organization_id": "SCHOOL"},
               [302, 302, 404, LOGIN]),
}

API = {
    "detail": ("get", lambda s, bob, eve: f"/api/v1/organizations/{s.pk}/", None, [200, 200, 404, 401]),
    "members": ("get", lambda s, bob, eve: f"/api/v1/organizations/{s.pk}/members/", None, [200, 200, 404, 401]),
    "role change": ("patch", lambda s, bob, eve: f"/api/v1/organizations/{s.pk}/members/{bob.pk}/",
                    {"role": "ADMIN"}, [200, 403, 404, 401]),
    "remove": ("delete", lambda s, bob, eve: f"/api/v1/organizations/{s.pk}/members/{eve.pk}/", None,
               [204, 403, 404, 401]),
    # Alice is the school's only admin: her leaving is refused (409); Bob leaves.
    "leave": ("post", lambda s, bob, eve: f"/api/v1/organizations/{s.pk}/leave/", None, [409, 204, 404, 401]),
    # Creating organizations is for the Pix team (is_staff) only, whatever one's role in a school.
    "create": ("post", lambda s, bob, eve: "/api/v1/organizations/", {"name": "X", "type": "SCO",
               "uai": "0781234D", "email": "ce.0781234d@ac-pix.fr"}, [403, 403, 403, 401]),
}


@pytest.fixture
def people(school, alice_admin, bob_member, charlie_outsider):
    eve = UserFactory(first_name="Ève", last_name="Leroy")
    MembershipFactory(user=eve, organization=school)
    return {
        "admin": alice_admin, "member": bob_member, "outsider": charlie_outsider, "anonymous": None,
        "bob": membership_of(bob_member, school), "eve": membership_of(eve, school),
    }


def cases(table):
    return [pytest.param(name, who, id=f"{name}-{who}") for name in table for who in PEOPLE]


@pytest.mark.parametrize("name, who", cases(HTML))
def test_html_pages(client, school, people, name, who):
    method, url, data, expected = HTML[name]
    if people[who]:
        client.force_login(people[who])
    if data and data.get("organization_id") == "SCHOOL":
        data = {"organization_id": school.pk}

    response = getattr(client, method)(url(school, people["bob"], people["eve"]), data or {})

    want = expected[PEOPLE.index(who)]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == want


@pytest.mark.parametrize("name, who", cases(API))
def test_api_endpoints(api_client, school, people, name, who):
    method, url, data, expected = API[name]
    if people[who]:
        api_client.force_authenticate(people[who])

    response = getattr(api_client, method)(url(school, people["bob"], people["eve"]), data, format="json")

    assert response.status_code == expected[PEOPLE.index(who)], response.content
    if response.status_code >= 400:
        assert set(response.json()) >= {"code", "detail"}
