"""The import page's URLs field: each address, one a line, is fetched and imported on its own
(this archive's own work pages, served by a live server on 127.0.0.1, which the tests allow
the fetcher to reach); an address that is refused says why and stays in the field."""

import pytest

from tests.clients.conftest import archive_server  # noqa: F401 - the module's live server
from tests.factories import make_user, make_work
from tests.works.markup import parse, select, select_one, text
from works.models import Work

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shore(archive_server, django_db_blocker):  # noqa: F811
    with django_db_blocker.unblock():
        writer = make_user(username="shore_writer")
        return {
            "tide": make_work(creator=writer, title="Tide Tables", summary="At *six*."),
            "gulls": make_work(creator=writer, title="Gull Census"),
        }


@pytest.fixture
def server(archive_server, settings):  # noqa: F811
    settings.ARCHIVE_IMPORT_ALLOW_PRIVATE = True
    return archive_server


def _import(client, urls, **choices):
    data = {"urls": "\n".join(urls), "post": "post", "credit": "imported", **choices}
    return parse(client.post("/works/import", data).content)


def _failures(page):
    return {
        text(select_one(li, "span.file")): text(li) for li in select(page, "ul.import-failures li")
    }


def test_form_offers_an_addresses_field(author_client):
    page = parse(author_client.get("/works/import").content)
    assert select_one(page, 'form#work-import-form textarea[name="urls"]') is not None


def test_a_work_of_this_archive_is_imported_by_its_address(author_client, author, server, shore):
    tide = shore["tide"]
    page = _import(author_client, [f"{server.url}/works/{tide.pk}"])
    imported = Work.objects.exclude(pk__in=[w.pk for w in shore.values()]).get()
    assert imported.title == "Tide Tables" and imported.posted
    assert imported.imported_creator == "shore_writer"
    assert imported.imported_from_url == f"{server.url}/works/{tide.pk}"
    assert imported.work_creators.get().user == author
    assert "<em>six</em>" in imported.summary_html
    assert imported.chapters.get().body == shore["tide"].chapters.get().body_html.strip()
    (link,) = select(page, "ul.imported.works > li > a")
    assert (text(link), link.get("href")) == ("Tide Tables", f"/works/{imported.pk}")
    assert f"{server.url}/works/{tide.pk}" in text(select_one(page, "ul.imported.works"))
    assert not select(page, "ul.import-failures")
    assert text(select_one(page, 'textarea[name="urls"]')) == ""


def test_a_private_address_is_refused_with_why(author_client, settings):
    settings.ARCHIVE_IMPORT_ALLOW_PRIVATE = False
    url = "http://10.0.0.7/works/12"
    page = _import(author_client, [url])
    failure = _failures(page)[url]
    assert "public" in failure
    assert not Work.objects.filter(work_creators__user__username="author").exists()
    assert url in text(select_one(page, 'textarea[name="urls"]'))


def test_good_and_bad_addresses_each_get_their_own_answer(author_client, server, shore):
    good = f"{server.url}/works/{shore['gulls'].pk}"
    missing = f"{server.url}/works/999999"
    not_a_work = f"{server.url}/tags"
    page = _import(author_client, [good, missing, "", not_a_work], post="draft", credit="own")
    failures = _failures(page)
    assert set(failures) == {missing, not_a_work}
    assert "not a work's page" in failures[not_a_work]
    link = select(page, "ul.imported.works > li > a")[0]
    assert text(link) == "Gull Census"
    imported = Work.objects.get(pk=link.get("href").rsplit("/", 1)[1])
    assert not imported.posted and imported.imported_creator == ""
    kept = text(select_one(page, 'textarea[name="urls"]')).split()
    assert kept == [missing, not_a_work]
    assert select_one(page, 'input[name="post"][value="draft"]').get("checked") is not None


def test_at_most_ten_addresses_at_once(author_client):
    urls = [f"https://archive.example.org/works/{n}" for n in range(11)]
    page = _import(author_client, urls)
    assert "Import at most 10 addresses at once." in text(select_one(page, "#error"))
    assert len(text(select_one(page, 'textarea[name="urls"]')).split()) == 11
    assert not Work.objects.filter(work_creators__user__username="author").exists()
