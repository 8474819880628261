"""The API's content negotiation: the common case answered at once, with DRF's own result."""

import pytest
from django.http import Http404
from rest_framework import exceptions, negotiation, renderers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from pixorga.negotiation import ContentNegotiation

ACCEPTS = [None, "", "*/*", "application/json", "application/json; indent=4", "text/html", "text/html, */*;q=0.8",
           "application/*", "image/png", "application/xml"]
QUERIES = ["", "format=json", "format=api", "page=2"]
RENDERER_SETS = [
    [renderers.JSONRenderer()],
    [renderers.JSONRenderer(), renderers.BrowsableAPIRenderer()],
    [renderers.BrowsableAPIRenderer(), renderers.JSONRenderer()],
]


def _outcome(negotiator, accept, query, renderer_set):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().post(f"/api/v1/x/?{query}" if query else "/api/v1/x/", **headers))
    try:
        renderer, media_type = negotiator.select_renderer(request, renderer_set)
    except exceptions.NotAcceptable:
        return "406"
    except Http404:  # an unknown ?format=
        return "404"
    return type(renderer).__name__, media_type


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("renderer_set", range(len(RENDERER_SETS)))
def test_same_choice_as_drf(accept, query, renderer_set):
    chosen = _outcome(ContentNegotiation(), accept, query, RENDERER_SETS[renderer_set])
    assert chosen == _outcome(negotiation.DefaultContentNegotiation(), accept, query, RENDERER_SETS[renderer_set])


def test_plain_request_is_json():
    assert _outcome(ContentNegotiation(), None, "", RENDERER_SETS[0]) == ("JSONRenderer", "application/json")


@pytest.mark.django_db
def test_api_refuses_html_only_clients_in_its_error_shape(client):
    response = client.get("/api/v1/me/profile/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response.json()["code"] == "NOT_ACCEPTABLE"
