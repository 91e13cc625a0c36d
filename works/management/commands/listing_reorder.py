"""Rewrite the listings' tag table (works_worktagset) in fandom order, on PostgreSQL.

    manage.py listing_reorder

New and edited works' rows land wherever the table has room, so over time one fandom's works
spread over the whole table and a filtered listing reads more pages (docs/performance.md).
Run this now and then (weekly on a busy archive; it took N s at 1,000,000 works, see
docs/performance.md): listings keep being served from the old rows meanwhile, and posting,
tagging and kudos wait until it commits.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from works.listing import tagsets


class Command(BaseCommand):
    help = "Rewrite works_worktagset in fandom order (PostgreSQL only)."

    def handle(self, *args, **options):
        if not tagsets.available():
            raise CommandError("Only PostgreSQL has the listings' tag table.")
        started = time.monotonic()
        tagsets.reorder()
        self.stdout.write(f"Reordered {tagsets.TABLE} in {time.monotonic() - started:.1f} s.")
