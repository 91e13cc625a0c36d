"""Filtered listings sorted before they are checked (works.listing.presort, PostgreSQL): the same
works in the same order as the listing's own query, for every reader and every sort the
tag-array table holds, and the table's copied columns kept exact by triggers."""

import datetime
import random
import re

import pytest
from django.db import connection
from django.utils import timezone

from archive.models import Mute
from tags.models import Tag, TagType
from tests.factories import make_chapter, make_user, make_work
from works import hits
from works.listing import options, presort, tagsets
from works.models import ExcludedTag, Work, WorkStats
from works.services import collections as services_collections
from works.services import posting as services

pytestmark = pytest.mark.django_db

FANDOM = "Harbour Tales"
ON_POSTGRES = connection.vendor == "postgresql"


def ids(response):
    assert response.status_code == 200
    return [int(i) for i in re.findall(r'<li id="work_(\d+)"', response.content.decode())]


def heading(response):
    return re.search(r'<h2 class="heading">([^<]*)', response.content.decode()).group(1).strip()


@pytest.fixture
def harbour(author):
    """26 works in one fandom with spread (and tied) counters, lengths and dates, and the
    works only some readers may list: restricted, hidden, in an unrevealed collection, by
    a muted user, under a tag the reader excluded."""
    rng = random.Random(7)
    now = timezone.now()
    made = []
    for n in range(20):
        freeforms = ["Fog"] + (["Spiders"] if n % 5 == 0 else [])
        work = make_work(
            creator=author,
            title=f"Harbour {n:02}",
            tags={TagType.FANDOM: [FANDOM], TagType.FREEFORM: freeforms},
        )
        made.append(work)
    muted, other = make_user(username="muted_writer"), make_user(username="other_writer")
    special = {
        "restricted": make_work(creator=other, restricted=True),
        "hidden": make_work(creator=author),
        "unrevealed": make_work(creator=other),
        "muted": make_work(creator=muted),
        "excluded": make_work(creator=other, tags={TagType.FREEFORM: ["Unwanted"]}),
        "second_chapter": make_work(creator=other, chapters=2),
    }
    for work in special.values():
        services.work_update(
            work=work,
            fields={},
            tag_names={
                TagType.RATING: ["General Audiences"],
                TagType.WARNING: ["No Archive Warnings Apply"],
                TagType.FANDOM: [FANDOM],
                TagType.FREEFORM: ["Fog", *[t.name for t in work.tags.filter(type="freeform")]],
            },
            editor=author,
        )
    Work.objects.filter(pk=special["hidden"].pk).update(hidden_by_moderator=True)
    owner = make_user()
    fest = services_collections.collection_create(
        owner=owner,
        fields={"name": "quiet_fest", "title": "Quiet Fest", "is_unrevealed": True},
    )
    services_collections.collection_add_work(
        collection=fest, work=special["unrevealed"], user=other
    )
    everything = made + list(special.values())
    for work in everything:
        kudos = rng.choice([0, 3, 3, 8, 15, 40])  # ties, broken by id
        WorkStats.objects.filter(work=work).update(
            kudos=kudos, hits=rng.randrange(500), comments=rng.randrange(4), bookmarks=kudos // 3
        )
        Work.objects.filter(pk=work.pk).update(
            word_count=rng.choice([400, 1200, 1200, 5000, 60000]),
            revised_at=now - datetime.timedelta(days=rng.randrange(30)),
            published_at=(now - datetime.timedelta(days=30 + rng.randrange(30))).date(),
        )
    return everything, special, muted


def readers(author, harbour):
    _, special, muted = harbour
    reader = make_user(username="picky_reader")
    Mute.objects.create(muter=reader, muted=muted)
    ExcludedTag.objects.create(user=reader, tag=Tag.objects.get(name="Unwanted"))
    moderator = make_user(username="mod_on_duty", is_superuser=True, is_staff=True)
    return {"guest": None, "reader": reader, "creator": author, "moderator": moderator}


QUERIES = [
    {},
    {"work_search[words_from]": "1000", "work_search[words_to]": "50000"},
    {"work_search[kudos_count]": ">3", "work_search[hits]": "10-400"},
    {"work_search[date_from]": "2000-01-01", "work_search[date_to]": "2999-12-31"},
]


