"""Importing a whole eFiction archive from its dump, on the task queue (archive/queue.py).

- `archive_import_start(path=, name=)` reads the dump once (a dump that cannot be read is
  refused before anything is saved), makes the archive's placeholder account, its
  collection and one placeholder pseud per old account (`ImportedCreator`), and enqueues the
  first batch.
- `archive_import_task(import_id=)` imports the next `batch_size` stories not done yet, in
  story id order, then enqueues the batch after it. A batch is one transaction holding the
  run's row locked, and each story is recorded (`ImportedStory`, unique per run and story
  id) in the transaction that makes its work, so a crash, a retry or a second worker never
  makes a work twice: a resumed run continues where it stopped.
- `archive_import_stop` sets the stop flag the next batch reads; `archive_import_resume`
  clears it and enqueues a batch.

Every story is posted through works/services/posting.py (work_create, chapter_add), as the
posting form would post it, so its text is rendered and sanitised by works/rendering.py like
any typed work; then the old archive's dates are put back (published: the story's date;
updated: its last update, also the date of the chapters after the first). Unclaimed works
are credited to a pseud named for the old pen name on the placeholder account
("Pen Name (<archive>_import)"), as orphaned works are to orphan_account's pseuds
(works/services/orphans.py); works/services/claims.py moves them to whoever proves the old
email address. See docs/decisions.md, "Importing an eFiction archive".
"""

import functools
import hashlib
import logging
import os
import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from archive.errors import Refused
from archive.models import Pseud
from archive.queue import enqueue, job
from works.cache import pages as page_cache
from works.importing.efiction import DEFAULT_PREFIX, EfictionArchive, EfictionStory, read_archive
from works.importing.sqldump import DumpError, decode_dump
from works.models import (
    CHAPTER_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ArchiveImport,
    Chapter,
    Collection,
    ImportedCreator,
    ImportedSeries,
    ImportedStory,
    Series,
    Work,
    email_digest,
)
from works.services import posting
from works.services.pseuds import pseud_create, pseud_name_problem
from works.services.series import series_reorder, series_update

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
PSEUD_NAME_LENGTH = 40
_NOT_IN_PSEUDS = re.compile(r"[^\w \-]+")


def archive_slug(name: str) -> str:
    """The archive's name for URLs (its collection's): "harbour-lights"; a name with no
    Latin letters or digits gets "archive-" and a digest of itself."""
    slug = slugify(name)[:200].strip("-")
    return slug or f"archive-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def placeholder_login(name: str) -> str:
    """The placeholder account's login for an archive: "<archive>_import"."""
    base = archive_slug(name).replace("-", "_")[:30].strip("_")
    return f"{base}_import"


def _read(path: str, prefix: str, stories_dir: str) -> EfictionArchive:
    try:
        stat = os.stat(path)
    except OSError:
        raise Refused(f"No dump file at {path}.", code="no_file") from None
    return _read_cached(path, stat.st_mtime_ns, stat.st_size, prefix, stories_dir)


@functools.lru_cache(maxsize=2)
def _read_cached(path, _mtime, _size, prefix, stories_dir) -> EfictionArchive:
    """The dump read once per worker process for all its batches (until the file changes)."""
    with open(path, "rb") as dump:
        text = decode_dump(dump.read())
    try:
        return read_archive(text, prefix=prefix, stories_dir=stories_dir or None)
    except DumpError as error:
        raise Refused(f"The dump could not be read: {error}.", code="bad_dump") from None


def _legal_pseud_name(penname: str, uid: int) -> str:
    name = _NOT_IN_PSEUDS.sub(" ", penname)
    name = re.sub(r"\s+", " ", name).strip(" _-")[:PSEUD_NAME_LENGTH].strip(" _-")
    return name if name and not pseud_name_problem(name) else f"author {uid}"


def _placeholder_pseud(placeholder, penname: str, uid: int) -> Pseud:
    name = _legal_pseud_name(penname, uid)
    taken = Pseud.objects.filter(user=placeholder, name__iexact=name).exists()
    if taken:
        suffix = f" {uid}"
        name = name[: PSEUD_NAME_LENGTH - len(suffix)].strip(" _-") + suffix
    return pseud_create(user=placeholder, name=name)


def _placeholder_account(name: str):
    login = placeholder_login(name)
    users = get_user_model().objects
    if users.filter(username__iexact=login).exists():
        raise Refused(
            f"The login {login} is taken: this archive was imported before (see its run with "
            "--report) or an account has that name.",
            code="taken",
        )
    account = users.create(username=login, email=f"{login}@invalid", comment_emails=False)
    account.set_unusable_password()
    account.save(update_fields=["password"])
    return account


