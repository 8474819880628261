"""The current organization of the top bar (switcher, navigation).

In an organization URL, that organization is current if the user is an active member of it; otherwise the one
chosen with the switcher (session key ``current_organization_id``); otherwise the first of the user's
organizations. One query, cached on the request.
"""

from organizations.selectors import memberships_for_user

SESSION_KEY = "current_organization_id"


def current_membership_for(request):
    """``(current membership or None, all active memberships)`` for the request's user, computed once."""
    cached = getattr(request, "_pixorga_current_membership", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    memberships = memberships_for_user(user=user) if user is not None and user.is_authenticated else []
    by_org = {m.organization_id: m for m in memberships}
    current = None
    match = getattr(request, "resolver_match", None)
    url_org_id = match.kwargs.get("organization_id") if match else None
    for candidate in (url_org_id, request.session.get(SESSION_KEY) if hasattr(request, "session") else None):
        try:
            current = by_org.get(int(candidate)) if candidate is not None else None
        except (TypeError, ValueError):
            current = None
        if current:
            break
    if current is None and memberships:
        current = memberships[0]
    request._pixorga_current_membership = (current, memberships)
    return request._pixorga_current_membership


def current_organization(request):
    membership, memberships = current_membership_for(request)
    if membership is None:
        return {"current_organization": None, "current_membership": None, "other_memberships": []}
    return {
        "current_organization": membership.organization,
        "current_membership": membership,
        "other_memberships": [m for m in memberships if m.pk != membership.pk],
    }
