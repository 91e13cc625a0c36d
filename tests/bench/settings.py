"""Settings of the benchmark's servers (tests/bench/run.py and load.py set
DJANGO_SETTINGS_MODULE=tests.bench.settings): the archive's own settings, with the floor's
URLs, and rate limits off unless ARCHIVE_RATE_LIMITS_ENABLED turns them on (the load test
does), because a benchmark of page speed measures pages, not refusals."""

from archive.settings import *  # noqa: F403
from archive.settings import env_bool

ROOT_URLCONF = "tests.bench.urls"
ARCHIVE_RATE_LIMITS_ENABLED = env_bool("ARCHIVE_RATE_LIMITS_ENABLED", False)
