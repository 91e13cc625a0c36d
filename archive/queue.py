"""Background tasks: Django's tasks API (django-tasks) with retries, a failure record and a tick.

- `@job()` makes a module-level function a task (a `django_tasks.Task`). A run that raises is
  enqueued again with an attempt count and `run_after` = now + TASKS_BACKOFF_SECONDS * 2**n;
  after TASKS_MAX_ATTEMPTS attempts it is recorded as a `FailedTask`, which moderators see
  in the admin (Archive › Failed tasks). Every failed attempt also shows, with its
  traceback, in the task results list of django-tasks-db's admin.
- `enqueue(task, *args, **kwargs)` is THE entry point for every caller (services, admin
  actions, later builds such as e-book downloads and account exports):
  `enqueue(build_ebook, work_id=…)`. Arguments must be JSON values (ids, strings). On the
  database backend the task is a row written inside the caller's transaction: it runs only
  if that transaction commits. A task must be idempotent: it may run again after a crash.
- The tick: one task that runs every job of settings.TASKS_EVERY_MINUTE and enqueues itself
  for the next minute. Each minute's slot is claimed with `cache.add`, so however many
  processes try to (re)start the chain, one tick runs per minute. It is (re)started when the
  worker thread starts and after any task finishes if the last tick is older than three
  minutes, so an outage of the workers ends the chain only until the next task.
"""

import datetime
import functools
import logging
import threading
import traceback

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import default_task_backend, task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from archive.models import FailedTask

logger = logging.getLogger(__name__)

ATTEMPT = "_attempt"
TICK_ALIVE_KEY = "tasks:tick:alive"
TICK_ALIVE_SECONDS = 180


def _supports_defer() -> bool:
    return default_task_backend.supports_defer


def job(*, max_attempts: int | None = None, **task_options):
    """Decorator: the function becomes a task retried with exponential backoff."""

    def decorate(func):
        @functools.wraps(func)
        def runner(*args, **kwargs):
            attempt = kwargs.pop(ATTEMPT, 1)
            try:
                return func(*args, **kwargs)
            except Exception as error:
                _after_failure(the_task, attempt, max_attempts, args, kwargs, error)
                raise

        the_task = task(**task_options)(runner)
        return the_task

    return decorate


def _after_failure(the_task, attempt, max_attempts, args, kwargs, error) -> None:
    limit = max_attempts or settings.TASKS_MAX_ATTEMPTS
    if attempt < limit:
        delay = settings.TASKS_BACKOFF_SECONDS * 2 ** (attempt - 1)
        retry = the_task
        if _supports_defer():
            retry = the_task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
        logger.warning("task %s failed (attempt %d), retrying", the_task.name, attempt)
        retry.enqueue(*args, **{**kwargs, ATTEMPT: attempt + 1})
        return
    FailedTask.objects.create(
        task_path=the_task.module_path,
        arguments={"args": list(args), "kwargs": kwargs},
        attempts=attempt,
        error=f"{type(error).__name__}: {error}"[:500],
        traceback="".join(traceback.format_exception(error))[-20000:],
    )
    logger.error("task %s failed after %d attempts", the_task.name, attempt)


def enqueue(the_task, *args, **kwargs):
    """Run `the_task(*args, **kwargs)` in the background (inline on the immediate backend)."""
    return the_task.enqueue(*args, **kwargs)


def can_wait() -> bool:
    """Whether a task may be enqueued to run later (not on the immediate backend)."""
    return _supports_defer()


def enqueue_later(the_task, seconds: float, *args, **kwargs):
    """Run `the_task` in the background no sooner than `seconds` from now."""
    if not _supports_defer():
        return the_task.enqueue(*args, **kwargs)
    later = the_task.using(run_after=timezone.now() + datetime.timedelta(seconds=seconds))
    return later.enqueue(*args, **kwargs)


# ---------------------------------------------------------------------------------------------
# Every minute, without cron


def _minute(moment: datetime.datetime) -> int:
    return int(moment.timestamp()) // 60


def _schedule_tick(minute: int) -> bool:
    """Enqueue the tick for this minute unless some process already did."""
    if not cache.add(f"tasks:tick:slot:{minute}", 1, 600):
        return False
    at = datetime.datetime.fromtimestamp(minute * 60, tz=datetime.UTC)
    tick.using(run_after=at).enqueue(minute=minute)
    return True


@job(max_attempts=1)
def tick(minute: int) -> None:
    cache.set(TICK_ALIVE_KEY, minute, TICK_ALIVE_SECONDS)
    _schedule_tick(max(minute, _minute(timezone.now())) + 1)  # first: a bad job can't end it
    for path in settings.TASKS_EVERY_MINUTE:
        enqueue(import_string(path))


def ensure_ticking() -> None:
    """Start the tick chain if none ran lately (one cache read when it is running)."""
    if not _supports_defer() or cache.get(TICK_ALIVE_KEY) is not None:
        return
    if cache.add("tasks:tick:starting", 1, 60):
        _schedule_tick(_minute(timezone.now()))


def on_task_finished(sender, task_result, **kwargs) -> None:
    if task_result.task.func is not tick.func:
        ensure_ticking()


# ---------------------------------------------------------------------------------------------
# The worker thread of `make run`

_thread: threading.Thread | None = None


def start_worker_thread() -> None:
    """One database worker in a daemon thread of this process (settings.TASKS_WORKER_THREAD)."""
    global _thread
    if _thread is not None or not _supports_defer():
        return

    def run():
        try:
            ensure_ticking()
        except Exception:  # the database may not be migrated yet; the first task retries
            logger.exception("could not start the tick")
        Worker(
            queue_names=["*"],
            interval=1,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"thread-{threading.get_native_id()}",
            excluded_queue_names=[],
        ).run()

    _thread = threading.Thread(target=run, name="archive-tasks", daemon=True)
    _thread.start()


def queue_depth() -> dict[str, int]:
    """Tasks waiting to run now, waiting for a later time, and failed for good (health line)."""
    ready = DBTaskResult.objects.ready().count()
    waiting = DBTaskResult.objects.filter(status="READY").count() - ready
    return {"ready": ready, "later": waiting, "failed": FailedTask.objects.count()}
