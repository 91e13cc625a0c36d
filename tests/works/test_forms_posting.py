"""The posting forms on their own: they validate and never write."""

import pytest

from tags.models import Tag, TagType
from tests.works.test_posting_work import work_data
from works.forms.chapters import ChapterOrderForm
from works.forms.fields import form_action
from works.forms.work_tags import WorkTagsForm
from works.forms.works import WorkForm
from works.models import Work

pytestmark = pytest.mark.django_db


def test_valid_form_cleans_to_service_arguments(author):
    form = WorkForm(work_data(multichapter="on", expected_chapters="4"), user=author)
    assert form.is_valid(), form.errors
    names = form.tag_names()
    assert names[TagType.RATING] == ["Teen And Up Audiences"]
    assert names[TagType.CHARACTER] == ["Mara Quist", "Ines Dovel"]
    assert form.work_fields()["expected_chapters"] == 4
    assert form.chapter_fields()["body"].startswith("The lamp")
    assert not Tag.objects.filter(name="Mara Quist").exists()  # validating writes nothing
    assert not Work.objects.exists()


def test_tag_names_are_split_on_commas_only_and_deduplicated(author):
    form = WorkForm(work_data(freeforms="Slow Burn,  slow burn , Found  Family,,"), user=author)
    assert form.is_valid(), form.errors
    assert form.tag_names()[TagType.FREEFORM] == ["Slow Burn", "Found Family"]


def test_every_bad_tag_name_gets_its_own_message(author):
    form = WorkTagsForm(
        {
            "rating": "Mature",
            "warnings": ["No Archive Warnings Apply"],
            "fandoms": "Good, Bad<one>, Worse%",
        }
    )
    assert not form.is_valid()
    assert len(form.errors["fandoms"]) == 2


def test_tag_limit_error_sits_on_the_fullest_field(author):
    form = WorkForm(
        work_data(freeforms=", ".join(f"Tag {n}" for n in range(80)), characters=""), user=author
    )
    assert not form.is_valid()
    assert "the limit is 75 in total" in form.errors["freeforms"][0]


def test_line_breaks_are_normalised(author):
    form = WorkForm(work_data(body="one\r\ntwo\rthree"), user=author)
    assert form.is_valid(), form.errors
    assert form.chapter_fields()["body"] == "one\ntwo\nthree"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"post_button": "1"}, "post_button"),
        ({"save_button": "1"}, "save_button"),
        ({"preview_button": "1"}, "preview_button"),
        ({"edit_button": "1"}, "edit_button"),
        ({}, "preview_button"),  # no button: nothing is published
    ],
)
def test_form_action(data, expected):
    assert form_action(data) == expected


def test_chapter_order_ties_keep_the_old_order():
    class C:
        def __init__(self, pk, position):
            self.pk, self.position, self.full_title = pk, position, f"Chapter {position}"

    chapters = [C(10, 1), C(11, 2), C(12, 3)]
    form = ChapterOrderForm(
        {"position_10": "2", "position_11": "2", "position_12": "1"}, chapters=chapters
    )
    assert form.is_valid()
    assert form.chapter_ids() == [12, 10, 11]
