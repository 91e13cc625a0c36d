import logging
import os

import pytest
from hypothesis import settings as hypothesis_settings
from pytest_django.fixtures import validate_django_db

from tests.factories import PASSWORD, make_user

# Property tests (tests/test_hostile_requests.py): a few derandomized examples per test in
# `make test`, many more with `make fuzz` (HYPOTHESIS_PROFILE=fuzz).
hypothesis_settings.register_profile("ci", max_examples=6, derandomize=True, database=None)
hypothesis_settings.register_profile(
    "fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")), print_blob=True
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(config, items):
    """Slow suites run once in .ci/run: tests marked `postgres_only` only on PostgreSQL (on
    SQLite they are deselected, listed as such in the summary, not skipped); tests marked
    `once` (the same whatever the database) are left out of the second pass, which sets
    ARCHIVE_TESTS_ONCE_DONE=1."""
    from django.db import connection

    def left_out(item):
        if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
            return True
        return bool(
            item.get_closest_marker("once") and os.environ.get("ARCHIVE_TESTS_ONCE_DONE") == "1"
        )

    unrestored = [item.nodeid for item in items if _flushes_without_restoring(item)]
    if unrestored:
        raise pytest.UsageError(
            "Transactional tests must restore what migrations made: mark them "
            "django_db(transaction=True, serialized_rollback=True). Without it their flush "
            "recreates the content types under new ids and leaves the fixed tags out, and the "
            "transactional tests after them fail (duplicate content types, missing ratings): "
            + ", ".join(unrestored)
        )

    kept = [item for item in items if not left_out(item)]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def _flushes_without_restoring(item) -> bool:
    """A transactional test (pytest-django's rules) without serialized rollback.

    Django ends a transactional test with a flush. Without serialized rollback the flush then
    re-creates content types and permissions (post_migrate, ids from 1 again, in another
    order) and nothing else; with it the flush leaves the tables empty and the next such test
    loads the snapshot taken after migrations. Mixed in one run, the snapshot collides with
    the re-created content types, and a test after the serialized ones finds no fixed tags."""
    fixtures = getattr(item, "fixturenames", ())
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    serialized = "django_db_serialized_rollback" in fixtures
    marker = item.get_closest_marker("django_db")
    if marker:
        transaction, reset_sequences, _, serialized_rollback, _ = validate_django_db(marker)
        transactional = transactional or transaction or reset_sequences
        serialized = serialized or serialized_rollback
    return transactional and not serialized


class _RequestErrors(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        if record.getMessage().startswith("Internal Server Error"):
            self.records.append(record)


@pytest.fixture(autouse=True)
def server_errors(request):
    """No test may leave an "Internal Server Error" in the server log (django.request logs
    one for every 5xx, in this thread or a live server's), except a test marked
    `server_error_expected` (it breaks a view on purpose). The list is the test's to read."""
    handler = _RequestErrors()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)
    if handler.records and not request.node.get_closest_marker("server_error_expected"):
        pytest.fail(
            "The server logged: "
            + "; ".join(record.getMessage()[:200] for record in handler.records),
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users need no slow password hashing: the suite creates hundreds of them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Tasks run inline at enqueue (inside the caller's transaction), so a test sees their
    effects at once. tests/test_task_queue.py runs the real database backend and worker."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache, so rate-limit counters (archive/ratelimit.py)
    never carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def download_storage(settings, tmp_path_factory):
    """Built downloads and account exports go to folders of the test run's own, never to
    the archive's data."""
    settings.STORAGES = {
        **settings.STORAGES,
        "downloads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("downloads")},
        },
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("exports")},
        },
    }


@pytest.fixture(autouse=True)
def guest_page_cache(settings):
    """The guest work page cache is on in every test (as in production with Redis), so any
    test that changes a work and then reads it as a guest checks that the stored page was
    retired (works/page_cache.py)."""
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def author(db):
    return make_user(username="author")


@pytest.fixture
def reader(db):
    return make_user(username="reader")


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Permission

    user = make_user(username="moderator", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_work"))
    return user


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def real_queue(settings, monkeypatch):
    """Tasks go to the real database queue; tests run it with tests.queue.run_worker()."""
    from django_tasks_db.management.commands import db_worker

    from tests.queue import DATABASE_TASKS

    settings.TASKS = DATABASE_TASKS
    settings.TASKS_BACKOFF_SECONDS = 0
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
