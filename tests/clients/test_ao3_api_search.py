"""ao3-api 2.3.1's Search, every field and sort it sends, against this archive (issue 14).

The module's archive is the clients' dataset plus a German crossover work with tags of its
own, and different hits, kudos, comments and bookmarks on every work, so that each field
narrows the results; every search is checked against the same question asked of the
database (what a guest may see)."""

import AO3
import pytest
from django.db.models import Q

from tags.models import Tag, TagType
from tests.clients import dataset
from tests.factories import make_work
from works.models import Work, WorkStats

pytestmark = pytest.mark.django_db

OTHER_FANDOM = "Harbour Tales"


@pytest.fixture(scope="module")
def data(archive_server, django_db_blocker):
    with django_db_blocker.unblock():
        data = dataset.build()
        data.works["crossover"] = make_work(
            creator=data.writer,
            title="Harbour Lights",
            language="de",
            chapters=2,
            tags=dataset._tags(
                rating="Teen And Up Audiences",
                **{
                    TagType.FANDOM: [dataset.FANDOM, OTHER_FANDOM],
                    TagType.CHARACTER: ["Tove"],
                    TagType.RELATIONSHIP: ["Mara/Tove"],
                    TagType.FREEFORM: ["Storms"],
                },
            ),
        )
        for n, work in enumerate(Work.objects.order_by("pk"), start=1):
            WorkStats.objects.filter(work=work).update(
                hits=100 * n, kudos=n, comments=n % 3, bookmarks=n % 4
            )
        return data


def guest_visible():
    return Work.objects.filter(posted=True, restricted=False, hidden_by_moderator=False)


def found(**fields):
    search = AO3.Search(**fields)
    search.update()
    ids = [work.id for work in search.results]
    assert search.total_results == len(ids)
    return ids


def tagged(name):
    return Q(tags=Tag.objects.get(name=name))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"any_field": "Harbour"}, lambda w: w.filter(title__icontains="Harbour")),
        ({"title": "Lights"}, lambda w: w.filter(title__icontains="Lights")),
        ({"author": "writer"}, lambda w: w.exclude(title="Who Wrote This")),
        ({"single_chapter": True}, lambda w: w.filter(chapter_count=1)),
        ({"language": "de"}, lambda w: w.filter(language="de")),
        ({"language": "en"}, lambda w: w.filter(language="en")),
        ({"fandoms": OTHER_FANDOM}, lambda w: w.filter(tagged(OTHER_FANDOM))),
        ({"characters": "Tove"}, lambda w: w.filter(tagged("Tove"))),
        ({"relationships": "Mara/Tove"}, lambda w: w.filter(tagged("Mara/Tove"))),
        ({"tags": "Storms"}, lambda w: w.filter(tagged("Storms"))),
        ({"excluded_tags": "Storms"}, lambda w: w.exclude(tagged("Storms"))),
        ({"crossovers": True}, lambda w: w.filter(tagged(OTHER_FANDOM))),
        ({"crossovers": False}, lambda w: w.exclude(tagged(OTHER_FANDOM))),
        ({"completion_status": True}, lambda w: w.filter(is_complete=True)),
        ({"completion_status": False}, lambda w: w.filter(is_complete=False)),
        ({"revised_at": "< 2 weeks"}, lambda w: w),
        ({"revised_at": "> 2 weeks"}, lambda w: w.none()),
    ],
    ids=lambda value: (
        "-".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else ""
    ),
)
def test_every_search_field_finds_what_the_database_holds(data, fields, expected):
    assert sorted(found(**fields)) == sorted(expected(guest_visible()).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("field", "column"),
    [
        ("word_count", "word_count"),
        ("hits", "stats__hits"),
        ("kudos", "stats__kudos"),
        ("comments", "stats__comments"),
        ("bookmarks", "stats__bookmarks"),
    ],
)
@pytest.mark.parametrize("bounds", [(0, 3), (2, None), (1, 1), (2, 5)], ids=str)
def test_number_constraints_bound_as_on_ao3(data, field, column, bounds):
    low, high = bounds
    values = sorted(set(guest_visible().values_list(column, flat=True)))
    # The same bounds, read as AO3 does: "<n" and ">n" are strict, "a-b" and "n" inclusive,
    # over numbers this archive really holds (the middle of its range).
    middle = values[len(values) // 2]
    if high is None:
        low = middle
        expected = guest_visible().filter(**{f"{column}__gt": low})
    elif low == 0:
        high = middle
        expected = guest_visible().filter(**{f"{column}__lt": high})
    elif low == high:
        low = high = middle
        expected = guest_visible().filter(**{column: middle})
    else:
        # ao3-api writes a lower bound of 0 as "<high", so the range starts at 1 at least.
        low, high = max(values[0], 1), max(middle, 2)
        expected = guest_visible().filter(**{f"{column}__range": (low, high)})
    ids = found(**{field: AO3.utils.Constraint(low, high)})
    assert sorted(ids) == sorted(expected.values_list("pk", flat=True))
    assert 0 < len(ids) or not expected.exists()


def test_rating_finds_the_works_of_that_rating(data):
    teen = Tag.objects.get(name="Teen And Up Audiences")
    assert found(rating=teen.pk) == [data.works["crossover"].pk]


@pytest.mark.parametrize(
    ("column", "key"),
    [
        (AO3.search.TITLE, lambda work: work.title.casefold()),
        (AO3.search.WORD_COUNT, lambda work: work.word_count),
        (AO3.search.DATE_UPDATED, lambda work: work.revised_at),
        (AO3.search.DATE_POSTED, lambda work: work.published_at),
        (AO3.search.HITS, lambda work: work.stats.hits),
        (AO3.search.KUDOS, lambda work: work.stats.kudos),
        (AO3.search.COMMENTS, lambda work: work.stats.comments),
        (AO3.search.BOOKMARKS, lambda work: work.stats.bookmarks),
    ],
)
@pytest.mark.parametrize("direction", [AO3.search.ASCENDING, AO3.search.DESCENDING])
def test_every_sort_orders_as_the_database_says(data, column, key, direction):
    ids = found(fandoms=dataset.FANDOM, sort_column=column, sort_direction=direction)
    works = {work.pk: work for work in guest_visible().select_related("stats")}
    assert sorted(ids) == sorted(works)
    keys = [key(works[pk]) for pk in ids]
    assert keys == sorted(keys, reverse=direction == AO3.search.DESCENDING)


def test_sort_by_creator_keeps_the_anonymous_work_as_anonymous(data):
    ids = found(fandoms=dataset.FANDOM, sort_column=AO3.search.AUTHOR, sort_direction="asc")
    assert sorted(ids) == sorted(guest_visible().values_list("pk", flat=True))
    # "anonymous" sorts before "writer", who wrote every other work.
    assert ids[0] == data.works["anonymous"].pk
    search = AO3.Search(fandoms=dataset.FANDOM, sort_column=AO3.search.AUTHOR)
    search.update()
    anonymous = next(work for work in search.results if work.id == data.works["anonymous"].pk)
    assert [author.username for author in anonymous.authors] == []


def test_rating_sort_which_ao3_does_not_offer_falls_back_to_date_updated(data):
    by_rating = found(fandoms=dataset.FANDOM, sort_column=AO3.search.RATING)
    by_date = found(fandoms=dataset.FANDOM, sort_column=AO3.search.DATE_UPDATED)
    assert by_rating == by_date
