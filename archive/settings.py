"""Settings for the archive, read from the environment (see README "Configuration").

DJANGO_DEBUG unset or "1"/"true" means a development machine; "0"/"false" means production,
where every security setting is on and `manage.py check --deploy` is clean.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ARCHIVE_DATA_DIR", BASE_DIR / "data"))


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Background tasks (issue 15): before archive, so their permissions exist when archive's
    # post_migrate gives the Moderator group the view of task results.
    "django_tasks",
    "django_tasks_db",
    "archive",
    "tags",
    "works",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # the API's docs page serves Swagger UI from its static files, not a CDN
]
# django-taggit is used through our own Tag and TaggedWork models, so its app (and its
# default tables) is deliberately not installed.

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "archive.replicas.ReplicaMiddleware",  # replica or primary for this request's reads
    # Counts hits from the response, so it must stay above any page-cache middleware.
    "works.hits.HitMiddleware",
    "archive.middleware.StripNulMiddleware",  # before anything reads GET or POST
    "archive.middleware.FormerLoginMiddleware",  # /users/<former login>/... 404 -> redirect
    "archive.query_credentials.QueryCredentialsMiddleware",  # AO3 clients' log-in (issue 14)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "archive.middleware.AuthenticityTokenMiddleware",  # AO3's token name, before the CSRF check
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "archive.languages.PreferredLanguageMiddleware",  # a member's language outranks the cookie
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

# ARCHIVE_TEMPLATES_DIR: a folder of the site's own templates, searched before the archive's,
# so a site replaces its Terms (site/tos.html), privacy policy and content policy there.
SITE_TEMPLATES_DIR = os.environ.get("ARCHIVE_TEMPLATES_DIR", "")
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [
            *([Path(SITE_TEMPLATES_DIR)] if SITE_TEMPLATES_DIR else []),
            BASE_DIR / "templates",
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "archive.appearance.appearance",
                "archive.languages.languages",
            ],
        },
    },
]

# Database: DATABASE_URL (PostgreSQL in production and CI); unset means SQLite in DATA_DIR.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "archive.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Read replicas (archive/replicas.py, docs/scaling.md): DATABASE_REPLICA_URLS, comma-separated
# database URLs of streaming replicas of DATABASE_URL, become the aliases replica1, replica2, ...
# A reader's GET reads from one of them; writes, transactions, task workers and the requests of
# a browser that wrote in the last ARCHIVE_REPLICA_PIN_SECONDS read from the primary.
DATABASE_REPLICAS = []
for number, url in enumerate(
    (url.strip() for url in os.environ.get("DATABASE_REPLICA_URLS", "").split(",")), start=1
):
    if url and DATABASE_URL:
        alias = f"replica{number}"
        DATABASES[alias] = dj_database_url.parse(url, conn_max_age=60)
        DATABASE_REPLICAS.append(alias)
DATABASE_ROUTERS = ["archive.replicas.ReplicaRouter"] if DATABASE_REPLICAS else []
ARCHIVE_REPLICA_PIN_SECONDS = int(os.environ.get("ARCHIVE_REPLICA_PIN_SECONDS", 15))

# Connection pooler (issue 15; deploy/pgbouncer.ini, README "Connection pooling"):
# DATABASE_POOLER=transaction when every database URL points at PgBouncer in transaction mode,
# where consecutive transactions of one Django connection may run on different server
# connections, so nothing may outlive a transaction on the server. For every alias (the
# primary and any replica): no server-side cursors (a cursor is session state; .iterator()
# then fetches in chunks on the client), and no server-side prepared statements (psycopg 3
# prepares none under Django unless OPTIONS asks: said here so nobody turns them on) nor
# server-side binding. Django's per-connection SET TIME ZONE is skipped when the server
# connection already reports TimeZone=UTC: PgBouncer's database entries set timezone=UTC.
DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "").strip().lower()
if DATABASE_POOLER not in {"", "transaction"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DATABASE_POOLER is either unset or 'transaction'.")
if DATABASE_POOLER == "transaction":
    for _database in DATABASES.values():
        if _database["ENGINE"] == "django.db.backends.postgresql":
            _database["DISABLE_SERVER_SIDE_CURSORS"] = True
            _database.setdefault("OPTIONS", {}).update(
                prepare_threshold=None, server_side_binding=False
            )
# End of the connection pooler block.

# Cache: Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "archive.cache.ArchiveRedisCache",  # one client per pool
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Hit buffers (works/hits.py) must not be culled at the default 300 entries.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# Sessions: with Redis, read from the shared cache and written through to the database, so
# every app server behind the load balancer sees a log-in at once and a session outlives a
# Redis restart; without it, Django's database sessions.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Whole work pages for guests (works/cache/pages.py): seconds a stored page may live. Its
# freshness versions live in the cache, so it is on by default only with Redis, which every
# process shares; ARCHIVE_PAGE_CACHE_SECONDS=0 turns it off, and a positive value turns it on
# with local memory for a single process.
PAGE_CACHE_SECONDS = int(
    os.environ.get("ARCHIVE_PAGE_CACHE_SECONDS", "600" if REDIS_URL else "0") or 0
)

AUTH_USER_MODEL = "archive.User"
# Django's ModelBackend with each request's account read from the cache (archive/backends.py).
AUTHENTICATION_BACKENDS = ["archive.backends.CachedModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "works:home"
LOGOUT_REDIRECT_URL = "works:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-up (archive/services/signup.py, invitations.py; README "Sign-up and invitations").
# ARCHIVE_SIGNUP: "open" (anyone may create an account: the default, so a new archive and
# `make run`'s demo can be tried at once) or "invite" (AO3's way: an invitation code is needed,
# from the queue at /invite_requests, a moderator or a member).
ARCHIVE_SIGNUP = os.environ.get("ARCHIVE_SIGNUP", "open").strip().lower()
if ARCHIVE_SIGNUP not in {"open", "invite"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ARCHIVE_SIGNUP is either 'open' or 'invite'.")
ARCHIVE_MINIMUM_AGE = int(os.environ.get("ARCHIVE_MINIMUM_AGE", "13"))
# Recorded on each account as it accepts the Terms: change it when the Terms change.
ARCHIVE_TOS_VERSION = os.environ.get("ARCHIVE_TOS_VERSION", "2025-01-01")
# Invitations sent from the queue each day (UTC) by the every-minute tick; 0 stops the queue.
ARCHIVE_INVITES_PER_DAY = int(os.environ.get("ARCHIVE_INVITES_PER_DAY", "20"))

# Email: EMAIL_URL such as smtp://user:pass@host:587 (TLS) or the console backend.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    from urllib.parse import unquote, urlsplit

    _email = urlsplit(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme in {"smtp+tls", "submission"} or EMAIL_PORT == 587
    EMAIL_USE_SSL = _email.scheme == "smtps"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "archive@localhost")
# The address readers use (scheme, host, port): every link in an email starts with it
# (archive/site.py). The request's Host header is never used for links sent away.
ARCHIVE_SITE_URL = os.environ.get("ARCHIVE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The interface languages (archive/languages.py), each named in itself; Arabic is right to left
# (Django's LANGUAGES_BIDI). English stays the default: readers' tools parse its labels.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("de", "Deutsch"), ("ar", "العربية")]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # Built downloads (works/downloads/store.py): local files by default; any Django storage
    # backend in production (e.g. S3 through django-storages), named "downloads".
    "downloads": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("ARCHIVE_DOWNLOADS_DIR", DATA_DIR / "downloads")},
    },
    # Account exports (works/services/exports.py): private files, served only to their owner
    # through /users/<login>/export; never put them where a web server serves files itself.
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("ARCHIVE_EXPORTS_DIR", DATA_DIR / "exports")},
    },
}
# How many days an account export stays downloadable.
ARCHIVE_EXPORT_DAYS = int(os.environ.get("ARCHIVE_EXPORT_DAYS", "7"))
# Downloads (issue 16): at most this many files are built at once in each process (Calibre's
# conversions take seconds and a few hundred MB); ebook-convert's path, when not on PATH.
ARCHIVE_DOWNLOAD_BUILDS = int(os.environ.get("ARCHIVE_DOWNLOAD_BUILDS", "2"))
ARCHIVE_EBOOK_CONVERT = os.environ.get("ARCHIVE_EBOOK_CONVERT", "ebook-convert")
# Importing by URL (issue 18, works/importing/fetch.py): how long one fetch may take in all,
# how large a page may be, and whether private and local addresses may be fetched (never on a
# public archive: that would let anyone reach the archive's own network through it).
ARCHIVE_IMPORT_TIMEOUT = float(os.environ.get("ARCHIVE_IMPORT_TIMEOUT", "30"))
ARCHIVE_IMPORT_MAX_BYTES = int(os.environ.get("ARCHIVE_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
ARCHIVE_IMPORT_ALLOW_PRIVATE = env_bool("ARCHIVE_IMPORT_ALLOW_PRIVATE", False)

# A chapter may hold 510,000 characters (AO3's limit); with multibyte text and the rest of
# the form that is several megabytes, so the request limits sit well above it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "archive.views.csrf.csrf_failure"  # AO3's 422 JSON on its .js endpoints
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content Security Policy (django-csp): scripts and styles only from our own static files, no
# inline script or style, no plugins, no <base>, forms post only here; author images from
# anywhere over http(s).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "http:", "https:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Rate limits (archive/ratelimit.py): how many proxies in front of the archive append to
# X-Forwarded-For (0: trust REMOTE_ADDR only), and per-scope overrides {scope: (n, seconds)}.
ARCHIVE_TRUSTED_PROXIES = int(os.environ.get("ARCHIVE_TRUSTED_PROXIES", "0") or 0)
ARCHIVE_RATE_LIMITS = {
    # The API (issue 21): requests a minute per personal access token, and per address for
    # guests and the site's own session.
    "api_token": (int(os.environ.get("ARCHIVE_API_TOKEN_PER_MINUTE", "600") or 600), 60),
    "api_address": (int(os.environ.get("ARCHIVE_API_ADDRESS_PER_MINUTE", "120") or 120), 60),
}
# Off only for benchmarks of page speed (tests/bench/settings.py).
ARCHIVE_RATE_LIMITS_ENABLED = env_bool("ARCHIVE_RATE_LIMITS_ENABLED", True)
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Load balancers poll these over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^health$", r"^ready$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_credentials": {"()": "archive.query_credentials.RedactQueryCredentials"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_credentials"]},
        "server": {"class": "logging.StreamHandler", "filters": ["no_credentials"]},
    },
    # The development server logs request lines: never with a password in the query string.
    "loggers": {"django.server": {"handlers": ["server"], "level": "INFO", "propagate": False}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# ---------------------------------------------------------------------------------------------
# Background tasks (issue 15; archive/queue.py, docs/decisions.md "Task queue").
# Django's tasks API (the django-tasks backport of django.tasks) on the database backend of
# django-tasks-db: an enqueue is a row written in the same transaction as the change that
# caused it. Workers: `manage.py db_worker` processes (README "Background tasks"), or, for
# `make run`, one worker thread inside the web process (ARCHIVE_TASKS_THREAD=1).
# ARCHIVE_TASKS_BACKEND=immediate runs every task inline at enqueue (the test suite's default).
TASKS_BACKEND = os.environ.get("ARCHIVE_TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
    }
}
# A worker thread inside runserver / gunicorn (make run sets it): no extra process needed.
TASKS_WORKER_THREAD = env_bool("ARCHIVE_TASKS_THREAD", False)
# Retries of a failed task: this many attempts in all, waiting TASKS_BACKOFF_SECONDS * 2**n.
TASKS_MAX_ATTEMPTS = int(os.environ.get("ARCHIVE_TASKS_MAX_ATTEMPTS", 5))
TASKS_BACKOFF_SECONDS = float(os.environ.get("ARCHIVE_TASKS_BACKOFF_SECONDS", 30))
# Jobs run every minute by the self-scheduling tick (archive/queue.py), by import path.
# works.stats.daily.rollup_task runs once a day (it claims the day in the cache).
TASKS_EVERY_MINUTE = [
    "works.hits.flush_task",
    "archive.services.invitations.queue_task",
    "works.stats.daily.rollup_task",
    "works.services.challenge_reveals.challenge_reveals_task",  # issue 20: reveal dates
]
# Moderators' mass actions in the admin on more objects than this run on a worker.
TASKS_ADMIN_INLINE = int(os.environ.get("ARCHIVE_TASKS_ADMIN_INLINE", 50))
# End of the background tasks block.
