"""Series and collections through the API: what their pages show each reader (guest, another
reader, the author, a site moderator, a collection's moderator), the secrets of anonymous and
unrevealed collections kept, 404s where the pages 404, and fixed query counts."""

import re

import pytest

from tests.api.conftest import token_for
from tests.factories import make_challenge, make_user, make_work
from tests.works.markup import parse, select, select_one, text
from works.models import WorkStats
from works.services import collections as cs
from works.services import posting as services
from works.services import series as series_services

pytestmark = pytest.mark.django_db


def add_to_series(series, work):
    services.work_set_series(work=work, series=[series])
    return work


def page_titles(client, url, user=None):
    """The titles of the works a series page lists to `user`."""
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    root = parse(client.get(url).content)
    return [text(select(h4, "a")[0]) for h4 in select(root, "ul.work.index li.blurb h4.heading")]


def read_token(user):
    return token_for(user, "read") if user is not None else None


class Shelf:
    """A series of `author`'s with a public work, a draft, a hidden work, a work in an
    anonymous collection and one in an unrevealed collection (both run by `runner`)."""

    def __init__(self):
        self.author = make_user(username="shelfwriter")
        self.runner = make_user(username="fest_runner")
        self.series = services.series_create(creator=self.author, title="Shelf of Lamps")
        make = self._work
        self.public = make("Open Lamp")
        self.draft = make("Draft Lamp", post=False)
        self.hidden = make("Hidden Lamp")
        services.work_update(work=self.hidden, fields={"hidden_by_moderator": True})
        self.anonymous = make("Masked Lamp")
        self.unrevealed = make("Veiled Lamp")
        for work, flag in ((self.anonymous, "is_anonymous"), (self.unrevealed, "is_unrevealed")):
            collection = cs.collection_create(
                owner=self.runner, fields={"name": f"fest_{flag}", "title": flag, flag: True}
            )
            cs.collection_add_work(collection=collection, work=work, user=self.author)

    def _work(self, title, **fields):
        return add_to_series(self.series, make_work(creator=self.author, title=title, **fields))


def test_series_shows_what_its_page_shows(api, client):
    author = make_user(username="keeper")
    series = services.series_create(creator=author, title="Lighthouse Keepers")
    works = [add_to_series(series, make_work(creator=author, title=t)) for t in ("One", "Two")]
    series_services.series_update(
        series=series,
        fields={"description": "Three keepers of *one* light.", "is_complete": True},
    )
    WorkStats.objects.filter(work=works[0]).update(bookmarks=3)
    page = parse(client.get(f"/series/{series.pk}").content)
    stats = {
        dt.get("class"): text(dd)
        for dt, dd in zip(
            select(page, "dd.stats dl.stats > dt"),
            select(page, "dd.stats dl.stats > dd"),
            strict=True,
        )
    }

    answer = api.get(f"/api/v1/series/{series.pk}").json()

    assert answer["title"] == text(select_one(page, "h2.heading")) == "Lighthouse Keepers"
    assert [c["url"] for c in answer["creators"]] == [
        a.get("href") for a in select(page, "dd.creators a[rel=author]")
    ]
    assert answer["creators"][0]["byline"] == "keeper"
    assert answer["description_html"] == "<p>Three keepers of <em>one</em> light.</p>"
    assert str(answer["word_count"]) == stats["words"].replace(",", "")
    assert (answer["works_count"], answer["bookmarks_count"], answer["is_complete"]) == (2, 3, True)
    assert [(w["position"], w["title"]) for w in answer["works"]] == [(1, "One"), (2, "Two")]
    assert answer["works"][0]["id"] == works[0].pk
    assert answer["works_url"] == f"/api/v1/works?series_id={series.pk}"
    assert answer["begun_at"] and answer["updated_at"]


@pytest.mark.parametrize("who", ["guest", "reader", "author", "moderator", "runner"])
def test_series_lists_the_works_its_page_lists_to_each_reader(api, client, moderator, who):
    shelf = Shelf()
    user = {
        "guest": None,
        "reader": make_user(),
        "author": shelf.author,
        "moderator": moderator,
        "runner": shelf.runner,
    }[who]
    on_page = page_titles(client, f"/series/{shelf.series.pk}", user)

    answer = api.get(f"/api/v1/series/{shelf.series.pk}", token=read_token(user)).json()

    assert [w["title"] for w in answer["works"]] == on_page
    expected = {
        "guest": ["Open Lamp"],
        "reader": ["Open Lamp"],
        "author": ["Open Lamp", "Hidden Lamp", "Masked Lamp", "Veiled Lamp"],
        "moderator": ["Open Lamp", "Hidden Lamp"],
        "runner": ["Open Lamp", "Masked Lamp", "Veiled Lamp"],
    }[who]
    assert on_page == expected
    body = api.get(f"/api/v1/series/{shelf.series.pk}", token=read_token(user)).content.decode()
    assert "Draft Lamp" not in body


