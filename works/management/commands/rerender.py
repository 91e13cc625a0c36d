"""Re-render author text saved by an older renderer: `manage.py rerender [--batch-size N] [--all]`.

Rows whose `render_version` is below `works.rendering.RENDER_VERSION` (every row with `--all`)
get their `*_html` fields, render version and, for chapters, word count derived again from the
stored source, in batches. Works whose chapter word counts changed get their totals refreshed.
`updated_at` stamps are left alone: re-rendering is not an edit by the author.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from works.models import Chapter, Collection, Series, Work
from works.rendering import RENDER_VERSION, count_words
from works.services.posting import work_refresh

MODELS = (Work, Chapter, Series, Collection)


class Command(BaseCommand):
    help = "Re-render author text saved by an older renderer (or all of it with --all)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Rows per query and per update."
        )
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="Re-render every row, not only those saved by an older renderer.",
        )

    def handle(self, *args, batch_size, everything, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        total = 0
        for model in MODELS:
            count, works_to_refresh = self.rerender_model(model, batch_size, everything)
            total += count
            self.stdout.write(f"{model._meta.verbose_name_plural}: {count} re-rendered")
            if works_to_refresh:
                self.refresh_works(works_to_refresh, batch_size)
                self.stdout.write(f"word counts refreshed on {len(works_to_refresh)} works")
        self.stdout.write(
            self.style.SUCCESS(f"Upgraded {total} rows to render version {RENDER_VERSION}.")
        )

    def rerender_model(self, model, batch_size, everything):
        html_fields = [f"{field}_html" for field in model.rendered_fields]
        update_fields = [*html_fields, "render_version"]
        if model is Chapter:
            update_fields.append("word_count")
        rows = model._base_manager.defer(*html_fields).order_by("pk")
        if not everything:
            rows = rows.filter(render_version__lt=RENDER_VERSION)
        # Keyset pagination instead of one long iterator(): SQLite gives no isolation between a
        # cursor and writes to the same table on one connection.
        count, last_pk, works_to_refresh = 0, None, set()
        while True:
            page = rows if last_pk is None else rows.filter(pk__gt=last_pk)
            batch = list(page[:batch_size])
            if not batch:
                break
            for row in batch:
                row.render_text()
                if model is Chapter:
                    words = count_words(row.body_html)
                    if words != row.word_count:
                        works_to_refresh.add(row.work_id)
                    row.word_count = words
            with transaction.atomic():
                model._base_manager.bulk_update(batch, update_fields, batch_size=batch_size)
            count += len(batch)
            last_pk = batch[-1].pk
        return count, works_to_refresh

    def refresh_works(self, work_ids, batch_size):
        work_ids = sorted(work_ids)
        for start in range(0, len(work_ids), batch_size):
            chunk = work_ids[start : start + batch_size]
            with transaction.atomic():
                for work in Work._base_manager.filter(pk__in=chunk).only("pk", "expected_chapters"):
                    work_refresh(work)
