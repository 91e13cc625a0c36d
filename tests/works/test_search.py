"""/works/search: the query box's operators, the advanced fields, the header's quick search,
ranking on PostgreSQL and the simple match on SQLite, and what a reader excluded."""

import re

import pytest
from django.db import connection
from django.http import QueryDict

from archive.models import Mute
from tags.models import Tag, TagType
from tests.factories import make_user, make_work
from works.listing.filters import WorkFilter
from works.models import ExcludedTag, Work, WorkSearch, WorkStats
from works.services import posting as services

pytestmark = pytest.mark.django_db


def parse(query: str) -> WorkFilter:
    params = QueryDict(mutable=True)
    params["work_search[query]"] = query
    return WorkFilter.from_query(params)


def ids(response):
    assert response.status_code == 200
    return [int(i) for i in re.findall(r'<li id="work_(\d+)"', response.content.decode())]


def search(client, query, **fields):
    params = {"work_search[query]": query}
    params.update({f"work_search[{name}]": value for name, value in fields.items()})
    return client.get("/works/search", params)


# Parsing the query box -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name", "bounds", "rest"),
    [
        ("words>1000", "words", [1001, None], ""),
        ("words>=1000 dragons", "words", [1000, None], "dragons"),
        ("kudos>=10", "kudos", [10, None], ""),
        ("hits<500", "hits", [None, 499], ""),
        ("hits<=500", "hits", [None, 500], ""),
        ("comments=3", "comments", [3, 3], ""),
        ("words:1000-5000 slow burn", "words", [1000, 5000], "slow burn"),
        ("bookmarks > 5", "bookmarks", [6, None], ""),
    ],
)
def test_query_operators_become_ranges(query, name, bounds, rest):
    f = parse(query)
    assert f.ranges == {name: bounds}
    assert f.query == rest


def test_sort_in_the_query_box():
    f = parse("sort:kudos lighthouse")
    assert (f.sort_column, f.query) == ("kudos_count", "lighthouse")
    f = parse("sort:title:asc")
    assert (f.sort_column, f.sort_direction, f.query) == ("title_to_sort_on", "asc", "")


def test_words_that_only_look_like_operators_stay_free_text():
    f = parse("sort:nonsense x-words>3 Kirk/Spock")
    assert f.ranges == {}
    assert f.query == "sort:nonsense x-words>3 Kirk/Spock"
    assert f.sort_column == "revised_at"


def test_advanced_range_fields():
    query = QueryDict(mutable=True)
    query.update(
        {
            "work_search[word_count]": "1000-5000",
            "work_search[kudos_count]": ">10",
            "work_search[hits]": "<100",
            "work_search[comments_count]": "7",
        }
    )
    f = WorkFilter.from_query(query)
    assert f.ranges == {
        "words": [1000, 5000],
        "kudos": [11, None],
        "hits": [None, 99],
        "comments": [7, 7],
    }
    assert f.errors == {}


# The search page -------------------------------------------------------------------------


@pytest.fixture
def library(author):
    lighthouse = make_work(
        creator=author,
        title="The Lighthouse Keeper",
        summary="A quiet story about lamps.",
        tags={TagType.FREEFORM: ["Slow Burn"], TagType.CHARACTER: ["Keeper Ione"]},
    )
    mention = make_work(
        creator=make_user(username="quillwright"),
        title="Harbour Songs",
        summary="Songs sung near a lighthouse at dusk.",
        tags={TagType.FREEFORM: ["Songfic"]},
    )
    other = make_work(creator=author, title="Mountain Air", summary="No sea at all.")
    return lighthouse, mention, other


def test_search_form_page_has_ao3_fields(client):
    content = client.get("/works/search").content.decode()
    for name in (
        "query",
        "title",
        "creators",
        "complete",
        "crossover",
        "single_chapter",
        "word_count",
        "language_id",
        "fandom_names",
        "rating_ids",
        "character_names",
        "relationship_names",
        "freeform_names",
        "hits",
        "kudos_count",
        "comments_count",
        "bookmarks_count",
        "sort_column",
    ):
        assert f'name="work_search[{name}]"' in content, name
    assert 'name="include_work_search[archive_warning_ids][]"' in content
    assert 'name="include_work_search[category_ids][]"' in content


