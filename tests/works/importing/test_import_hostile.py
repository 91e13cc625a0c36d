"""Hostile input through the importers (tests/security): every corpus case, put unescaped
into the chapter text, summaries, notes, end notes, title, a tag and the byline of an
AO3-style HTML download and of an EPUB, comes out of the import as harmless as the renderers
make it (check_xss.py --strict), and imported works' pages show nothing that could run."""

import json
from collections import Counter

import pytest
from django.utils.html import escape

from tests.factories import make_user
from tests.security import CORPUS_SIZE, check_xss, corpus_inputs
from tests.works.importing.hostile import HostileChapter, HostileWork, epub_file, html_file
from works.importing import ao3_epub, ao3_html
from works.importing.parsed import SourceUnreadable
from works.importing.tag_names import import_tag_names
from works.models import Chapter, Work
from works.services.imports import import_uploads

pytestmark = pytest.mark.django_db


def _hostile_work(text: str, chapters: int = 1) -> HostileWork:
    return HostileWork(
        title=text[:200],
        tag=text[:100],
        creator=text[:100],
        source_url=text,
        summary=text[:1200],
        notes=text[:4900],
        endnotes=text[:4900],
        chapters=[
            HostileChapter(
                body=f"<p>Case text follows.</p>\n{text}",
                title=text[:200],
                summary=text[:1200],
                notes=text[:4900],
                endnotes=text[:4900],
            )
            for _ in range(chapters)
        ],
    )


def _shown(parse, data: bytes) -> str:
    """What a work page would show of the imported work: its rendered fields as they are
    (marked safe in templates), and its title, tags and credit escaped."""
    try:
        parsed = parse(data)
    except SourceUnreadable:
        return ""  # refused as a whole: nothing is shown
    work = Work(
        title=parsed.title,
        summary=parsed.summary,
        notes=parsed.notes,
        endnotes=parsed.endnotes,
        imported_creator=", ".join(parsed.creators),
    )
    work.render_text()
    parts = [work.summary_html, work.notes_html, work.endnotes_html, escape(work.title)]
    parts.append(escape(work.imported_creator))
    for names in import_tag_names(parsed).values():
        parts += [escape(name) for name in names]
    for source in parsed.chapters:
        chapter = Chapter(
            body=source.body,
            title=source.title,
            summary=source.summary,
            notes=source.notes,
            endnotes=source.endnotes,
        )
        chapter.render_text()
        parts += [
            chapter.body_html,
            chapter.summary_html,
            chapter.notes_html,
            chapter.endnotes_html,
            escape(chapter.title),
        ]
    return "\n".join(parts)


def import_html_shown(text: str) -> str:
    return _shown(ao3_html.parse, html_file(_hostile_work(text)))


def import_epub_shown(text: str) -> str:
    return _shown(ao3_epub.parse, epub_file(_hostile_work(text)))


@pytest.mark.parametrize("renderer", ["import_html_shown", "import_epub_shown"])
def test_importers_pass_the_xss_corpus(renderer, tmp_path):
    report_path = tmp_path / "xss.json"
    status = check_xss.main(
        [
            f"tests.works.importing.test_import_hostile:{renderer}",
            "--strict",
            "--json",
            str(report_path),
        ]
    )
    report = json.loads(report_path.read_text(encoding="utf-8"))
    failures = {
        r["id"]: (r["problems"] + r["warnings"], r["output"][:200])
        for r in report["results"]
        if not r["passed"]
    }
    assert status == 0 and not failures, failures
    assert report["passed"] == len(report["results"]) == CORPUS_SIZE


def test_the_corpus_check_would_catch_an_importer_that_kept_markup(tmp_path):
    """The same check over the parser's output before rendering fails: the corpus does
    reach the imported text."""
    report_path = tmp_path / "xss.json"
    status = check_xss.main(
        [
            "tests.works.importing.test_import_hostile:unsanitised",
            "--json",
            str(report_path),
        ]
    )
    assert status == 1
    assert json.loads(report_path.read_text(encoding="utf-8"))["failed"] > 300


def unsanitised(text: str) -> str:
    parsed = ao3_html.parse(html_file(_hostile_work(text)))
    return "\n".join(c.body for c in parsed.chapters)


CHUNK = 5


@pytest.mark.parametrize(("fmt", "build"), [("html", html_file), ("epub", epub_file)])
def test_imported_hostile_works_render_harmless_pages(client, fmt, build):
    """Each case in its own chapter of imported works (as the original creator's, so the
    credit line is shown), every page read in full: the only script-capable markup on them
    is the page's own (its forms), the same as on a harmless imported work's."""
    user = make_user()
    cases = corpus_inputs()

    def page_problems(work):
        url = f"/works/{work.pk}?view_full_work=true&view_adult=true"
        page = client.get(url).content.decode()
        # The body: the head holds the page's own meta and links, and the title as escaped
        # text (which the strict check would flag as it flags "<script" in any <title>).
        body = "<body" + page.split("<body", 1)[1]
        return check_xss.inspect_html(body)

    def chunk_work(texts):
        work = _hostile_work(texts[0], chapters=0)
        work.chapters = [
            HostileChapter(
                body=f"<p>Case {i}.</p>\n{text}",
                summary=text[:1200],
                notes=text[:4900],
                endnotes=text[:4900],
            )
            for i, text in enumerate(texts)
        ]
        return work

    harmless = chunk_work(["<p>Plain words.</p>"] * CHUNK)
    [baseline] = import_uploads(
        [(f"plain.{fmt}", build(harmless))], user=user, post=True, as_imported=True
    )
    expected_problems, expected_warnings = page_problems(baseline.work)
    assert expected_warnings == []
    files = [
        (f"hostile{start}.{fmt}", build(chunk_work(cases[start : start + CHUNK])))
        for start in range(0, len(cases), CHUNK)
    ]
    outcomes = import_uploads(files, user=user, post=True, as_imported=True)
    imported = [o for o in outcomes if o.work is not None]
    refused = [o for o in outcomes if o.work is None]
    # A case that swallows what follows it (an unclosed comment or <textarea>) can leave a
    # chapter without text or a summary too long: that file is refused with a reason, and
    # nothing of it is saved.
    assert all(o.error for o in refused)
    assert Work.objects.filter(work_creators__user=user).count() == len(imported) + 1
    assert len(imported) > len(files) // 2
    page_own = {"element <form>"}  # kudos, comments, subscribe
    for outcome in imported:
        problems, warnings = page_problems(outcome.work)
        if outcome.work.chapter_count == CHUNK:
            assert Counter(problems) == Counter(expected_problems), outcome.name
        assert set(problems) <= page_own and warnings == [], (outcome.name, problems, warnings)
