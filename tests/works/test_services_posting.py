"""The posting services: one transaction per write, derived counts kept current."""

import pytest

from archive.errors import Refused
from tags.models import TagType
from tests.factories import make_chapter, make_user, make_work
from works.models import Chapter, Series, SeriesWork, Work
from works.services import posting as services

pytestmark = pytest.mark.django_db

TAGS = {
    TagType.RATING: ["General Audiences"],
    TagType.WARNING: ["No Archive Warnings Apply"],
    TagType.FANDOM: ["Quiet Harbours"],
}


def test_work_create_with_a_new_series_title(author):
    work = services.work_create(
        creator=author,
        fields={"title": "First Light"},
        tag_names=TAGS,
        chapter={"body": "Dawn."},
        series_title="Harbour Mornings",
    )
    series = Series.objects.get()
    assert series.title == "Harbour Mornings"
    assert list(series.creators.all()) == [author]
    assert SeriesWork.objects.get().work == work


def test_work_create_is_all_or_nothing(author, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "work_set_series", broken)
    with pytest.raises(RuntimeError):
        services.work_create(
            creator=author,
            fields={"title": "First Light"},
            tag_names=TAGS,
            chapter={"body": "Dawn."},
            series_title="Harbour Mornings",
        )
    assert not Work.objects.exists()
    assert not Chapter.objects.exists()
    assert not Series.objects.exists()


def test_work_update_is_all_or_nothing(author, monkeypatch):
    work = make_work(creator=author, title="Before")

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "work_set_collections", broken)
    with pytest.raises(RuntimeError):
        services.work_update(
            work=work,
            fields={"title": "After"},
            chapter={"body": "Changed."},
            tag_names={**TAGS, TagType.FREEFORM: ["New Tag"]},
            collections=[],
        )
    work.refresh_from_db()
    assert work.title == "Before"
    assert work.chapters.get().body != "Changed."
    assert not work.tags.filter(type=TagType.FREEFORM).exists()


def test_work_update_can_post_a_draft(author):
    work = make_work(creator=author, post=False)
    services.work_update(work=work, fields={"title": "Now Posted"}, post=True)
    work.refresh_from_db()
    assert work.posted and work.published_at and work.chapter_count == 1


def test_chapter_add_can_set_the_expected_total(author):
    work = make_work(creator=author, expected_chapters=None)
    services.chapter_add(work=work, fields={"body": "Two."}, expected_chapters=2)
    work.refresh_from_db()
    assert work.chapters_display == "2/2"
    assert work.is_complete


def test_chapter_update_posts_a_draft_chapter(author):
    work = make_work(creator=author, expected_chapters=2)
    draft = make_chapter(work, post=False)
    work.refresh_from_db()
    assert not work.is_complete
    services.chapter_update(chapter=draft, fields={}, post=True)
    work.refresh_from_db()
    draft.refresh_from_db()
    assert draft.posted and draft.published_at
    assert work.is_complete


def test_chapter_delete_refuses_the_only_chapter(author):
    work = make_work(creator=author)
    with pytest.raises(Refused):
        services.chapter_delete(chapter=work.chapters.get())
    assert work.chapters.count() == 1


def test_chapter_delete_renumbers_and_recounts(author):
    work = make_work(creator=author, chapters=3)
    services.chapter_delete(chapter=work.chapters.get(position=1))
    work.refresh_from_db()
    assert list(work.chapters.values_list("position", flat=True)) == [1, 2]
    assert work.chapter_count == 2


def test_chapters_reorder(author):
    work = make_work(creator=author, chapters=3)
    a, b, c = work.chapters.order_by("position")
    services.chapters_reorder(work=work, chapter_ids=[c.pk, a.pk, b.pk])
    assert list(work.chapters.order_by("position").values_list("pk", flat=True)) == [
        c.pk,
        a.pk,
        b.pk,
    ]


def test_series_of_someone_else_is_not_reused_by_title(author):
    services.series_create(creator=make_user(), title="Harbour Mornings")
    services.work_create(
        creator=author,
        fields={"title": "First Light"},
        tag_names=TAGS,
        chapter={"body": "Dawn."},
        series_title="Harbour Mornings",
    )
    assert Series.objects.filter(creators=author).count() == 1
    assert Series.objects.count() == 2
