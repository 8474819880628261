"""The orchestrator's probes: /healthz says the process answers, /readyz that the database and the broker do."""

import pytest
from django.urls import reverse

from pixorga.celery import app as celery_app


def test_healthz_answers_without_touching_anything(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ready_when_database_and_broker_answer(client):
    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True, "cache": True, "broker": True}}


@pytest.mark.django_db
def test_readyz_is_unavailable_when_the_broker_is_unreachable(client, settings, monkeypatch):
    # Nothing listens on port 1: the probe must say so instead of hanging or answering "ok".
    unreachable = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(celery_app.conf, "broker_url", unreachable)

    response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "unavailable", "checks": {"database": True, "cache": True, "broker": False}}


def test_readyz_refuses_anything_but_get(client):
    assert client.post(reverse("readyz")).status_code == 405
