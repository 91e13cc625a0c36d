"""`manage.py rerender` upgrades rows saved by an older renderer."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import make_work
from works.models import Chapter, Collection, Series, Work
from works.rendering import RENDER_VERSION

pytestmark = pytest.mark.django_db

STALE = '<p><a href="javascript:alert(1)">old, unsafe output</a></p>'


def rerender(*args):
    out = StringIO()
    call_command("rerender", *args, stdout=out)
    return out.getvalue()


def test_rerender_fixes_stale_html_and_bumps_the_version(author):
    work = make_work(creator=author, chapters=2, summary="A *bold* summary.")
    first, second = work.chapters.order_by("position")
    Work.objects.filter(pk=work.pk).update(summary_html=STALE, render_version=0)
    Chapter.objects.filter(pk=first.pk).update(body_html=STALE, render_version=0, word_count=99)
    series = Series.objects.create(title="S", description="Series **notes**")
    Series.objects.filter(pk=series.pk).update(description_html=STALE, render_version=0)
    collection = Collection.objects.create(name="c", title="C", owner=author, rules="Be kind.")
    Collection.objects.filter(pk=collection.pk).update(rules_html=STALE, render_version=0)
    Work.objects.filter(pk=work.pk).update(word_count=500)

    output = rerender("--batch-size", "1")

    assert "Upgraded 4 rows" in output
    work.refresh_from_db()
    first.refresh_from_db()
    series.refresh_from_db()
    collection.refresh_from_db()
    assert work.summary_html == "<p>A <em>bold</em> summary.</p>"
    assert first.body_html == f"<p>{first.body}</p>"
    assert series.description_html == "<p>Series <strong>notes</strong></p>"
    assert collection.rules_html == "<p>Be kind.</p>"
    for row in (work, first, series, collection):
        assert row.render_version == RENDER_VERSION
    # The chapter's word count is derived again, and the work's total follows it.
    assert first.word_count == 8
    assert work.word_count == first.word_count + second.word_count


def test_rerender_leaves_current_rows_alone_unless_asked_for_all(author):
    work = make_work(creator=author)
    chapter = work.chapters.get()
    Chapter.objects.filter(pk=chapter.pk).update(body_html=STALE)

    assert "Upgraded 0 rows" in rerender()
    chapter.refresh_from_db()
    assert chapter.body_html == STALE

    assert "Upgraded 2 rows" in rerender("--all")
    chapter.refresh_from_db()
    assert chapter.body_html == f"<p>{chapter.body}</p>"


def test_rerender_does_not_touch_updated_dates(author):
    work = make_work(creator=author)
    before = Work.objects.values_list("updated_at", "revised_at").get(pk=work.pk)
    Work.objects.filter(pk=work.pk).update(render_version=0)
    rerender()
    assert Work.objects.values_list("updated_at", "revised_at").get(pk=work.pk) == before
