"""The API's list of works is the /works page's own: the same filters (named for programs),
the same order and count for the same reader, paged by a signed cursor that gives every work
exactly once; bad parameters answer 422 with the field's name; a page costs a fixed number
of queries whatever its length."""

import re
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.models import Mute
from tags.models import Tag, TagType
from tests.api.conftest import token_for
from tests.factories import make_user, make_work
from works.api.works import FILTER_PARAMS, SORT_COLUMNS, TAG_ID_KEYS
from works.listing import options
from works.models import ExcludedTag, WorkStats

pytestmark = pytest.mark.django_db

FANDOMS = ["Harbour Lights", "Salt Road"]
FREEFORMS = ["Fluff", "Angst", "Found Family"]


def html_ids(response) -> list[int]:
    assert response.status_code == 200
    return [int(i) for i in re.findall(r'<li id="work_(\d+)"', response.content.decode())]


def html_listing(client, query: str) -> list[int]:
    """Every work of the /works page's listing, over its (at most two) pages."""
    first = client.get(f"/works?{query}")
    listed = html_ids(first)
    if re.search(r"(\?|&amp;)page=2\b", first.content.decode()):
        listed += html_ids(client.get(f"/works?{query}&page=2"))
    return listed


@pytest.fixture
def shelf():
    """25 works by four writers over two fandoms (some both), with varied words, kudos,
    completion and tags: enough for two pages of the HTML listing."""
    writers = [make_user(username=f"shelfwriter{i}") for i in range(4)]
    works = []
    for n in range(25):
        fandoms = [FANDOMS[n % 2]] + ([FANDOMS[1]] if n % 7 == 0 and n % 2 == 0 else [])
        work = make_work(
            creator=writers[n % 4],
            title=f"{'Lantern' if n % 3 == 0 else 'Tide'} {chr(65 + (n * 7) % 26)} {n}",
            summary=f"Summary {n} of a lantern keeper." if n % 5 == 0 else f"Summary {n}.",
            tags={
                TagType.FANDOM: fandoms,
                TagType.FREEFORM: [FREEFORMS[n % 3]],
            },
            chapters=1 + n % 2,
            expected_chapters=None if n % 4 == 3 else 1 + n % 2,
        )
        WorkStats.objects.filter(work=work).update(kudos=(n * 37) % 11, hits=n * 3)
        works.append(work)
    for tag in Tag.objects.filter(type__in=[TagType.FANDOM, TagType.FREEFORM]):
        tag.canonical = True
        tag.save(update_fields=["canonical"])
    return {"writers": writers, "works": works}


def tag_id(name):
    return Tag.objects.get(name=name).pk


def html_query(params: dict) -> str:
    """The same filters as the /works page's form sends them (through the API's table)."""
    pairs = []
    for key, value in params.items():
        for mode, prefix in (
            ("include_", "include_work_search"),
            ("exclude_", "exclude_work_search"),
        ):
            suffix = key.removeprefix(mode)
            if key.startswith(mode) and suffix in TAG_ID_KEYS:
                pairs += [(f"{prefix}[{TAG_ID_KEYS[suffix]}][]", v) for v in value]
                break
        else:
            if key == "sort":
                value = SORT_COLUMNS[value]
            elif isinstance(value, bool):
                value = "T" if value else "F"
            pairs.append((f"work_search[{FILTER_PARAMS[key]}]", value))
    return urlencode(pairs)


def api_pages(api, params: dict, *, token=None, limit=20) -> tuple[list[list[int]], int]:
    pages, cursor, count = [], None, None
    while True:
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = api.get("/api/v1/works", query, token=token)
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append([item["id"] for item in body["items"]])
        count = body["count"] if count is None else count
        assert body["count"] == count
        cursor = body["next"]
        if cursor is None:
            return pages, count
        assert len(pages) < 50


COMBINATIONS = [
    {},
    {"sort": "kudos"},
    {"sort": "title", "direction": "asc"},
    {"sort": "creator", "direction": "desc"},
    {"sort": "words", "complete": False},
    {"include_fandom_ids": ["Harbour Lights"], "sort": "hits"},
    {"exclude_freeform_ids": ["Angst"], "kudos": "2-9"},
    {"tags": "Salt Road", "excluded_tags": "Fluff", "sort": "posted"},
    {"crossovers": True},
    {"q": "lantern words>1"},
    {"updated": "< 2 weeks", "words": ">5", "language": "en"},
    {"title": "Tide", "creators": "shelfwriter1", "sort": "comments", "direction": "asc"},
]


def _resolved(params):
    """Tag names in the id lists above stand for their ids."""
    return {
        key: [tag_id(v) for v in value] if key.endswith("_ids") else value
        for key, value in params.items()
    }


