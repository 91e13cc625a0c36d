"""ao3-api 2.3.1, as installed from PyPI, against this archive (issue 14)."""

import AO3
import pytest
import requests
from django.utils import timezone

from tags.models import Tag
from tests.clients import dataset
from works.models import Bookmark, Comment, Kudos, Reading, Subscription, Work
from works.services import feedback

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def data(archive_server, django_db_blocker):
    with django_db_blocker.unblock():
        data = dataset.build()
        # Hits for the statistics page (committed: the live server reads them on PostgreSQL).
        feedback.stats_add(data.works["chaptered"].pk, "hits", 17)
        return data


def test_work_reads_its_metadata_and_text(data):
    work = data.works["chaptered"]
    read = AO3.Work(work.pk)
    assert read.title == work.title
    assert [author.username for author in read.authors] == ["writer"]
    assert read.fandoms == [dataset.FANDOM]
    assert read.rating == "General Audiences"
    assert read.tags == ["Engines", "Friendship"]
    assert read.nchapters == work.chapter_count == 3
    assert read.words == work.word_count
    assert read.date_published.date() == work.published_at
    assert read.restricted is False
    first = work.chapters.order_by("position").first()
    assert first.body in read.chapters[0].text


def test_series_name_and_work_list(data):
    series = AO3.Series(data.series.pk)
    assert series.name == "The Engine Cycle"
    assert [work.id for work in series.work_list] == [
        data.works["series_one"].pk,
        data.works["series_two"].pk,
    ]
    assert [work.title for work in series.work_list] == ["Part One", "Part Two"]


def test_user_works_list_every_posted_work_but_the_anonymous_one(data):
    works = AO3.User("writer").get_works()
    expected = Work.objects.filter(work_creators__user=data.writer).exclude(
        pk=data.works["anonymous"].pk
    )
    # Guests: the restricted work is not listed either.
    expected = expected.exclude(restricted=True)
    assert sorted(work.id for work in works) == sorted(expected.values_list("pk", flat=True))
    dates = {work.id: work.date_updated.date() for work in works}
    for work in expected:
        assert dates[work.pk] == work.revised_at.date()


def test_user_bookmarks_name_the_bookmarked_works(data):
    ids = {work.id for work in AO3.User("bookworm").get_bookmarks()}
    assert ids == set(data.reader.bookmarks.values_list("work_id", flat=True))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"title": "Three Winters"}, ["chaptered"]),
        # Every work a guest may see is in the fandom, the anonymous one too (as "Anonymous").
        ({"fandoms": dataset.FANDOM}, None),
    ],
)
def test_search_finds_what_the_database_holds(data, fields, expected):
    search = AO3.Search(**fields)
    search.update()
    found = sorted(work.id for work in search.results)
    if expected is None:
        visible = Work.objects.filter(posted=True, restricted=False)
        expected_ids = sorted(visible.values_list("pk", flat=True))
    else:
        expected_ids = sorted(data.works[name].pk for name in expected)
    assert found == expected_ids
    assert search.total_results == len(expected_ids)


def _guest_visible():
    return Work.objects.filter(posted=True, restricted=False)


@pytest.mark.parametrize(
    ("fields", "narrow"),
    [
        ({"single_chapter": True}, lambda works: works.filter(chapter_count=1)),
        ({"completion_status": True}, lambda works: works.exclude(expected_chapters=None)),
        ({"completion_status": False}, lambda works: works.filter(expected_chapters=None)),
        ({"excluded_tags": "Friendship"}, lambda works: works.none()),
        ({"relationships": "Ada Lovelace & Charles Babbage"}, lambda works: works),
        ({"characters": "Ada Lovelace", "tags": "Engines"}, lambda works: works),
        ({"crossovers": False}, lambda works: works),
        ({"revised_at": "< 2 weeks"}, lambda works: works),
    ],
)
def test_search_fields_narrow_as_the_database_says(data, fields, narrow):
    search = AO3.Search(fandoms=dataset.FANDOM, **fields)
    search.update()
    expected = sorted(narrow(_guest_visible()).values_list("pk", flat=True))
    assert sorted(work.id for work in search.results) == expected


