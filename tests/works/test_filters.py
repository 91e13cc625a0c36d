"""The filter sidebar shared by every work listing: each filter, each sort, facet counts,
visibility in counts and facets, excluded tags and muted users, fixed query counts."""

import datetime
import re

import pytest
from django.utils import timezone

from archive.models import Mute
from tags import services as tag_services
from tags.models import Tag, TagType
from tests.factories import make_user, make_work
from works.models import ExcludedTag, Work, WorkStats
from works.services import posting as services

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200
    return [int(i) for i in re.findall(r'<li id="work_(\d+)"', response.content.decode())]


def heading(response):
    match = re.search(r'<h2 class="heading">([^<]*)', response.content.decode())
    return match.group(1).strip()


def tag(name):
    return Tag.objects.get(name=name)


def set_stats(work, **counts):
    WorkStats.objects.update_or_create(work=work, defaults=counts)


@pytest.fixture
def shelf(author):
    """Three works with distinct tags, stats, dates and lengths."""
    a = make_work(
        creator=author,
        title="Amber Harbour",
        tags={
            TagType.RATING: ["Mature"],
            TagType.FANDOM: ["Harbour Tales"],
            TagType.CHARACTER: ["Pilot Mara"],
            TagType.FREEFORM: ["Fog", "Lanterns"],
        },
    )
    b = make_work(
        creator=author,
        title="Birch Lanes",
        tags={
            TagType.FANDOM: ["Harbour Tales"],
            TagType.RELATIONSHIP: ["Mara/Tove"],
            TagType.FREEFORM: ["Fog"],
        },
        chapters=2,
        expected_chapters=3,
    )
    c = make_work(
        creator=make_user(username="zed"),
        title="Cedar Rooms",
        language="fr",
        tags={TagType.FANDOM: ["Quiet Orchard"], TagType.FREEFORM: ["Lanterns"]},
    )
    Work.objects.filter(pk=a.pk).update(
        word_count=500, revised_at=timezone.now() - datetime.timedelta(days=30)
    )
    Work.objects.filter(pk=b.pk).update(
        word_count=5000, revised_at=timezone.now() - datetime.timedelta(days=10)
    )
    Work.objects.filter(pk=c.pk).update(word_count=20000, revised_at=timezone.now())
    set_stats(a, hits=30, kudos=3, comments=9, bookmarks=1)
    set_stats(b, hits=10, kudos=9, comments=1, bookmarks=5)
    set_stats(c, hits=20, kudos=1, comments=5, bookmarks=9)
    return a, b, c


def test_default_sort_is_date_updated_newest_first(client, shelf):
    a, b, c = shelf
    assert ids(client.get("/works")) == [c.pk, b.pk, a.pk]


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("revised_at", "cba"),
        ("title_to_sort_on", "abc"),
        ("word_count", "cba"),
        ("hits", "acb"),
        ("kudos_count", "bac"),
        ("comments_count", "acb"),
        ("bookmarks_count", "cba"),
    ],
)
def test_every_sort_column_orders_the_listing(client, shelf, column, expected):
    works = dict(zip("abc", shelf, strict=True))
    got = ids(client.get("/works", {"work_search[sort_column]": column}))
    assert got == [works[letter].pk for letter in expected]


def test_sort_direction_can_be_reversed(client, shelf):
    a, b, c = shelf
    query = {"work_search[sort_column]": "kudos_count", "work_search[sort_direction]": "asc"}
    assert ids(client.get("/works", query)) == [c.pk, a.pk, b.pk]


def test_sort_by_creator_and_by_date_posted(client, shelf):
    a, b, c = shelf
    Work.objects.filter(pk=a.pk).update(published_at=datetime.date(2020, 1, 1))
    Work.objects.filter(pk=b.pk).update(published_at=datetime.date(2021, 1, 1))
    Work.objects.filter(pk=c.pk).update(published_at=datetime.date(2019, 1, 1))
    assert ids(client.get("/works", {"work_search[sort_column]": "created_at"})) == [
        b.pk,
        a.pk,
        c.pk,
    ]
    by_creator = ids(client.get("/works", {"work_search[sort_column]": "authors_to_sort_on"}))
    assert by_creator[-1] == c.pk  # "zed" sorts after "author"


