"""The real task queue for tests: django-tasks-db's database backend (the `real_queue`
fixture in tests/conftest.py) and its worker, run in-process in batch mode (every ready
task, then exit), retries without waiting. The worker runs inside the test's transaction,
so the fixture turns off its connection check (`close_old_connections`, which would drop a
connection inside a transaction)."""

from django_tasks_db.management.commands import db_worker

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    db_worker.Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
