"""Probes for the orchestrator: /healthz (the process answers) and /readyz (database, cache and broker reachable)."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        logger.warning("readyz: database unreachable", exc_info=True)
        return False


def _cache_ok() -> bool:
    """Rate limits and throttles count in the shared cache: without it, most public pages answer 503."""
    try:
        cache.set("readyz:probe", 1, timeout=10)
        return cache.get("readyz:probe") == 1
    except Exception:  # noqa: BLE001
        logger.warning("readyz: cache unreachable", exc_info=True)
        return False


def _broker_ok() -> bool:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True  # embedded default: no broker to reach
    from pixorga.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        logger.warning("readyz: broker unreachable", exc_info=True)
        return False


@never_cache
@require_GET
def readyz(request):
    checks = {"database": _database_ok(), "cache": _cache_ok(), "broker": _broker_ok()}
    ready = all(checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
