"""What the import tests share: downloads of a work as this archive makes them, AO3-style
fixture files, and a work's fields as a reader sees them (to compare two works)."""

import io
import zipfile
from pathlib import Path

from tags.models import TagType
from works.downloads.document import build_document
from works.downloads.epub import write_epub
from works.models import Work
from works.models.bylines import creators_with_bylines

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def html_download(work: Work) -> bytes:
    """The HTML file the Download menu gives."""
    work = Work.objects.prefetch_related(creators_with_bylines()).get(pk=work.pk)
    return build_document(work).render("works/work_download.html").encode()


def epub_download(work: Work) -> bytes:
    """The EPUB file the Download menu gives."""
    work = Work.objects.prefetch_related(creators_with_bylines()).get(pk=work.pk)
    return write_epub(build_document(work))


def fixture_epub(folder: str) -> bytes:
    """An EPUB zipped from a fixture folder (mimetype first and stored, as the format asks)."""
    root = FIXTURES / folder
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("mimetype", (root / "mimetype").read_bytes(), zipfile.ZIP_STORED)
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.name != "mimetype":
                book.write(path, path.relative_to(root).as_posix(), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _html(value: str) -> str:
    # A no-break space written as an entity comes back as the character itself.
    return value.replace("&nbsp;", "\xa0")


def reader_fields(work: Work) -> dict:
    """Everything a reader sees of a work, field by field (rendered text, tags of every
    type, series with positions, collections, dates, counts, chapters)."""
    work = Work.objects.get(pk=work.pk)
    return {
        "title": work.title,
        "summary": _html(work.summary_html),
        "notes": _html(work.notes_html),
        "endnotes": _html(work.endnotes_html),
        "language": work.language,
        "tags": {
            tag_type: sorted(t.name for t in work.tags.all() if t.type == tag_type)
            for tag_type in TagType
        },
        "series": sorted(
            (sw.series.title, sw.position) for sw in work.series_works.select_related("series")
        ),
        "collections": sorted(i.collection.name for i in work.collection_items.all()),
        "published": work.published_at,
        "updated": work.revised_at.date() if work.revised_at else None,
        "expected_chapters": work.expected_chapters,
        "chapter_count": work.chapter_count,
        "is_complete": work.is_complete,
        "words": work.word_count,
        "chapters": [
            {
                "position": c.position,
                "title": c.title,
                "summary": _html(c.summary_html),
                "notes": _html(c.notes_html),
                "endnotes": _html(c.endnotes_html),
                "body": _html(c.body_html),
                "words": c.word_count,
                "published": c.published_at,
                "posted": c.posted,
            }
            for c in work.chapters.order_by("position")
        ],
    }
