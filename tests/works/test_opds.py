"""The OPDS 1.2 catalogue an e-reader app adds by the /opds address: every feed is valid Atom
and every link in it leads somewhere that answers; works come with their downloads; a
reader's own shelves take HTTP Basic log-in; restricted works only after logging in."""

import base64
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from tags.models import Tag, TagType
from tests.factories import PASSWORD, make_user, make_work
from works.models import Work
from works.services import collections as collection_services
from works.services import feedback
from works.services import posting as services

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
FANDOM = "Harbour Lights"


def parse(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    return feed


def local(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def entries(feed):
    return feed.findall(f"{ATOM}entry")


def titles(feed):
    return [e.find(f"{ATOM}title").text for e in entries(feed)]


def links(element, rel=None):
    found = element.findall(f"{ATOM}link")
    return [link for link in found if rel is None or link.get("rel") == rel]


def basic(user, password=PASSWORD):
    token = base64.b64encode(f"{user.username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@pytest.fixture
def shelf(author):
    tags = {TagType.FANDOM: [FANDOM], TagType.FREEFORM: ["Fog"]}
    Tag.objects.get_or_create(name=FANDOM, type=TagType.FANDOM, defaults={"canonical": True})
    Tag.objects.filter(name=FANDOM).update(canonical=True)
    works = {
        "open": make_work(creator=author, title="Open Sea", summary="Wide *water*.", tags=tags),
        "members": make_work(creator=author, title="Members Harbour", restricted=True, tags=tags),
        "draft": make_work(creator=author, title="Unfinished Pier", post=False, tags=tags),
    }
    series = services.series_create(creator=author, title="Tides")
    for name in ("second", "first"):
        works[name] = make_work(creator=author, title=f"Tide {name}", tags=tags)
    services.work_set_series(work=works["first"], series=[series])
    services.work_set_series(work=works["second"], series=[series])
    return works, series


def test_every_feed_parses_and_every_link_answers(client, shelf):
    seen, queue, acquisitions = set(), ["/opds"], []
    while queue and len(seen) < 40:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if url.startswith("/opds/search.xml"):
            assert response.status_code == 200
            description = ElementTree.fromstring(response.content)
            template = description.find("{http://a9.com/-/spec/opensearch/1.1/}Url").get("template")
            queue.append(local(template.replace("{searchTerms}", "Sea")))
            continue
        if url in ("/opds/bookmarks", "/opds/later"):
            assert response.status_code == 401  # a guest's client is asked to log in
            assert response["WWW-Authenticate"].startswith("Basic ")
            continue
        feed = parse(response)
        for element in [feed, *entries(feed)]:
            for link in links(element):
                href = local(link.get("href"))
                kind = link.get("type")
                if "opds-catalog" in kind or "opensearch" in kind:
                    queue.append(href)
                elif link.get("rel") == "http://opds-spec.org/acquisition":
                    acquisitions.append((href, kind))
    assert {"/opds/new", "/opds/fandoms", "/opds/search.xml"} <= seen
    assert any(url.startswith("/opds/works?tag=") for url in seen)
    assert any(url.startswith("/opds/search?q=Sea") for url in seen)
    epubs = [href for href, kind in acquisitions if kind == "application/epub+zip"]
    assert epubs
    for href in set(epubs[:3]):
        response = client.get(href)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/epub+zip"


def test_a_work_entry_holds_summary_creators_tags_and_every_format(client, shelf):
    works, _ = shelf
    feed = parse(client.get("/opds/new"))
    entry = next(e for e in entries(feed) if e.find(f"{ATOM}title").text == "Open Sea")
    assert [a.find(f"{ATOM}name").text for a in entry.findall(f"{ATOM}author")] == ["author"]
    assert "<em>water</em>" in entry.find(f"{ATOM}content").text
    assert {c.get("term") for c in entry.findall(f"{ATOM}category")} >= {FANDOM, "Fog"}
    formats = [link.get("title") for link in links(entry, "http://opds-spec.org/acquisition")]
    assert formats == ["AZW3", "EPUB", "MOBI", "PDF", "HTML"]
    alternate = links(entry, "alternate")[0].get("href")
    assert alternate.endswith(f"/works/{works['open'].pk}")


def test_restricted_works_only_after_logging_in_and_drafts_never(client, shelf, reader):
    assert "Members Harbour" not in titles(parse(client.get("/opds/new")))
    logged_in = titles(parse(client.get("/opds/new", **basic(reader))))
    assert "Members Harbour" in logged_in
    assert "Unfinished Pier" not in logged_in
    wrong = titles(parse(client.get("/opds/new", **basic(reader, "not-it"))))
    assert "Members Harbour" not in wrong


def test_shelves_after_basic_log_in(client, shelf, reader):
    works, _ = shelf
    feedback.bookmark_save(user=reader, work=works["open"], notes="", tag_text="", rec=False)
    feedback.reading_mark_for_later(user=reader, work=works["members"])
    assert client.get("/opds/bookmarks", **basic(reader, "wrong")).status_code == 401
    assert titles(parse(client.get("/opds/bookmarks", **basic(reader)))) == ["Open Sea"]
    assert titles(parse(client.get("/opds/later", **basic(reader)))) == ["Members Harbour"]
    client.force_login(reader)  # the site's own session works too
    assert titles(parse(client.get("/opds/bookmarks"))) == ["Open Sea"]


def test_a_tags_works_take_the_listings_filters_and_sort(client, shelf):
    query = {"tag": FANDOM, "sort": "title_to_sort_on", "work_search[sort_direction]": "asc"}
    assert titles(parse(client.get("/opds/works", query))) == [
        "Open Sea",
        "Tide first",
        "Tide second",
    ]
    query["exclude_work_search[freeform_ids][]"] = Tag.objects.get(name="Fog").pk
    assert titles(parse(client.get("/opds/works", query))) == []
    assert client.get("/opds/works", {"tag": "No Such Tag"}).status_code == 404


def test_a_series_in_order_and_pages_with_next_and_previous(client, shelf, author):
    _works, series = shelf
    assert titles(parse(client.get(f"/opds/series/{series.pk}"))) == ["Tide first", "Tide second"]
    for n in range(22):
        make_work(creator=author, title=f"Filler {n:02}")
    first = parse(client.get("/opds/new"))
    assert len(entries(first)) == 20
    assert not links(first, "previous")
    second = parse(client.get(local(links(first, "next")[0].get("href"))))
    assert len(entries(second)) == Work.objects.filter(posted=True, restricted=False).count() - 20
    assert not links(second, "next")
    assert local(links(second, "previous")[0].get("href")) == "/opds/new?page=1"


def test_anonymous_works_name_nobody(client, author):
    masked = collection_services.collection_create(
        owner=make_user(username="curator"),
        fields={"name": "masks", "title": "Masks", "is_anonymous": True},
    )
    work = make_work(creator=author, title="Unsigned Letter")
    services.work_set_collections(work=work, collections=[masked])
    feed = parse(client.get("/opds/new"))
    entry = next(e for e in entries(feed) if e.find(f"{ATOM}title").text == "Unsigned Letter")
    assert [a.find(f"{ATOM}name").text for a in entry.findall(f"{ATOM}author")] == ["Anonymous"]
    page = client.get("/opds/new").content
    assert b"<name>author</name>" not in page and b"/users/author" not in page


@pytest.mark.parametrize("page", ["0", "-1", "²", "99999999999999", "2x"])
def test_a_page_that_is_not_a_page_number_is_the_first(client, shelf, page):
    assert titles(parse(client.get("/opds/new", {"page": page}))) == titles(
        parse(client.get("/opds/new"))
    )