@pytest.mark.parametrize("params", COMBINATIONS, ids=lambda p: ",".join(p) or "none")
def test_the_api_lists_what_the_works_page_lists_for_a_guest(api, shelf, params):
    params = _resolved(params)
    guest = Client()
    query = html_query(params)
    expected = html_listing(guest, query)
    pages, count = api_pages(api, params)
    assert [pk for page in pages for pk in page] == expected
    assert count == len(expected)
    if len(expected) > 20:
        assert pages[0] == expected[:20]


@pytest.mark.parametrize("params", COMBINATIONS[:8], ids=lambda p: ",".join(p) or "none")
def test_a_reader_with_excluded_tags_and_mutes_gets_their_own_listing(api, shelf, params):
    params = _resolved(params)
    reader = make_user(username="shelfreader")
    ExcludedTag.objects.create(user=reader, tag=Tag.objects.get(name="Fluff"))
    Mute.objects.create(muter=reader, muted=shelf["writers"][2])
    session = Client()
    session.force_login(reader)
    query = html_query(params)
    expected = html_listing(session, query)
    pages, count = api_pages(api, params, token=token_for(reader, "read"))
    assert [pk for page in pages for pk in page] == expected
    assert count == len(expected)
    guest_pages, guest_count = api_pages(api, params)
    assert guest_count > count  # the reader's exclusions are theirs alone


@pytest.mark.parametrize("limit", [1, 7, 25, 100])
def test_the_cursor_gives_every_work_exactly_once(api, shelf, limit):
    pages, count = api_pages(api, {}, limit=limit)
    listed = [pk for page in pages for pk in page]
    assert count == 25 and len(listed) == 25 and set(listed) == {w.pk for w in shelf["works"]}
    assert all(len(page) == limit for page in pages[:-1])


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "kudos"},
        {"sort": "title"},
        {"sort": "creator", "direction": "desc"},
        {"include_fandom_ids": ["Salt Road"], "sort": "words", "direction": "asc"},
    ],
    ids=lambda p: ",".join(p) or "none",
)
def test_deep_pages_beyond_the_counted_ids_continue_by_keyset(api, shelf, monkeypatch, params):
    params = _resolved(params)
    everything, _count = api_pages(api, params, limit=100)
    monkeypatch.setattr(options, "EXACT_LIMIT", 4)  # counting reads 5 ids; the rest by keyset
    pages, count = api_pages(api, params, limit=3)
    assert [pk for page in pages for pk in page] == everything[0]
    assert count == len(everything[0])


def test_paging_stays_stable_while_works_are_posted(api, shelf):
    first = api.get("/api/v1/works", {"limit": 10}).json()
    posted = make_work(creator=shelf["writers"][0], title="Posted while paging")
    pages, count = api_pages(api, {}, limit=10)  # a fresh listing: the new work first
    fresh = [pk for page in pages for pk in page]
    assert fresh[0] == posted.pk and count == 26
    second = api.get("/api/v1/works", {"limit": 10, "cursor": first["next"]}).json()
    # It continues after the tenth work it gave: nothing repeated, nothing skipped.
    assert [i["id"] for i in second["items"]] == fresh[11:21]


def test_a_tampered_or_foreign_cursor_is_refused(api, shelf):
    first = api.get("/api/v1/works", {"limit": 5}).json()
    cursor = first["next"]
    tampered = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")
    for query in (
        {"cursor": tampered},
        {"cursor": "not-a-cursor"},
        {"cursor": cursor, "sort": "kudos"},  # made for other filters
    ):
        response = api.get("/api/v1/works", {"limit": 5, **query})
        assert response.status_code == 422
        assert response["Content-Type"] == "application/problem+json"
        assert list(response.json()["errors"]) == ["cursor"]
    # Another page length is fine.
    assert api.get("/api/v1/works", {"limit": 7, "cursor": cursor}).status_code == 200


@pytest.mark.parametrize(
    "query, field",
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"sort": "popularity"}, "sort"),
        ({"direction": "up"}, "direction"),
        ({"include_fandom_ids": "harbour"}, "include_fandom_ids"),
        ({"exclude_freeform_ids": "0"}, "exclude_freeform_ids"),
        ({"tag_id": "99999999999999999999"}, "tag_id"),
        ({"words": "lots"}, "words"),
        ({"kudos": "5-many"}, "kudos"),
        ({"words_min": "-1"}, "words_min"),
        ({"date_from": "2020-13-01"}, "date_from"),
        ({"updated": "someday"}, "updated"),
        ({"complete": "maybe"}, "complete"),
        ({"language": "xx"}, "language"),
        ({"tags": "No Such Tag Anywhere"}, "tags"),
        ({"q": "x" * 501}, "q"),
    ],
)
def test_bad_parameters_answer_422_naming_the_field(api, query, field):
    response = api.get("/api/v1/works", query)
    assert response.status_code == 422, response.content
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert field in problem["errors"], problem


