"""A benchmark that writes its own data (tests/bench/stats.py, matching.py) runs in a scratch
database made for it from the configured one (`<name>_<suffix>` on PostgreSQL, in memory on
SQLite) and dropped afterwards, as the test runner does; pages name the plain static files
(no collectstatic manifest)."""

import sys


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
