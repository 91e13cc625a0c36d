"""Write the hits (and reading-history visits) buffered in the cache to the database.

Run it from cron or a timer (every minute is plenty) when the cache is shared (Redis,
REDIS_URL). Requests also flush automatically (works/hits.py), so with the per-process
local-memory cache this command only sees its own, empty buffer.
"""

from django.core.management.base import BaseCommand

from works import hits


class Command(BaseCommand):
    help = "Flush buffered hits and reading-history visits from the cache to the database."

    def handle(self, *args, **options):
        written = hits.flush()
        self.stdout.write(f"Flushed {written} hits.")
