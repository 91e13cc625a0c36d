"""A guest's filtered listing of the whole archive (a tag's works, /works) read from the
tag-array table alone on PostgreSQL (works.listing.presort, `decides`): the same works,
count and sidebar as the listing's own query, in one statement for the works and the
facets; and the facets' ranking, which looks up the tags found on one work only when a type
needs them, offering the same leaders as counting every tag."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tags.models import TagType
from tests.factories import make_user, make_work
from works.listing import presort
from works.models import Work, WorkStats
from works.services import collections as services_collections

pytestmark = pytest.mark.django_db

FANDOM = "Pruned Meadow"
ON_POSTGRES = connection.vendor == "postgresql"
USER_TYPES = {
    TagType.FANDOM: "fandom",
    TagType.RELATIONSHIP: "relationship",
    TagType.CHARACTER: "character",
    TagType.FREEFORM: "freeform",
}


def sidebar(response) -> dict[str, list[str]]:
    """The include checkboxes' labels by group key, in order ("Name (n)")."""
    assert response.status_code == 200
    found = {}
    for key, label in re.findall(
        r'for="include_(\w+?)_ids_\d+">([^<]+)</label>', response.content.decode()
    ):
        found.setdefault(key, []).append(label)
    return found


def works_listed(response) -> list[int]:
    return [int(i) for i in re.findall(r'<li id="work_(\d+)"', response.content.decode())]


def expected_leaders(counts: dict[str, int]) -> list[str]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].lower()))
    return [f"{name} ({n})" for name, n in ranked[:10]]


@pytest.fixture
def meadow(author):
    """Eight works in one fandom. Each type of user tags has tags on two works or more and
    tags on one work only; ratings have one used once. Returns {type: {name: count}}."""

    def names(prefix, count):
        return [f"{prefix} {n:02}" for n in range(count)]

    shared = {t: names(f"Shared {label}", 11) for t, label in USER_TYPES.items()}
    shared[TagType.CHARACTER] = names("Shared character", 3)  # too few: needs the once-tags
    once = {t: [f"Once {label} {n}" for n in range(3)] for t, label in USER_TYPES.items()}
    counts = {t: {} for t in USER_TYPES}
    ratings = {}
    for n in range(8):
        rating = "Explicit" if n == 7 else "General Audiences"
        tags = {TagType.RATING: [rating], TagType.FANDOM: [FANDOM]}
        for tag_type in USER_TYPES:
            chosen = [name for i, name in enumerate(shared[tag_type]) if (i + n) % 4 != 0]
            chosen += [once[tag_type][n]] if n < 3 else []
            tags[tag_type] = tags.get(tag_type, []) + chosen
            for name in chosen:
                counts[tag_type][name] = counts[tag_type].get(name, 0) + 1
        ratings[rating] = ratings.get(rating, 0) + 1
        make_work(creator=author, tags=tags)
    counts[TagType.FANDOM][FANDOM] = 8
    return counts, ratings


def listing(client, params, *, table=True):
    with CaptureQueriesContext(connection) as queries:
        if table:
            response = client.get(f"/tags/{FANDOM}/works", params)
        else:
            real = presort.for_listing
            presort.for_listing = lambda *args, **kwargs: None
            try:
                response = client.get(f"/tags/{FANDOM}/works", params)
            finally:
                presort.for_listing = real
    return response, queries


PARAMS = {"work_search[sort_column]": "kudos_count", "work_search[words_from]": "1"}


def test_a_guest_sees_each_types_leaders_and_every_rating_used(client, meadow):
    counts, ratings = meadow
    response, _ = listing(client, PARAMS)
    found = sidebar(response)
    for tag_type, label in USER_TYPES.items():
        assert found[label] == expected_leaders(counts[tag_type]), label
    # Three shared characters are not ten: the characters on one work are offered too.
    assert "Once character 0 (1)" in found["character"]
    # Ten relationships on two works or more: one found on one work only is not a leader.
    assert not any(label.startswith("Once relationship") for label in found["relationship"])
    assert found["rating"] == expected_leaders(ratings)  # Explicit, on one work, included


@pytest.mark.parametrize("who", ["guest", "reader"])
def test_the_table_lists_what_the_listings_query_lists(client, author, meadow, who):
    """Works, count and sidebar through the table (the guest: the table decides; the reader:
    checked against the listing's query) and through the listing's query alone."""
    owner, other = make_user(), make_user()
    works = list(Work.objects.order_by("pk"))
    fest = services_collections.collection_create(
        owner=owner, fields={"name": "hushed", "title": "Hushed", "is_unrevealed": True}
    )
    services_collections.collection_add_work(collection=fest, work=works[0], user=author)
    WorkStats.objects.filter(work=works[1]).delete()  # no counters: not in a kudos listing
    Work.objects.filter(pk=works[2].pk).update(restricted=True)
    if who == "reader":
        client.force_login(other)
    through_table, _ = listing(client, PARAMS)
    own_query, _ = listing(client, PARAMS, table=False)
    assert works_listed(through_table) == works_listed(own_query)
    assert sidebar(through_table) == sidebar(own_query)
    listed = set(works_listed(through_table))
    assert works[0].pk not in listed and works[1].pk not in listed
    assert (works[2].pk in listed) is (who == "reader")


def test_a_guests_first_visit_reads_works_and_facets_in_one_statement(client, meadow):
    response, queries = listing(client, PARAMS)
    assert len(works_listed(response)) == 8
    sqls = [q["sql"] for q in queries]
    candidates = [sql for sql in sqls if "WITH found AS MATERIALIZED" in sql]
    grouped = [sql for sql in sqls if "works_filtertagging ft" in sql]
    checks = [sql for sql in sqls if sql.startswith('SELECT "works_work"."id" AS "pk"')]
    if ON_POSTGRES:
        assert len(candidates) == 1 and "ranked" in candidates[0]
        assert grouped == [] and checks == []  # no facets from filter rows, no check
    else:
        assert candidates == [] and len(grouped) == 1


def test_a_page_beyond_the_first_ids_is_read_in_order(client, meadow, monkeypatch):
    """A first visit orders only the first FIRST_IDS works; a page beyond them (here the
    second page, with FIRST_IDS at 3 and 4 works a page) reads its own, in the same order
    as the listing's query."""
    import works.listing.pages

    monkeypatch.setattr(presort, "FIRST_IDS", 3)
    monkeypatch.setattr(works.listing.pages, "WORKS_PER_PAGE", 4)
    params = {**PARAMS, "page": 2}
    through_table, _ = listing(client, params)
    own_query, _ = listing(client, params, table=False)
    assert len(works_listed(through_table)) == 4
    assert works_listed(through_table) == works_listed(own_query)
