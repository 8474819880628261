"""Campaign-code guessing, counted in ``pixorga.ratelimit``'s cache windows.

Wrong codes count per account — per browser session for someone not logged in, per address for the API without
an account — (``LIMIT_WRONG_CODES_ACCOUNT``), and per address with a far higher limit
(``LIMIT_WRONG_CODES_ADDRESS``): a class behind its school's one address whose students mistype never block each
other. A typed code (« J'ai un code », the API) is checked before the look-up, so a blocked guesser cannot tell a
right code from a wrong one; a code in a direct link (``/campagnes/<CODE>``, what a teacher hands out) is looked up
first, and a right one is always served.
"""

from __future__ import annotations

from campaigns.errors import CampaignNotFound, CodeGuessingLimited
from campaigns.selectors.campaigns import campaign_get_by_code
from pixorga.ratelimit import client_address, counter_hit, counter_release, rates, retry_delay

SCOPE = "wrong-code"


def _counters(request) -> list[tuple[str, tuple]]:
    """(key, rates) for the account (or browser session) first, then the address."""
    address = client_address(request)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        own = f"user:{user.pk}"
    else:
        session = getattr(request, "session", None)
        if session is not None:
            if not session.session_key:
                session.save()
            own = f"session:{session.session_key}"
        else:  # the API without an account: its address is all there is
            own = f"address:{address}"
    counters = [(own, rates("LIMIT_WRONG_CODES_ACCOUNT"))]
    if own != f"address:{address}":
        counters.append((f"address:{address}", rates("LIMIT_WRONG_CODES_ADDRESS")))
    return counters


def _limited(wait: float) -> CodeGuessingLimited:
    return CodeGuessingLimited(f"Trop de codes essayés. Réessayez dans {retry_delay(wait)}, ou vérifiez le code "
                               "avec votre enseignant.")


def _count(request) -> float | None:
    """Count one wrong code for the account and the address; the wait when this one went past a limit."""
    waits = [wait for key, rate_list in _counters(request)
             if (wait := counter_hit(scope=SCOPE, key=key, rate_list=rate_list)) is not None]
    return max(waits, default=None)


def _uncount(request) -> None:
    for key, rate_list in _counters(request):
        counter_release(scope=SCOPE, key=key, rate_list=rate_list)


def campaign_lookup_limited(*, request, code: str, direct_link: bool = False):
    """The campaign of a code, counting a wrong code against the account and the address.

    A typed code takes its place in the counts BEFORE the look-up (given back if it is right): simultaneous
    guesses cannot all pass the check, and a blocked guesser learns nothing. ``direct_link``: the code came in a
    link's URL; a right one is served whatever the counts. Raises ``CodeGuessingLimited`` (429) once over a limit,
    else ``CampaignNotFound`` for a wrong code.
    """
    if direct_link:
        try:
            return campaign_get_by_code(code=code)
        except CampaignNotFound:
            wait = _count(request)
            if wait is not None:
                raise _limited(wait) from None
            raise
    wait = _count(request)
    if wait is not None:
        _uncount(request)  # a refused request is not a guess
        raise _limited(wait)
    try:
        campaign = campaign_get_by_code(code=code)
    except CampaignNotFound:
        raise
    _uncount(request)
    return campaign
