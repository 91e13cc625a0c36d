"""Editing a work, editing only its tags, deleting it."""

import pytest
from django.urls import reverse

from tags.models import TagType
from tests.factories import make_chapter, make_work
from tests.works.test_posting_work import field_errors, input_value, textarea_value, work_data
from works.models import Chapter, Series, SeriesWork, Work
from works.services import posting as services

pytestmark = pytest.mark.django_db


def edit_data(work, **overrides):
    """The edit form as it comes filled in for `work`, with changes."""
    data = work_data(
        title=work.title,
        fandoms=", ".join(t.name for t in work.tags.filter(type=TagType.FANDOM)),
        relationships="",
        characters="",
        freeforms="",
        categories=[],
        rating="General Audiences",
        body=work.chapters.first().body,
        expected_chapters=work.expected_chapters or "",
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_edit_form_comes_filled_in(author_client, author):
    work = make_work(
        creator=author,
        title="Salt and Rope",
        summary="A rope, some salt.",
        tags={TagType.CHARACTER: ["Deckhand"], TagType.FREEFORM: ["Knots"]},
    )
    response = author_client.get(f"/works/{work.pk}/edit")
    assert response.status_code == 200
    assert input_value(response, "title") == "Salt and Rope"
    assert input_value(response, "characters") == "Deckhand"
    assert input_value(response, "freeforms") == "Knots"
    assert textarea_value(response, "summary") == "A rope, some salt."
    assert textarea_value(response, "body") == work.chapters.get().body
    html = response.content.decode()
    assert ">Update</button>" in html
    assert ">Save As Draft</button>" not in html  # a posted work is never unposted


def test_edit_changes_the_work_and_its_only_chapter(author_client, author):
    work = make_work(creator=author, title="Salt and Rope")
    response = author_client.post(
        f"/works/{work.pk}/edit",
        edit_data(work, title="Salt, Rope and Tar", body="New text.", freeforms="Tar"),
    )
    assert response["Location"] == work.get_absolute_url()
    work.refresh_from_db()
    assert work.title == "Salt, Rope and Tar"
    assert work.chapters.get().body == "New text."
    assert work.word_count == 2
    assert [t.name for t in work.tags.filter(type=TagType.FREEFORM)] == ["Tar"]


def test_edit_can_change_the_expected_chapter_count_and_completeness(author_client, author):
    work = make_work(creator=author, chapters=2, expected_chapters=None)
    assert not work.is_complete
    author_client.post(
        f"/works/{work.pk}/edit", edit_data(work, multichapter="on", expected_chapters="2")
    )
    work.refresh_from_db()
    assert work.chapters_display == "2/2"
    assert work.is_complete
    author_client.post(
        f"/works/{work.pk}/edit", edit_data(work, multichapter="on", expected_chapters="")
    )
    work.refresh_from_db()
    assert work.chapters_display == "2/?"
    assert not work.is_complete


def test_expected_count_below_existing_chapters_is_refused(author_client, author):
    work = make_work(creator=author, chapters=3)
    response = author_client.post(
        f"/works/{work.pk}/edit", edit_data(work, multichapter="on", expected_chapters="2")
    )
    assert field_errors(response, "expected_chapters") == [
        "This work already has 3 chapters; the total cannot be lower."
    ]
    response = author_client.post(f"/works/{work.pk}/edit", edit_data(work))
    assert field_errors(response, "multichapter") == [
        "This work has 3 chapters; keep this box ticked."
    ]


def test_chaptered_work_edit_leaves_chapter_text_to_the_chapter_pages(author_client, author):
    work = make_work(creator=author, chapters=2)
    response = author_client.get(f"/works/{work.pk}/edit")
    html = response.content.decode()
    assert 'name="body"' not in html
    assert f'href="/works/{work.pk}/chapters/manage"' in html
    data = edit_data(work, multichapter="on", title="Renamed")
    del data["body"]
    response = author_client.post(f"/works/{work.pk}/edit", data)
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.title == "Renamed"
    assert work.chapters.count() == 2


def test_draft_can_be_posted_from_its_edit_page(author_client, author):
    work = make_work(creator=author, post=False)
    response = author_client.get(f"/works/{work.pk}/edit")
    assert ">Post</button>" in response.content.decode()
    response = author_client.post(f"/works/{work.pk}/edit", edit_data(work))
    assert response["Location"] == work.get_absolute_url()
    work.refresh_from_db()
    assert work.posted
    assert work.chapters.get().posted


def test_draft_edit_save_as_draft_stays_a_draft(author_client, author):
    work = make_work(creator=author, post=False)
    response = author_client.post(
        f"/works/{work.pk}/edit",
        edit_data(work, title="Still Drafting", save_button="1", post_button=None),
    )
    assert response["Location"] == reverse("works:user_dashboard", args=[author.username])
    work.refresh_from_db()
    assert work.title == "Still Drafting"
    assert not work.posted


def test_edit_errors_keep_what_was_typed(author_client, author):
    work = make_work(creator=author)
    response = author_client.post(
        f"/works/{work.pk}/edit", edit_data(work, title="", summary="Changed summary")
    )
    assert field_errors(response, "title") == ["Please enter a title."]
    assert textarea_value(response, "summary") == "Changed summary"
    work.refresh_from_db()
    assert work.title.startswith("Work ")


def test_preview_of_a_posted_work_shows_changes_without_saving(author_client, author):
    work = make_work(creator=author, title="Salt and Rope")
    response = author_client.post(
        f"/works/{work.pk}/edit",
        edit_data(
            work,
            title="Salt and Tar",
            body="A brand new line.",
            series_title="Sea Stories",
            preview_button="1",
            post_button=None,
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Salt and Tar" in html and "A brand new line." in html
    assert "Your changes are not saved yet" in html
    # Nothing was saved.
    work.refresh_from_db()
    assert work.title == "Salt and Rope"
    assert "A brand new line." not in work.chapters.get().body
    assert not Series.objects.exists()
    # The form travels along: Update saves it, Edit brings it back.
    assert 'type="hidden" name="title" value="Salt and Tar"' in html
    assert 'name="edit_button"' in html
    data = edit_data(
        work, title="Salt and Tar", body="A brand new line.", series_title="Sea Stories"
    )
    back_to_form = {k: v for k, v in data.items() if k != "post_button"} | {"edit_button": "1"}
    response = author_client.post(f"/works/{work.pk}/edit", back_to_form)
    work.refresh_from_db()
    assert work.title == "Salt and Rope"
    assert input_value(response, "title") == "Salt and Tar"
    response = author_client.post(f"/works/{work.pk}/edit", data)
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.title == "Salt and Tar"
    assert SeriesWork.objects.get(work=work).series.title == "Sea Stories"


def test_backdating_a_posted_work_backdates_its_first_chapter(author_client, author):
    work = make_work(creator=author)
    author_client.post(f"/works/{work.pk}/edit", edit_data(work, published_at="2019-03-02"))
    work.refresh_from_db()
    assert str(work.published_at) == "2019-03-02"
    assert str(work.chapters.get().published_at) == "2019-03-02"


# Edit tags -------------------------------------------------------------------------------


def test_edit_tags_changes_only_the_tags(author_client, author):
    work = make_work(creator=author, title="Salt and Rope", tags={TagType.FREEFORM: ["Knots"]})
    response = author_client.get(f"/works/{work.pk}/edit_tags")
    assert input_value(response, "freeforms") == "Knots"
    assert 'name="title"' not in response.content.decode()
    response = author_client.post(
        f"/works/{work.pk}/edit_tags",
        {
            "rating": "Mature",
            "warnings": ["Creator Chose Not To Use Archive Warnings"],
            "categories": ["F/F", "Multi"],
            "fandoms": "Harbour Lights (TV), Sea Shanties",
            "relationships": "Mara/Ines",
            "characters": "Mara Quist",
            "freeforms": "Storms",
            "prompts": "Day 3: Fog",
        },
    )
    assert response["Location"] == work.get_absolute_url()
    work.refresh_from_db()
    assert work.title == "Salt and Rope"
    groups = {k: [t.name for t in v] for k, v in work.tags_by_type().items() if v}
    assert groups == {
        TagType.RATING: ["Mature"],
        TagType.WARNING: ["Creator Chose Not To Use Archive Warnings"],
        TagType.CATEGORY: ["F/F", "Multi"],
        TagType.FANDOM: ["Harbour Lights (TV)", "Sea Shanties"],
        TagType.RELATIONSHIP: ["Mara/Ines"],
        TagType.CHARACTER: ["Mara Quist"],
        TagType.FREEFORM: ["Storms"],
        TagType.PROMPT: ["Day 3: Fog"],
    }


def test_edit_tags_validates_like_the_work_form(author_client, author):
    work = make_work(creator=author, tags={TagType.FREEFORM: ["Knots"]})
    response = author_client.post(
        f"/works/{work.pk}/edit_tags",
        {"rating": "", "warnings": [], "fandoms": "", "freeforms": "Good, Bad{Tag"},
    )
    assert response.status_code == 200
    assert field_errors(response, "rating") == ["Choose a rating."]
    assert field_errors(response, "warnings") == ["Choose at least one archive warning."]
    assert field_errors(response, "fandoms") == ["Add at least one fandom."]
    assert "Tag names cannot contain {" in field_errors(response, "freeforms")[0]
    assert input_value(response, "freeforms") == "Good, Bad{Tag"
    assert [t.name for t in work.tags.filter(type=TagType.FREEFORM)] == ["Knots"]


def test_long_disambiguated_tag_survives_an_edit(author_client, author):
    name = "x" * 145
    make_work(tags={TagType.CHARACTER: [name]})
    work = make_work(creator=author, tags={TagType.FREEFORM: [name]})
    kept = work.tags.get(type=TagType.FREEFORM).name
    assert kept == f"{name} (Additional Tags)"
    data = edit_data(work, freeforms=kept)
    response = author_client.post(f"/works/{work.pk}/edit", data)
    assert response.status_code == 302
    assert work.tags.get(type=TagType.FREEFORM).name == kept


# Delete ----------------------------------------------------------------------------------


def test_delete_asks_for_confirmation_first(author_client, author):
    work = make_work(creator=author, title="Salt and Rope")
    response = author_client.get(f"/works/{work.pk}/delete")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Are you sure you want to delete" in html and "Salt and Rope" in html
    assert Work.objects.filter(pk=work.pk).exists()


def test_delete_removes_the_work_and_goes_to_the_dashboard(author_client, author):
    work = make_work(creator=author, chapters=2)
    response = author_client.post(f"/works/{work.pk}/delete")
    assert response["Location"] == reverse("works:user_dashboard", args=[author.username])
    assert not Work.objects.filter(pk=work.pk).exists()
    assert not Chapter.objects.filter(work_id=work.pk).exists()


def test_edit_and_delete_links_from_the_edit_page(author_client, author):
    work = make_work(creator=author)
    make_chapter(work)
    html = author_client.get(f"/works/{work.pk}/edit").content.decode()
    for url in ("edit_tags", "chapters/new", "chapters/manage", "delete"):
        assert f'href="/works/{work.pk}/{url}"' in html


def test_series_can_be_left_on_edit(author_client, author):
    series = services.series_create(creator=author, title="Sea Stories")
    work = make_work(creator=author)
    services.work_update(work=work, fields={}, series=[series])
    response = author_client.get(f"/works/{work.pk}/edit")
    # A work may be in several series: each one it is in can be left ("Remove from series").
    assert f'name="series_remove" value="{series.pk}"' in response.content.decode()
    author_client.post(f"/works/{work.pk}/edit", edit_data(work, series=""))
    assert SeriesWork.objects.filter(work=work).exists()
    author_client.post(f"/works/{work.pk}/edit", edit_data(work, series_remove=str(series.pk)))
    assert not SeriesWork.objects.filter(work=work).exists()


def _preview_form_fields(html):
    """The hidden fields the preview page's Update / Edit form sends back, as a browser would."""
    from html.parser import HTMLParser

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.fields = False, []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form" and attrs.get("id") == "preview-actions":
                self.inside = True
            elif tag == "input" and self.inside and attrs.get("type") == "hidden":
                self.fields.append((attrs["name"], attrs.get("value", "")))

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False

    parser = Collect()
    parser.feed(html)
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data


def test_update_from_the_preview_saves_exactly_what_was_previewed(author_client, author):
    work = make_work(creator=author, title="Salt and Rope")
    typed = edit_data(
        work,
        title='Salt & "Rope" <Tar>',
        body="Line one.\n\nLine <em>two</em> & more.",
        multichapter="on",
        expected_chapters="",
        characters="Deckhand, Bosun",
        categories=["F/F", "Other"],
        restricted="on",
        comment_permission="nobody",
        published_at="2021-07-08",
        preview_button="1",
        post_button=None,
    )
    response = author_client.post(f"/works/{work.pk}/edit", typed)
    fields = _preview_form_fields(response.content.decode())
    fields.pop("csrfmiddlewaretoken", None)
    # Edit: the filled form again, nothing saved.
    response = author_client.post(f"/works/{work.pk}/edit", {**fields, "edit_button": "1"})
    assert input_value(response, "title") == "Salt &amp; &quot;Rope&quot; &lt;Tar&gt;"
    assert input_value(response, "characters") == "Deckhand, Bosun"
    work.refresh_from_db()
    assert work.title == "Salt and Rope"
    # Update: saved as previewed.
    response = author_client.post(f"/works/{work.pk}/edit", {**fields, "post_button": "1"})
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.title == 'Salt & "Rope" <Tar>'
    assert work.chapters.get().body == "Line one.\n\nLine <em>two</em> & more."
    assert work.expected_chapters is None
    assert work.restricted and work.comment_permission == "nobody"
    assert str(work.published_at) == "2021-07-08"
    assert sorted(t.name for t in work.tags.filter(type=TagType.CATEGORY)) == ["F/F", "Other"]
    assert sorted(t.name for t in work.tags.filter(type=TagType.CHARACTER)) == [
        "Bosun",
        "Deckhand",
    ]
