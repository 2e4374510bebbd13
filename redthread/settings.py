"""Röd tråd settings: one module, everything read from the environment.

Nothing is set: a development install on SQLite under ``var/`` with DEBUG on.
Production sets ``DEBUG=false``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("REDTHREAD_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


#: How every SQLite database is opened, the default one and one named by DATABASE_URL:
#: WAL and a busy timeout let the app server and a task worker share the file, and
#: IMMEDIATE transactions take the write lock at BEGIN, so that two edits of one record
#: queue up (the second then sees the first's change) instead of one failing with
#: "database is locked" half-way.
SQLITE_OPTIONS: dict[str, object] = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}


def database_from_url(url: str) -> dict[str, object]:
    """Turn ``postgres://user:pass@host:port/name?sslmode=…`` or ``sqlite:///path`` into
    a Django DATABASES entry. A socket directory may be given as ``?host=/path``, and the
    port as ``&port=5433`` too, as libpq's own URIs allow."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative.db and sqlite:////absolute/path.db, as dj-database-url reads them.
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(parsed.path[1:]),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        host = options.pop("host", None) or unquote(parsed.hostname or "")
        port = options.pop("port", None) or str(parsed.port or "")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": host,
            "PORT": port,
            "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with postgres:// or sqlite://, not {parsed.scheme!r}."
    )


def email_from_url(url: str) -> dict[str, object]:
    """``smtp://user:pass@host:587/?tls=true``, ``console://`` or ``locmem://``."""
    parsed = urlparse(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parsed.scheme not in backends:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with smtp://, smtps://, console:// or locmem://, "
            f"not {parsed.scheme!r}."
        )
    options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    return {
        "EMAIL_BACKEND": backends[parsed.scheme],
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_TLS": options.get("tls", "").lower() == "true",
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
    }


DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: export SECRET_KEY to a long random value "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))").'
        )
    SECRET_KEY = "development-only-key-never-used-with-debug-off-" + "x" * 20

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "redthread.core",
    "redthread.accounts",
    "redthread.registry",
    "redthread.messaging",
    "redthread.methodology",
    "redthread.academy",
    "redthread.assessments",
    "redthread.engagements",
    "redthread.outcomes",
    "redthread.journal",
    "redthread.bench",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "redthread.api",
    # Only for its templates and static files: the API docs are served from our own files.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database that is down, locked or read-only: a 503 page, not a 500.
    "redthread.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Access is denied by default: a view is public only when marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Roles in REDTHREAD_REQUIRE_2FA_ROLES reach nothing but their profile until verified.
    "redthread.accounts.middleware.TwoFactorRequiredMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "redthread.urls"
WSGI_APPLICATION = "redthread.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "redthread.core.context_processors.shell",
            ],
        },
    },
]

FORM_RENDERER = "redthread.core.forms.FormRenderer"

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "redthread.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
            # A file, not Django's shared in-memory database: that one answers "table is
            # locked" at once instead of waiting, so the concurrency tests could not show
            # how the real file behaves.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# django-axes: lock a username for a while after repeated failures (not the IP: offices
# share one address, and a lockout must not shut out a whole IUC company).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
# Count the normalised identity, so that no variant of an address (case, spaces, Unicode
# look-alikes) gets fresh tries: the same function the login form and user creation use.
AXES_USERNAME_CALLABLE = "redthread.accounts.identity.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "redthread.accounts.views.lockout"
AXES_VERBOSE = False
# The public certificate check: look-ups per client address and window, whatever they
# find, so that codes cannot be guessed by trying many.
ACADEMY_VERIFY_LIMIT = env_int("ACADEMY_VERIFY_LIMIT", 20)
ACADEMY_VERIFY_WINDOW_SECONDS = env_int("ACADEMY_VERIFY_WINDOW_SECONDS", 600)
# Rate limits (core/ratelimit.py) count the client's address: REMOTE_ADDR, or behind this
# many reverse proxies of our own the address in X-Forwarded-For that the outermost one
# saw. 0 when the app servers face the clients; never more than the proxies that set it.
REDTHREAD_TRUSTED_PROXY_COUNT = env_int("REDTHREAD_TRUSTED_PROXY_COUNT", 0)
# The public forms (an application, a message to the office or a partner): sends per
# client address and per e-mail address in the window, and the fewest seconds a person
# takes to fill one in (a faster send is refused as a script's; 0 turns the check off).
REDTHREAD_PUBLIC_FORM_LIMIT_PER_IP = env_int("REDTHREAD_PUBLIC_FORM_LIMIT_PER_IP", 10)
REDTHREAD_PUBLIC_FORM_LIMIT_PER_EMAIL = env_int("REDTHREAD_PUBLIC_FORM_LIMIT_PER_EMAIL", 3)
REDTHREAD_PUBLIC_FORM_WINDOW_SECONDS = env_int("REDTHREAD_PUBLIC_FORM_WINDOW_SECONDS", 3600)
REDTHREAD_PUBLIC_FORM_MIN_SECONDS = env_int("REDTHREAD_PUBLIC_FORM_MIN_SECONDS", 3)
# What visitors send through those forms is kept this many days (then apply_retention
# removes it; the enrolment an application became stays).
REDTHREAD_INQUIRY_RETENTION_DAYS = env_int("REDTHREAD_INQUIRY_RETENTION_DAYS", 365)
# Counted hits are pruned by apply_retention after this many days (longer than any window).
REDTHREAD_RATE_LIMIT_RETENTION_DAYS = env_int("REDTHREAD_RATE_LIMIT_RETENTION_DAYS", 2)
SILENCED_SYSTEM_CHECKS = [
    # axes.W006 asks to lock by IP too. We lock the account (the username) on purpose: a
    # lockout by IP would shut out every coach behind one office address, and rotating
    # user agents or cookies does not get around a lock on the username.
    "axes.W006",
]

