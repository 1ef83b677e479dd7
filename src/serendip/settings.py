"""Django settings for serendip.

Everything that differs between a laptop demo and a production club is read
from the environment, so that one settings module serves both:

- ``DATABASE_URL``: PostgreSQL in production; SQLite in ``SERENDIP_DATA_DIR`` by default.
- ``SERENDIP_DATA_DIR``: where the embedded SQLite database lives (default ``./data``).
- ``SERENDIP_SECRET_KEY``, ``SERENDIP_DEBUG``, ``SERENDIP_ALLOWED_HOSTS``.
- ``SERENDIP_EMAIL_URL``-style settings: ``EMAIL_HOST``, ``EMAIL_PORT``... (console by default).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SERENDIP_DATA_DIR", Path.cwd() / "data")).resolve()

DEBUG = os.environ.get("SERENDIP_DEBUG", "1") == "1"
# The default key is only for the demo and tests; production sets its own.
SECRET_KEY = os.environ.get("SERENDIP_SECRET_KEY", "serendip-demo-key-not-for-production")
ALLOWED_HOSTS = os.environ.get("SERENDIP_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
    ","
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",  # the database queue: SERENDIP_TASKS_BACKEND=django_tasks_db.DatabaseBackend
    "serendip.members",
    "serendip.events",
    "serendip.programme",
    "serendip.meals",
    "serendip.network",
    "serendip.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "serendip.web.middleware.MemberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'serendip.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock (BEGIN IMMEDIATE) instead of failing with "database is locked"
    # halfway through; the test database is a file so that concurrent tests behave the same.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 30}
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"serendip-test-{os.getpid()}.sqlite3")
    }
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
STATIC_ROOT = DATA_DIR / "static"

EMAIL_BACKEND = os.environ.get(
    "SERENDIP_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
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
# The address members reach the site at, for links in emails.
SERENDIP_SITE_URL = os.environ.get("SERENDIP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How fast a tie fades without interactions, and how long an introduction waits for answers.
SERENDIP_TIE_HALF_LIFE_DAYS = float(os.environ.get("SERENDIP_TIE_HALF_LIFE_DAYS", "180"))
SERENDIP_INTRODUCTION_DAYS = int(os.environ.get("SERENDIP_INTRODUCTION_DAYS", "14"))
# The recommender's text space: "tfidf" (default) or "embeddings" (the optional extra).
SERENDIP_TEXT_BACKEND = os.environ.get("SERENDIP_TEXT_BACKEND", "tfidf")
