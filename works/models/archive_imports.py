"""Whole archives brought in by moderators (an eFiction dump: works/importing/efiction.py),
and the old accounts whose works wait to be claimed.

- `ArchiveImport`: one import run: its progress (`done` of `total` stories), a stop flag
  the task reads between batches, its status, the collection named for the archive and the
  placeholder account that holds the works nobody has claimed yet.
- `ImportedStory`: one story of the dump and what became of it (a work, or skipped and why):
  the run's report, and what makes a resumed run skip what it already did.
- `ImportedCreator`: an old account (pen name, the digest of its email) and, once claimed,
  the user who claimed it. `ImportedSeries` ties an old series to ours.

The email is kept as a digest (`email_digest()`), never as written: the claim page only has
to recognise an address a person types, and an archive's old addresses are not ours to keep
(docs/decisions.md, "Importing an eFiction archive").
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from works.models.collections import Collection
from works.models.series import Series
from works.models.works import Work


def email_digest(email: str) -> str:
    """The digest an old account's email is kept and looked up by (case and spaces aside)."""
    normal = (email or "").strip().lower()
    if not normal:
        return ""
    return hashlib.sha256(f"archive-import:{normal}".encode()).hexdigest()


class ArchiveImport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        STOPPED = "stopped", _("Stopped")
        FINISHED = "finished", _("Finished")

    name = models.CharField(_("Archive name"), max_length=255)
    source = models.CharField(_("Dump file"), max_length=1000)
    stories_dir = models.CharField(_("Story files folder"), max_length=1000, blank=True)
    prefix = models.CharField(_("Table prefix"), max_length=64, default="fanfiction_")
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    stop_requested = models.BooleanField(_("Stop requested"), default=False)
    total = models.PositiveIntegerField(_("Stories in the dump"), default=0)
    done = models.PositiveIntegerField(_("Stories done"), default=0)
    batch_size = models.PositiveIntegerField(_("Stories a task"), default=50)
    placeholder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Placeholder account"),
    )
    collection = models.ForeignKey(
        Collection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Collection"),
    )
    started_at = models.DateTimeField(_("Started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("Finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("archive import")
        verbose_name_plural = _("archive imports")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.name} (#{self.pk})"


class ImportedCreator(models.Model):
    archive_import = models.ForeignKey(
        ArchiveImport,
        on_delete=models.CASCADE,
        related_name="creators",
        verbose_name=_("Archive import"),
    )
    source_id = models.IntegerField(_("Id on the old archive"))
    name = models.CharField(_("Pen name"), max_length=255)
    email_digest = models.CharField(_("Email digest"), max_length=64, blank=True, db_index=True)
    pseud = models.ForeignKey(
        "archive.Pseud",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Placeholder pseud"),
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imported_creators",
        verbose_name=_("Claimed by"),
    )
    claimed_at = models.DateTimeField(_("Claimed"), null=True, blank=True)

    class Meta:
        verbose_name = _("imported creator")
        verbose_name_plural = _("imported creators")
        ordering = ["archive_import", "source_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["archive_import", "source_id"], name="uniq_imported_creator"
            )
        ]

    def __str__(self):
        return self.name


class ImportedStory(models.Model):
    class Outcome(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        SKIPPED = "skipped", _("Skipped")

    archive_import = models.ForeignKey(
        ArchiveImport,
        on_delete=models.CASCADE,
        related_name="stories",
        verbose_name=_("Archive import"),
    )
    source_id = models.IntegerField(_("Id on the old archive"))
    title = models.CharField(_("Title"), max_length=255, blank=True)
    outcome = models.CharField(_("Outcome"), max_length=16, choices=Outcome.choices)
    reason = models.TextField(_("Why skipped"), blank=True)
    # What could not be kept as it was ("tag 'a,b' renamed 'a b'").
    notes = models.JSONField(_("Notes"), default=list, blank=True)
    work = models.ForeignKey(
        Work,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Work"),
    )
    creator = models.ForeignKey(
        ImportedCreator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("Creator"),
    )
    cocreators = models.ManyToManyField(
        ImportedCreator, blank=True, related_name="cocreated", verbose_name=_("Co-creators")
    )
    created_at = models.DateTimeField(_("Done at"), auto_now_add=True)

    class Meta:
        verbose_name = _("imported story")
        verbose_name_plural = _("imported stories")
        ordering = ["archive_import", "source_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["archive_import", "source_id"], name="uniq_imported_story"
            )
        ]

    def __str__(self):
        return f"{self.source_id}: {self.title}"


class ImportedSeries(models.Model):
    archive_import = models.ForeignKey(
        ArchiveImport,
        on_delete=models.CASCADE,
        related_name="series",
        verbose_name=_("Archive import"),
    )
    source_id = models.IntegerField(_("Id on the old archive"))
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="+", verbose_name=_("Series")
    )
    creator = models.ForeignKey(
        ImportedCreator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="series",
        verbose_name=_("Creator"),
    )

    class Meta:
        verbose_name = _("imported series")
        verbose_name_plural = _("imported series")
        constraints = [
            models.UniqueConstraint(
                fields=["archive_import", "source_id"], name="uniq_imported_series"
            )
        ]

    def __str__(self):
        return str(self.series)
