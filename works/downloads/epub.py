"""The EPUB 3 file, written with EbookLib: a preface, one page per chapter, an afterword, a
table of contents by chapter (nav and NCX), and the work's metadata in the OPF."""

import io

from django.utils import translation
from django.utils.html import strip_tags
from ebooklib import epub

from archive.site import site_url
from tags.models import TagType
from works.downloads.document import Document
from works.rendering import ebook_xhtml

STYLE = """body { font-family: serif; line-height: 1.5; margin: 0 5%; }
h1, h2, .byline { text-align: center; }
dl.tags dt { font-weight: bold; }
dl.tags dd { margin: 0 0 0.4em 1em; }
.message { font-size: 0.9em; }
blockquote { margin: 0.5em 1.5em; }
table { border-collapse: collapse; }
td, th { border: 1px solid #999; padding: 0.2em 0.4em; }
.center { text-align: center; }
.big { font-size: larger; }
"""


def _page(document: Document, template: str, file_name: str, title: str, **extra):
    body = ebook_xhtml(document.render(template, **extra), base_url=site_url("/"))
    page = epub.EpubHtml(title=title, file_name=file_name, lang=document.work.language)
    page.content = f"<html><head><title></title></head><body>{body}</body></html>"
    page.add_link(href="style.css", rel="stylesheet", type="text/css")
    return page


def chapter_title(chapter, oneshot: bool, work_title: str) -> str:
    if oneshot:
        return work_title
    label = translation.gettext("Chapter %(number)s") % {"number": chapter.position}
    return f"{label}: {chapter.title}" if chapter.title else label


def write_epub(document: Document) -> bytes:
    work, context = document.work, document.context
    book = epub.EpubBook()
    book.set_identifier(site_url(work.get_absolute_url()))
    book.set_title(work.title)
    book.set_language(work.language)
    for name in document.creators:
        book.add_author(name)
    book.add_metadata("DC", "publisher", translation.gettext("Fanfiction Archive"))
    book.add_metadata("DC", "source", site_url(work.get_absolute_url()))
    if work.published_at:
        book.add_metadata("DC", "date", work.published_at.isoformat())
    summary = strip_tags(work.summary_html or "").strip()
    if summary:
        book.add_metadata("DC", "description", summary)
    for group in context["tag_groups"]:
        for tag in group["tags"]:
            book.add_metadata("DC", "subject", tag.name)
    for index, entry in enumerate(context["series_entries"], start=1):
        ref = f"series-{index}"
        book.add_metadata(
            None, "meta", entry["series"].title, {"property": "belongs-to-collection", "id": ref}
        )
        book.add_metadata(
            None, "meta", "series", {"property": "collection-type", "refines": f"#{ref}"}
        )
        book.add_metadata(
            None,
            "meta",
            str(entry["position"]),
            {"property": "group-position", "refines": f"#{ref}"},
        )
    fandoms = [t.name for g in context["tag_groups"] for t in g["tags"] if t.type == TagType.FANDOM]
    if fandoms:
        book.add_metadata("DC", "coverage", ", ".join(fandoms))

    style = epub.EpubItem(
        uid="style", file_name="style.css", media_type="text/css", content=STYLE.encode()
    )
    book.add_item(style)
    with translation.override("en"):
        preface_title = translation.gettext("Preface")
        afterword_title = translation.gettext("Afterword")
    preface = _page(document, "works/download/_preface.html", "preface.xhtml", preface_title)
    pages = [preface]
    toc = [epub.Link("preface.xhtml", preface_title, "preface")]
    for chapter in document.chapters:
        title = chapter_title(chapter, context["oneshot"], work.title)
        name = f"chapter_{chapter.position}.xhtml"
        pages.append(_page(document, "works/download/_chapter.html", name, title, chapter=chapter))
        toc.append(epub.Link(name, title, f"chapter-{chapter.position}"))
    afterword = _page(
        document, "works/download/_afterword.html", "afterword.xhtml", afterword_title
    )
    pages.append(afterword)
    toc.append(epub.Link("afterword.xhtml", afterword_title, "afterword"))
    for page in pages:
        book.add_item(page)
    book.toc = toc
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *pages]
    out = io.BytesIO()
    epub.write_epub(out, book, {"epub3_pages": False})
    return out.getvalue()
