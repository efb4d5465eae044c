"""Settings for the ASEAN IPR Action Plan Tracker, read from environment variables.

With no environment at all (a local ``make run``) the app uses SQLite in the
ignored ``var/`` folder and runs in debug mode. Setting ``DATABASE_URL`` switches
to that database (PostgreSQL in production) and turns debug off unless ``DEBUG``
says otherwise. With debug off the app refuses to start without a real
``SECRET_KEY`` and ``ALLOWED_HOSTS``. The README lists every variable.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

from tracker.core.parsing import yes_or_no

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def envbool(name, default):
    """Read a yes/no variable; a value that is neither fails loudly at start."""
    value = os.environ.get(name)
    if value is None:
        return default
    answer = yes_or_no(value)
    if answer is None:
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")
    return answer


def envint(name, default):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def envfloat(name, default):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None


def envlist(name, default=""):
    """Read a comma-separated list, dropping blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATABASE_URL = os.environ.get("DATABASE_URL", "")
DEBUG = envbool("DEBUG", default=not DATABASE_URL)

# A key that only a local debug run may use; production must set its own.
LOCAL_SECRET_KEY = "django-insecure-local-development-only-never-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", LOCAL_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")

if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == LOCAL_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 32 characters when DEBUG is off."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must list the host names the site is served on when DEBUG is off."
        )

CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "tracker.site.apps.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "rest_framework",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "drf_spectacular",
    "tracker.core",
    "goals",
    "partners",
    "tracker.site",
]

