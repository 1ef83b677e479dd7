"""Django settings for serendip.

Everything that differs between a laptop demo and a production club is read
from the environment, so that one settings module serves both:

- ``SERENDIP_DATABASE_URL`` (or ``DATABASE_URL``): PostgreSQL in production; SQLite in
  ``SERENDIP_DATA_DIR`` by default (WAL journal, ``SERENDIP_SQLITE_TIMEOUT`` seconds of patience).
  ``SERENDIP_DB_CONN_MAX_AGE``: seconds a connection is kept between requests (default 60).
  ``SERENDIP_DB_PREPARE=0``: no prepared statements on PostgreSQL (behind a pooler in
  transaction mode that cannot keep them).
- ``SERENDIP_DATA_DIR``: where the embedded SQLite database lives (default ``./data``).
- ``SERENDIP_SECRET_KEY``: wins when set; otherwise a key is generated once per installation
  into ``DATA_DIR/secret_key`` (mode 0600) and kept there.
- ``SERENDIP_DEBUG=1`` turns Django's debug pages on (never in production; off by default).
- ``SERENDIP_ALLOWED_HOSTS``, ``SERENDIP_SITE_URL`` (its host is allowed and, over HTTPS, it is
  the trusted origin for CSRF).
- HTTPS: ``SERENDIP_HTTPS`` (default: whether ``SERENDIP_SITE_URL`` starts with ``https://``),
  ``SERENDIP_BEHIND_HTTPS_PROXY=1``, ``SERENDIP_HSTS_SECONDS``,
  ``SERENDIP_HSTS_INCLUDE_SUBDOMAINS``, ``SERENDIP_HSTS_PRELOAD``.
- Sign-in throttling: ``SERENDIP_SIGNIN_FAILURES`` and ``SERENDIP_SIGNIN_COOLOFF_MINUTES``.
- Mail: ``SERENDIP_EMAIL_BACKEND`` (console by default), ``SERENDIP_EMAIL_HOST``,
  ``SERENDIP_EMAIL_PORT``, ``SERENDIP_EMAIL_HOST_USER``, ``SERENDIP_EMAIL_HOST_PASSWORD``,
  ``SERENDIP_EMAIL_USE_TLS``, ``SERENDIP_FROM_EMAIL`` (the unprefixed ``EMAIL_*`` names still work).
- ``SERENDIP_STATIC_ROOT``: where ``collectstatic`` puts the files whitenoise serves
  (default ``DATA_DIR/static``).
- ``SERENDIP_LOG_LEVEL`` (default ``INFO``) and ``SERENDIP_LOG_FORMAT`` (``json``, the default,
  or ``text``): logs go to standard output, one line each, with the request's id.
- ``SERENDIP_TASKS_BACKEND``: ``django_tasks_db.DatabaseBackend`` queues jobs for
  ``serendip worker``; by default they run at once in the process that asks.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SERENDIP_DATA_DIR", Path.cwd() / "data")).resolve()


def _flag(name: str, default: bool = False) -> bool:
    """An on/off environment variable: "1", "true", "yes" or "on" mean on."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def installation_secret_key(data_dir: Path) -> str:
    """This installation's secret key: read from ``data_dir/secret_key``, generated once if missing.

    The key signs password-reset tokens, sessions and unsubscribe links, so it must never be a
    public string; generating it per installation keeps a fresh machine working without one.
    """
    path = data_dir / "secret_key"
    try:
        if not path.exists():
            data_dir.mkdir(parents=True, exist_ok=True)
            # Written aside then hard-linked into place: two processes starting together
            # agree on the first key, and nobody ever reads a half-written file.
            fd, draft = tempfile.mkstemp(dir=data_dir, prefix=".secret_key.")
            try:
                with os.fdopen(fd, "w") as out:  # mkstemp creates the file with mode 0600
                    out.write(get_random_secret_key())
                os.link(draft, path)
            except FileExistsError:
                pass
            finally:
                os.unlink(draft)
        key = path.read_text().strip()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"No secret key: set SERENDIP_SECRET_KEY or let serendip write {path} ({exc})."
        ) from exc
    if not key:
        raise ImproperlyConfigured(f"{path} is empty: delete it to generate a new key.")
    return key


