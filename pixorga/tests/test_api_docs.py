"""The API is documented: a valid OpenAPI schema and a Swagger UI that works without any CDN."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[2]
SHOTS = Path("/tmp/pixorga/shots/infra")
SHOTS.mkdir(parents=True, exist_ok=True)


def test_schema_is_served_as_openapi(client):
    response = client.get(reverse("api-schema"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert response.content.startswith(b"openapi: 3.")


def test_schema_generates_without_warnings_and_validates():
    # The project's guard: every API view says what it takes and returns (serializers, extend_schema).
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null"],
        cwd=BASE_DIR, capture_output=True, text=True, timeout=180,
    )

    assert result.returncode == 0, result.stderr[-5000:]
    assert "Warning" not in result.stderr, result.stderr[-5000:]


def test_token_endpoint_is_documented(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert "/api/v1/auth/token/" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/auth/token/"]


@pytest.mark.django_db
def test_swagger_ui_loads_only_local_assets_that_exist(settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve /static/ from the apps, as after collectstatic
    client = Client()  # a new client builds its middleware with the setting above

    html = client.get(reverse("api-docs")).content.decode()
    tags = re.findall(r"<(?:script|link)\b[^>]*>", html)
    assets = [m for tag in tags for m in re.findall(r'(?:src|href)="([^"]+)"', tag)]

    assert assets, html[:2000]
    assert not [url for url in assets if "//" in url], "Swagger UI must not load anything from a CDN"
    # Static files, and the page's own script as a file (the split view: no inline script, for the CSP).
    script = reverse("api-docs") + "?script="
    assert all(url.startswith(settings.STATIC_URL) or url == script for url in assets), assets
    assert "<script>" not in html
    for url in assets:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body, url
    assert "/api/schema/" in client.get(script).content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_shows_the_endpoints_without_leaving_the_server(browser_page, live_server):
    outside = []
    browser_page.on("request", lambda request: None if request.url.startswith(live_server.url)
                    else outside.append(request.url))
    console = []
    browser_page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)

    browser_page.goto("/api/docs/")

    browser_page.get_by_text("/api/v1/auth/token/", exact=True).first.wait_for()
    assert browser_page.get_by_role("heading", name="pixorga API").is_visible()
    browser_page.screenshot(path=str(SHOTS / "api-docs.png"))
    assert outside == []
    assert not [text for text in console if "Content Security Policy" in text], console