def test_filters_narrow_as_named(api, shelf):
    harbour = tag_id("Harbour Lights")
    both = api.get("/api/v1/works", {"include_fandom_ids": harbour, "crossovers": True}).json()
    assert both["count"] > 0
    for item in both["items"]:
        assert {f["name"] for f in item["fandoms"]} == set(FANDOMS)
    wip = api.get("/api/v1/works", {"complete": False, "limit": 100}).json()
    assert wip["count"] > 0 and all(item["complete"] is False for item in wip["items"])
    kudos = api.get("/api/v1/works", {"sort": "kudos", "limit": 100}).json()["items"]
    assert [i["kudos"] for i in kudos] == sorted((i["kudos"] for i in kudos), reverse=True)
    searched = api.get("/api/v1/works", {"q": "lantern sort:title"}).json()["items"]
    titles = [i["title"] for i in searched]
    assert titles == sorted(titles, key=str.lower)
    within = api.get("/api/v1/works", {"tag_id": tag_id("Angst"), "limit": 100}).json()
    assert within["count"] == 8
    assert all(any(t["name"] == "Angst" for t in i["freeforms"]) for i in within["items"])


def _queries(api, query, token=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get("/api/v1/works", query, token=token)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("extra", [{}, {"sort": "creator"}, {"include_freeform_ids": "Fluff"}])
def test_a_page_costs_the_same_queries_for_10_and_20_works(
    api, shelf, django_assert_num_queries, extra
):
    reader = make_user(username="countingreader")
    secret = token_for(reader, "read")
    if "include_freeform_ids" in extra:
        extra = {"include_freeform_ids": tag_id("Fluff")}
        sizes = (3, 6)  # 9 works carry it
    else:
        sizes = (10, 20)
    for token in (None, secret):
        _queries(api, {**extra, "limit": 1}, token)  # what a process reads once
        small = _queries(api, {**extra, "limit": sizes[0]}, token)
        with django_assert_num_queries(small):
            body = api.get("/api/v1/works", {**extra, "limit": sizes[1]}, token=token).json()
        assert len(body["items"]) == sizes[1] and body["next"]
        cursor_small = _queries(api, {**extra, "limit": sizes[0], "cursor": body["next"]}, token)
        following = api.get(
            "/api/v1/works", {**extra, "limit": sizes[0], "cursor": body["next"]}, token=token
        ).json()
        assert len(following["items"]) == sizes[0] or following["next"] is None
        assert cursor_small <= small + 2


def test_the_generated_client_lists_and_reads_works(generated, api_client, shelf):
    from out.api.works import work_get, works_list

    client = api_client()
    harbour = tag_id("Harbour Lights")
    page = works_list.sync(client=client, include_fandom_ids=[harbour], sort="kudos", limit=5)
    assert page.count == 13 and len(page.items) == 5 and page.next_
    following = works_list.sync(
        client=client, include_fandom_ids=[harbour], sort="kudos", limit=5, cursor=page.next_
    )
    assert not {w.id for w in page.items} & {w.id for w in following.items}
    first = page.items[0]
    work = work_get.sync(client=client, work_id=first.id)
    assert work.title == first.title and work.chapters[0].position == 1
    assert [f.name for f in work.fandoms] == [f.name for f in first.fandoms]
    missing = work_get.sync_detailed(client=client, work_id=10**12)
    assert missing.status_code == 404
    refused = works_list.sync_detailed(client=client, limit=5, cursor="forged")
    assert refused.status_code == 422


def test_a_text_search_counts_up_to_a_cap_and_pages_on_past_it(api, shelf, monkeypatch):
    everything, count = api_pages(api, {"q": "lantern"}, limit=100)
    assert count == len(everything[0]) > 5
    monkeypatch.setattr(options, "EXACT_LIMIT", 4)
    first = api.get("/api/v1/works", {"q": "lantern", "limit": 3}).json()
    assert first["count"] == 5 and first["count_capped"] is True  # "4+" on the page
    pages, _count = api_pages(api, {"q": "lantern"}, limit=3)
    assert [pk for page in pages for pk in page] == everything[0]


def test_a_work_costs_the_same_queries_whatever_its_chapters_and_tags(
    api, django_assert_num_queries
):
    small = make_work(title="Short One")
    big = make_work(
        title="Long One",
        chapters=5,
        tags={
            TagType.FREEFORM: [f"Theme {n}" for n in range(6)],
            TagType.CHARACTER: ["Keeper", "Pilot"],
        },
    )
    for url in ("/api/v1/works/{}", "/api/v1/works/{}/chapters"):
        api.get(url.format(small.pk))
        with CaptureQueriesContext(connection) as captured:
            assert api.get(url.format(small.pk)).status_code == 200
        with django_assert_num_queries(len(captured)):
            assert api.get(url.format(big.pk)).status_code == 200
    assert len(api.get(f"/api/v1/works/{big.pk}").json()["chapters"]) == 5


def test_a_tags_works_by_its_id_as_its_page_lists_them(api, shelf):
    from tags.services import tag_make_synonym

    angst = Tag.objects.get(name="Angst")
    synonym = Tag.objects.create(name="Hurt", type=TagType.FREEFORM)
    tag_make_synonym(tag=synonym, canonical=angst)
    expected = html_ids(Client().get("/tags/Angst/works"))
    by_id = api.get("/api/v1/works", {"tag_id": angst.pk}).json()
    assert [i["id"] for i in by_id["items"]] == expected
    by_synonym = api.get("/api/v1/works", {"tag_id": synonym.pk}).json()
    assert [i["id"] for i in by_synonym["items"]] == expected
    missing = api.get("/api/v1/works", {"tag_id": 987654321})
    assert missing.status_code == 422 and list(missing.json()["errors"]) == ["tag_id"]


def test_a_stored_summary_is_reused_and_gives_way_to_an_edit(api):
    """Summaries are stored as blurbs are (works.cache.blurbs, the same versions and the same
    rule for works with secrets): the second listing reads them from the cache, without
    loading the work's tags, and an edit retires the work's."""
    from works.services import posting

    author = make_user(username="summarystore")
    work = make_work(creator=author, title="First Light Title")
    first = api.get("/api/v1/works").json()["items"]
    assert [item["title"] for item in first] == ["First Light Title"]
    with CaptureQueriesContext(connection) as stored:
        again = api.get("/api/v1/works").json()["items"]
    assert again == first
    assert not any("works_taggedwork" in q["sql"] for q in stored.captured_queries)
    posting.work_update(work=work, fields={"title": "Second Light Title"})
    assert [item["title"] for item in api.get("/api/v1/works").json()["items"]] == [
        "Second Light Title"
    ]


def test_a_guests_new_filter_is_counted_without_the_sidebars_facets(api, client, shelf):
    """The API shows no sidebar, so a guest's first visit to a filter reads the count and the
    first works from the tag-array table (PostgreSQL) without counting tags for facets; the
    works and count are still the page's. The page's own first visit counts the facets."""
    params = {"include_freeform_ids": [tag_id("Fluff")], "sort": "kudos", "words": ">0"}
    with CaptureQueriesContext(connection) as captured:
        pages, count = api_pages(api, params, limit=50)
    statements = [q["sql"] for q in captured if "WITH found AS MATERIALIZED" in q["sql"]]
    with CaptureQueriesContext(connection) as page_queries:
        listed = html_listing(client, html_query(params))
    page_statements = [q["sql"] for q in page_queries if "WITH found" in q["sql"]]
    assert pages == [listed] and count == len(listed) == 9
    if connection.vendor == "postgresql":
        assert len(statements) == 1
        assert "unnest" not in statements[0] and "ranked" not in statements[0]
        assert len(page_statements) == 1 and "ranked" in page_statements[0]
    else:
        assert statements == [] and page_statements == []


def test_a_filter_counted_by_the_api_first_still_gets_its_sidebar_in_one_statement(
    api, client, shelf, monkeypatch
):
    """The API caches the count of a filter it visited first, but no facets: the page's
    visit after it shows the same sidebar as a page visited first, and on PostgreSQL reads
    it with the count in one statement rather than by the listing's slower queries."""
    monkeypatch.setattr(options, "CACHE_FROM", 1)
    params = {"include_freeform_ids": [tag_id("Fluff")], "sort": "kudos", "words": ">0"}
    query = html_query(params)
    alone = client.get(f"/works?{query}").content.decode()
    sidebar = re.findall(r'for="include_\w+?_ids_\d+">([^<]+)</label>', alone)
    assert "Fluff (9)" in sidebar
    cache.clear()
    api_pages(api, params, limit=50)
    with CaptureQueriesContext(connection) as captured:
        after_api = client.get(f"/works?{query}").content.decode()
    assert re.findall(r'for="include_\w+?_ids_\d+">([^<]+)</label>', after_api) == sidebar
    statements = [q["sql"] for q in captured if "WITH found AS MATERIALIZED" in q["sql"]]
    if connection.vendor == "postgresql":
        assert len(statements) == 1 and "ranked" in statements[0]
    else:
        assert statements == []
