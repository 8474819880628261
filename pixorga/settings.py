"""pixorga settings.

Everything comes from the environment (django-environ). With nothing set, the embedded default runs:
SQLite file, Celery tasks run eagerly, e-mail printed on the console, DEBUG on. See README.md for the table.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY est obligatoire quand DEBUG est désactivé.")
    SECRET_KEY = "django-insecure-embedded-default-only-for-local-demo-and-tests-0123456789"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute links in e-mails (invitations, password reset).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Before django.contrib.auth: its ``changepassword`` command (which also revokes API keys) is the one run.
    "accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "anymail",
    "django_htmx",
    "csp",
    "pixorga",
    "organizations",
    "invitations",
    "students",
    "content",
    "campaigns",
    "assessments",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Under /api/: 413 for an oversized body before anything reads it, and every error as {"code", "detail"}.
    "pixorga.middleware.ApiMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Content-Security-Policy on every answer (django-csp, its policy built once; CONTENT_SECURITY_POLICY below).
    "pixorga.middleware.CSPMiddleware",
    "pixorga.middleware.NoStoreMiddleware",
    # Locale and messages serve the pages only: an API request skips them (pixorga.middleware.PagesOnly).
    "pixorga.middleware.PageLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pixorga.middleware.PageMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The shared cache down: a French 503 page (API: {code, detail}) instead of a traceback.
    "pixorga.unavailable.CacheUnavailableMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "accounts.middleware.PixOrgaTermsMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pixorga.urls"
WSGI_APPLICATION = "pixorga.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organizations.context_processors.current_organization",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    # One-time passwords only (a school resets a whole class at once): see accounts/hashers.py.
    "accounts.hashers.OneTimePasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("email", "username", "first_name", "last_name")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.validators.PixPasswordValidator"},
    {"NAME": "accounts.validators.PasswordMaxLengthValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "organizations:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# API keys stop working this many days after their creation; 0: never (they are revoked on any password change).
API_KEY_MAX_AGE_DAYS = env.int("API_KEY_MAX_AGE_DAYS", default=0)

# Version of the Pix Orga terms of use; bump it and every member must accept again (page /cgu).
PIX_ORGA_TERMS_VERSION = env.str("PIX_ORGA_TERMS_VERSION", default="2026-09")

# Login brute force (django-axes): 5 failures for one account (its e-mail or its username, any case) from one
# address lock it for 15 minutes; a login of no account is counted as typed.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_key"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

# Limits and throttles (pixorga/ratelimit.py reads them): "how many/per what", several separated by commas.
# The defaults let a class of 35 behind its school's one address sign up, mistype and join at once.
LIMIT_SIGNUPS_ADDRESS = env.str("LIMIT_SIGNUPS_ADDRESS", default="120/hour")  # accounts created, every path
LIMIT_LINK_FAILURES_ACCOUNT = env.str("LIMIT_LINK_FAILURES_ACCOUNT", default="5/15min,20/day")  # and school
LIMIT_LINK_FAILURES_ADDRESS = env.str("LIMIT_LINK_FAILURES_ADDRESS", default="60/hour")  # sign-ups, and school
LIMIT_LINK_FAILURES_NAME = env.str("LIMIT_LINK_FAILURES_NAME", default="10/day")  # per school and student
LIMIT_WRONG_CODES_ACCOUNT = env.str("LIMIT_WRONG_CODES_ACCOUNT", default="30/10min")  # or browser session
LIMIT_WRONG_CODES_ADDRESS = env.str("LIMIT_WRONG_CODES_ADDRESS", default="300/10min")
LIMIT_ACTIVATION_REQUESTS_SCHOOL = env.str("LIMIT_ACTIVATION_REQUESTS_SCHOOL", default="3/day")
LIMIT_ACTIVATION_REQUESTS_ADDRESS = env.str("LIMIT_ACTIVATION_REQUESTS_ADDRESS", default="10/hour")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The content bank's illustrations are served as static files under /static/bank/.
STATICFILES_DIRS = [BASE_DIR / "static", ("bank", BASE_DIR / "content" / "bank" / "images")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Cache: shared Redis in production (rate limits must hold across processes), local memory otherwise.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://pixorga")}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # A Redis that is down or unreachable must fail fast (the page says so), never hang a web worker.
    CACHES["default"].setdefault("OPTIONS", {}).update({"socket_connect_timeout": 2, "socket_timeout": 2})

# Celery. No broker configured: tasks run eagerly in the web process (embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default=""))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Time limits must stay well under the visibility timeout, or a slow task would be delivered twice.
# Publishing from a web request retries twice, quickly (0 s then 0.5 s): with the broker down the page answers in
# about a second (the work is kept for later) instead of kombu's default 2 s + 4 s.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "max_retries": 2, "interval_start": 0,
                                   "interval_step": 0.5, "interval_max": 1}
CELERY_TASK_SOFT_TIME_LIMIT = 600
CELERY_TASK_TIME_LIMIT = 900
# Two queues: "default" (e-mails: invitations, password resets — a person waits for them) and "imports" (SIECLE
# imports and the nightly certifiability computation: long, CPU- and memory-heavy). A 100,000-student import then
# never delays an e-mail. Production runs a worker per queue (docker-compose.yml); a worker started without -Q
# consumes both (make worker, tests).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = {"default": {}, "imports": {}}
CELERY_TASK_ROUTES = {
    "students.tasks.*": {"queue": "imports"},
    "assessments.certifiability_compute_nightly": {"queue": "imports"},
}
# Celery beat (`celery -A pixorga beat`, or the cron command `certifiability_compute` instead): times are Paris time.
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Each evening, the certifiability of the students whose account was used in the last 24 hours.
    "certifiability-compute-nightly": {
        "task": "assessments.certifiability_compute_nightly",
        "schedule": crontab(hour=21, minute=0),
    },
    # Password-reset e-mails the broker could not take while it was down (accounts.PendingPasswordResetEmail).
    "password-reset-emails-pending": {
        "task": "accounts.password_reset_emails_pending_queue",
        "schedule": 60.0,
    },
}

# E-mail: console by default; EMAIL_URL (smtp://…) or an anymail backend (EMAIL_BACKEND + ANYMAIL_*) in production.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Pix Orga <ne-pas-repondre@pixorga.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
ANYMAIL = {
    key[len("ANYMAIL_"):]: value
    for key, value in env.ENVIRON.items()
    if key.startswith("ANYMAIL_") and value
}

# Largest SIECLE upload (zip or xml) accepted by the students import.
SIECLE_MAX_UPLOAD_BYTES = env.int("SIECLE_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
# Any upload stops being stored past this size (the SIECLE import is the only upload).
FILE_UPLOAD_MAX_BYTES = env.int("FILE_UPLOAD_MAX_BYTES", default=SIECLE_MAX_UPLOAD_BYTES)
FILE_UPLOAD_HANDLERS = [
    "pixorga.uploads.SizeCappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

INVITATION_VALIDITY = timedelta(days=env.int("INVITATION_VALIDITY_DAYS", default=30))

# The assessment. Highest level a competence can reach (pix are capped at 8 × this).
MAX_REACHABLE_LEVEL = env.int("MAX_REACHABLE_LEVEL", default=6)
# A skill failed longer ago than this is asked again in a later test.
ASSESSMENT_RETRY_DAYS = env.int("ASSESSMENT_RETRY_DAYS", default=4)
# « Repasser mon parcours » (multiple sendings): this many days after the results were sent.
CAMPAIGN_RETRY_DAYS = env.int("CAMPAIGN_RETRY_DAYS", default=4)
# A timed question's answer arriving this many seconds after its time is up still counts (network delay).
ASSESSMENT_TIMER_GRACE_SECONDS = env.int("ASSESSMENT_TIMER_GRACE_SECONDS", default=2)


def _month_day(name: str, text: str) -> tuple[int, int]:
    """« MM-JJ » → (month, day); any other text stops the start-up with the variable's name."""
    import datetime
    import re

    match = re.fullmatch(r"\s*(\d{1,2})-(\d{1,2})\s*", text)
    try:
        month, day = int(match[1]), int(match[2])
        datetime.date(2000, month, day)  # a leap year: 02-29 is allowed (the 28th in other years)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f"{name}: expected month-day pairs such as 11-03, got {text!r}") from None
    return month, day


