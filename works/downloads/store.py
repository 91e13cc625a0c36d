"""Files built once per version of a work and served from storage.

`stored(work, extension)` answers the stored file for the work's current version, or None;
`build_download(work_id, extension)` builds it (idempotent: a file already there is kept);
`enqueue_build()` starts a build outside the request. At most ARCHIVE_DOWNLOAD_BUILDS builds
run at once in a process, and one build per file at a time across processes (a cache lock),
so a crowd asking for a 500,000-word work makes one build, not hundreds.
"""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import close_old_connections

from works.downloads.convert import convert
from works.downloads.document import build_document, version
from works.downloads.epub import write_epub
from works.downloads.formats import FORMATS
from works.models import Work

log = logging.getLogger(__name__)
LOCK_SECONDS = 15 * 60


@dataclass(frozen=True)
class Stored:
    path: str
    name: str  # the file name readers get: "The_Quiet_Harbour.epub"


def storage():
    return storages["downloads"]


def _path(work: Work, extension: str, work_version: str, name: str) -> str:
    return f"{work.pk}/{work_version}/{name}.{extension}"


def locate(work: Work, extension: str) -> Stored:
    document = build_document(work)
    path = _path(work, extension, version(document), document.name)
    return Stored(path=path, name=f"{document.name}.{extension}")


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
    work = Work.objects.posted().select_related("stats").filter(pk=work_id).first()
    if work is None:
        return None
    place = locate(work, extension)
    if storage().exists(place.path):
        return place
    content = _content(work, extension)
    if not storage().exists(place.path):
        storage().save(place.path, ContentFile(content))
    return place


_pool = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=settings.ARCHIVE_DOWNLOAD_BUILDS, thread_name_prefix="download"
            )
        return _pool


def _run(work_id: int, extension: str, lock: str) -> None:
    try:
        build_download(work_id, extension)
    except Exception:
        log.exception("Building the %s download of work %s failed", extension, work_id)
    finally:
        cache.delete(lock)
        close_old_connections()


def enqueue_build(work: Work, extension: str) -> None:
    """Start building the file outside the request, unless a build of it is under way."""
    place = locate(work, extension)
    lock = f"download-build:{place.path}"
    if cache.add(lock, 1, LOCK_SECONDS):
        _executor().submit(_run, work.pk, extension, lock)
