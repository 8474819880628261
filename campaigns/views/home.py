"""The school's home page (« Accueil »): the landing page after logging in and accepting the terms."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from campaigns.selectors import home as home_selectors
from organizations.context_processors import SESSION_KEY
from organizations.selectors import membership_get_active, organization_for_member


@login_required
@require_GET
def organization_home(request, organization_id: int):
    organization = organization_for_member(user=request.user, organization_id=organization_id)
    membership = membership_get_active(user=request.user, organization=organization)
    request.session[SESSION_KEY] = organization.pk
    home = home_selectors.organization_home_read(organization=organization, is_admin=membership.is_admin)
    return render(request, "campaigns/home.html", {
        "organization": organization, "is_admin": membership.is_admin, "home": home,
        "steps": {name: getattr(home_selectors, f"NEXT_{name.upper()}") for name in (
            "invite", "import", "wait_import", "campaign", "share_code", "follow", "results")},
    })
