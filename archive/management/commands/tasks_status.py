"""One line on the task queue, for a health check or a monitoring probe."""

from django.core.management.base import BaseCommand

from archive.queue import queue_depth


class Command(BaseCommand):
    help = (
        "Print the task queue's depth: tasks ready to run now, tasks waiting for a later "
        "time (retries, the next tick), and tasks that failed after their last retry."
    )

    def handle(self, *args, **options):
        depth = queue_depth()
        self.stdout.write(
            f"tasks ready={depth['ready']} later={depth['later']} failed={depth['failed']}"
        )