@transaction.atomic
def archive_import_start(
    *,
    path: str,
    name: str,
    prefix: str = DEFAULT_PREFIX,
    stories_dir: str = "",
    batch_size: int = BATCH_SIZE,
) -> ArchiveImport:
    """Read the dump, prepare the run and enqueue its first batch. Refuses a dump that
    cannot be read, one without stories, and an archive name already imported."""
    name = " ".join(name.split())[:255]
    if not name:
        raise Refused("Give the archive a name (--name).", code="name")
    path = os.path.abspath(path)
    stories_dir = os.path.abspath(stories_dir) if stories_dir else ""
    archive = _read(path, prefix, stories_dir)
    if not archive.stories:
        raise Refused(f"The dump has no rows in {prefix}stories.", code="empty")
    slug = archive_slug(name)
    if Collection.objects.filter(name=slug).exists():
        raise Refused(
            f"A collection named {slug} exists already: this archive may have been imported "
            "before (see its run with --report), or choose another --name.",
            code="taken",
        )
    placeholder = _placeholder_account(name)
    collection = Collection.objects.create(
        name=slug, title=name[:TITLE_MAX_LENGTH], owner=placeholder
    )
    run = ArchiveImport.objects.create(
        name=name,
        source=path,
        stories_dir=stories_dir,
        prefix=prefix,
        total=len(archive.stories),
        batch_size=max(1, batch_size),
        placeholder=placeholder,
        collection=collection,
    )
    for author in archive.authors.values():
        ImportedCreator.objects.create(
            archive_import=run,
            source_id=author.uid,
            name=author.penname[:255],
            email_digest=email_digest(author.email),
            pseud=_placeholder_pseud(placeholder, author.penname, author.uid),
        )
    enqueue(archive_import_task, import_id=run.pk)
    return run


def archive_import_stop(*, run: ArchiveImport) -> ArchiveImport:
    """Ask the run to stop: the batch running finishes, the next one stops it."""
    if run.status == ArchiveImport.Status.FINISHED:
        raise Refused(f"Import #{run.pk} has finished: there is nothing to stop.", code="finished")
    ArchiveImport.objects.filter(pk=run.pk).update(stop_requested=True)
    run.refresh_from_db()
    return run


@transaction.atomic
def archive_import_resume(*, run: ArchiveImport) -> ArchiveImport:
    """Go on from where the run stopped (stories already done are not done again)."""
    if run.status == ArchiveImport.Status.FINISHED:
        raise Refused(
            f"Import #{run.pk} has finished: there is nothing to resume.", code="finished"
        )
    ArchiveImport.objects.filter(pk=run.pk).update(
        stop_requested=False, status=ArchiveImport.Status.QUEUED
    )
    enqueue(archive_import_task, import_id=run.pk)
    run.refresh_from_db()
    return run


@job()
def archive_import_task(*, import_id: int) -> int:
    """One batch of the run; the number of stories it did."""
    more = False
    with transaction.atomic():
        run = ArchiveImport.objects.select_for_update().filter(pk=import_id).first()
        if run is None or run.status in (ArchiveImport.Status.FINISHED,):
            return 0
        if run.stop_requested:
            run.status = ArchiveImport.Status.STOPPED
            run.save(update_fields=["status"])
            return 0
        archive = _read(run.source, run.prefix, run.stories_dir)
        done = set(run.stories.values_list("source_id", flat=True))
        todo = [story for story in archive.stories if story.sid not in done]
        batch = todo[: run.batch_size]
        for story in batch:
            _import_or_skip(run, story, archive)
        run.done = run.stories.count()
        more = len(todo) > len(batch)
        run.status = ArchiveImport.Status.RUNNING if more else ArchiveImport.Status.FINISHED
        if not more:
            run.finished_at = timezone.now()
        run.save(update_fields=["done", "status", "finished_at"])
        if more:
            enqueue(archive_import_task, import_id=run.pk)
    return len(batch)


def _record(run, story: EfictionStory, *, reason: str = "", work=None) -> ImportedStory:
    creators = {c.source_id: c for c in run.creators.all()}
    row = ImportedStory.objects.create(
        archive_import=run,
        source_id=story.sid,
        title=story.work.title[:255],
        outcome=ImportedStory.Outcome.SKIPPED if reason else ImportedStory.Outcome.IMPORTED,
        reason=reason,
        notes=list(story.work.warnings),
        work=work,
        creator=creators.get(story.uid),
    )
    row.cocreators.set([creators[uid] for uid in story.coauthor_uids if uid in creators])
    return row


def _import_or_skip(run, story: EfictionStory, archive: EfictionArchive) -> ImportedStory:
    reason = story.skip_reason or _too_long(story)
    if reason:
        return _record(run, story, reason=reason)
    try:
        with transaction.atomic():
            work = _post(run, story, archive)
            return _record(run, story, work=work)
    except Exception as error:  # one bad story must not stop the archive: it is reported
        logger.exception("import %s: story %s could not be saved", run.pk, story.sid)
        return _record(run, story, reason=f"could not be saved: {type(error).__name__}: {error}")


def _too_long(story: EfictionStory) -> str:
    for position, chapter in enumerate(story.work.chapters, start=1):
        if len(chapter.body) > CHAPTER_MAX_LENGTH:
            return f"chapter {position} is longer than {CHAPTER_MAX_LENGTH:,} characters"
    return ""