def test_sort_by_creator_puts_anonymous_works_under_anonymous(client, shelf):
    from works.services import collections as collection_services

    a, b, c = shelf  # by "author", "author" and "zed"
    ghost = make_user(username="yolanda")
    masked = collection_services.collection_create(
        owner=ghost, fields={"name": "masks", "title": "Masks", "is_anonymous": True}
    )
    hidden = make_work(creator=ghost, title="Unsigned")
    services.work_set_collections(work=hidden, collections=[masked])
    query = {"work_search[sort_column]": "authors_to_sort_on", "work_search[sort_direction]": "asc"}

    by_creator = ids(client.get("/works", query))

    # "anonymous" sorts before "author", not as "yolanda" (between "author" and "zed").
    assert by_creator == [hidden.pk, a.pk, b.pk, c.pk]
    assert "yolanda" not in client.get("/works", query).content.decode()
    client.force_login(ghost)
    assert ids(client.get("/works", query))[2] == hidden.pk  # the creator: "yolanda" < "zed"
    client.force_login(make_user(username="aaron"))
    query["work_search[sort_direction]"] = "desc"
    assert ids(client.get("/works", query)) == [c.pk, b.pk, a.pk, hidden.pk]


def test_include_tags_of_each_type_is_an_and(client, shelf):
    a, b, c = shelf
    fog, lanterns = tag("Fog").pk, tag("Lanterns").pk
    assert ids(client.get("/works", {"include_work_search[freeform_ids][]": [fog]})) == [
        b.pk,
        a.pk,
    ]
    both = {"include_work_search[freeform_ids][]": [fog, lanterns]}
    assert ids(client.get("/works", both)) == [a.pk]
    rating = {"include_work_search[rating_ids][]": [tag("Mature").pk]}
    assert ids(client.get("/works", rating)) == [a.pk]
    character = {"include_work_search[character_ids][]": [tag("Pilot Mara").pk]}
    assert ids(client.get("/works", character)) == [a.pk]
    relationship = {"include_work_search[relationship_ids][]": [tag("Mara/Tove").pk]}
    assert ids(client.get("/works", relationship)) == [b.pk]
    fandom = {"include_work_search[fandom_ids][]": [tag("Quiet Orchard").pk]}
    assert ids(client.get("/works", fandom)) == [c.pk]


def test_exclude_tags_leaves_out_any_work_with_one_of_them(client, shelf):
    a, b, c = shelf
    query = {"exclude_work_search[freeform_ids][]": [tag("Fog").pk]}
    assert ids(client.get("/works", query)) == [c.pk]
    warning = tag("No Archive Warnings Apply").pk
    assert ids(client.get("/works", {"exclude_work_search[archive_warning_ids][]": warning})) == []


def test_other_tag_names_include_and_exclude_by_name(client, shelf):
    a, b, c = shelf
    assert ids(client.get("/works", {"work_search[other_tag_names]": "lanterns, fog"})) == [a.pk]
    assert ids(client.get("/works", {"work_search[excluded_tag_names]": "Lanterns"})) == [b.pk]


def test_a_canonical_tag_finds_its_synonyms_and_sub_tags(client, author):
    canonical = Tag.objects.create(name="Sea Voyages", type=TagType.FREEFORM, canonical=True)
    by_synonym = make_work(creator=author, tags={TagType.FREEFORM: ["Boat Trips"]})
    by_sub = make_work(creator=author, tags={TagType.FREEFORM: ["Ferry Crossings"]})
    other = make_work(creator=author, tags={TagType.FREEFORM: ["Mountains"]})
    tag_services.tag_make_synonym(tag=tag("Boat Trips"), canonical=canonical)
    sub = tag("Ferry Crossings")
    tag_services.tag_set_canonical(tag=sub, canonical=True)
    tag_services.tag_add_meta(tag=sub, meta=canonical)
    found = ids(client.get("/works", {"include_work_search[freeform_ids][]": canonical.pk}))
    assert sorted(found) == sorted([by_synonym.pk, by_sub.pk])
    # Typing the synonym's name filters on its canonical tag.
    by_name = ids(client.get("/works", {"work_search[other_tag_names]": "Boat Trips"}))
    assert sorted(by_name) == sorted([by_synonym.pk, by_sub.pk])
    excluded = ids(client.get("/works", {"exclude_work_search[freeform_ids][]": canonical.pk}))
    assert excluded == [other.pk]


