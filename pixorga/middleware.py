"""HTTP plumbing for every request: the API's body cap and its one error shape.

Under ``/api/`` every error answers ``{"code", "detail"}`` in JSON, also those that Django gives before or around
DRF (an id that does not match the URL, a method of a non-DRF view, a crash); the pages get French templates
(``templates/403.html``, ``404.html``, ``500.html``).
"""

import csp.constants
import csp.middleware
import csp.utils
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils.cache import add_never_cache_headers

API_PREFIX = "/api/"

# Django's own error answers (404 of an unknown URL, 405, 500…) under /api/, turned into the API's shape.
API_ERRORS = {
    400: ("BAD_REQUEST", "La requête est invalide."),
    403: ("FORBIDDEN", "Vous n'avez pas accès à cette ressource."),
    404: ("NOT_FOUND", "Introuvable : vérifiez l'adresse et les identifiants (des nombres entiers)."),
    405: ("METHOD_NOT_ALLOWED", "Cette méthode HTTP n'est pas permise ici."),
    413: ("REQUEST_TOO_LARGE", "La requête est trop volumineuse."),
    500: ("SERVER_ERROR",
          "Une erreur inattendue s'est produite. Réessayez ; si elle persiste, contactez l'équipe Pix."),
    503: ("SERVICE_UNAVAILABLE", "Le service est momentanément indisponible. Réessayez dans quelques minutes."),
}


def api_error(status: int, *, code: str | None = None, detail: str | None = None) -> JsonResponse:
    default_code, default_detail = API_ERRORS.get(status, ("ERROR", "La demande n'a pas pu aboutir."))
    return JsonResponse({"code": code or default_code, "detail": detail or default_detail}, status=status)


def api_body_cap(content_type: str) -> int:
    """Largest body the API reads: an upload (multipart) as the HTML forms take it — the file cap plus the fields'
    cap —, anything else (JSON) the fields' cap (``DATA_UPLOAD_MAX_MEMORY_SIZE``, as a form's non-file data)."""
    if content_type.startswith("multipart/"):
        return settings.FILE_UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class ApiMiddleware:
    """Early in the chain: refuses an oversized API body with 413 before anything reads it, and gives Django's
    non-JSON error answers under /api/ the API's shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return api_error(400, detail="En-tête Content-Length invalide.")
        cap = api_body_cap(request.META.get("CONTENT_TYPE", ""))
        if length > cap:
            return api_error(413, detail=f"La requête dépasse la taille maximale acceptée ({_size(cap)}).")
        response = self.get_response(request)
        if response.status_code >= 400 and not _is_json(response):
            error = api_error(response.status_code)
            if response.has_header("Allow"):
                error["Allow"] = response["Allow"]
            return error
        return response


def _is_json(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() in ("application/json", "application/problem+json")


def _size(size: int) -> str:
    mib = 1024 * 1024
    return f"{size / mib:.0f} Mo" if size >= mib else f"{size // 1024} Ko"


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every API answer and every page that looked at the session (whoever is logged
    in, a sign-up in progress, an invitation): nothing personal stays in a shared computer's or a proxy's cache.
    Static files (whitenoise, earlier in the chain) keep their long caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if request.path_info.startswith(API_PREFIX) or (session is not None and session.accessed):
            add_never_cache_headers(response)
        return response


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the policy built once: most answers (every API answer, every page without a
    nonce or a per-view change) carry the same header, and building it from the settings cost a noticeable part of
    an answer's time. A per-view change (``csp_update``…), a nonce or a change of the settings (tests) goes the
    library's way."""

    _PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro",
                     "_csp_replace_ro")

    def __init__(self, get_response):
        super().__init__(get_response)
        self._built = None  # (policy setting, report-only setting, header, report-only header)

    def _headers(self) -> tuple[str, str]:
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        built = self._built
        if built is None or built[0] is not policy or built[1] is not report_only:
            built = (policy, report_only, csp.utils.build_policy(), csp.utils.build_policy(report_only=True))
            self._built = built
        return built[2], built[3]

    def process_response(self, request, response):
        if (getattr(request, "_csp_nonce", None) is not None or settings.DEBUG
                or any(hasattr(response, name) for name in self._PER_RESPONSE)):
            return super().process_response(request, response)
        header, report_only = self._headers()
        for name, value, exempt, setting in (
                (csp.constants.HEADER, header, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
                (csp.constants.HEADER_REPORT_ONLY, report_only, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY")):
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
            if (value and name not in response and getattr(response, exempt, False) is False
                    and not request.path_info.startswith(tuple(prefixes))):
                response[name] = value
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


class PagesOnly:
    """For a middleware that only serves the HTML pages: an API request goes straight on to the next one. Every
    answer of every student passes through the whole chain, and these cost a noticeable part of its time."""

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        return super().__call__(request)


class PageLocaleMiddleware(PagesOnly, LocaleMiddleware):
    """Django's ``LocaleMiddleware`` for the pages. The API speaks French without it: French is the only language
    (``LANGUAGES``) and the default one (``LANGUAGE_CODE``), and the API's URLs have no language prefix."""


class PageMessageMiddleware(PagesOnly, MessageMiddleware):
    """Django's ``MessageMiddleware`` for the pages: the API shows no messages (its answers say everything)."""
