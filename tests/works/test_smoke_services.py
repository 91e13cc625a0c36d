import pytest

from tags.models import TagType
from tests.factories import make_chapter, make_work

pytestmark = pytest.mark.django_db


def test_work_create_posts_first_chapter_and_counts_words():
    work = make_work(chapters=1)
    assert work.posted
    assert work.chapter_count == 1
    assert work.word_count == 8
    assert work.is_complete


def test_chapters_stat_shows_unknown_total_as_question_mark():
    work = make_work(expected_chapters=None)
    make_chapter(work)
    work.refresh_from_db()
    assert work.chapters_display == "2/?"
    assert not work.is_complete


def test_set_tags_disambiguates_cross_type_name():
    first = make_work(tags={TagType.CHARACTER: ["Spock"]})
    second = make_work(tags={TagType.RELATIONSHIP: ["Spock"]})
    assert [t.name for t in first.tags.filter(type=TagType.CHARACTER)] == ["Spock"]
    assert [t.name for t in second.tags.filter(type=TagType.RELATIONSHIP)] == [
        "Spock (Relationship)"
    ]