def test_free_text_finds_title_summary_tags_and_creators(client, library):
    lighthouse, mention, other = library
    assert sorted(ids(search(client, "lighthouse"))) == sorted([lighthouse.pk, mention.pk])
    assert ids(search(client, "slow burn")) == [lighthouse.pk]
    assert ids(search(client, "quillwright")) == [mention.pk]
    assert ids(search(client, "lighthouse -songs")) == [lighthouse.pk]
    assert ids(search(client, "nothingmatchesthis")) == []


def test_title_ranks_above_summary_on_postgresql(client, library):
    lighthouse, mention, _other = library
    # Make the summary-only match the newer one, so date order would put it first.
    Work.objects.filter(pk=mention.pk).update(revised_at=lighthouse.revised_at.replace(year=2099))
    found = ids(search(client, "lighthouse"))
    if connection.vendor == "postgresql":
        assert found == [lighthouse.pk, mention.pk]  # ts_rank: title weighs A, summary C
    else:
        assert found == [mention.pk, lighthouse.pk]  # SQLite: no ranking, newest first


def test_stemming_on_postgresql_and_substring_on_sqlite(client, library):
    lighthouse, _mention, _other = library
    found = ids(search(client, "keepers"))
    if connection.vendor == "postgresql":
        assert found == [lighthouse.pk]  # "keepers" and "Keeper" share a stem
    else:
        assert found == []  # "keepers" is not a substring of "Keeper"


def test_advanced_fields_narrow_the_search(client, library):
    lighthouse, mention, other = library
    assert ids(client.get("/works/search", {"work_search[title]": "harbour"})) == [mention.pk]
    assert ids(client.get("/works/search", {"work_search[creators]": "quill"})) == [mention.pk]
    names = {"work_search[character_names]": "Keeper Ione"}
    assert ids(client.get("/works/search", names)) == [lighthouse.pk]
    WorkStats.objects.update_or_create(work=other, defaults={"kudos": 50})
    assert ids(client.get("/works/search", {"work_search[kudos_count]": ">10"})) == [other.pk]
    assert ids(search(client, "kudos>10")) == [other.pk]
    single = client.get("/works/search", {"work_search[single_chapter]": "1"})
    assert len(ids(single)) == 3


def test_search_sorts_by_the_query_sort(client, library):
    lighthouse, mention, other = library
    WorkStats.objects.update_or_create(work=mention, defaults={"kudos": 5})
    WorkStats.objects.update_or_create(work=lighthouse, defaults={"kudos": 1})
    assert ids(search(client, "lighthouse sort:kudos")) == [mention.pk, lighthouse.pk]


def test_header_quick_search_sends_the_query_to_the_search_page(client, library):
    content = client.get("/works").content.decode()
    assert re.search(r'<form[^>]*id="search"[^>]*action="/works/search"', content)
    assert '<label for="site_search">' in content
    assert 'name="work_search[query]" id="site_search"' in content


def test_search_document_follows_edits_of_the_work_and_its_tags(client, author):
    work = make_work(creator=author, title="Before The Rename")
    assert ids(search(client, "rename")) == [work.pk]
    services.work_update(
        work=work,
        fields={"title": "Completely Different"},
        tag_names={
            TagType.RATING: ["General Audiences"],
            TagType.WARNING: ["No Archive Warnings Apply"],
            TagType.FANDOM: ["Brand New Fandom"],
        },
    )
    assert ids(search(client, "rename")) == []
    assert ids(search(client, "brand new fandom")) == [work.pk]
    assert WorkSearch.objects.get(work=work).title == "Completely Different"