def test_complete_and_in_progress(client, shelf):
    a, b, c = shelf
    assert b.pk not in ids(client.get("/works", {"work_search[complete]": "T"}))
    assert ids(client.get("/works", {"work_search[complete]": "F"})) == [b.pk]


def test_word_count_range(client, shelf):
    a, b, c = shelf
    query = {"work_search[words_from]": "1000", "work_search[words_to]": "10000"}
    assert ids(client.get("/works", query)) == [b.pk]
    assert ids(client.get("/works", {"work_search[words_from]": "5,000"})) == [c.pk, b.pk]


def test_date_updated_range(client, shelf):
    a, b, c = shelf
    today = timezone.localdate()
    query = {
        "work_search[date_from]": (today - datetime.timedelta(days=40)).isoformat(),
        "work_search[date_to]": (today - datetime.timedelta(days=5)).isoformat(),
    }
    assert ids(client.get("/works", query)) == [b.pk, a.pk]


def test_language(client, shelf):
    a, b, c = shelf
    assert ids(client.get("/works", {"work_search[language_id]": "fr"})) == [c.pk]


def test_text_query_within_a_listing(client, shelf):
    a, b, c = shelf
    assert ids(client.get("/works", {"work_search[query]": "cedar"})) == [c.pk]


def test_crossovers_include_exclude_and_only(client, author):
    meta = Tag.objects.create(name="Big Saga", type=TagType.FANDOM, canonical=True)
    single = make_work(creator=author, tags={TagType.FANDOM: ["Saga Book One"]})
    same_family = make_work(
        creator=author, tags={TagType.FANDOM: ["Saga Book One", "Saga Book Two"]}
    )
    crossover = make_work(creator=author, tags={TagType.FANDOM: ["Saga Book One", "Far Away"]})
    for name in ("Saga Book One", "Saga Book Two"):
        sub = tag(name)
        tag_services.tag_set_canonical(tag=sub, canonical=True)
        tag_services.tag_add_meta(tag=sub, meta=meta)
    assert ids(client.get("/works", {"work_search[crossover]": "T"})) == [crossover.pk]
    assert sorted(ids(client.get("/works", {"work_search[crossover]": "F"}))) == sorted(
        [single.pk, same_family.pk]
    )
    assert len(ids(client.get("/works", {"work_search[crossover]": ""}))) == 3


def test_filters_apply_on_tag_user_series_and_collection_listings(client, shelf, author):
    a, b, c = shelf
    fog = {"include_work_search[freeform_ids][]": tag("Fog").pk}
    assert ids(client.get("/tags/Harbour Tales/works", {"work_search[complete]": "F"})) == [b.pk]
    assert ids(client.get("/users/author/works", {"work_search[language_id]": "fr"})) == []
    series = services.series_create(creator=author, title="Fog Series")
    services.work_set_series(work=a, series=[series])
    services.work_set_series(work=c, series=[series])
    assert ids(client.get(f"/series/{series.pk}", fog)) == [a.pk]


def test_facets_count_the_top_tags_of_the_current_result(client, shelf):
    a, b, c = shelf
    html = client.get("/works", {"work_search[other_tag_names]": "Harbour Tales"})
    content = html.content.decode()
    fog = tag("Fog").pk
    assert re.search(rf'for="include_freeform_ids_{fog}">Fog \(2\)</label>', content)
    lanterns = tag("Lanterns").pk
    assert re.search(rf'for="include_freeform_ids_{lanterns}">Lanterns \(1\)</label>', content)
    # Quiet Orchard's work is not in the result, so its fandom is not offered.
    assert "Quiet Orchard" not in content.split('id="work-filters"')[1]


def test_facets_keep_a_ticked_tag_and_offer_at_most_ten_per_type(client, author):
    make_work(creator=author, tags={TagType.FREEFORM: [f"Detail {n}" for n in range(14)]})
    content = client.get("/works").content.decode()
    assert len(re.findall(r'name="include_work_search\[freeform_ids\]\[\]"', content)) == 10
    ticked = tag("Detail 13").pk
    content = client.get("/works", {"exclude_work_search[freeform_ids][]": ticked}).content
    assert re.search(
        rf'name="exclude_work_search\[freeform_ids\]\[\]" id="exclude_freeform_ids_{ticked}" '
        rf'value="{ticked}" checked',
        content.decode(),
    )


