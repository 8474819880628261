"""Campaign-code guessing: wrong codes are counted per account and per address (Django's cache: Redis in
production, so counts hold across processes; ``add`` + ``incr`` are atomic there)."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.core.cache import cache

from campaigns.errors import CodeGuessingLimited

WRONG_CODES_LIMIT = 30
WRONG_CODES_WINDOW = 600  # seconds


def _keys(request) -> list[str]:
    keys = [f"campaigns:wrong-code:ip:{get_client_ip_address(request) or 'unknown'}"]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        keys.append(f"campaigns:wrong-code:user:{user.pk}")
    return keys


def code_guessing_check(request) -> None:
    """``CodeGuessingLimited`` once the account or the address has typed too many wrong codes in the window.

    Checked BEFORE the lookup: a blocked guesser cannot tell a right code from a wrong one.
    """
    counts = cache.get_many(_keys(request))
    if any(count >= WRONG_CODES_LIMIT for count in counts.values()):
        raise CodeGuessingLimited()


def code_guessing_count_failure(request) -> None:
    """Count one wrong code for the account and the address."""
    for key in _keys(request):
        cache.add(key, 0, timeout=WRONG_CODES_WINDOW)  # only the window's first failure creates the key
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr: this failure opens a new window
            cache.add(key, 1, timeout=WRONG_CODES_WINDOW)


def campaign_lookup_limited(*, request, code: str):
    """The campaign of a typed code, counting a wrong code against the account and the address.

    Raises ``CodeGuessingLimited`` (429) once over the limit, else ``CampaignNotFound`` for a wrong code.
    """
    from campaigns.errors import CampaignNotFound
    from campaigns.selectors.campaigns import campaign_get_by_code

    code_guessing_check(request)
    try:
        return campaign_get_by_code(code=code)
    except CampaignNotFound:
        code_guessing_count_failure(request)
        raise
