"""Settings of the benchmark's servers (tests/bench/run.py and load.py set
DJANGO_SETTINGS_MODULE=tests.bench.settings): the archive's own settings, with the floor's
URLs, and rate limits off unless ARCHIVE_RATE_LIMITS_ENABLED turns them on (the load test
does), because a benchmark of page speed measures pages, not refusals."""

from archive import settings as _archive

# Every setting of the archive's (upper-case names), then the benchmark's changes.
globals().update({name: getattr(_archive, name) for name in dir(_archive) if name.isupper()})


ROOT_URLCONF = "tests.bench.urls"
ARCHIVE_RATE_LIMITS_ENABLED = _archive.env_bool("ARCHIVE_RATE_LIMITS_ENABLED", False)
