"""Gates before any page: an account with a one-time password chooses its own; a member of a school accepts the
current Pix Orga terms."""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from accounts.selectors import user_must_accept_pix_orga_terms

# Pages that must work before accepting: the terms themselves, leaving, getting in, joining a school, the public
# school activation, and everything that is not an HTML page of the organization area.
EXEMPT_PREFIXES = (
    "/cgu", "/deconnexion", "/connexion", "/inscription", "/mot-de-passe", "/rejoindre", "/etablissement/",
    "/static/", "/admin/", "/api/", "/anymail/", "/healthz", "/readyz", "/acces-restreint",
    "/compte/",  # one's own account (revoking one's API keys) comes before any school's terms
)


class PixOrgaTermsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_accept_terms(request):
            htmx = getattr(request, "htmx", None)
            if htmx:  # a fragment request: send the whole page to the terms, then back to the page it came from
                url = f"{reverse('accounts:terms')}?{urlencode({'next': htmx.current_url_abs_path or '/'})}"
                return HttpResponseClientRedirect(url)
            return HttpResponseRedirect(f"{reverse('accounts:terms')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _must_accept_terms(request) -> bool:
        if request.path.startswith(EXEMPT_PREFIXES):
            return False
        return user_must_accept_pix_orga_terms(user=getattr(request, "user", None))


# Pages an account with a one-time password may open before choosing its own: that page, leaving, static files,
# and what is not a page (the API answers 403 PASSWORD_CHANGE_REQUIRED itself: accounts.permissions).
PASSWORD_CHANGE_EXEMPT_PREFIXES = (
    "/mot-de-passe/nouveau", "/deconnexion", "/static/", "/api/", "/anymail/", "/healthz", "/readyz",
)


class PasswordChangeRequiredMiddleware:
    """An account that logged in with a one-time password (given by a teacher) chooses its own before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(PASSWORD_CHANGE_EXEMPT_PREFIXES):  # first: the account is then not read at all
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            htmx = getattr(request, "htmx", None)
            next_path = (htmx.current_url_abs_path if htmx else request.get_full_path()) or "/"
            url = f"{reverse('accounts:password_choose')}?{urlencode({'next': next_path})}"
            return HttpResponseClientRedirect(url) if htmx else HttpResponseRedirect(url)
        return self.get_response(request)