# Two-factor login (TOTP, django-otp): any user may enrol from the profile page; these roles
# must, and reach nothing else until they have. On in production, off in development and
# the demo (whose accounts are shared). Comma-separated role values.
REDTHREAD_REQUIRE_2FA_ROLES = env_list(
    "REDTHREAD_REQUIRE_2FA_ROLES", [] if DEBUG else ["admin", "program_manager"]
)
OTP_TOTP_ISSUER = "Röd tråd"
# A signed password waits this long for its second factor before the login starts over.
REDTHREAD_2FA_PENDING_SECONDS = 300

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "redthread" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# Our own date and number formats first (Swedish "2 dec. 2026", English "2 Dec 2026");
# redthread.core.formats builds on them, so the pages, the PDFs and the workbooks agree.
FORMAT_MODULE_PATH = ["redthread.core.locale_formats"]
LANGUAGE_COOKIE_NAME = "redthread_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# In development WhiteNoise serves from the finders; it still wants the folder to exist.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_URL = env_str("EMAIL_URL", "console://" if DEBUG else "smtp://localhost:25")
globals().update(email_from_url(EMAIL_URL))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Röd tråd <noreply@redthread.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: run at once in development and tests; the database worker in production
# (`redthread db_worker`), which every app server can feed.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

# Security headers. Strict CSP: our own scripts and styles only; no inline script or style
# anywhere (htmx's injected indicator style is switched off in base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports each rendering step at INFO: noise in the logs of every PDF.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

# Session notes are personal data: they are blanked this many days after the session
# (`redthread purge_session_notes`, run daily by the task worker host's cron).
REDTHREAD_SESSION_NOTES_RETENTION_DAYS = env_int("SESSION_NOTES_RETENTION_DAYS", 3 * 365)
# Contact people who left their organisation (``left_on``) and closed accounts are
# anonymised this long after they left / last signed in (`redthread apply_retention`).
REDTHREAD_DEPARTED_RETENTION_DAYS = env_int("DEPARTED_RETENTION_DAYS", 2 * 365)
REDTHREAD_CLOSED_ACCOUNT_RETENTION_DAYS = env_int("CLOSED_ACCOUNT_RETENTION_DAYS", 2 * 365)

# A respondent whose e-mailed self-assessment link is still unanswered this many days after
# it was sent gets one reminder (`redthread notices_run`, daily); 0 switches reminders off.
REDTHREAD_RESPONDENT_REMINDER_DAYS = env_int("RESPONDENT_REMINDER_DAYS", 7)

# A job still "running" this long after it was created lost its worker: it is marked failed
# (on its page, and by `redthread fail_stale_jobs`) and can be run again.
REDTHREAD_IMPORT_JOB_TIMEOUT = timedelta(minutes=env_int("IMPORT_JOB_TIMEOUT_MINUTES", 60))
REDTHREAD_REPORT_JOB_TIMEOUT = timedelta(minutes=env_int("REPORT_JOB_TIMEOUT_MINUTES", 30))

# A company's manager invites colleagues as company users up to this many active accounts
# per company (the office's rule; 0 leaves inviting to the office alone).
REDTHREAD_COMPANY_USERS_MAX = env_int("COMPANY_USERS_MAX", 5)

# The log: with review on, an editor's post is published by the program office only.
REDTHREAD_JOURNAL_REVIEW = env_bool("REDTHREAD_JOURNAL_REVIEW", True)

# Demo accounts exist only where this is on (DEBUG) or forced (`redthread demo --force`).
REDTHREAD_DEMO_ALLOWED = env_bool("REDTHREAD_DEMO_ALLOWED", DEBUG)
