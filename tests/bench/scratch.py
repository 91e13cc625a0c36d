"""A benchmark that writes its own data (tests/bench/stats.py, matching.py) runs in a scratch
database made for it from the configured one (`<name>_<suffix>` on PostgreSQL, in memory on
SQLite) and dropped afterwards, as the test runner does; pages name the plain static files
(no collectstatic manifest)."""

import os
import sys


def bench_environment(name: str, **extra) -> None:
    """The environment a benchmark script runs Django in (production-like settings without
    HTTPS redirects); set from the script's main(), never at import, so that a test importing
    the script's helpers leaves the test run's environment as it was."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    os.environ.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", f"{name}-bench-only-" + "x" * 40),
        DJANGO_ALLOWED_HOSTS="*",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="ERROR",
        **extra,
    )


def in_scratch_database(suffix: str, measure, *, postgres_only: str = "") -> None:
    """Set Django up, run `measure()` in the scratch database, drop it. `postgres_only`: the
    message to stop with when DATABASE_URL is not PostgreSQL."""
    import django
    from django.conf import settings

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    if postgres_only and connection.vendor != "postgresql":
        sys.exit(postgres_only)
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}
    if connection.vendor == "postgresql":
        name = settings.DATABASES["default"]["NAME"]
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"{name}_{suffix}"
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        measure()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