def test_facets_offer_the_ten_most_used_tags_ties_by_name_and_no_synonym(client, author):
    # Counts 5, 4, 3, 3, 3, 2, 2, 2, 2, 2, 2, 1: the tenth place is a tie among six tags
    # used twice, broken by name; the synonym's works count under its canonical tag.
    counts = {"Kite": 5, "Moth": 4, "Oar": 3, "Fern": 3, "Dune": 3, "Reed": 2, "Bell": 2}
    counts |= {"Yarn": 2, "Cove": 2, "Ash": 2, "Wick": 2, "Zinc": 1}
    for n in range(5):
        names = [name for name, count in counts.items() if count > n]
        make_work(creator=author, tags={TagType.FREEFORM: names})
    canonical = tag_services.tag_set_canonical(tag=tag("Wick"))
    make_work(creator=author, tags={TagType.FREEFORM: ["Candlewick"]})
    tag_services.tag_make_synonym(tag=tag("Candlewick"), canonical=canonical)
    content = client.get("/works").content.decode()
    offered = re.findall(r'for="include_freeform_ids_\d+">([^<]+)</label>', content)
    assert offered == [
        "Kite (5)", "Moth (4)", "Dune (3)", "Fern (3)", "Oar (3)", "Wick (3)",
        "Ash (2)", "Bell (2)", "Cove (2)", "Reed (2)",
    ]  # fmt: skip


def test_hidden_draft_and_restricted_works_are_never_counted(client, author, reader):
    make_work(creator=author, title="Open", tags={TagType.FREEFORM: ["Counted Tag"]})
    make_work(creator=author, post=False, tags={TagType.FREEFORM: ["Counted Tag"]})
    hidden = make_work(creator=author, tags={TagType.FREEFORM: ["Counted Tag"]})
    services.work_update(work=hidden, fields={"hidden_by_moderator": True})
    locked = make_work(creator=author, tags={TagType.FREEFORM: ["Counted Tag"]})
    services.work_update(work=locked, fields={"restricted": True})
    counted = tag("Counted Tag").pk
    response = client.get("/works")
    assert heading(response) == "1 Work"
    assert re.search(
        rf'for="include_freeform_ids_{counted}">Counted Tag \(1\)<', response.content.decode()
    )
    client.force_login(reader)
    response = client.get("/works")
    assert heading(response) == "2 Works"
    assert re.search(
        rf'for="include_freeform_ids_{counted}">Counted Tag \(2\)<', response.content.decode()
    )


def test_excluded_tags_leave_works_out_of_listing_count_and_facets(client, reader, author):
    kept = make_work(creator=author, tags={TagType.FREEFORM: ["Kept"]})
    make_work(creator=author, tags={TagType.FREEFORM: ["Unwanted", "Kept"]})
    ExcludedTag.objects.create(user=reader, tag=tag("Unwanted"))
    client.force_login(reader)
    response = client.get("/works")
    assert ids(response) == [kept.pk]
    assert heading(response) == "1 Work"
    assert "Unwanted" not in response.content.decode()
    assert ids(client.get("/tags/Kept/works")) == [kept.pk]
    client.logout()
    assert len(ids(client.get("/works"))) == 2  # only for the reader who excluded it


def test_excluding_a_canonical_tag_hides_its_synonyms(client, reader, author):
    canonical = Tag.objects.create(name="Heavy Themes", type=TagType.FREEFORM, canonical=True)
    make_work(creator=author, tags={TagType.FREEFORM: ["Dark Stuff"]})
    tag_services.tag_make_synonym(tag=tag("Dark Stuff"), canonical=canonical)
    ExcludedTag.objects.create(user=reader, tag=canonical)
    client.force_login(reader)
    assert ids(client.get("/works")) == []


def test_muted_users_works_are_left_out_with_the_count(client, reader, author):
    other = make_user()
    kept = make_work(creator=other)
    make_work(creator=author)
    Mute.objects.create(muter=reader, muted=author)
    client.force_login(reader)
    response = client.get("/works")
    assert ids(response) == [kept.pk]
    assert heading(response) == "1 Work"
    assert ids(client.get("/users/author/works")) == []


