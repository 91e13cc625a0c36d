"""ao3-api 2.3.1's remaining calls against this archive (issue 14): a series' subscribe and
unsubscribe, delete_bookmark, a guest's comment with name and email, and get_statistics for
one year (AO3's /users/<login>/stats?year=).

The module's archive is the clients' dataset plus a work whose first chapter was published
in 2024 (its second this year), with hits of its own, and a work whose comments are for
registered users only."""

import datetime as dt

import AO3
import pytest
import requests
from bs4 import BeautifulSoup
from django.db.models import Sum
from django.utils import timezone

from tests.clients import dataset
from tests.factories import make_work
from works.models import Bookmark, Chapter, Comment, Subscription, Work
from works.models.works import CommentPermission
from works.services import feedback

pytestmark = pytest.mark.django_db

OLD_YEAR = 2024
HOST = "https://archiveofourown.org"


@pytest.fixture(scope="module")
def data(archive_server, django_db_blocker):
    with django_db_blocker.unblock():
        data = dataset.build()
        old = make_work(creator=data.writer, title="Old Lantern", chapters=2, tags=dataset._tags())
        first = old.chapters.order_by("position").first()
        Chapter.objects.filter(pk=first.pk).update(published_at=dt.date(OLD_YEAR, 3, 1))
        Work.objects.filter(pk=old.pk).update(published_at=dt.date(OLD_YEAR, 3, 1))
        feedback.stats_add(old.pk, "hits", 9)
        feedback.stats_add(data.works["oneshot"].pk, "hits", 30)
        data.works["old"] = old
        data.works["members_talk"] = make_work(
            creator=data.writer,
            title="Members Talk",
            comment_permission=CommentPermission.REGISTERED,
            tags=dataset._tags(),
        )
        return data


@pytest.fixture
def session(data, ao3_host):
    return AO3.Session("bookworm", data.password)


# Series -----------------------------------------------------------------------------------


def test_series_unsubscribe_and_subscribe(data, session):
    series = AO3.Series(data.series.pk, session=session)
    assert series.is_subscribed is True  # the dataset's subscription
    series.unsubscribe()
    assert not Subscription.objects.filter(user=data.reader, series=data.series).exists()
    series = AO3.Series(data.series.pk, session=session)
    assert series.is_subscribed is False
    series.subscribe()
    assert Subscription.objects.filter(user=data.reader, series=data.series).count() == 1
    assert AO3.Series(data.series.pk, session=session).is_subscribed is True


# Bookmarks --------------------------------------------------------------------------------


def test_delete_bookmark(data, session):
    work = data.works["in_progress"]
    AO3.Work(work.pk, session=session).bookmark(notes="For a long evening.")
    bookmark = Bookmark.objects.get(user=data.reader, work=work)
    read = AO3.Work(work.pk, session=session)
    assert read._bookmarkid == bookmark.pk
    read.delete_bookmark()
    assert not Bookmark.objects.filter(pk=bookmark.pk).exists()
    with pytest.raises(AO3.utils.BookmarkError):  # no bookmark left to delete
        AO3.Work(work.pk, session=session).delete_bookmark()


def test_nobody_deletes_anothers_bookmark(data, ao3_host):
    bookmark = Bookmark.objects.filter(user=data.reader).first()
    writer = AO3.Session("writer", data.password)
    before = writer.authenticity_token
    writer.refresh_auth_token()  # the logged-in session's token, from the header's form
    assert writer.authenticity_token and writer.authenticity_token != before
    url = f"{HOST}/bookmarks/{bookmark.pk}"
    form = {"_method": "delete", "authenticity_token": writer.authenticity_token}
    answer = writer.session.post(url, data=form, allow_redirects=False)
    assert answer.status_code == 404
    assert Bookmark.objects.filter(pk=bookmark.pk).exists()
    assert requests.get(url, allow_redirects=False).status_code == 405


# Guest comments ---------------------------------------------------------------------------


def test_guest_comments_with_name_and_email(data, ao3_host):
    work = data.works["oneshot"]
    read = AO3.Work(work.pk, session=AO3.GuestSession())
    assert read.authenticity_token  # the work page's csrf-token meta, for guests too
    read.comment("A lovely single evening.", email="passer@example.org", name="Passer-by")
    comment = Comment.objects.get(work=work, content="A lovely single evening.")
    assert comment.user is None
    assert (comment.guest_name, comment.guest_email) == ("Passer-by", "passer@example.org")


def test_guest_comment_where_only_registered_users_may_comment(data, ao3_host):
    work = data.works["members_talk"]
    read = AO3.Work(work.pk, session=AO3.GuestSession())
    with pytest.raises(AO3.utils.UnexpectedResponseError, match="not_allowed"):
        read.comment("Let me in.", email="passer@example.org", name="Passer-by")
    assert not Comment.objects.filter(work=work).exists()


# Statistics for one year ------------------------------------------------------------------


def _writers_posted_chapters(data):
    return Chapter.objects.filter(
        work__work_creators__user=data.writer, work__posted=True, posted=True
    )


def _expected(data, year):
    chapters = _writers_posted_chapters(data).filter(published_at__year=year)
    works = Work.objects.filter(pk__in=chapters.values("work_id"))
    return works, chapters.aggregate(words=Sum("word_count"))["words"]


def _work_titles(writer, year):
    page = writer.session.get(f"{HOST}/users/writer/stats?year={year}&flat_view=true")
    soup = BeautifulSoup(page.content, "lxml")
    return sorted(a.get_text() for a in soup.select("ul.statistics.index.group li.work dt > a"))


@pytest.mark.parametrize("which", ["old", "this"])
def test_statistics_for_one_year_count_that_years_works_and_chapters(data, ao3_host, which):
    year = OLD_YEAR if which == "old" else timezone.localdate().year
    writer = AO3.Session("writer", data.password)
    stats = writer.get_statistics(year=year)
    works, words = _expected(data, year)
    assert works.exists()
    assert stats["word_count"] == words
    assert stats["hits"] == sum(work.stats.hits for work in works)
    assert stats["kudos"] == sum(work.stats.kudos for work in works)
    assert stats["bookmarks"] == Bookmark.objects.filter(work__in=works).count()
    assert stats["subscriptions"] == Subscription.objects.filter(work__in=works).count()
    assert stats["user_subscriptions"] == Subscription.objects.filter(author=data.writer).count()
    assert _work_titles(writer, year) == sorted(works.values_list("title", flat=True))


def test_statistics_for_the_old_year_leave_out_this_years_works(data, ao3_host):
    writer = AO3.Session("writer", data.password)
    assert _work_titles(writer, OLD_YEAR) == ["Old Lantern"]
    old = writer.get_statistics(year=OLD_YEAR)
    first = data.works["old"].chapters.order_by("position").first()
    assert old["word_count"] == first.word_count < data.works["old"].word_count
    assert old["hits"] == 9


def test_statistics_for_a_year_without_chapters_are_all_years(data, ao3_host):
    writer = AO3.Session("writer", data.password)
    everything = writer.get_statistics()
    assert writer.get_statistics(year=1999) == everything
    works = Work.objects.filter(work_creators__user=data.writer, posted=True)
    assert everything["word_count"] == sum(works.values_list("word_count", flat=True))
    assert everything["word_count"] > writer.get_statistics(year=OLD_YEAR)["word_count"]
