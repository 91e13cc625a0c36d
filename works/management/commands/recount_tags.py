"""Recompute every tag's work count (and, with --filters, every work's filter rows)."""

from django.core.management.base import BaseCommand

from archive.queue import enqueue
from tags.filtering import CHUNK_SIZE
from works.models import Work
from works.services.filter_rows import works_refresh_filters
from works.services.tag_counts import tags_recount_all, tags_recount_all_task


class Command(BaseCommand):
    help = (
        "Recompute Tag.work_count for every tag from the works (repair). With --filters, also "
        "rebuild the works' filter rows, in batches."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--filters", action="store_true", help="Also rebuild every work's filter rows."
        )
        parser.add_argument(
            "--queue", action="store_true", help="Enqueue the recount for a worker instead."
        )

    def handle(self, *args, filters=False, queue=False, **options):
        if queue:
            enqueue(tags_recount_all_task)
            self.stdout.write("Enqueued the recount of every tag.")
            return
        count = tags_recount_all()
        self.stdout.write(f"Recounted {count} tags.")
        if filters:
            ids = Work.objects.order_by("pk").values_list("pk", flat=True)
            done, last = 0, 0
            while True:
                batch = list(ids.filter(pk__gt=last)[:CHUNK_SIZE])
                if not batch:
                    break
                works_refresh_filters(batch)
                done += len(batch)
                last = batch[-1]
            self.stdout.write(f"Refreshed the filter rows of {done} works.")