def listing_of(client, params, monkeypatch, *, sorted_first: bool):
    """Both pages of the fandom's listing, through works.listing.presort or without it."""
    with monkeypatch.context() as patch:
        if not sorted_first:
            patch.setattr(presort, "for_listing", lambda *args, **kwargs: None)
        pages = [client.get(f"/tags/{FANDOM}/works", {**params, "page": n}) for n in (1, 2)]
    return [(heading(page), ids(page)) for page in pages]


def test_a_listing_sorted_first_lists_what_its_own_query_lists(
    client, author, harbour, monkeypatch
):
    calls = []
    real_check = presort.Presorted.check
    monkeypatch.setattr(
        presort.Presorted, "check", lambda self, c: calls.append(len(c)) or real_check(self, c)
    )
    compared = 0
    for name, user in readers(author, harbour).items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for column in presort.SORT_COLUMNS:
            for direction in ("desc", "asc"):
                for query in QUERIES:
                    params = {
                        **query,
                        "work_search[sort_column]": column,
                        "work_search[sort_direction]": direction,
                    }
                    expected = listing_of(client, params, monkeypatch, sorted_first=False)
                    found = listing_of(client, params, monkeypatch, sorted_first=True)
                    assert found == expected, (name, params)
                    compared += 1
    assert compared == 4 * 7 * 2 * len(QUERIES)
    # On PostgreSQL every one of those listings went through the table; elsewhere none.
    assert bool(calls) is ON_POSTGRES


