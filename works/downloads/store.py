"""Files built once per version of a work and served from storage.

`stored(work, extension)` answers the stored file for the work's current version, or None;
`build_download(work_id, extension)` builds it (idempotent: a file already there is kept);
`enqueue_build()` has a task-queue worker build it (archive/queue.py). At most
ARCHIVE_DOWNLOAD_BUILDS builds run at once across every worker (slots in the shared cache),
and one build per file at a time (a cache lock), so a crowd asking for a 500,000-word work
makes one build, not hundreds.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from archive.queue import can_wait, enqueue, enqueue_later, job
from works.cache import pages as page_cache
from works.downloads.convert import convert
from works.downloads.document import build_document, version
from works.downloads.epub import write_epub
from works.downloads.formats import FORMATS
from works.models import Work
from works.models.bylines import creators_with_bylines

LOCK_SECONDS = 15 * 60
FINGERPRINT_SECONDS = 24 * 60 * 60
SLOT_WAIT_SECONDS = 5


@dataclass(frozen=True)
class Stored:
    path: str
    name: str  # the file name readers get: "The_Quiet_Harbour.epub"


def storage():
    return storages["downloads"]


def _path(work: Work, extension: str, work_version: str, name: str) -> str:
    return f"{work.pk}/{work_version}/{name}.{extension}"


def _fingerprint(work: Work) -> tuple[str, str]:
    """(version, file name) of the work's files. Computing the version reads the work, its
    chapters, tags, creators, series and collections; it is kept in the cache under the
    guest page cache's versions (works.cache.pages), which move whenever any of those
    change, so serving a stored file costs one cache read."""
    key = f"download-place:{work.pk}"
    found, versions = page_cache.read_with_versions([work.pk], keys=[key])
    current = versions[work.pk]
    entry = found.get(key)
    if entry and tuple(entry[:2]) == tuple(current):
        return entry[2], entry[3]
    document = build_document(work)
    fingerprint = version(document)
    cache.set(key, (*current, fingerprint, document.name), FINGERPRINT_SECONDS)
    return fingerprint, document.name


def locate(work: Work, extension: str) -> Stored:
    fingerprint, name = _fingerprint(work)
    return Stored(path=_path(work, extension, fingerprint, name), name=f"{name}.{extension}")


def stored(work: Work, extension: str) -> Stored | None:
    place = locate(work, extension)
    return place if storage().exists(place.path) else None


def _content(work: Work, extension: str) -> bytes:
    document = build_document(work)
    if extension == "html":
        return document.render("works/work_download.html").encode()
    if extension == "epub":
        return write_epub(document)
    epub = stored(work, "epub") or build_download(work.pk, "epub")
    with storage().open(epub.path, "rb") as source:
        return convert(source.read(), extension)


def build_download(work_id: int, extension: str) -> Stored | None:
    """Build and store the file of the work's current version (nothing if it is stored)."""
    if extension not in FORMATS:
        raise ValueError(f"unknown download format {extension!r}")
    work = (
        Work.objects.posted()
        .select_related("stats")
        .prefetch_related(creators_with_bylines())
        .filter(pk=work_id)
        .first()
    )
    if work is None:
        return None
    place = locate(work, extension)
    if storage().exists(place.path):
        return place
    content = _content(work, extension)
    if not storage().exists(place.path):
        storage().save(place.path, ContentFile(content))
    return place


def _take_slot(name: str) -> str | None:
    """One of the ARCHIVE_DOWNLOAD_BUILDS build slots (shared by every process through the
    cache), or None when all are taken."""
    for slot in range(settings.ARCHIVE_DOWNLOAD_BUILDS):
        key = f"download-slot:{slot}"
        if cache.add(key, name, LOCK_SECONDS):
            return key
    return None


@job()
def build_download_task(work_id: int, extension: str, lock: str) -> None:
    """The build on a worker: waits for a free slot (enqueued again a few seconds later),
    builds, and lets the next request for the same file start a build again."""
    slot = _take_slot(lock)
    if slot is None and can_wait():
        enqueue_later(build_download_task, SLOT_WAIT_SECONDS, work_id, extension, lock)
        return
    try:
        build_download(work_id, extension)
    finally:
        if slot is not None:
            cache.delete(slot)
        cache.delete(lock)


def enqueue_build(work: Work, extension: str) -> None:
    """Have a worker build the file, unless a build of it is already queued or running."""
    place = locate(work, extension)
    lock = f"download-build:{place.path}"
    if cache.add(lock, 1, LOCK_SECONDS):
        enqueue(build_download_task, work.pk, extension, lock)
