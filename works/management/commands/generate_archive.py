"""manage.py generate_archive --works N --seed S: a large, realistic archive for benchmarks.

See works/generate.py for what it builds. It refuses to touch a database that already holds
works unless told to add to them (--append) or to wipe them first (--force).
"""

from django.core.management.base import BaseCommand, CommandError

from works.generate import ArchiveGenerator, archive_wipe
from works.models import Work


class Command(BaseCommand):
    help = "Generate a large, realistic archive (users, tags, works, stats) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--works", type=int, required=True, help="How many works to make.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--batch", type=int, default=10000, help="Works per COPY batch (default 10000)."
        )
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--append",
            action="store_true",
            help="Add to an archive that already holds works (with a new set of generated tags "
            "and users beside the existing ones).",
        )
        group.add_argument(
            "--force",
            action="store_true",
            help="Delete all works, series, non-fixed tags and generated users first.",
        )
        parser.add_argument(
            "--no-vacuum",
            action="store_true",
            help="On PostgreSQL, only ANALYZE at the end (no VACUUM).",
        )

    def handle(self, *args, works, seed, batch, append, force, no_vacuum, **options):
        if works < 1:
            raise CommandError("--works must be at least 1.")
        existing = Work.objects.count()
        if existing and not (append or force):
            raise CommandError(
                f"This database already holds {existing:,} works. generate_archive protects "
                "real archives: use --append to add to them or --force to delete them first."
            )

        def log(message):
            self.stdout.write(message)
            self.stdout.flush()

        if existing and force:
            archive_wipe(log=log)
        log(f"Generating {works:,} works (seed {seed}) into the {_db_label()} database...")
        ArchiveGenerator(works=works, seed=seed, batch=batch, log=log, vacuum=not no_vacuum).run()


def _db_label():
    from django.db import connection

    return f"{connection.vendor} {connection.settings_dict.get('NAME')}"
