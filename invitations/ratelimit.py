"""A fixed-window counter in Django's cache (Redis in production, so it holds across processes)."""

from axes.helpers import get_client_ip_address
from django.core.cache import cache


def rate_limit_hit(*, scope: str, request, limit: int, window_seconds: int) -> bool:
    """Count this request; True when the caller's address has gone past ``limit`` in the window."""
    key = f"ratelimit:{scope}:{get_client_ip_address(request) or 'unknown'}"
    cache.add(key, 0, timeout=window_seconds)  # atomic: only the first request of the window creates the key
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr: this request opens a new window
        cache.add(key, 1, timeout=window_seconds)
        count = 1
    return count > limit
