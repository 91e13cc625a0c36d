"""Downloads built around hostile text, for the import tests: AO3's HTML layout and an EPUB
of it, with the text put in as it is (unescaped) wherever author text goes, and in the
title, a tag, the byline and the source link."""

import html
import io
import zipfile
from dataclasses import dataclass, field


@dataclass
class HostileChapter:
    body: str
    title: str = ""
    summary: str = ""
    notes: str = ""
    endnotes: str = ""


@dataclass
class HostileWork:
    title: str
    chapters: list[HostileChapter]
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    tag: str = "Hostile Input"
    creator: str = "tester"
    source_url: str = "https://example.org/works/1"
    extra: dict = field(default_factory=dict)


def _preface(work: HostileWork) -> str:
    href = work.source_url.replace('"', "&quot;")
    count = len(work.chapters)
    return f"""<div id="preface">
  <h2 class="toc-heading">Preface</h2>
  <p class="message"><b>{work.title}</b><br />Posted originally on the
    <a href="https://example.org/">Example</a> at <a href="{href}">{work.source_url}</a>.</p>
  <div class="meta">
    <dl class="tags">
      <dt>Rating:</dt><dd><a href="/tags/1">General Audiences</a></dd>
      <dt>Archive Warning:</dt><dd><a href="/tags/2">No Archive Warnings Apply</a></dd>
      <dt>Fandom:</dt><dd><a href="/tags/3">Security Testing</a></dd>
      <dt>Additional Tags:</dt><dd><a href="/tags/4">{work.tag}</a></dd>
      <dt>Language:</dt><dd>English</dd>
      <dt>Stats:</dt><dd>Published: 2020-01-01 Words: 1 Chapters: {count}/{count}</dd>
    </dl>
    <h1>{work.title}</h1>
    <div class="byline">by <a rel="author" href="/users/x">{work.creator}</a></div>
    <p>Summary</p>
    <blockquote class="userstuff">{work.summary}</blockquote>
    <p>Notes</p>
    <blockquote class="userstuff">{work.notes}</blockquote>
  </div>
</div>"""


def _chapter(number: int, chapter: HostileChapter) -> str:
    return f"""<div class="meta group">
  <h2 class="heading">Chapter {number}: {chapter.title}</h2>
  <p>Chapter Summary</p>
  <blockquote class="userstuff">{chapter.summary}</blockquote>
  <p>Chapter Notes</p>
  <blockquote class="userstuff">{chapter.notes}</blockquote>
</div>
<div class="userstuff">
{chapter.body}
</div>
<div class="meta" id="endnotes{number}">
  <p>Chapter End Notes</p>
  <blockquote class="userstuff">{chapter.endnotes}</blockquote>
</div>"""


def _afterword(work: HostileWork) -> str:
    return f"""<div id="afterword">
  <div class="meta"><div id="endnotes"><p>End Notes</p>
    <blockquote class="userstuff">{work.endnotes}</blockquote></div></div>
</div>"""


def _page(body: str) -> str:
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8" /><title>t</title></head><body>
{body}
</body></html>"""


def html_file(work: HostileWork) -> bytes:
    chapters = "\n".join(_chapter(n, c) for n, c in enumerate(work.chapters, start=1))
    body = f'{_preface(work)}\n<div id="chapters" class="userstuff">\n{chapters}\n</div>\n'
    return _page(body + _afterword(work)).encode("utf-8")


_OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator>
    <dc:language>en</dc:language><dc:identifier id="id">hostile</dc:identifier>
  </metadata>
  <manifest>{items}</manifest>
  <spine>{refs}</spine>
</package>"""
_CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles></container>"""


def epub_file(work: HostileWork) -> bytes:
    """The same pages as Calibre splits them: preface, one page per chapter, afterword."""
    pages = [_page(_preface(work))]
    pages += [
        _page(f'<div id="chapters" class="userstuff">{_chapter(n, c)}</div>')
        for n, c in enumerate(work.chapters, start=1)
    ]
    pages.append(_page(_afterword(work)))
    items = "".join(
        f'<item id="p{i}" href="page{i}.xhtml" media-type="application/xhtml+xml"/>'
        for i in range(len(pages))
    )
    refs = "".join(f'<itemref idref="p{i}"/>' for i in range(len(pages)))
    opf = _OPF.format(
        title=html.escape(work.title), creator=html.escape(work.creator), items=items, refs=refs
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", _CONTAINER)
        book.writestr("content.opf", opf)
        for i, page in enumerate(pages):
            book.writestr(f"page{i}.xhtml", page)
    return out.getvalue()