def test_search_by_rating_id(data):
    rating = Tag.objects.get(name="General Audiences")
    search = AO3.Search(rating=rating.pk)
    search.update()
    expected = _guest_visible().filter(tags=rating).values_list("pk", flat=True)
    assert sorted(work.id for work in search.results) == sorted(expected)


@pytest.mark.parametrize(
    ("column", "key"),
    [
        ("title_to_sort_on", lambda work: work.title.casefold()),
        ("word_count", lambda work: work.word_count),
        ("revised_at", lambda work: work.revised_at),
        ("created_at", lambda work: work.created_at),
    ],
)
def test_search_sorts(data, column, key):
    search = AO3.Search(fandoms=dataset.FANDOM, sort_column=column, sort_direction="asc")
    search.update()
    works = sorted(_guest_visible(), key=lambda work: (key(work), work.pk))
    found = [work.id for work in search.results]
    assert sorted(found) == sorted(work.pk for work in works)
    assert [key(Work.objects.get(pk=pk)) for pk in found] == [key(work) for work in works]


def test_session_logs_in_and_reads_subscriptions_and_bookmarks(data):
    session = AO3.Session("bookworm", data.password)
    subscriptions = session.get_subscriptions()
    assert {type(item).__name__ for item in subscriptions} == {"User", "Series", "Work"}
    assert {work.id for work in session.get_work_subscriptions()} == {data.works["chaptered"].pk}
    assert {series.id for series in session.get_series_subscriptions()} == {data.series.pk}
    assert [user.username for user in session.get_user_subscriptions()] == ["writer"]
    assert {work.id for work in session.get_bookmarks()} == set(
        data.reader.bookmarks.values_list("work_id", flat=True)
    )


def test_session_with_a_wrong_password_is_refused(data):
    with pytest.raises(AO3.utils.LoginError):
        AO3.Session("bookworm", "not-the-password")


# Write calls, through a logged-in Session. Each test writes to works no other test of the
# module counts, and checks the database the live server wrote to.


@pytest.fixture
def session(data, ao3_host):
    return AO3.Session("bookworm", data.password)


def test_work_pages_carry_the_csrf_meta_for_readers_and_guests_other_pages_for_readers(
    data, session
):
    work = data.works["oneshot"]
    assert AO3.Work(work.pk, session=session).authenticity_token
    # A guest's work page carries it too (its kudos and comment forms need the token anyway).
    assert AO3.Work(work.pk).authenticity_token
    # Other pages carry it for logged-in readers only.
    series = f"https://archiveofourown.org/series/{data.series.pk}"
    assert 'name="csrf-token"' in session.session.get(series).text
    assert 'name="csrf-token"' not in requests.get(series).text


def test_kudos(data, session):
    work = data.works["series_one"]
    read = AO3.Work(work.pk, session=session)
    assert read.leave_kudos() is True
    assert read.leave_kudos() is False  # AO3's 422 {"errors": {"user_id": …}}
    assert Kudos.objects.filter(work=work, user=data.reader).count() == 1
    work.stats.refresh_from_db()
    assert work.stats.kudos == 1


def test_comment_on_the_work_and_on_a_chapter(data, session):
    work = data.works["series_two"]
    AO3.Work(work.pk, session=session).comment("A fine second part.")
    assert Comment.objects.filter(
        work=work, user=data.reader, content="A fine second part."
    ).exists()
    with pytest.raises(AO3.utils.DuplicateCommentError):
        AO3.Work(work.pk, session=session).comment("A fine second part.")
    chaptered = data.works["chaptered"]
    second = chaptered.chapters.order_by("position")[1]
    read = AO3.Work(chaptered.pk, session=session)
    read.chapters[1].comment("The middle winter.")
    assert Comment.objects.filter(chapter=second, user=data.reader).get().content == (
        "The middle winter."
    )


def test_bookmark(data, session):
    work = data.works["mature"]
    AO3.Work(work.pk, session=session).bookmark(notes="Read at night.", tags=["late"])
    bookmark = Bookmark.objects.get(user=data.reader, work=work)
    assert bookmark.notes == "Read at night."
    assert [tag.name for tag in bookmark.tags.all()] == ["late"]


