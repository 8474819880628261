"""Account pages: sign up, log in/out, password reset, choosing one's password after a one-time one, Pix Orga terms;
and django-axes' lockout answer."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.errors import ApiTokenNotFound
from accounts.forms import LoginForm, PasswordChooseForm, PasswordResetRequestForm, PasswordSetForm, SignupForm
from accounts.models import normalize_login
from pixorga.errors import DomainError

logger = logging.getLogger(__name__)

LOCKOUT_MESSAGE = (
    "Trop de tentatives de connexion avec ce compte. Par sécurité, la connexion est bloquée : "
    "réessayez dans 15 minutes ou réinitialisez votre mot de passe. Vous vous connectez avec un identifiant ? "
    "Votre enseignant peut réinitialiser votre mot de passe."
)


def _safe_next(request: HttpRequest) -> str:
    """The ``next`` parameter if it points to this site, else an empty string."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return ""


def _home_url() -> str:
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or _home_url())
    form = SignupForm(request.POST or None, pix_orga_terms=True)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = form.save(request=request)
        except DomainError as error:  # the form now carries the error (the same e-mail an instant ago, too many)
            status = error.http_status
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Bienvenue {user.first_name}, votre compte est créé.")
            return redirect(next_url or _home_url())
    return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=status)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if _is_student_area(context.get("next") or ""):
            # A student going back to a campaign or their results logs in to their own space, not to Pix Orga.
            context.update(for_students=True, base_template="campaigns/join/base_learner.html")
        return context


# Where students go (campaigns, « Mes parcours », « Mon profil », their tests): the login page looks like their space.
STUDENT_AREA_PREFIXES = ("/campagnes", "/mes-parcours", "/mon-profil", "/evaluations")


def _is_student_area(path: str) -> bool:
    return path.startswith(STUDENT_AREA_PREFIXES)


# The invitation link's token, swapped from the URL into the session by /rejoindre (invitations.views.join). Logging
# out on that page (« Ce n'est pas vous ? ») keeps it, so that the page still opens for the right account.
INVITATION_TOKEN_SESSION_KEY = "invitation_token"
SESSION_KEYS_KEPT_ON_LOGOUT = (INVITATION_TOKEN_SESSION_KEY,)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        kept = {key: request.session[key] for key in SESSION_KEYS_KEPT_ON_LOGOUT if key in request.session}
        response = super().post(request, *args, **kwargs)
        request.session.update(kept)
        messages.info(request, "Vous êtes déconnecté. À bientôt !")
        return response


def lockout(request: HttpRequest, response: HttpResponse | None = None, credentials: dict | None = None) -> HttpResponse:
    """django-axes calls this when (e-mail, address) has failed too often: 429, as a page or as JSON for the API."""
    logger.warning("login locked out path=%s", request.path)
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "TOO_MANY_ATTEMPTS", "detail": LOCKOUT_MESSAGE}, status=429)
    form = LoginForm(request, initial={"username": normalize_login(request.POST.get("username", ""))})
    context = {"form": form, "lockout_message": LOCKOUT_MESSAGE, "next": _safe_next(request)}
    return render(request, "accounts/login.html", context, status=429)


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(email=form.cleaned_data["email"])
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset.html", {"form": form})


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = PasswordSetForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@sensitive_post_parameters("new_password1", "new_password2")
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def password_choose(request: HttpRequest) -> HttpResponse:
    """After a log-in with a one-time password (given by a teacher): the account chooses its own, then goes on."""
    next_url = _safe_next(request)
    user = request.user
    if not user.must_change_password:
        return redirect(next_url or _home_url())
    form = PasswordChooseForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, user)  # the new password must not end this session
        messages.success(request, "C'est fait : votre mot de passe est enregistré. Utilisez-le à chaque connexion.")
        return redirect(next_url or _home_url())
    return render(request, "accounts/password_choose.html", {"form": form, "next": next_url},
                  status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def terms(request: HttpRequest) -> HttpResponse:
    """The Pix Orga terms: anyone may read them (the sign-up form links here); a member accepts them."""
    next_url = _safe_next(request)
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(request, "accounts/terms.html", {"terms_version": settings.PIX_ORGA_TERMS_VERSION,
                                                       "read_only": True})
    if request.method == "POST":
        services.user_accept_pix_orga_terms(user=request.user)
        messages.success(request, "Merci, vous avez accepté les conditions d'utilisation de Pix Orga.")
        return redirect(next_url or _home_url())
    context = {
        "next": next_url,
        "terms_version": settings.PIX_ORGA_TERMS_VERSION,
        "already_accepted": request.user.has_accepted_current_pix_orga_terms,
        "is_update": bool(request.user.pix_orga_terms_version)
        and not request.user.has_accepted_current_pix_orga_terms,
        "accept_url": reverse("accounts:terms"),
    }
    return render(request, "accounts/terms.html", context)


# --- « Mes clés d'API » (account settings) -------------------------------------------------------------------------

@login_required
@never_cache
@require_http_methods(["GET"])
def api_keys(request: HttpRequest) -> HttpResponse:
    context = {"tokens": selectors.api_tokens_for_user(user=request.user),
               "max_age_days": settings.API_KEY_MAX_AGE_DAYS}
    return render(request, "accounts/api_keys.html", context)


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.api_token_revoke(user=request.user, token_id=token_id)
    except ApiTokenNotFound:
        messages.info(request, "Cette clé était déjà révoquée.")
    else:
        messages.success(request, "La clé est révoquée : elle ne permet plus d'accéder à l'API.")
    return redirect("accounts:api_keys")


@login_required
@require_POST
def api_keys_revoke_all(request: HttpRequest) -> HttpResponse:
    count = services.users_api_tokens_revoke(users=[request.user])
    if count:
        messages.success(request, "Toutes vos clés sont révoquées." if count > 1 else "Votre clé est révoquée.")
    else:
        messages.info(request, "Vous n'aviez aucune clé d'API.")
    return redirect("accounts:api_keys")