def _window(name: str, default: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """« MM-JJ:MM-JJ » (first and last day; the end may fall in the next year) → ((month, day), (month, day))."""
    text = env.str(name, default=default)
    start, _, end = text.partition(":")
    return _month_day(name, start), _month_day(name, end)


# Certification of SCO students: the national windows (first day : last day) and the recommended date of the last
# profiles collection before each; « Élèves » reminds it from one month before.
CERTIFICATION_WINDOW_LYCEE = _window("CERTIFICATION_WINDOW_LYCEE", "11-03:03-06")
CERTIFICATION_WINDOW_COLLEGE = _window("CERTIFICATION_WINDOW_COLLEGE", "03-16:06-13")
CERTIFICATION_LAST_COLLECTION_LYCEE = _month_day(
    "CERTIFICATION_LAST_COLLECTION_LYCEE", env.str("CERTIFICATION_LAST_COLLECTION_LYCEE", default="12-10"))
CERTIFICATION_LAST_COLLECTION_COLLEGE = _month_day(
    "CERTIFICATION_LAST_COLLECTION_COLLEGE", env.str("CERTIFICATION_LAST_COLLECTION_COLLEGE", default="04-07"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # PasswordChosen: 403 PASSWORD_CHANGE_REQUIRED until an account with a one-time password has chosen its own.
    # PixOrgaTermsAccepted: 403 PIX_ORGA_TERMS_NOT_ACCEPTED for a member who has not accepted the current terms.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated",
                                   "accounts.permissions.PasswordChosen",
                                   "accounts.permissions.PixOrgaTermsAccepted"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "pixorga.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "pixorga.negotiation.ContentNegotiation",
    "DEFAULT_PARSER_CLASSES": ["pixorga.api.JSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_THROTTLE_RATES": {
        "auth": env.str("THROTTLE_AUTH", default="20/min"),
        "signup": env.str("THROTTLE_SIGNUP", default="300/hour"),
        # Signing up from a reserved campaign: a class signs up at once, from its school's address.
        "campaign_signup": env.str("THROTTLE_CAMPAIGN_SIGNUP", default="300/hour"),
        "invitation_lookup": env.str("THROTTLE_INVITATION_LOOKUP", default="60/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "pixorga API",
    "DESCRIPTION": "API REST de pixorga (Pix Orga auto-hébergeable). Erreurs : {\"code\", \"detail\"}. Un membre "
                   "d'établissement qui n'a pas accepté les CGU Pix Orga en vigueur reçoit 403 "
                   "PIX_ORGA_TERMS_NOT_ACCEPTED (POST me/pix-orga-terms/accept/). Les clés d'API sont révoquées à "
                   "chaque changement ou réinitialisation du mot de passe (GET me/api-keys/ pour les lister).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "type" or "status" field: one named enum each, so the schema stays readable.
    "ENUM_NAME_OVERRIDES": {
        "OrganizationTypeEnum": "organizations.models.Organization.Type",
        "CampaignTypeEnum": "campaigns.models.Campaign.Type",
        "InvitationStatusEnum": "invitations.models.Invitation.Status",
        "ParticipationStatusEnum": "campaigns.models.Participation.Status",
        "ImportJobStatusEnum": "students.models.ImportJob.Status",
        "AnswerStatusEnum": "assessments.models.Answer.Status",
        "AssessmentStateEnum": "assessments.models.Assessment.State",
    },
}

# Security: production values whenever DEBUG is off (manage.py check --deploy passes).
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts and styles from this site's static files only — no inline <script>,
# no style="" or on…="" attribute (templates use static/js/*.js and classes) —, nothing embedded elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The French 403 page (templates/403.html) also for a form whose CSRF token is missing or stale.
CSRF_FAILURE_VIEW = "pixorga.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # TLS_REDIRECT_BY_PROXY: the deployer says the TLS proxy in front redirects HTTP to HTTPS itself. Then Django does
    # not redirect, and `check --deploy` stops warning about it (W008); SECURE_SSL_REDIRECT=false alone still warns.
    TLS_REDIRECT_BY_PROXY = env.bool("TLS_REDIRECT_BY_PROXY", default=False)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not TLS_REDIRECT_BY_PROXY)
    if TLS_REDIRECT_BY_PROXY and not SECURE_SSL_REDIRECT:
        SILENCED_SYSTEM_CHECKS = ["security.W008"]
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Logs never carry personal data or tokens: only ids and codes are logged by the app.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.security.DisallowedHost": {"level": "ERROR"}},
}
