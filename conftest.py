"""Shared fixtures: the three people of most tests (admin, member, outsider), API clients, and the browser."""

import os

import pytest

# The live server and Playwright's sync API share the test thread's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    broker = bool(settings.CELERY_BROKER_URL)
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL"))
        if "celery_worker" in item.keywords and not (broker and on_postgres):
            item.add_marker(pytest.mark.skip(reason="needs Redis and PostgreSQL: set CELERY_BROKER_URL and DATABASE_URL"))
        if "browser" in item.keywords and not os.path.exists(CHROMIUM):
            item.add_marker(pytest.mark.skip(reason=f"needs Chromium at {CHROMIUM}"))


def _skipped_count(config) -> int:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    return len(reporter.stats.get("skipped", [])) if reporter else 0


def pytest_sessionfinish(session, exitstatus):
    # In CI nothing may be skipped: browser, PostgreSQL and real-worker tests must run.
    # (This hook runs before the terminal summary, so it counts the skips itself.)
    if os.environ.get("PIXORGA_FORBID_SKIPS") and _skipped_count(session.config) and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = _skipped_count(config)
    if os.environ.get("PIXORGA_FORBID_SKIPS") and skipped:
        terminalreporter.write_line(f"ERROR: {skipped} test(s) skipped while PIXORGA_FORBID_SKIPS is set", red=True)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core.cache import cache

    # With CACHE_URL=redis://…/1 this flushes that Redis database: rate-limit counters never leak between tests.
    cache.clear()
    from assessments.skillsets import cache_clear

    # Each test rolls its database back, so ids (campaigns, releases) come again with other content; in
    # production they never do, and the in-memory skill sets are keyed by them.
    cache_clear()


@pytest.fixture(autouse=True)
def _celery_eager(request, monkeypatch):
    """Tasks run in the test's thread, errors raised, even when CELERY_BROKER_URL is set (CI).

    Celery reads its configuration once, so overriding Django settings in a test would not reach it: the app's
    own conf is switched here and restored afterwards. Tests marked ``celery_worker`` keep the real broker.
    """
    from pixorga.celery import app

    # Celery prefers these variables to its conf: without them, a test may point app.conf.broker_url elsewhere
    # (the same URL still comes from settings.CELERY_BROKER_URL otherwise).
    for variable in ("CELERY_BROKER_URL", "CELERY_BROKER_READ_URL", "CELERY_BROKER_WRITE_URL"):
        monkeypatch.delenv(variable, raising=False)

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    eager = "celery_worker" not in request.keywords
    app.conf.task_always_eager = eager
    app.conf.task_eager_propagates = eager
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (thread, solo pool) consuming the Redis broker, on the committed test database.

    Use with ``@pytest.mark.celery_worker``; the test must wait for the task's effect (poll the database).
    """
    from celery.contrib.testing.worker import start_worker

    from pixorga.celery import app

    app.control.purge()  # nothing left over from an earlier run is delivered to this test
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30) as worker:
        yield worker


@pytest.fixture
def school(db):
    from organizations.factories import OrganizationFactory

    return OrganizationFactory(name="Lycée Pix", external_id="0751234A", email="ce.0751234a@ac-pix.fr")


@pytest.fixture
def other_school(db):
    from organizations.factories import OrganizationFactory

    return OrganizationFactory(name="Collège Voisin", external_id="0759999Z", email="ce.0759999z@ac-pix.fr")


@pytest.fixture
def alice_admin(school):
    from accounts.factories import UserFactory
    from organizations.factories import MembershipFactory
    from organizations.models import Membership

    user = UserFactory(email="alice.admin@example.net", first_name="Alice", last_name="Martin")
    MembershipFactory(user=user, organization=school, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def bob_member(school):
    from accounts.factories import UserFactory
    from organizations.factories import MembershipFactory

    user = UserFactory(email="bob.membre@example.net", first_name="Bob", last_name="Durand")
    MembershipFactory(user=user, organization=school)
    return user


@pytest.fixture
def charlie_outsider(other_school):
    from accounts.factories import UserFactory
    from organizations.factories import MembershipFactory
    from organizations.models import Membership

    user = UserFactory(email="charlie.ailleurs@example.net", first_name="Charlie", last_name="Petit")
    MembershipFactory(user=user, organization=other_school, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def browser_page(live_server):
    """A Playwright page in the system's headless Chromium, with ``page.base_url`` set to the live server."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url, locale="fr-FR")
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.base_url = live_server.url
        # Whatever the journey, the Content-Security-Policy must never have to block anything of ours.
        violations = []
        page.on("console", lambda message: violations.append(message.text)
                if "Content Security Policy" in message.text else None)
        try:
            yield page
            assert not violations, f"Content-Security-Policy violations: {violations}"
        finally:
            context.close()
            browser.close()
            # Playwright's greenlet gives the test body its own context, hence its own database connection:
            # close it here, or PostgreSQL refuses to drop the test database at the end of the run.
            from django.db import connections

            connections.close_all()


@pytest.fixture
def target_profile(db):
    """A small public target profile: one tube, skills on levels 1 to 3, one QCU each (the right option is 2)."""
    from content.factories import ChallengeFactory, SkillFactory, TargetProfileFactory, TubeFactory

    tube = TubeFactory(name="motsCles", practical_title="Choisir ses mots-clés")
    for level in (1, 2, 3):
        ChallengeFactory(id=f"motsCles{level}-a", skill=SkillFactory(tube=tube, level=level))
    return TargetProfileFactory(name="Rechercher sur le web", tubes=[(tube, 3)])