MIDDLEWARE = [
    # First, so every answer (error pages, cached pages, static files) carries the headers.
    "tracker.core.headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tracker.core.headers.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early, so that a cached public page skips sessions, authentication and the view.
    "tracker.core.cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface's language, from the address (/id/..., /vi/..., else English); before
    # CommonMiddleware and URL resolution, which need it to match the prefixed addresses.
    "tracker.core.i18n.LanguageFromAddressMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tracker.core.twofactor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "tracker.core.badquery.BadQueryMiddleware",
    # Last, as django-axes asks: it answers locked-out sign-ins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while an account or address is locked out
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "tracker.site.urls"

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
                "tracker.site.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"

if DATABASE_URL:
    # Persistent connections are checked before each request reuses them, so the first request
    # after a database restart gets a fresh connection instead of an error.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction takes SQLite's write lock when it begins and waits up to 20 s for it, so two
    # simultaneous saves queue instead of one failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface in English (the reference, at the addresses without a prefix), Bahasa Indonesia
# (/id/...) and Vietnamese (/vi/...). Content (titles, narratives) stays in English unless a
# translation is entered (goals.models.Translatable). The catalogs are in locale/; `make setup`
# compiles them. See "Languages" in the README.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("id", "Bahasa Indonesia"),
    ("vi", "Tiếng Việt"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Whether a native speaker has reviewed each translation; until then every page in that language
# says so, with a link to the English page. TRANSLATIONS_REVIEWED lists the reviewed ones
# ("id,vi"); English, the reference, needs no review.
_reviewed = envlist("TRANSLATIONS_REVIEWED")
_unknown = sorted(set(_reviewed) - {code for code, _name in LANGUAGES[1:]})
if _unknown:
    raise ImproperlyConfigured(
        f"TRANSLATIONS_REVIEWED lists languages the site does not ship: {', '.join(_unknown)}."
    )
TRANSLATIONS_REVIEWED = {code: code in _reviewed for code, _name in LANGUAGES[1:]}
# The one time zone the site shows times in (stored in UTC): the ASEAN Secretariat's seat.
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
# Dates written as the public site writes them ("22 Nov 2026"), in the admin too.
FORMAT_MODULE_PATH = ["tracker.core.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; plain files while developing and testing,
        # so that no collectstatic run is needed first.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

LOGIN_URL = "admin:login"

# Security headers and cookies. Behind HTTPS in production (DEBUG off) cookies are secure,
# HTTP redirects to HTTPS and browsers are told to keep to HTTPS (HSTS).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", default=True)
# Behind a reverse proxy (nginx, a load balancer): trust its word that the request came over
# HTTPS, and take the client's address from X-Forwarded-For, PROXY_COUNT hops from the right.
BEHIND_PROXY = envbool("BEHIND_PROXY", default=False)
PROXY_COUNT = envint("PROXY_COUNT", 1)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Caches: local memory by default (one server); a shared Redis for several app servers.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tracker"}
}
# Anonymous public pages are served from the cache for up to this long (0 turns it off);
# any change to the data invalidates them at once (tracker.core.cache). Exports larger than
# PUBLIC_CACHE_MAX_BYTES are always streamed afresh.
PUBLIC_CACHE_SECONDS = envint("PUBLIC_CACHE_SECONDS", 600)
# How old a process's reading of the data version may be for an anonymous request: a committed
# change shows to the public within this (plus the request's own time). Staff read it afresh.
DATA_VERSION_MAX_AGE = envfloat("DATA_VERSION_MAX_AGE", 1.0)
PUBLIC_CACHE_MAX_BYTES = envint("PUBLIC_CACHE_MAX_BYTES", 1_000_000)

# A strict Content Security Policy: no inline scripts or styles anywhere on the site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), usb=()"
)
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"

# Staff sessions end after this many minutes without a request.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 60) * 60
SESSION_SAVE_EVERY_REQUEST = True

# Two-factor sign-in (tracker.core.twofactor): anyone may add an authenticator app; with
# TWO_FACTOR_REQUIRED the secretariat and superusers must.
TWO_FACTOR_REQUIRED = envbool("TWO_FACTOR_REQUIRED", default=False)
OTP_TOTP_ISSUER = "ASEAN IPR Action Plan Tracker"

# Sign-in throttling (django-axes, tracker.core.signin): within the cool-off period, a username is
# locked out after AXES_FAILURE_LIMIT failures from anywhere, and a client address after
# AXES_ADDRESS_FAILURE_LIMIT failures on any usernames (password spraying); every failure is
# logged. The secretariat lifts a lockout early with `manage.py axes_reset_username <name>`.
AXES_HANDLER = "tracker.core.signin.SeparateLimits"
AXES_CLIENT_IP_CALLABLE = "tracker.core.signin.client_address"
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = envint("AXES_ADDRESS_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True

# The site's own address: links in e-mails, feeds, the sitemap, share previews and embed codes.
LOCAL_SITE_URL = "http://127.0.0.1:8000"
SITE_URL = os.environ.get("SITE_URL", LOCAL_SITE_URL).strip().rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}.")

# Who publishes the tracker and where visitors send questions and corrections: shown in every
# page's footer and on the About page. The address is a placeholder until set
# (``check --deploy`` says so).
SITE_PUBLISHER = os.environ.get(
    "SITE_PUBLISHER", "Secretariat of the ASEAN Working Group on Intellectual Property Cooperation (AWGIPC)"
).strip()
PLACEHOLDER_CONTACT_EMAIL = "tracker-feedback@example.org"
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", PLACEHOLDER_CONTACT_EMAIL).strip()
try:
    validate_email(SITE_CONTACT_EMAIL)
except ValidationError:
    raise ImproperlyConfigured(
        f"SITE_CONTACT_EMAIL must be an e-mail address, not {SITE_CONTACT_EMAIL!r}."
    ) from None
if not SITE_PUBLISHER:
    raise ImproperlyConfigured("SITE_PUBLISHER must name who publishes the tracker, or be left unset.")
# The About page says where the tracker's source code is and under which licence, once the
# publisher has decided (an SPDX identifier such as "MIT" or "EUPL-1.2"); until then it says none
# has been published.
SITE_SOURCE_URL = os.environ.get("SITE_SOURCE_URL", "").strip()
SITE_CODE_LICENCE = os.environ.get("SITE_CODE_LICENCE", "").strip()
if SITE_SOURCE_URL and not SITE_SOURCE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"SITE_SOURCE_URL must start with http:// or https://, not {SITE_SOURCE_URL!r}."
    )

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ASEAN IPR Action Plan Tracker <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Evidence files: size and type limits (goals.evidence).
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_MB", "10")) * 1024 * 1024
EVIDENCE_MAX_UNPACKED_BYTES = 20 * EVIDENCE_MAX_BYTES  # an Office file (a zip) once unpacked
# No request body larger than this is read at all (413 at once): the largest evidence file and
# room for the form around it; imports and every other form are far smaller.
REQUEST_MAX_BYTES = EVIDENCE_MAX_BYTES + 2 * 1024 * 1024
# A deliverable with no approved update in this many published rounds is flagged as stale.
STALE_AFTER_ROUNDS = int(os.environ.get("STALE_AFTER_ROUNDS", "2"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every step of every PDF at INFO; its warnings (a refused file) still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# Past versions in the admin's history can be read, not restored (tracker.core.admin.TrackerAdmin).
SIMPLE_HISTORY_REVERT_DISABLED = True

# The read-only JSON API: public, paginated, filterable, described by an OpenAPI schema.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ASEAN IPR Action Plan Tracker API",
    "DESCRIPTION": "Read-only access to the plans, their goals, initiatives and deliverables with computed "
    "progress, approved progress updates, member states, bodies, partners and cooperation programmes. "
    "Approved data only. Figures are computed as described on /methodology/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "LICENSE": {"name": "CC-BY-4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
}
