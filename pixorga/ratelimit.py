"""The limits and throttles: the one place that reads their settings, counts in the cache and says when to retry.

Two kinds of counters:

- fixed windows in Django's cache (Redis in production, so counts hold across processes; ``add`` + ``incr`` are
  atomic there): sign-ups per address, wrong campaign codes per account and per address, « Activer l'espace »
  requests per address. A window's key carries its number, so the time left is known exactly;
- counts of rows already in the database (failed linking attempts, activation requests per school), read by the
  services inside their transaction, after a lock: ``rates`` and ``retry_message`` serve them too.

Rates are written ``"30/10min"`` (how many / per what), several separated by commas: ``"5/15min,20/day"``.
"""

from __future__ import annotations

import datetime
import math
import re
import time
from dataclasses import dataclass

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache

from pixorga.errors import RateLimited

_UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600,
          "d": 86400, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+?)s?\s*$")


@dataclass(frozen=True, slots=True)
class Rate:
    limit: int
    seconds: int

    @property
    def window(self) -> datetime.timedelta:
        return datetime.timedelta(seconds=self.seconds)


def rates_parse(value: str) -> tuple[Rate, ...]:
    """``"5/15min,20/day"`` → ``(Rate(5, 900), Rate(20, 86400))``; ValueError on anything else."""
    rates = []
    for part in str(value).split(","):
        match = _RATE.match(part.lower())
        if not match or match.group(3) not in _UNITS:
            raise ValueError(f"not a rate: {part!r} (expected e.g. 30/10min, 5/15min, 20/day, 60/hour)")
        rate = Rate(int(match.group(1)), int(match.group(2) or 1) * _UNITS[match.group(3)])
        if rate.limit < 1 or rate.seconds < 1:
            raise ValueError(f"not a rate: {part!r} (a limit of at least 1 over a window of at least 1 second)")
        rates.append(rate)
    return tuple(rates)


def rates(name: str) -> tuple[Rate, ...]:
    """The rates of the setting ``name`` (a ``LIMIT_…`` setting, see ``pixorga/settings.py``)."""
    return rates_parse(getattr(settings, name))


def retry_at(times: list[datetime.datetime], rate_list: tuple[Rate, ...],
             now: datetime.datetime) -> datetime.datetime | None:
    """When the next event is allowed, given the past events' ``times`` (newest first, at least the largest limit
    of them when there are that many); None when it is allowed now."""
    allowed_at = None
    for rate in rate_list:
        in_window = [at for at in times if at > now - rate.window]
        if len(in_window) >= rate.limit:
            # Allowed again once the limit-th most recent event leaves the window.
            candidate = in_window[rate.limit - 1] + rate.window
            allowed_at = candidate if allowed_at is None else max(allowed_at, candidate)
    return allowed_at


def retry_delay(seconds: float) -> str:
    """« 7 minutes », « 1 heure », « 2 heures »: the time left, rounded up."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes > 1 else ''}"
    hours = math.ceil(minutes / 60)
    return f"{hours} heure{'s' if hours > 1 else ''}"


def retry_message(seconds: float, *, what: str = "Vous avez fait trop d'essais",
                  help: str = "ou demandez de l'aide à un enseignant") -> str:
    return f"{what}. Réessayez dans {retry_delay(seconds)}, {help}."


def client_address(request) -> str:
    """The client's address as django-axes finds it (``AXES_PROXY_COUNT`` proxies in front)."""
    return get_client_ip_address(getattr(request, "_request", request)) or "unknown"


# --- Fixed windows in the cache ----------------------------------------------------------------------------------

def _window_key(scope: str, key: str, rate: Rate, now: float) -> tuple[str, float]:
    number = int(now // rate.seconds)
    return f"ratelimit:{scope}:{rate.limit}/{rate.seconds}:{key}:{number}", (number + 1) * rate.seconds - now


def counter_hit(*, scope: str, key: str, rate_list: tuple[Rate, ...]) -> float | None:
    """Count one event for ``key``; the seconds until it is allowed again when it goes past a rate, else None.

    Counted first, compared after: simultaneous requests each get their own number, so no more than ``limit``
    pass in a window, whatever the race.
    """
    now = time.time()
    wait = None
    for rate in rate_list:
        cache_key, left = _window_key(scope, key, rate, now)
        cache.add(cache_key, 0, timeout=int(left) + 1)  # only the window's first event creates the key
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr: this event opens the window
            cache.add(cache_key, 1, timeout=int(left) + 1)
            count = 1
        if count > rate.limit:
            wait = max(wait or 0, left)
    return wait


def counter_over(*, scope: str, key: str, rate_list: tuple[Rate, ...]) -> float | None:
    """Without counting: the seconds left when ``key`` has already used up a rate, else None."""
    now = time.time()
    keys = {_window_key(scope, key, rate, now): rate for rate in rate_list}
    counts = cache.get_many([cache_key for cache_key, _ in keys])
    waits = [left for (cache_key, left), rate in keys.items() if counts.get(cache_key, 0) >= rate.limit]
    return max(waits, default=None)


def counter_release(*, scope: str, key: str, rate_list: tuple[Rate, ...]) -> None:
    """Give back an event counted by ``counter_hit`` (it did not happen after all)."""
    now = time.time()
    for rate in rate_list:
        try:
            cache.decr(_window_key(scope, key, rate, now)[0])
        except ValueError:  # the window ended meanwhile: nothing to give back
            pass


# --- Sign-ups, on every path ---------------------------------------------------------------------------------------

class SignupsLimited(RateLimited):
    code = "TOO_MANY_REQUESTS"
    default_message = "Trop de comptes ont été créés depuis cette connexion. Réessayez plus tard."


class signup_throttle:
    """``with signup_throttle(request): user = …create…`` on every path that creates an account.

    Counts per client address (``LIMIT_SIGNUPS_ADDRESS``); past it, ``SignupsLimited`` (429) says when to retry.
    An attempt that creates nothing (its exception leaves the block) gives its place back: a class whose
    students mistype keeps its places for the accounts actually made.
    """

    scope = "signup"

    def __init__(self, request):
        self.key = client_address(request)
        self.rate_list = rates("LIMIT_SIGNUPS_ADDRESS")

    def __enter__(self):
        wait = counter_hit(scope=self.scope, key=self.key, rate_list=self.rate_list)
        if wait is not None:
            counter_release(scope=self.scope, key=self.key, rate_list=self.rate_list)
            raise SignupsLimited(retry_message(
                wait, what="Trop de comptes ont été créés depuis cette connexion",
                help="ou demandez de l'aide à un enseignant"))
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            counter_release(scope=self.scope, key=self.key, rate_list=self.rate_list)
        return False
