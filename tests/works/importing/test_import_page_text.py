"""Story text on the import page (a .txt file or pasted text, FanFiction.Net style): nothing is
imported at once; the page shows what was understood as a form (title, summary, notes,
chapters) with the importer's guesses, the author corrects it and imports it with the
choices made. The review keeps its state in the form, so a refusal loses nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.works.importing.helpers import FIXTURES
from tests.works.markup import parse, select, select_one, text
from works.models import Work

pytestmark = pytest.mark.django_db

LIGHTHOUSE = (FIXTURES / "ffn_lighthouse.txt").read_text(encoding="utf-8")


def _review_page(client, **data):
    data = {"post": "post", "credit": "own", **data}
    response = client.post("/works/import", data)
    assert response.status_code == 200
    return parse(response.content)


def _form_data(page):
    """What the browser would send back from the review form, as shown."""
    form = select_one(page, "form#import-review-form")
    data = {}
    for field in select(form, "input"):
        kind = field.get("type")
        if kind in ("radio", "checkbox") and field.get("checked") is None:
            continue
        data[field.get("name")] = field.get("value") or ""
    for area in select(form, "textarea"):
        data[area.get("name")] = area.text or ""
    for choice in select(form, "select"):
        chosen = select(choice, "option[selected]")
        data[choice.get("name")] = chosen[0].get("value") if chosen else ""
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_pasted_story_is_shown_for_review_before_anything_is_imported(author_client):
    page = _review_page(author_client, text=LIGHTHOUSE)
    assert not Work.objects.exists()
    form = select_one(page, "form#import-review-form")
    assert select_one(form, 'input[name="title"]').get("value") == (
        "The Lighthouse Keeper's Daughter"
    )
    assert "nothing has ever come out of the fog" in text(
        select_one(form, 'textarea[name="summary"]')
    )
    titles = [i.get("value") for i in select(form, 'input[name$="-title"]')]
    assert titles == ["Fog", "The Ship", None]
    assert select_one(form, 'input[name="chapters-TOTAL_FORMS"]').get("value") == "3"
    guesses = " ".join(text(li) for li in select(page, "ul.import-guesses li"))
    assert "3 chapters were found by their headings." in guesses
    # The choices made on the first page are kept.
    assert select_one(form, 'input[name="credit"][value="own"]').get("checked") is not None


def test_the_corrected_story_is_imported_with_the_choices(author_client, author):
    page = _review_page(author_client, text=LIGHTHOUSE, post="draft", credit="imported")
    data = _form_data(page)
    data["title"] = "The Keeper's Daughter"
    data["chapters-2-title"] = "Morning"
    data["chapters-1-DELETE"] = "on"
    response = author_client.post("/works/import", data)
    work = Work.objects.get()
    assert work.title == "The Keeper's Daughter" and not work.posted
    assert work.imported_creator == "saltwater_quill"
    assert [c.title for c in work.chapters.order_by("position")] == ["Fog", "Morning"]
    assert "counting them" in work.chapters.get(position=1).body_html
    page = parse(response.content)
    (link, *_edit) = select(page, "ul.imported.works > li > a")
    assert (text(link), link.get("href")) == ("The Keeper's Daughter", f"/works/{work.pk}")
    assert select_one(page, "form#work-import-form") is not None


def test_a_txt_file_goes_to_the_review_too(author_client):
    upload = SimpleUploadedFile("lighthouse.txt", LIGHTHOUSE.encode("cp1252"), "text/plain")
    page = _review_page(author_client, files=[upload])
    assert not Work.objects.exists()
    assert select_one(page, 'input[name="title"]').get("value") == (
        "The Lighthouse Keeper's Daughter"
    )


def test_a_missing_title_is_asked_for_and_nothing_is_lost(author_client):
    page = _review_page(author_client, text="Chapter 1\n\nThe rain had a schedule.\n")
    warnings = " ".join(text(li) for li in select(page, "ul.import-warnings li"))
    assert "No title was found: please enter one." in warnings
    data = _form_data(page)
    data["chapters-0-body"] = "The rain had a schedule, and kept it."
    page = parse(author_client.post("/works/import", data).content)
    assert "Please enter a title." in text(select_one(page, "#error"))
    assert text(select_one(page, 'textarea[name="chapters-0-body"]')) == (
        "The rain had a schedule, and kept it."
    )
    assert not Work.objects.exists()


def test_too_long_a_title_keeps_the_review(author_client):
    page = _review_page(author_client, text=LIGHTHOUSE)
    data = _form_data(page) | {"title": "Fog " * 80}
    page = parse(author_client.post("/works/import", data).content)
    assert "The title must be at most 255 characters" in text(select_one(page, "#error"))
    assert select_one(page, 'input[name="title"]').get("value").startswith("Fog Fog")
    assert not Work.objects.exists()


def test_deleting_every_chapter_is_refused(author_client):
    data = _form_data(_review_page(author_client, text=LIGHTHOUSE))
    for n in range(3):
        data[f"chapters-{n}-DELETE"] = "on"
    page = parse(author_client.post("/works/import", data).content)
    assert "A work needs at least one chapter: keep one." in text(page)
    assert len(select(page, 'textarea[name$="-body"]')) == 3
    assert not Work.objects.exists()


def test_pasted_text_with_no_story_says_so_and_stays(author_client):
    page = _review_page(author_client, text="Just a Title\n")
    failure = text(select_one(page, "ul.import-failures li"))
    assert "No story text was found" in failure
    assert text(select_one(page, 'textarea[name="text"]')).strip() == "Just a Title"


def test_a_changed_state_is_refused(author_client):
    data = _form_data(_review_page(author_client, text=LIGHTHOUSE))
    data["state"] = re.sub(r"^.", "x", data["state"])
    page = parse(author_client.post("/works/import", data).content)
    assert "This review is too old or was changed" in text(select_one(page, "ul.import-failures"))
    assert not Work.objects.exists()


def test_only_one_story_text_at_a_time(author_client):
    upload = SimpleUploadedFile("lighthouse.txt", LIGHTHOUSE.encode(), "text/plain")
    page = _review_page(author_client, files=[upload], text=LIGHTHOUSE)
    assert "one story at a time" in text(select_one(page, "#error"))
    assert "Chapter 1: Fog" in text(select_one(page, 'textarea[name="text"]'))


def test_markup_in_the_story_is_shown_as_text_on_the_review_page(author_client):
    story = (
        'The <script>alert("t")</script> Tide\n\nSummary: <img src=x onerror=alert(1)>\n\n'
        "Chapter 1\n\n<p onclick=alert(2)>Wet sand.</p><script>alert(3)</script>\n"
    )
    response = author_client.post("/works/import", {"text": story, "post": "post", "credit": "own"})
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "<p onclick" not in html
    page = parse(response.content)
    assert "<" not in select_one(page, 'input[name="title"]').get("value")
    assert select_one(page, 'textarea[name="chapters-0-body"]') is not None