def test_excluded_tags_page_adds_and_removes_tags(client, reader, author):
    make_work(creator=author, tags={TagType.FREEFORM: ["Spiders"]})
    client.force_login(reader)
    url = f"/users/{reader.username}/preferences/excluded_tags"
    assert client.get(url).status_code == 200
    response = client.post(url, {"tag_name": "spiders"})
    assert response.status_code == 302
    assert ExcludedTag.objects.filter(user=reader, tag__name="Spiders").exists()
    assert ids(client.get("/works")) == []
    response = client.post(url, {"tag_name": "No Such Tag Anywhere"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is no tag named" in content
    assert 'value="No Such Tag Anywhere"' in content
    client.post(url, {"remove": tag("Spiders").pk})
    assert not ExcludedTag.objects.filter(user=reader).exists()


def test_excluded_tags_page_is_only_for_its_owner(client, reader, author):
    client.force_login(author)
    assert client.get(f"/users/{reader.username}/preferences/excluded_tags").status_code == 404
    client.logout()
    response = client.get(f"/users/{reader.username}/preferences/excluded_tags")
    assert response.status_code == 302


def test_clear_filters_link_and_values_kept_in_the_form(client, shelf):
    content = client.get("/tags/Fog/works", {"work_search[words_from]": "100"}).content.decode()
    assert '<a href="/tags/Fog/works">Clear Filters</a>' in content
    assert 'name="work_search[words_from]" id="work_search_words_from" value="100"' in content


def test_pagination_keeps_the_filters(client, author):
    for _ in range(21):
        make_work(creator=author, tags={TagType.FREEFORM: ["Paged"]})
    paged = tag("Paged").pk
    response = client.get("/works", {"include_work_search[freeform_ids][]": paged})
    assert heading(response) == "1 - 20 of 21 Works"
    assert f"include_work_search%5Bfreeform_ids%5D%5B%5D={paged}&amp;page=2" in (
        response.content.decode()
    )


@pytest.mark.parametrize("logged_in", [False, True])
def test_filtered_listing_with_facets_uses_a_fixed_number_of_queries(
    client, author, reader, django_assert_max_num_queries, logged_in
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if logged_in:
        ExcludedTag.objects.create(
            user=reader, tag=Tag.objects.create(name="Never", type=TagType.FREEFORM)
        )
        client.force_login(reader)

    def add_work():
        work = make_work(
            creator=author,
            tags={TagType.CHARACTER: ["Counted Keeper"], TagType.FREEFORM: ["Counted Fog"]},
        )
        series = services.series_create(creator=author, title="Counted")
        services.work_set_series(work=work, series=[series])

    add_work()
    keeper = tag("Counted Keeper").pk
    never_shown = Tag.objects.create(name="Never Shown", type=TagType.FREEFORM)
    query = {
        "include_work_search[character_ids][]": keeper,
        "exclude_work_search[freeform_ids][]": never_shown.pk,
        "work_search[words_from]": "1",
        "work_search[sort_column]": "kudos_count",
    }
    with CaptureQueriesContext(connection) as one:
        assert len(ids(client.get("/works", query))) == 1
    for _ in range(21):
        add_work()
    with django_assert_max_num_queries(len(one)):
        assert len(ids(client.get("/works", query))) == 20


def test_facets_of_a_large_result_come_from_its_first_works(client, author, monkeypatch):
    import works.listing.options

    monkeypatch.setattr(works.listing.options, "EXACT_FACETS", 2)
    monkeypatch.setattr(works.listing.options, "FACET_SAMPLE", 1)
    make_work(creator=author, tags={TagType.FREEFORM: ["Old Tag"]})
    make_work(creator=author, tags={TagType.FREEFORM: ["Old Tag"]})
    make_work(creator=author, tags={TagType.FREEFORM: ["Newest Tag"]})
    response = client.get("/works")
    content = response.content.decode()
    assert heading(response) == "3 Works"  # the count stays exact
    sidebar = content.split('id="work-filters"', 1)[1]
    assert "Newest Tag (1)" in sidebar
    assert "Old Tag" not in sidebar  # only the newest work was sampled
    assert "Tag counts are taken from the first" in sidebar


def test_dashboard_links_to_the_excluded_tags_page(client, reader):
    client.force_login(reader)
    content = client.get(f"/users/{reader.username}").content.decode()
    assert f'href="/users/{reader.username}/preferences/excluded_tags"' in content


def test_pages_beyond_the_counted_ids_are_read_in_order(client, author, monkeypatch):
    import works.listing.options

    monkeypatch.setattr(works.listing.options, "EXACT_LIMIT", 5)
    made = [make_work(creator=author, title=f"Paged Work {n:02}") for n in range(23)]
    response = client.get("/works", {"work_search[sort_column]": "title_to_sort_on", "page": 2})
    assert heading(response) == "21 - 23 of 23 Works"
    assert ids(response) == [work.pk for work in made[20:]]


def test_filters_and_facets_keep_the_secrets_of_unrevealed_and_anonymous_works(client, author):
    from works.services import collections as cs

    owner = make_user()
    fest = cs.collection_create(
        owner=owner,
        fields={"name": "hidden_fest", "title": "Hidden Fest", "is_unrevealed": True},
        moderators=[],
    )
    masked = cs.collection_create(
        owner=owner,
        fields={"name": "masked_fest", "title": "Masked Fest", "is_anonymous": True},
        moderators=[],
    )
    secret = make_work(creator=author, tags={TagType.FREEFORM: ["Secret Motif"]})
    cs.collection_add_work(collection=fest, work=secret, user=author)
    anonymous = make_work(creator=author, title="Masked Lantern")
    cs.collection_add_work(collection=masked, work=anonymous, user=author)
    motif = tag("Secret Motif").pk

    listing = client.get("/collections/hidden_fest/works").content.decode()
    assert "Secret Motif" not in listing.split('id="work-filters"', 1)[1]
    filtered = client.get(
        "/collections/hidden_fest/works", {"include_work_search[freeform_ids][]": motif}
    )
    assert ids(filtered) == []
    assert ids(client.get("/works/search", {"work_search[creators]": "author"})) == []
    assert ids(client.get("/works/search", {"work_search[query]": "Masked author"})) == []


def test_date_updated_as_ao3_writes_it(client, shelf):
    a, b, c = shelf
    now = timezone.now()
    Work.objects.filter(pk=a.pk).update(revised_at=now - datetime.timedelta(days=3))
    Work.objects.filter(pk=b.pk).update(revised_at=now - datetime.timedelta(days=40))
    Work.objects.filter(pk=c.pk).update(revised_at=now - datetime.timedelta(days=400))

    def updated(text):
        return sorted(ids(client.get("/works/search", {"work_search[revised_at]": text})))

    assert updated("< 2 weeks") == [a.pk]
    assert updated("&lt;2 weeks") == [a.pk]  # AO3's own links escape the operator
    assert updated("> 2 weeks") == sorted([b.pk, c.pk])
    assert updated("1-3 months") == [b.pk]
    assert updated("< 1 year") == sorted([a.pk, b.pk])
    assert updated("> 1 year") == [c.pk]
    assert updated("3 days ago") == [a.pk]  # the calendar day three days back
    assert updated("99999 years") == []


def test_a_date_updated_that_is_not_a_time_is_explained_and_kept(client, shelf):
    response = client.get("/works/search", {"work_search[revised_at]": "last tuesday"})
    page = response.content.decode()
    assert "Please enter a time such as" in page
    assert 'value="last tuesday"' in page
    assert len(ids(response)) == 3  # the rest of the search still runs


def test_relative_time_bounds_follow_the_calendar():
    from works.listing.filters import relative_time_bounds

    now = datetime.datetime(2026, 3, 31, 15, 30, tzinfo=datetime.UTC)
    after, before = relative_time_bounds("1 month ago", now)
    assert (after.date(), before.date()) == (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    after, before = relative_time_bounds("1 week", now)  # weeks start on Monday
    assert (after.date(), before.date()) == (datetime.date(2026, 3, 23), datetime.date(2026, 3, 29))
    after, before = relative_time_bounds("2-1 years", now)
    assert (after.date(), before.date()) == (datetime.date(2024, 3, 31), datetime.date(2025, 3, 31))
    assert relative_time_bounds("< 5 hours", now) == (now - datetime.timedelta(hours=5), None)
    assert relative_time_bounds("two weeks", now) is None
    assert relative_time_bounds("> 1 fortnight", now) is None
