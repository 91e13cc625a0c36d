"""Import a whole eFiction 3.5 archive from its MySQL dump (works/services/archive_imports.py).

    manage.py import_efiction dump.sql --name "Harbour Lights" [--prefix fanfiction_]
        [--stories-dir stories/] [--batch-size 50]
    manage.py import_efiction --report 3     progress and the report of import #3
    manage.py import_efiction --stop 3       stop it after the batch running now
    manage.py import_efiction --resume 3     go on where it stopped (nothing is done twice)

The import runs on the task queue, a batch of stories a task; this command starts, stops
and resumes it and prints its report. The dump file (and the story files folder) must stay
where the queue's workers can read them until the import has finished.
"""

from django.core.management.base import BaseCommand, CommandError

from archive.errors import Refused
from works.importing.efiction import DEFAULT_PREFIX
from works.models import ArchiveImport
from works.services import archive_imports


class Command(BaseCommand):
    help = "Import an eFiction archive's MySQL dump, or report on, stop or resume an import."

    def add_arguments(self, parser):
        parser.add_argument("dump", nargs="?", help="the .sql file mysqldump wrote")
        parser.add_argument("--name", default="", help="the archive's name (its collection's)")
        parser.add_argument("--prefix", default=DEFAULT_PREFIX, help="the tables' prefix")
        parser.add_argument(
            "--stories-dir",
            default="",
            help="eFiction's stories folder, when chapters are files (<uid>/<chapid>.txt)",
        )
        parser.add_argument(
            "--batch-size", type=int, default=archive_imports.BATCH_SIZE, help="stories a task"
        )
        actions = parser.add_mutually_exclusive_group()
        actions.add_argument("--report", type=int, metavar="ID", help="print an import's report")
        actions.add_argument("--stop", type=int, metavar="ID", help="stop an import")
        actions.add_argument("--resume", type=int, metavar="ID", help="resume a stopped import")

    def handle(self, *args, **options):
        try:
            if options["report"] is not None:
                run = self._run(options["report"])
            elif options["stop"] is not None:
                run = archive_imports.archive_import_stop(run=self._run(options["stop"]))
                self.stdout.write(f"Import #{run.pk} will stop after the batch it is in.")
            elif options["resume"] is not None:
                run = archive_imports.archive_import_resume(run=self._run(options["resume"]))
                self.stdout.write(f"Import #{run.pk} resumed.")
            else:
                run = self._start(options)
        except Refused as refused:
            raise CommandError(refused.message) from None
        run.refresh_from_db()
        for line in archive_imports.report_lines(run):
            self.stdout.write(line)

    def _start(self, options) -> ArchiveImport:
        if not options["dump"]:
            raise CommandError("Name the dump file, or use --report, --stop or --resume.")
        run = archive_imports.archive_import_start(
            path=options["dump"],
            name=options["name"],
            prefix=options["prefix"],
            stories_dir=options["stories_dir"],
            batch_size=options["batch_size"],
        )
        self.stdout.write(
            f"Import #{run.pk} of {run.name} queued: {run.total} stories. "
            f"Follow it with --report {run.pk}; stop it with --stop {run.pk}."
        )
        return run

    def _run(self, pk: int) -> ArchiveImport:
        run = ArchiveImport.objects.filter(pk=pk).first()
        if run is None:
            raise CommandError(f"There is no import #{pk}.")
        return run