def test_readers_see_different_works_in_a_sorted_first_listing(client, author, harbour):
    everything, special, _ = harbour
    params = {"work_search[sort_column]": "kudos_count"}

    def listed(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return {
            pk
            for n in (1, 2)
            for pk in ids(client.get(f"/tags/{FANDOM}/works", {**params, "page": n}))
        }

    people = readers(author, harbour)
    pks = {key: work.pk for key, work in special.items()}
    guest = listed(None)
    assert {pks["restricted"], pks["hidden"], pks["unrevealed"]}.isdisjoint(guest)
    assert {pks["muted"], pks["excluded"]} <= guest
    reader = listed(people["reader"])
    assert pks["restricted"] in reader
    assert {pks["hidden"], pks["muted"], pks["excluded"]}.isdisjoint(reader)
    assert pks["hidden"] in listed(people["creator"])
    assert pks["hidden"] in listed(people["moderator"])


def test_a_page_read_after_the_count_was_cached_is_sorted_first_too(
    client, author, harbour, monkeypatch
):
    """A result of CACHE_FROM works or more has its count cached; later pages are read
    through the table alone (no ids from the count), in the same order."""
    monkeypatch.setattr(options, "CACHE_FROM", 5)
    params = {"work_search[sort_column]": "hits", "work_search[words_to]": "100000"}
    expected = listing_of(client, params, monkeypatch, sorted_first=False)
    total = int(expected[1][0].split(" of ")[1].split()[0])
    assert total > 20  # two pages
    first = listing_of(client, params, monkeypatch, sorted_first=True)
    firsts = []
    real_first = presort.Presorted.first
    monkeypatch.setattr(
        presort.Presorted, "first", lambda self, stop: firsts.append(stop) or real_first(self, stop)
    )
    again = listing_of(client, params, monkeypatch, sorted_first=True)
    assert first == again == expected
    assert firsts == ([20, total] if ON_POSTGRES else [])


def test_a_page_is_filled_when_the_check_drops_candidates(client, author, harbour, monkeypatch):
    """Candidates the listing's query drops (here: most of them, by muting their writer)
    are replaced by reading further, so a page is never short."""
    monkeypatch.setattr(options, "CACHE_FROM", 5)
    everything, _, _ = harbour
    reader = make_user()
    writer = make_user(username="prolific")
    for work in everything[:18]:
        services.work_update(work=work, fields={}, editor=author)
        work.creators.add(writer, through_defaults={"pseud": writer.pseuds.get()})
    Mute.objects.create(muter=reader, muted=writer)
    client.force_login(reader)
    params = {"work_search[sort_column]": "kudos_count"}
    expected = listing_of(client, params, monkeypatch, sorted_first=False)
    total = int(expected[0][0].split()[0])
    assert len(expected[0][1]) == total >= 5  # one full page
    client.get(f"/tags/{FANDOM}/works", params)  # the count is cached now
    limits = []
    real_candidates = presort.Presorted.candidates
    monkeypatch.setattr(presort, "MARGIN", 0)
    monkeypatch.setattr(
        presort.Presorted,
        "candidates",
        lambda self, limit: limits.append(limit) or real_candidates(self, limit),
    )
    assert listing_of(client, params, monkeypatch, sorted_first=True) == expected
    if ON_POSTGRES:  # read further: 4 times as many candidates
        assert limits[:2] == [total, total * 4]


def test_listings_follow_writes_to_works_and_stats(client, author, reader, harbour, monkeypatch):
    """Kudos, hits, a new chapter, a restriction, a lost stats row, an unposted and a deleted
    work all show in the next sorted listing; on PostgreSQL the table's copied columns are
    kept exact by its triggers."""
    from works.services import feedback as services_feedback

    everything, _, _ = harbour
    work = everything[0]
    gone = {everything[1].pk, everything[4].pk, everything[5].pk}  # guests no longer see
    WorkStats.objects.filter(work=work).update(kudos=40)  # as many as the most loved
    for _ in range(3):
        services_feedback.kudos_add(work=work, user=make_user(), ip=None)
    make_chapter(work, body="word " * 700)
    services.work_update(work=everything[1], fields={"restricted": True}, editor=author)
    hits.hit_record(everything[2].pk, "visitor-1")
    hits.flush()
    WorkStats.objects.filter(work=everything[3]).delete()
    Work.objects.filter(pk=everything[4].pk).update(posted=False)
    services.work_delete(work=everything[5])
    listed = {}
    for column in ("kudos_count", "word_count", "hits", "revised_at"):
        params = {"work_search[sort_column]": column}
        expected = listing_of(client, params, monkeypatch, sorted_first=False)
        assert listing_of(client, params, monkeypatch, sorted_first=True) == expected
        listed[column] = [pk for _, page in expected for pk in page]
        assert gone.isdisjoint(listed[column])
    assert listed["kudos_count"][0] == work.pk  # 3 kudos more than the most loved
    assert everything[3].pk not in listed["kudos_count"]  # no stats row: no counters
    assert everything[3].pk in listed["revised_at"]
    if not ON_POSTGRES:
        assert not tagsets.available()
        return
    assert tagsets.mismatches() == []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kudos, word_count FROM {tagsets.TABLE} WHERE work_id = %s", [work.pk]
        )
        stats = WorkStats.objects.get(work=work)
        assert cursor.fetchone() == (stats.kudos, Work.objects.get(pk=work.pk).word_count)
        # The check notices a row that drifted.
        cursor.execute(
            f"UPDATE {tagsets.TABLE} SET kudos = kudos + 1 WHERE work_id = %s", [work.pk]
        )
    assert tagsets.mismatches() == [work.pk]


def test_a_result_too_big_to_sort_first_is_listed_by_its_own_query(
    client, author, harbour, monkeypatch
):
    """Beyond EXACT_LIMIT candidates (a big fandom's own page) the table stops reading and
    the listing's query lists the page, counted with COUNT(*); the works are the same."""
    monkeypatch.setattr(options, "EXACT_LIMIT", 5)
    answers = []

    def recording(real):
        def recorded(self, most, **kwargs):
            answers.append(real(self, most, **kwargs))
            return answers[-1]

        return recorded

    for name in ("all_candidates", "first_visit"):  # a member's listing, a guest's
        monkeypatch.setattr(presort.Presorted, name, recording(getattr(presort.Presorted, name)))
    for column in ("kudos_count", "revised_at"):
        params = {"work_search[sort_column]": column}
        expected = listing_of(client, params, monkeypatch, sorted_first=False)
        assert listing_of(client, params, monkeypatch, sorted_first=True) == expected
        assert expected[0][0].startswith("1 - 20 of ")
    assert answers == ([None] * 4 if ON_POSTGRES else [])
