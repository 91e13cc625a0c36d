"""The import page, /works/import: upload files, choose how to post them, see what became of
each (the works with what changed, the files not imported with why)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.works.importing.helpers import FIXTURES, fixture_epub
from tests.works.markup import parse, select, select_one, text
from works.forms import imports as import_form
from works.models import Work

pytestmark = pytest.mark.django_db


def upload(name, content, content_type="text/html"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def ao3_html_file():
    return upload("cartographer.html", (FIXTURES / "ao3_multichapter.html").read_bytes())


def test_guests_are_sent_to_log_in(client):
    response = client.get("/works/import")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_posting_area_and_header_link_to_the_import_page(author_client, author):
    page = parse(author_client.get("/works/new").content)
    assert select(page, '#header a[href="/works/import"]')
    assert select(page, 'p.import-link a[href="/works/import"]')


def test_form_offers_files_and_the_choices(author_client):
    page = parse(author_client.get("/works/import").content)
    form = select_one(page, "form#work-import-form")
    assert form.get("enctype") == "multipart/form-data"
    files = select_one(form, 'input[type="file"][name="files"]')
    assert files.get("multiple") is not None and ".epub" in files.get("accept")
    assert {i.get("value") for i in select(form, 'input[name="post"]')} == {"post", "draft"}
    assert {i.get("value") for i in select(form, 'input[name="credit"]')} == {"own", "imported"}
    assert select_one(form, 'input[name="post"][value="draft"]').get("checked") is not None


def test_several_files_are_imported_and_listed_with_what_changed(author_client, author):
    response = author_client.post(
        "/works/import",
        {
            "files": [
                ao3_html_file(),
                upload("ferry.epub", fixture_epub("ao3_epub"), "application/epub+zip"),
            ],
            "post": "post",
            "credit": "imported",
        },
    )
    assert response.status_code == 200
    page = parse(response.content)
    links = {text(a): a.get("href") for a in select(page, "ul.imported.works > li > a")}
    cartographer = Work.objects.get(title="The Cartographer's Apprentice")
    ferry = Work.objects.get(title="The Night Ferry")
    assert links["The Cartographer's Apprentice"] == f"/works/{cartographer.pk}"
    assert links["The Night Ferry"] == f"/works/{ferry.pk}"
    assert cartographer.posted and ferry.posted
    assert cartographer.imported_creator == "Wren_Ashdown"
    assert ferry.work_creators.get().user == author
    # The collection is not on this archive: that is said under the work.
    warnings = [text(li) for li in select(page, "ul.import-warnings li")]
    assert any("mapmakers_fest_2024" in w for w in warnings)


def test_bad_files_are_named_with_why_and_the_choices_kept(author_client):
    response = author_client.post(
        "/works/import",
        {
            "files": [
                upload("notes.pdf", b"%PDF-1.4 just some words", "application/pdf"),
                upload("broken.epub", b"PK\x03\x04not really a zip", "application/epub+zip"),
                upload("empty.html", b"<html><body><p>Nothing here</p></body></html>"),
                ao3_html_file(),
            ],
            "post": "post",
            "credit": "imported",
        },
    )
    page = parse(response.content)
    failures = {
        text(select_one(li, "span.file")): text(li) for li in select(page, "ul.import-failures li")
    }
    assert set(failures) == {"notes.pdf", "broken.epub", "empty.html"}
    assert "Only AO3-style HTML" in failures["notes.pdf"]
    assert "not an EPUB" in failures["broken.epub"]
    assert "No work was found" in failures["empty.html"]
    assert Work.objects.filter(title="The Cartographer's Apprentice").count() == 1
    assert Work.objects.count() == 1
    assert select_one(page, 'input[name="post"][value="post"]').get("checked") is not None
    assert select_one(page, 'input[name="credit"][value="imported"]').get("checked") is not None


def test_refused_work_says_why(author_client):
    long_title = (FIXTURES / "ao3_download_oneshot.html").read_text(encoding="utf-8")
    long_title = long_title.replace("<h1>Salt on the Sill</h1>", f"<h1>{'Salt ' * 60}</h1>")
    response = author_client.post(
        "/works/import",
        {"files": [upload("long.html", long_title.encode())], "post": "draft", "credit": "own"},
    )
    failure = text(select_one(parse(response.content), "ul.import-failures li"))
    assert "The title is 299 characters long" in failure
    assert not Work.objects.exists()


def test_too_large_a_file_is_refused_before_anything_is_read(author_client, monkeypatch):
    monkeypatch.setattr(import_form, "MAX_FILE_SIZE", 1000)
    response = author_client.post(
        "/works/import", {"files": [ao3_html_file()], "post": "post", "credit": "own"}
    )
    errors = text(select_one(parse(response.content), "#error"))
    assert "“cartographer.html” is" in errors and "a file can be at most 1000" in errors
    assert not Work.objects.exists()


def test_nothing_to_import_chosen(author_client):
    response = author_client.post(
        "/works/import", {"post": "post", "credit": "own", "urls": " \n ", "text": "  "}
    )
    assert "Choose a file, give a work's address or paste a story to import." in text(
        select_one(parse(response.content), "#error")
    )


def test_drafts_are_only_the_importers(author_client, client, author):
    author_client.post(
        "/works/import", {"files": [ao3_html_file()], "post": "draft", "credit": "own"}
    )
    work = Work.objects.get()
    assert not work.posted and work.imported_creator == ""
    client.logout()
    assert client.get(f"/works/{work.pk}").status_code == 404


def test_a_saved_work_page_imports_with_its_title(author_client):
    page_file = upload("The Glass Orchard.html", (FIXTURES / "ao3_work.html").read_bytes())
    author_client.post("/works/import", {"files": [page_file], "post": "post", "credit": "own"})
    work = Work.objects.get()
    assert work.title == "The Glass Orchard" and work.chapters.count() == 2


def test_the_sample_file_the_page_offers_imports(author_client, settings):
    page = parse(author_client.get("/works/import").content)
    href = select_one(page, "p.sample-link a").get("href")
    assert href == f"{settings.STATIC_URL}demo/harbour-sample.html".replace("//", "/")
    sample = settings.BASE_DIR / "static" / "demo" / "harbour-sample.html"
    author_client.post(
        "/works/import",
        {"files": [upload(sample.name, sample.read_bytes())], "post": "post", "credit": "own"},
    )
    work = Work.objects.get()
    assert work.title == "Lanterns for the Harbour Master"
    assert [c.title for c in work.chapters.order_by("position")] == ["The First Lantern", "The Key"]
    assert "Lanterns" in {t.name for t in work.tags.all()}


def test_the_claim_page_is_linked(author_client):
    page = parse(author_client.get("/works/import").content)
    link = select_one(page, "p.claim-link a")
    assert link.get("href") == "/works/import/claim" and text(link) == "Claim them"
    assert author_client.get(link.get("href")).status_code == 200
