"""The shared cache (Redis) is down: pages that need it answer a French 503 page, the API ``{code, detail}`` 503.

Rate limits, throttles and the password-reset counter live in the cache; without it they cannot decide, so the
request is refused plainly instead of failing with a traceback (or, worse, skipping the limit).
"""

import logging

from django.http import JsonResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

CACHE_UNAVAILABLE_CODE = "SERVICE_UNAVAILABLE"
CACHE_UNAVAILABLE_MESSAGE = (
    "Le service est momentanément indisponible. Réessayez dans quelques minutes ; si cela dure, prévenez "
    "l'administrateur de la plateforme."
)
RETRY_AFTER_SECONDS = 60


def _cache_errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis comes with celery[redis]
        return ()
    return (RedisConnectionError, RedisTimeoutError)


CACHE_ERRORS = _cache_errors()


def service_unavailable_response(request):
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": CACHE_UNAVAILABLE_CODE, "detail": CACHE_UNAVAILABLE_MESSAGE}, status=503)
    else:
        response = render(request, "service_unavailable.html", {"message": CACHE_UNAVAILABLE_MESSAGE}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class CacheUnavailableMiddleware:
    """Turns a cache connection error raised by a view (or DRF's throttles) into the 503 answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if CACHE_ERRORS and isinstance(exception, CACHE_ERRORS):
            logger.error("cache unreachable path=%s error=%s", request.path, type(exception).__name__)
            return service_unavailable_response(request)
        return None