def test_search_never_shows_or_counts_what_the_reader_may_not_see(client, author, reader):
    make_work(creator=author, title="Lantern Open")
    make_work(creator=author, title="Lantern Draft", post=False)
    locked = make_work(creator=author, title="Lantern Locked")
    services.work_update(work=locked, fields={"restricted": True})
    hidden = make_work(creator=author, title="Lantern Hidden")
    services.work_update(work=hidden, fields={"hidden_by_moderator": True})
    content = search(client, "lantern").content.decode()
    assert "1 Work Found" in content
    assert "Lantern Locked" not in content and "Lantern Draft" not in content
    assert "Lantern Hidden" not in content
    client.force_login(reader)
    assert "2 Works Found" in search(client, "lantern").content.decode()


def test_search_leaves_out_excluded_tags_and_muted_users(client, author, reader):
    kept = make_work(creator=make_user(), title="Lantern Kept")
    make_work(creator=author, title="Lantern Muted")
    make_work(creator=make_user(), title="Lantern Tagged", tags={TagType.FREEFORM: ["Wasps"]})
    Mute.objects.create(muter=reader, muted=author)
    ExcludedTag.objects.create(user=reader, tag=Tag.objects.get(name="Wasps"))
    client.force_login(reader)
    response = search(client, "lantern")
    assert ids(response) == [kept.pk]
    assert "1 Work Found" in response.content.decode()


def test_search_documents_rebuild_for_the_whole_archive(author):
    from works.listing.search import works_search_rebuild

    make_work(creator=author, title="One")
    make_work(creator=author, title="Two")
    WorkSearch.objects.all().delete()
    assert works_search_rebuild() == 2
    assert set(WorkSearch.objects.values_list("title", flat=True)) == {"One", "Two"}


def test_a_search_with_very_many_matches_says_so_instead_of_counting_them(client, monkeypatch):
    import works.listing.options

    monkeypatch.setattr(works.listing.options, "EXACT_LIMIT", 2)
    for n in range(4):
        make_work(title=f"Lantern {n}")
    content = search(client, "lantern sort:title").content.decode()
    assert "2+ Works Found" in content
    assert "4 Works" not in content


def test_best_match_ranks_only_the_newest_matches_of_a_huge_search(client, monkeypatch):
    import works.listing.counting

    monkeypatch.setattr(works.listing.counting, "RANK_CANDIDATES", 2)
    old = make_work(title="Lantern Lantern Lantern")  # the best match, but the oldest
    Work.objects.filter(pk=old.pk).update(revised_at=old.revised_at.replace(year=2001))
    newer = [make_work(summary=f"a lantern, number {n}") for n in range(3)]
    content = search(client, "lantern").content.decode()
    found = ids(search(client, "lantern"))
    if connection.vendor == "postgresql":
        assert "2+ Works Found" in content
        assert sorted(found) == sorted(w.pk for w in newer[1:])
    else:  # SQLite does not rank: every match, newest first
        assert "4 Works Found" in content
        assert found == [w.pk for w in reversed(newer)] + [old.pk]


def test_search_documents_follow_a_tag_renamed_merged_or_deleted(client, author):
    from tags import services as tag_services

    lantern = make_work(creator=author, tags={TagType.FREEFORM: ["Foggy Lanterns"]})
    harbour = make_work(creator=author, tags={TagType.FREEFORM: ["Quiet Harbours"]})
    tag_services.tag_rename(tag=Tag.objects.get(name="Foggy Lanterns"), name="Misty Beacons")
    assert ids(search(client, "beacons")) == [lantern.pk]
    assert ids(search(client, "foggy")) == []
    beacons = Tag.objects.get(name="Misty Beacons")
    tag_services.tag_merge(source=beacons, target=Tag.objects.get(name="Quiet Harbours"))
    assert sorted(ids(search(client, "harbours"))) == sorted([lantern.pk, harbour.pk])
    assert ids(search(client, "beacons")) == []
    tag_services.tag_delete(tag=Tag.objects.get(name="Quiet Harbours"))
    assert ids(search(client, "harbours")) == []
