"""Settings for SIA, read from the environment.

Defaults are safe for production (DEBUG off, secure cookies when not debugging);
`make run` supplies what a local demo needs. See README.md, "Configuration".
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def read_secret_key() -> str:
    """Take the secret key from DJANGO_SECRET_KEY, DJANGO_SECRET_KEY_FILE or var/secret_key."""
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    # `make run` writes var/secret_key for the local demo; production names its own.
    local_key = VAR_DIR / "secret_key"
    key_file = os.environ.get(
        "DJANGO_SECRET_KEY_FILE", str(local_key) if local_key.exists() else ""
    )
    if not key and key_file:
        key = Path(key_file).read_text(encoding="utf-8").strip()
    if not key:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE.")
    return key


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = read_secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# True only where the synthetic demo municipality may be loaded (never in production).
SIA_DEMO = env_bool("SIA_DEMO")
# Aggregates below this count are shown as "fewer than" so nobody can be recognised.
SIA_SUPPRESS_BELOW = int(os.environ.get("SIA_SUPPRESS_BELOW", "5"))
# Suppressed follow-up figures are also rounded to a multiple of this (1 turns it off).
SIA_ROUND_COUNTS_TO = int(os.environ.get("SIA_ROUND_COUNTS_TO", "5"))
# Emergency access (nödåtkomst): the hours offered by default, and the most a user may ask for.
SIA_EMERGENCY_ACCESS_HOURS = int(os.environ.get("SIA_EMERGENCY_ACCESS_HOURS", "4"))
SIA_EMERGENCY_ACCESS_MAX_HOURS = int(os.environ.get("SIA_EMERGENCY_ACCESS_MAX_HOURS", "24"))
# Uploads (sia.core.uploads): the largest file accepted, and the most an XLSX may unpack to.
SIA_UPLOAD_MAX_BYTES = int(os.environ.get("SIA_UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
SIA_UPLOAD_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("SIA_UPLOAD_MAX_UNCOMPRESSED_BYTES", str(50 * 1024 * 1024))
)
# An upload up to the limit stays in memory (no temporary file of personal data on disk);
# form fields other than files stay at Django's 2.5 MB.
FILE_UPLOAD_MAX_MEMORY_SIZE = SIA_UPLOAD_MAX_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Imports of existing cases (sia.imports): rows per file, minutes a checked file waits.
# Each row runs through the case services twice (check, import) within one request.
SIA_IMPORT_MAX_ROWS = int(os.environ.get("SIA_IMPORT_MAX_ROWS", "500"))
SIA_IMPORT_PENDING_MINUTES = int(os.environ.get("SIA_IMPORT_PENDING_MINUTES", "60"))
# Retention (gallring, docs/adr/0015-retention.md): a person's records go this many years
# after the last entry; audit events are kept for their own period; record types (model
# labels, comma-separated, e.g. "decisions.SupportDecision") listed here are never disposed of.
SIA_RETENTION_YEARS = int(os.environ.get("SIA_RETENTION_YEARS", "5"))
SIA_AUDIT_RETENTION_YEARS = int(os.environ.get("SIA_AUDIT_RETENTION_YEARS", "10"))
SIA_RETENTION_KEEP = tuple(
    label.strip() for label in os.environ.get("SIA_RETENTION_KEEP", "").split(",") if label.strip()
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "template_partials",
    "csp",
    "axes",
    # Two-factor sign-in (sia.accounts.two_factor); listed before sia.accounts, whose
    # admin takes django-otp's device pages away.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "sia.core",
    "sia.accounts",
    "sia.audit",
    "sia.people",
    "sia.cases",
    "sia.process",
    "sia.meetings",
    "sia.plans",
    "sia.consent",
    "sia.teamwork",
    "sia.collaboration",
    "sia.assessments",
    "sia.groups",
    "sia.decisions",
    "sia.settlement",
    "sia.establishment",
    "sia.journal",
    "sia.followup",
    "sia.imports",
    "sia.retention",
    "sia.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sia.core.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sia.core.middleware.SessionLimitsMiddleware",
    "sia.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A database lost mid-request: the 503 page, built without the database.
    "sia.core.middleware.DatabaseUnavailableMiddleware",
    "sia.core.middleware.NotFoundOrForbiddenMiddleware",
    # Last, as django-axes asks: it turns a lockout into the login page's message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "sia.accounts.context_processors.navigation",
                "sia.meetings.context_processors.guide_calls",
                "sia.accounts.oidc.sso_login",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sia.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A kept connection is checked before reuse, so after the database restarts the
        # next request reconnects instead of failing once per worker.
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Single sign-on through OpenID Connect (optional; sia/accounts/oidc.py, docs/operations.md).
# On when SIA_OIDC_ISSUER and SIA_OIDC_CLIENT_ID are set. Endpoints come from the issuer's
# discovery document unless given one by one. ID tokens must be signed RS256 (keys from the
# provider's JWKS). SSO never creates users: the provider's SIA_OIDC_CLAIM is matched to an
# existing active user's SIA_OIDC_MATCH_FIELD ("username" or "email"). A sign-in whose ID
# token has an `amr` in SIA_OIDC_MFA_AMR or an `acr` in SIA_OIDC_MFA_ACR counts as the
# second factor; otherwise SIA's own TOTP step follows.
SIA_OIDC_ISSUER = os.environ.get("SIA_OIDC_ISSUER", "").strip()
SIA_OIDC_CLIENT_ID = os.environ.get("SIA_OIDC_CLIENT_ID", "").strip()
SIA_OIDC_CLIENT_SECRET = os.environ.get("SIA_OIDC_CLIENT_SECRET", "")
if not SIA_OIDC_CLIENT_SECRET and os.environ.get("SIA_OIDC_CLIENT_SECRET_FILE"):
    SIA_OIDC_CLIENT_SECRET = (
        Path(os.environ["SIA_OIDC_CLIENT_SECRET_FILE"]).read_text(encoding="utf-8").strip()
    )
SIA_OIDC_AUTHORIZATION_ENDPOINT = os.environ.get("SIA_OIDC_AUTHORIZATION_ENDPOINT", "")
SIA_OIDC_TOKEN_ENDPOINT = os.environ.get("SIA_OIDC_TOKEN_ENDPOINT", "")
SIA_OIDC_USERINFO_ENDPOINT = os.environ.get("SIA_OIDC_USERINFO_ENDPOINT", "")
SIA_OIDC_JWKS_ENDPOINT = os.environ.get("SIA_OIDC_JWKS_ENDPOINT", "")
SIA_OIDC_SCOPES = os.environ.get("SIA_OIDC_SCOPES", "openid profile email")
SIA_OIDC_CLAIM = os.environ.get("SIA_OIDC_CLAIM", "preferred_username")
SIA_OIDC_MATCH_FIELD = os.environ.get("SIA_OIDC_MATCH_FIELD", "username")
if SIA_OIDC_MATCH_FIELD not in {"username", "email"}:
    raise ImproperlyConfigured("SIA_OIDC_MATCH_FIELD is username or email.")
SIA_OIDC_MFA_AMR = env_list("SIA_OIDC_MFA_AMR", "mfa,otp,hwk")
SIA_OIDC_MFA_ACR = env_list("SIA_OIDC_MFA_ACR", "")
SIA_OIDC_BUTTON_LABEL = os.environ.get("SIA_OIDC_BUTTON_LABEL") or _(
    "Logga in med organisationens inloggning"
)
SIA_OIDC_TIMEOUT_SECONDS = int(os.environ.get("SIA_OIDC_TIMEOUT_SECONDS", "10"))
SIA_OIDC_ENABLED = bool(SIA_OIDC_ISSUER and SIA_OIDC_CLIENT_ID)
if SIA_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("sia.accounts.oidc.OIDCBackend")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions: a signed-in session ends after SIA_IDLE_MINUTES without a request of the
# user's own (the call-in banner's background poll does not count), after
# SIA_SESSION_SECONDS in any case, and when the browser closes. The server-side session
# lives as long as the absolute limit so that sia.core.middleware.SessionLimitsMiddleware
# can still tell the user why it ended. See docs/adr/0013-sessions-headers-and-lockout.md.
SIA_IDLE_MINUTES = int(os.environ.get("SIA_IDLE_MINUTES", "15"))
SIA_SESSION_SECONDS = int(os.environ.get("SIA_SESSION_SECONDS", str(8 * 60 * 60)))
SESSION_COOKIE_AGE = SIA_SESSION_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Transport and browser security. HTTPS is assumed wherever cookies are https-only;
# `make run` serves plain http on 127.0.0.1 and turns both off.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=SESSION_COOKIE_SECURE)
# Behind a TLS-terminating proxy: the header it sets to "https", e.g. X-Forwarded-Proto.
_proxy_ssl_header = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: the project's own CSS and JS are static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Failed logins (django-axes): SIA_LOCKOUT_FAILURES failures for one username, or from
# one address, lock further attempts for SIA_LOCKOUT_MINUTES. The lockout itself is
# written to the audit trail (sia.accounts.receivers).
AXES_FAILURE_LIMIT = int(os.environ.get("SIA_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("SIA_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Attempts made while locked out neither extend the lockout nor count again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sia.accounts.views.locked_out"
# Failures are kept only for the cool-off (AccessAttempt); no permanent failure log that
# would keep whatever people type into the username field.
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# Two-factor sign-in (TOTP app, recovery codes): required of every signed-in session
# unless SIA_REQUIRE_MFA is off (`make run` turns it off for the demo). Wrong codes of
# either kind count on the app's throttle; SIA_LOCKOUT_FAILURES of them lock the code
# step for SIA_LOCKOUT_MINUTES. See docs/adr/0013-sessions-headers-and-lockout.md.
SIA_REQUIRE_MFA = env_bool("SIA_REQUIRE_MFA", default=True)
OTP_TOTP_ISSUER = "SIA"
OTP_TOTP_THROTTLE_FACTOR = 1
# Recovery-code failures are counted on the app's throttle instead (one count per user).
OTP_STATIC_THROTTLE_FACTOR = 0
# Behind proxies: how many there are, so the client address is read from X-Forwarded-For.
SIA_PROXY_COUNT = int(os.environ.get("SIA_PROXY_COUNT", "0"))
if SIA_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = SIA_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "sia.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SIA API",
    "DESCRIPTION": "Case coordination for newcomer reception. Every call is access-checked "
    "and audited exactly like the pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # `check --deploy` is about the deployment; the schema has its own tests.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sia.core.api.document_errors",
    ],
    # One name per choice set, so clients get stable enum names (tests/test_api_schema.py).
    "ENUM_NAME_OVERRIDES": {
        "AssessmentTalkKindEnum": "sia.assessments.models.AssessmentTalk.Kind",
        "BarrierKindEnum": "sia.assessments.models.Barrier.Kind",
        "CaseStepStatusEnum": "sia.process.models.CaseStep.Status",
        "CollaborationMeetingKindEnum": "sia.collaboration.models.Meeting.Kind",
        "CollaborationMeetingModeEnum": "sia.collaboration.models.Meeting.Mode",
        "CollaborationMeetingStatusEnum": "sia.collaboration.models.Meeting.Status",
        "ConsentFormEnum": "sia.consent.models.Consent.Form",
        "ConsentKindEnum": "sia.consent.models.Consent.Kind",
        "DocumentRequestStatusEnum": "sia.meetings.models.DocumentRequest.Status",
        "GroupEnrolmentStatusEnum": "sia.groups.models.GroupEnrolment.Status",
        "GroupRunEnum": "sia.groups.models.GroupEnrolment.Run",
        "HousingTaskStatusEnum": "sia.settlement.models.HousingTask.Status",
        "IdentifierKindEnum": "sia.people.models.PersonIdentifier.Kind",
        "InterpreterModeEnum": "sia.collaboration.models.InterpreterBooking.Mode",
        "JournalEntryKindEnum": "sia.journal.models.JournalEntry.Kind",
        "LanguageEnum": "sia.people.models.Language",
        "LogReviewKindEnum": "sia.audit.models.LogReview.Kind",
        "MeetingModeEnum": "sia.meetings.models.MeetingMode",
        "MeetingPartyKindEnum": "sia.collaboration.models.MeetingParty.Kind",
        "PlanActivityStatusEnum": "sia.plans.models.PlanActivity.Status",
        "ProgressCategoryEnum": "sia.assessments.models.ProgressStep.Category",
        "ProgressKindEnum": "sia.assessments.models.ProgressStep.Kind",
        "ReferralStatusEnum": "sia.meetings.models.Referral.Status",
        "SupportLegalBasisEnum": "sia.decisions.models.SupportDecision.LegalBasis",
        "TeamFunctionEnum": "sia.cases.models.TeamFunction",
        "TeamTaskStatusEnum": "sia.teamwork.models.TeamTask.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