DEBUG = _flag("SERENDIP_DEBUG")
SECRET_KEY = os.environ.get("SERENDIP_SECRET_KEY", "").strip() or installation_secret_key(DATA_DIR)
# The address members reach the site at, for links in emails (and the host and origin it allows).
SERENDIP_SITE_URL = os.environ.get("SERENDIP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_SITE = urlsplit(SERENDIP_SITE_URL)
ALLOWED_HOSTS = [
    host
    for host in os.environ.get(
        "SERENDIP_ALLOWED_HOSTS", f"127.0.0.1,localhost,testserver,{_SITE.hostname or ''}"
    ).split(",")
    if host.strip()
]

# HTTPS: on when the site's address is https:// (or SERENDIP_HTTPS=1). Behind a reverse proxy
# that terminates TLS, SERENDIP_BEHIND_HTTPS_PROXY=1 trusts its X-Forwarded-Proto header (only
# set it when the proxy overwrites that header, or clients could claim HTTPS themselves).
HTTPS = _flag("SERENDIP_HTTPS", _SITE.scheme == "https")
if _flag("SERENDIP_BEHIND_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
# Health probes come from the machine itself (systemd, docker), over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SERENDIP_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("SERENDIP_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading puts the domain on browsers' built-in HTTPS list: the club's decision, off by default.
SECURE_HSTS_PRELOAD = _flag("SERENDIP_HSTS_PRELOAD")
CSRF_TRUSTED_ORIGINS = [f"{_SITE.scheme}://{_SITE.netloc}"] if _SITE.scheme == "https" else []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    # Listed so that /api/docs serves Swagger UI from our own static files, not from a CDN.
    "ninja",
    "django_tasks",
    "django_tasks_db",  # the database queue: SERENDIP_TASKS_BACKEND=django_tasks_db.DatabaseBackend
    "serendip.members",
    "serendip.events",
    "serendip.programme",
    "serendip.meals",
    "serendip.network",
    "serendip.outcomes",
    "serendip.reports",
    "serendip.web",
]

MIDDLEWARE = [
    # First, so that every log line written while serving a request carries its id.
    "serendip.web.requestlog.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the app server (compressed, cached), before sessions and the rest.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "serendip.web.middleware.MemberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Scripts and styles come from our own static files only; an inline script needs the request's
# nonce ({{ request.csp_nonce }}). Django's own debug pages are exempted by django-csp.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Sign-in throttling (django-axes), on the site's sign-in and the admin's alike: after
# SERENDIP_SIGNIN_FAILURES wrong passwords for one email from one address, that pair is refused
# until the cool-off has passed; a successful sign-in clears the count.
CSRF_FAILURE_VIEW = "serendip.web.errors.csrf_failure"
AUTHENTICATION_BACKENDS = [
    "serendip.web.signin.SignInThrottleBackend",
    "serendip.web.signin.EmailSignInBackend",
    # Never reached by a sign-in (the backend above ends every one); listed because a session
    # remembers the backend that signed it in, and those signed in before the one above came
    # would all be signed out on the upgrade.
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SERENDIP_SIGNIN_FAILURES", "5"))
AXES_COOLOFF_TIME = dt.timedelta(
    minutes=float(os.environ.get("SERENDIP_SIGNIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_CALLABLE = "serendip.web.signin.username"
AXES_CLIENT_IP_CALLABLE = "serendip.web.signin.client_ip"

ROOT_URLCONF = "serendip.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "serendip.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("SERENDIP_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or f"sqlite:///{DATA_DIR / 'serendip.sqlite3'}",
        conn_max_age=int(os.environ.get("SERENDIP_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web server's SQLite: in WAL mode readers never wait for a writer nor block one, and
    # synchronous=NORMAL (safe with WAL: a power cut may lose the last commits, never corrupt)
    # saves an fsync per commit. Writers queue for the lock (BEGIN IMMEDIATE) instead of failing
    # with "database is locked" halfway through; that lock lasts one atomic block, never a whole
    # request (ATOMIC_REQUESTS stays off). ``timeout`` is SQLite's busy timeout. The test
    # database is a file so that concurrent tests behave the same.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("SERENDIP_SQLITE_TIMEOUT", "30")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"serendip-test-{os.getpid()}.sqlite3")
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _flag(
    "SERENDIP_DB_PREPARE", True
):
    # Lets psycopg prepare statements, which it does only on a server-side binding cursor:
    # the live pages' attending query (serendip.web.live), planned once per connection
    # instead of on every poll. Django's own cursors bind client-side and prepare nothing.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("SERENDIP_STATIC_ROOT", DATA_DIR / "static")).resolve()
# Compressed copies (gzip) made by collectstatic; names stay unhashed so that pages render even
# where collectstatic has not run (tests, the demo), whitenoise then serving from the apps.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Until `collectstatic` has run, whitenoise serves from the apps: its warning is no news.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
WHITENOISE_MAX_AGE = 3600

EMAIL_BACKEND = os.environ.get(
    "SERENDIP_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)


def _mail(name: str, default: str) -> str:
    """A mail setting: ``SERENDIP_<name>``, else the older unprefixed ``<name>``."""
    return os.environ.get(f"SERENDIP_{name}") or os.environ.get(name) or default


EMAIL_HOST = _mail("EMAIL_HOST", "localhost")
EMAIL_PORT = int(_mail("EMAIL_PORT", "25"))
EMAIL_HOST_USER = _mail("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _mail("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _mail("EMAIL_USE_TLS", "0").strip().lower() in {"1", "true", "yes", "on"}
DEFAULT_FROM_EMAIL = os.environ.get("SERENDIP_FROM_EMAIL", "serendip <noreply@serendip.local>")

NINJA_PAGINATION_PER_PAGE = 50

# Background jobs (planning): at once in the web process unless a queue backend is configured.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "SERENDIP_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
# How long the planner may search for a better programme.
SERENDIP_PLANNING_SECONDS = float(os.environ.get("SERENDIP_PLANNING_SECONDS", "10"))
# A planning run silent for this long (no heartbeat) died with its worker: it shows as failed
# and planning can start again.
SERENDIP_PLANNING_STALE_SECONDS = float(os.environ.get("SERENDIP_PLANNING_STALE_SECONDS", "120"))
# A due job waiting untaken this long makes /healthz say the workers are late.
SERENDIP_WORKERS_LATE_SECONDS = float(os.environ.get("SERENDIP_WORKERS_LATE_SECONDS", "120"))
# How fast a tie fades without interactions, and how long an introduction waits for answers.
SERENDIP_TIE_HALF_LIFE_DAYS = float(os.environ.get("SERENDIP_TIE_HALF_LIFE_DAYS", "180"))
SERENDIP_INTRODUCTION_DAYS = int(os.environ.get("SERENDIP_INTRODUCTION_DAYS", "14"))
# "Did anything come of your meeting with X?": asked this many days after a meeting both rated
# green or a follow-up asked for (first number), and no longer once the second has passed
# (a meeting older than that is never asked about; an unanswered question lapses).
SERENDIP_OUTCOME_ASK_DAYS = tuple(
    int(days) for days in os.environ.get("SERENDIP_OUTCOME_ASK_DAYS", "30,120").split(",")
)
# The recommender's text space: "tfidf" (default) or "embeddings" (the optional extra).
SERENDIP_TEXT_BACKEND = os.environ.get("SERENDIP_TEXT_BACKEND", "tfidf")
# New connections (every pair of greens at the gong makes one) reach the recommender's index
# within this many seconds; profile edits and "not now" at once.
SERENDIP_INDEX_TIES_SECONDS = float(os.environ.get("SERENDIP_INDEX_TIES_SECONDS", "60"))

# Django's cache holds what the live pages render (an attendee's "now" and agenda), keyed by
# the programme's version. ``SERENDIP_CACHE_DIR``: files every server process shares
# (``serendip serve`` sets the data folder's ``cache`` unless it is set); otherwise each
# process keeps its own in memory (the demo's one process, the tests).
SERENDIP_CACHE_DIR = os.environ.get("SERENDIP_CACHE_DIR", "").strip()
# How many entries the shared folder holds before it drops the expired and the soonest to
# expire (about 4 kB each; a round of 450 phones writes some 1,400, a programme's pairs 8,000).
SERENDIP_CACHE_ENTRIES = int(os.environ.get("SERENDIP_CACHE_ENTRIES", "50000"))
CACHES = {
    "default": (
        {
            "BACKEND": "serendip.web.cache.SharedFileCache",
            "LOCATION": SERENDIP_CACHE_DIR,
            "OPTIONS": {"MAX_ENTRIES": SERENDIP_CACHE_ENTRIES, "CULL_FREQUENCY": 4},
        }
        if SERENDIP_CACHE_DIR
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    ),
    # The marks of the background runs under way ("one warm-up at a time"), apart from the
    # pages: `serendip serve` empties the pages' folder as it starts, maybe while a worker
    # already runs, and a lost mark let a second run walk the room beside the first.
    "marks": (
        {
            "BACKEND": "serendip.web.cache.SharedFileCache",
            "LOCATION": os.path.join(SERENDIP_CACHE_DIR, "marks"),
        }
        if SERENDIP_CACHE_DIR
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "marks"}
    ),
}
# How long a rendered live part is kept at most (a new version is a new entry anyway).
SERENDIP_LIVE_CACHE_SECONDS = int(os.environ.get("SERENDIP_LIVE_CACHE_SECONDS", "900"))
# How long before a gong a queue worker renders every attendee's now part for it.
SERENDIP_WARM_AHEAD_SECONDS = int(os.environ.get("SERENDIP_WARM_AHEAD_SECONDS", "40"))
# After a programme change, how long the worker waits (for the rest of the burst) to render.
SERENDIP_WARM_AFTER_CHANGE_SECONDS = int(os.environ.get("SERENDIP_WARM_AFTER_CHANGE_SECONDS", "3"))

# Periodic jobs (``serendip periodic``): the weekly digest goes out from this weekday
# (0 = Monday) and hour on, once a week; the day-before letters from this hour the day before.
SERENDIP_DIGEST_WEEKDAY = int(os.environ.get("SERENDIP_DIGEST_WEEKDAY", "0"))
SERENDIP_DIGEST_HOUR = int(os.environ.get("SERENDIP_DIGEST_HOUR", "8"))
SERENDIP_REMIND_HOUR = int(os.environ.get("SERENDIP_REMIND_HOUR", "9"))

# Logs on standard output, one line each with the request's id: JSON lines for a log collector
# (journald, docker) or plain text. Errors the API hides from its callers are written here with
# their traceback; each request served writes one line (serendip.requests).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "serendip.web.requestlog.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "serendip.web.requestlog.JsonFormatter"},
        "text": {"()": "serendip.web.requestlog.TextFormatter"},
    },
    "handlers": {
        "stdout": {
            "()": "serendip.web.requestlog.StdoutHandler",
            "filters": ["request_id"],
            "formatter": "text" if os.environ.get("SERENDIP_LOG_FORMAT") == "text" else "json",
        }
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        "serendip": {"level": os.environ.get("SERENDIP_LOG_LEVEL", "INFO").upper()},
        "django_tasks": {"level": os.environ.get("SERENDIP_LOG_LEVEL", "INFO").upper()},
        # A request for a host name not served (a scanner, a probe sent to the bare address) is
        # answered 400 and its request line logged: no traceback at ERROR for each.
        "django.security.DisallowedHost": {"level": "CRITICAL"},
    },
}