def _fit(text: str, limit: int, what: str, notes: list[str]) -> str:
    if len(text) <= limit:
        return text
    notes.append(f"{what} cut to {limit:,} characters (it had {len(text):,})")
    return text[: limit - 1].rstrip() + "…"


def _series_for(run, story: EfictionStory, archive: EfictionArchive) -> list[Series]:
    found = []
    creators = {c.source_id: c for c in run.creators.all()}
    for old in archive.series.values():
        if story.sid not in old.parts:
            continue
        link = ImportedSeries.objects.filter(archive_import=run, source_id=old.seriesid).first()
        if link is None:
            series = posting.series_create(
                creator=run.placeholder,
                title=old.title[:TITLE_MAX_LENGTH] or f"Series {old.seriesid}",
            )
            if old.summary:
                series_update(series=series, fields={"description": old.summary[:NOTES_MAX_LENGTH]})
            link = ImportedSeries.objects.create(
                archive_import=run,
                source_id=old.seriesid,
                series=series,
                creator=creators.get(old.uid),
            )
        found.append((link.series, old))
    return found


def _post(run, story: EfictionStory, archive: EfictionArchive) -> Work:
    parsed = story.work
    notes = parsed.warnings
    creator = run.creators.get(source_id=story.uid)
    first, *rest = parsed.chapters
    series = _series_for(run, story, archive)
    work = posting.work_create(
        creator=run.placeholder,
        pseud=creator.pseud,
        fields={
            "title": _fit(parsed.title, TITLE_MAX_LENGTH, "title", notes),
            "summary": _fit(parsed.summary, SUMMARY_MAX_LENGTH, "summary", notes),
            "notes": _fit(parsed.notes, NOTES_MAX_LENGTH, "notes", notes),
            "published_at": parsed.published,
            "expected_chapters": parsed.expected_chapters,
        },
        tag_names=parsed.tags,
        chapter=_chapter_fields(first, 1, notes),
        series=[s for s, _old in series],
        collections=[run.collection] if run.collection else [],
    )
    for position, chapter in enumerate(rest, start=2):
        posting.chapter_add(work=work, fields=_chapter_fields(chapter, position, notes))
    _keep_dates(work, story)
    for series_row, old in series:
        _order_series(run, series_row, old, {story.sid: work.pk})
    return work


def _chapter_fields(chapter, position: int, notes: list[str]) -> dict:
    where = f"chapter {position}"
    return {
        "title": _fit(chapter.title, TITLE_MAX_LENGTH, f"{where} title", notes),
        "body": chapter.body,
        "notes": _fit(chapter.notes, NOTES_MAX_LENGTH, f"{where} notes", notes),
        "endnotes": _fit(chapter.endnotes, NOTES_MAX_LENGTH, f"{where} end notes", notes),
    }


def _keep_dates(work: Work, story: EfictionStory) -> None:
    """The old archive's dates instead of today's: posted on the story's date, updated at
    its last update (the chapters after the first carry that date, the only one known)."""
    published = story.work.published or timezone.localdate()
    updated_at = story.updated_at or timezone.now()
    Chapter.objects.filter(work=work, position=1).update(published_at=published)
    Chapter.objects.filter(work=work, position__gt=1).update(
        published_at=story.work.updated or published
    )
    Work.objects.filter(pk=work.pk).update(published_at=published, revised_at=updated_at)
    page_cache.work_changed(work.pk)


def _order_series(run, series: Series, old, new: dict[int, int]) -> None:
    """Parts in the old series' order, among the stories imported so far (`new`: the story
    being imported, its work)."""
    rows = ImportedStory.objects.filter(
        archive_import=run, source_id__in=old.parts, work__isnull=False
    )
    work_of = {**dict(rows.values_list("source_id", "work_id")), **new}
    series_reorder(series=series, work_ids=[work_of[sid] for sid in old.parts if sid in work_of])


def report_lines(run: ArchiveImport) -> list[str]:
    """The run's report, as the command prints it: progress, then each story's outcome."""
    lines = [
        f"Import #{run.pk} of {run.name}: {run.get_status_display()}, "
        f"{run.done} of {run.total} stories done"
        + (" (stop requested)" if run.stop_requested and run.status != run.Status.STOPPED else ""),
    ]
    rows = run.stories.order_by("source_id")
    imported = [row for row in rows if row.outcome == ImportedStory.Outcome.IMPORTED]
    skipped = [row for row in rows if row.outcome == ImportedStory.Outcome.SKIPPED]
    lines.append(f"Imported: {len(imported)}")
    for row in imported:
        lines.append(f"  story {row.source_id} {row.title!r} -> work {row.work_id}")
        lines.extend(f"      note: {note}" for note in row.notes)
    lines.append(f"Skipped: {len(skipped)}")
    for row in skipped:
        lines.append(f"  story {row.source_id} {row.title!r}: {row.reason}")
    return lines