def test_subscribe_and_unsubscribe(data, session):
    work = data.works["oneshot"]
    read = AO3.Work(work.pk, session=session)
    assert read.is_subscribed is False
    read.subscribe()
    assert Subscription.objects.filter(user=data.reader, work=work).exists()
    read = AO3.Work(work.pk, session=session)
    assert read.is_subscribed is True
    read.unsubscribe()
    assert not Subscription.objects.filter(user=data.reader, work=work).exists()


def test_history_lists_each_visited_work_with_its_visits_and_date(data, session):
    history = session.get_history(hist_sleep=0)
    expected = {}
    for reading in Reading.objects.filter(user=data.reader):
        visited = reading.last_visited_at
        day = timezone.localtime(visited).date() if visited else None
        expected[reading.work_id] = (reading.visit_count, day)
    assert any(day for _visits, day in expected.values())
    found = {work.id: (visits, date.date() if date else None) for work, visits, date in history}
    assert found == expected


def test_marked_for_later(data, session):
    works = session.get_marked_for_later(sleep=0)
    marked = Reading.objects.filter(user=data.reader, marked_for_later=True)
    assert [work.id for work in works] == list(marked.values_list("work_id", flat=True))
    assert [work.id for work in works] == [data.works["in_progress"].pk]


def test_statistics_are_the_owners_totals(data):
    writer = AO3.Session("writer", data.password)
    stats = writer.get_statistics()
    works = Work.objects.filter(work_creators__user=data.writer, posted=True)
    threads = Comment.objects.filter(
        work__in=works, parent=None, is_deleted=False, status=Comment.Status.APPROVED
    )
    assert stats == {
        "user_subscriptions": Subscription.objects.filter(author=data.writer).count(),
        "kudos": Kudos.objects.filter(work__in=works).count(),
        "comment_threads": threads.count(),
        "bookmarks": Bookmark.objects.filter(work__in=works).count(),
        "subscriptions": Subscription.objects.filter(work__in=works).count(),
        "word_count": sum(works.values_list("word_count", flat=True)),
        "hits": sum(works.values_list("stats__hits", flat=True)),
    }
    assert stats["user_subscriptions"] == stats["subscriptions"] == 1
    assert stats["hits"] == 17


def test_statistics_are_nobody_elses(data, session):
    # The reader asks for the writer's page: 404. A guest is sent to log in, as for the inbox.
    response = session.session.get("https://archiveofourown.org/users/writer/stats")
    assert response.status_code == 404
    guest = requests.get("https://archiveofourown.org/users/writer/stats", allow_redirects=False)
    assert guest.status_code == 302
    assert guest.headers["Location"] == "/users/login?next=/users/writer/stats"


def test_user_counts_works_and_bookmarks_as_the_heading_says(data):
    writer = AO3.User("writer")
    listed = Work.objects.filter(
        work_creators__user=data.writer, posted=True, restricted=False
    ).exclude(pk=data.works["anonymous"].pk)
    assert writer.works == listed.count()
    reader = AO3.User("bookworm")
    bookmarks = Bookmark.objects.filter(user=data.reader, is_private=False)
    assert reader.bookmarks == bookmarks.count()
    # One item per bookmark: each bookmarked work once.
    assert sorted(work.id for work in reader.get_bookmarks()) == sorted(
        bookmarks.values_list("work_id", flat=True)
    )


def test_profile_names_the_person_and_the_readers_subscription(data, session):
    writer = AO3.User("writer", session=session)
    assert writer.id == writer.user_id == data.writer.pk
    assert writer.is_subscribed is True  # the dataset's subscription to the writer
    writer.unsubscribe()
    assert not Subscription.objects.filter(user=data.reader, author=data.writer).exists()
    writer = AO3.User("writer", session=session)
    assert writer.is_subscribed is False
    writer.subscribe()
    assert Subscription.objects.filter(user=data.reader, author=data.writer).count() == 1