def test_a_series_of_hidden_things_is_404_to_readers_but_not_to_its_creator(api):
    author = make_user(username="secretive")
    series = services.series_create(creator=author, title="Nothing Yet")
    add_to_series(series, make_work(creator=author, title="Unposted", post=False))
    url = f"/api/v1/series/{series.pk}"
    assert api.get(url).status_code == 404
    assert api.get(url, token=read_token(make_user())).status_code == 404
    mine = api.get(url, token=read_token(author))
    assert mine.status_code == 200 and mine.json()["works"] == []
    assert "Nothing Yet" not in api.get(url).content.decode()


def test_a_restricted_series_asks_a_guest_to_log_in(api):
    author = make_user(username="restricting")
    series = services.series_create(creator=author, title="Members Only")
    add_to_series(series, make_work(creator=author, title="Open"))
    add_to_series(series, make_work(creator=author, title="Locked", restricted=True))
    guest = api.get(f"/api/v1/series/{series.pk}")
    assert guest.status_code == 401 and guest["Content-Type"] == "application/problem+json"
    assert "Members Only" not in guest.content.decode()
    member = api.get(f"/api/v1/series/{series.pk}", token=read_token(make_user())).json()
    assert [w["title"] for w in member["works"]] == ["Open", "Locked"]


@pytest.mark.parametrize("series_id", ["424242", "0", str(2**63), str(2**90)])
def test_unknown_and_huge_series_ids_are_404(api, series_id):
    response = api.get(f"/api/v1/series/{series_id}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_series_takes_the_same_queries_for_n_and_2n_works(api, django_assert_num_queries):
    author = make_user(username="prolific")
    series = services.series_create(creator=author, title="Long Series")
    for n in range(3):
        add_to_series(series, make_work(creator=author, title=f"Part {n}"))
    with django_assert_num_queries(6) as small:
        assert len(api.get(f"/api/v1/series/{series.pk}").json()["works"]) == 3
    for n in range(3, 6):
        add_to_series(series, make_work(creator=author, title=f"Part {n}"))
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(api.get(f"/api/v1/series/{series.pk}").json()["works"]) == 6


# --- collections ---------------------------------------------------------------------------


def make_collection(owner, name, **fields):
    fields = {"name": name, "title": name.replace("_", " ").title(), **fields}
    moderators = fields.pop("moderators", ())
    return cs.collection_create(owner=owner, fields=fields, moderators=moderators)


def test_collections_list_as_the_index_page(api, client):
    owner = make_user(username="curator")
    parent = make_collection(owner, "big_bang")
    make_collection(owner, "big_bang_art", parent=parent)
    make_collection(owner, "advent")
    page = parse(client.get("/collections").content)
    on_page = [text(a) for a in select(page, "ul.collection.index a")]

    answer = api.get("/api/v1/collections").json()

    listed = []
    for item in answer["results"]:
        listed += [item["title"]] + [child["title"] for child in item["children"]]
    assert listed == on_page == ["Advent", "Big Bang", "Big Bang Art"]
    assert answer["count"] == 2
    assert answer["results"][1]["api_url"] == "/api/v1/collections/big_bang"


def test_collection_shows_what_its_page_shows(api, client):
    owner = make_user(username="curator")
    helper = make_user(username="helper")
    parent = make_collection(owner, "big_bang")
    collection = make_collection(
        owner,
        "swap",
        parent=parent,
        description="A *friendly* swap.",
        is_moderated=True,
        moderators=[helper],
    )
    make_challenge(collection=collection)
    make_collection(owner, "swap_extras", parent=collection)
    author = make_user(username="swapper")
    for title in ("Gift One", "Gift Two"):
        work = make_work(creator=author, title=title)
        item = cs.collection_add_work(collection=collection, work=work, user=author)
    cs.item_approve(item=item, moderator=owner)
    page = parse(client.get("/collections/swap").content)
    page_count = int(re.sub(r"\D", "", text(select(page, "div.works.module ul.actions a")[0])))

    answer = api.get("/api/v1/collections/swap").json()

    assert answer["title"] == text(select_one(page, "h2.heading")) == "Swap"
    assert answer["owner"]["login"] == text(select_one(page, "dd.owner a")) == "curator"
    assert [m["login"] for m in answer["moderators"]] == ["helper"]
    assert answer["owner"]["url"] == select_one(page, "dd.owner a").get("href")
    assert answer["description_html"] == "<p>A <em>friendly</em> swap.</p>"
    flags = [answer[f] for f in ("is_closed", "is_moderated", "is_anonymous", "is_unrevealed")]
    assert flags == [False, True, False, False]
    assert text(select_one(page, "dl.collection.meta dd.status")) == "Open, Moderated"
    assert answer["challenge"]["kind"] == "gift_exchange"
    assert answer["parent"]["name"] == "big_bang"
    assert [c["name"] for c in answer["children"]] == ["swap_extras"]
    assert answer["works_count"] == page_count == 1
    assert answer["pending_count"] is None
    assert answer["works_url"] == "/api/v1/works?collection=swap"
    as_owner = api.get("/api/v1/collections/swap", token=read_token(owner)).json()
    as_helper = api.get("/api/v1/collections/swap", token=read_token(helper)).json()
    assert as_owner["pending_count"] == as_helper["pending_count"] == 1
    assert as_owner["works_count"] == 1
    plain = api.get("/api/v1/collections/big_bang").json()
    assert plain["challenge"] is None and plain["parent"] is None


@pytest.mark.parametrize("flag", ["is_anonymous", "is_unrevealed"])
@pytest.mark.parametrize("who", ["guest", "reader", "author", "moderator"])
def test_a_secret_collection_keeps_its_secrets(api, client, flag, who):
    owner = make_user(username="fest_owner")
    helper = make_user(username="fest_helper")
    collection = make_collection(owner, "secret_fest", moderators=[helper], **{flag: True})
    author = make_user(username="hidden_hand")
    work = make_work(creator=author, title="Lantern Under Saltwater")
    cs.collection_add_work(collection=collection, work=work, user=author)
    user = {"guest": None, "reader": make_user(), "author": author, "moderator": helper}[who]
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    page = parse(client.get("/collections/secret_fest").content)
    page_count = int(re.sub(r"\D", "", text(select(page, "div.works.module ul.actions a")[0])))

    response = api.get("/api/v1/collections/secret_fest", token=read_token(user))

    assert response.json()["works_count"] == page_count == 1
    assert response.json()[flag] is True
    body = response.content.decode()
    assert "hidden_hand" not in body and "Lantern Under Saltwater" not in body


@pytest.mark.parametrize("name", ["no_such_collection", "x" * 300, "..", "%00"])
def test_unknown_collections_are_404(api, name):
    response = api.get(f"/api/v1/collections/{name}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_bad_page_parameters_are_422_problems(api):
    response = api.get("/api/v1/collections", {"limit": 500, "page": -1})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"limit", "page"}


def test_collections_take_the_same_queries_for_n_and_2n_items(api, django_assert_num_queries):
    owner = make_user(username="many")
    main = make_collection(owner, "main_fest")
    moderators = []

    def grow(start, n):
        for i in range(start, start + n):
            make_collection(owner, f"top_{i}")
            make_collection(owner, f"child_{i}", parent=main)
            moderators.append(make_user())
            cs.collection_update(collection=main, fields={}, moderators=moderators)
            work = make_work(creator=owner)
            cs.collection_add_work(collection=main, work=work, user=owner)

    grow(0, 2)
    with django_assert_num_queries(3) as small_list:
        api.get("/api/v1/collections")
    with django_assert_num_queries(5) as small_detail:
        assert api.get("/api/v1/collections/main_fest").json()["works_count"] == 2
    grow(2, 2)
    with django_assert_num_queries(len(small_list.captured_queries)):
        assert len(api.get("/api/v1/collections").json()["results"]) == 5
    with django_assert_num_queries(len(small_detail.captured_queries)):
        answer = api.get("/api/v1/collections/main_fest").json()
    assert answer["works_count"] == 4 and len(answer["children"]) == 4


def test_the_generated_client_reads_series_and_collections(api_client):
    from out.api.collections import collection_get, collections_list
    from out.api.series import series_get

    author = make_user(username="programmatic")
    series = services.series_create(creator=author, title="Read by a Program")
    add_to_series(series, make_work(creator=author, title="Only Part"))
    make_collection(author, "program_fest", is_unrevealed=True)
    client = api_client()
    read = series_get.sync(client=client, series_id=series.pk)
    assert read.title == "Read by a Program" and [w.title for w in read.works] == ["Only Part"]
    assert series_get.sync_detailed(client=client, series_id=2**62).status_code == 404
    listed = collections_list.sync(client=client, limit=10)
    assert [c.name for c in listed.results] == ["program_fest"]
    fest = collection_get.sync(client=client, name="program_fest")
    assert fest.is_unrevealed and fest.owner.login == "programmatic" and fest.challenge is None
