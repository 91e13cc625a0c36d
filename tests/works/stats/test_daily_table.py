"""The daily statistics table: what the hit flush and the feedback services write to it, and
the weekly rollup."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_user, make_work
from works import hits
from works.models import Comment, DailyStat, Period, WorkStats
from works.services import feedback
from works.stats import daily

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache(settings):
    settings.HITS_FLUSH_THRESHOLD = 1000
    settings.HITS_FLUSH_INTERVAL = 3600
    cache.clear()
    yield
    cache.clear()


def _row(work, chapter=None, day=None, period=Period.DAY):
    return DailyStat.objects.get(
        work=work, chapter=chapter, day=day or timezone.localdate(), period=period
    )


def _chapters(work):
    return list(work.chapters.order_by("position"))


# The hit flush ---------------------------------------------------------------------------


def test_the_flush_writes_the_days_hits_and_each_chapters_readers(client):
    work = make_work(chapters=3)
    first, second, third = _chapters(work)
    for n in (1, 2, 3):
        client.get(f"/works/{work.pk}", REMOTE_ADDR=f"198.51.100.{n}")
    client.get(second.get_absolute_url(), REMOTE_ADDR="198.51.100.1")
    client.get(second.get_absolute_url(), REMOTE_ADDR="198.51.100.2")
    client.get(second.get_absolute_url(), REMOTE_ADDR="198.51.100.2")  # the same reader
    assert not DailyStat.objects.exists()  # buffered in the cache
    hits.flush()
    assert _row(work).hits == 3
    assert _row(work, first).hits == 3
    assert _row(work, second).hits == 2
    assert not DailyStat.objects.filter(chapter=third).exists()  # no activity, no row


def test_reads_of_two_days_go_to_two_rows():
    work = make_work(chapters=2)
    chapter = _chapters(work)[1]
    monday = datetime.date(2026, 11, 23)
    hits.hit_record(work.pk, "ip1", monday, chapter_id=chapter.pk)
    hits.hit_record(work.pk, "ip1", monday + datetime.timedelta(days=1), chapter_id=chapter.pk)
    hits.hit_record(work.pk, "ip2", monday + datetime.timedelta(days=1), chapter_id=chapter.pk)
    hits.flush()
    assert _row(work, day=monday).hits == 1
    assert _row(work, day=monday + datetime.timedelta(days=1)).hits == 2
    assert _row(work, chapter, day=monday + datetime.timedelta(days=1)).hits == 2
    hits.hit_record(work.pk, "ip3", monday, chapter_id=chapter.pk)
    hits.flush()  # the next flush adds to the rows already there
    assert _row(work, day=monday).hits == 2
    assert _row(work, chapter, day=monday).hits == 2


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_chapter_page_view_writes_nothing_to_the_database(client, reader, logged_in):
    work = make_work(chapters=2)
    if logged_in:
        client.force_login(reader)
    second = _chapters(work)[1]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(second.get_absolute_url())
    assert response.status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    assert response[hits.CHAPTER_HEADER] == str(second.pk)


def test_hits_buffered_before_days_were_kept_count_today():
    work = make_work()
    hits.HITS.add(str(work.pk))  # a key from before this change, still in the cache
    hits.flush()
    assert _row(work).hits == 1
    assert WorkStats.objects.get(work=work).hits == 1


def test_a_work_deleted_before_the_flush_leaves_no_row():
    work = make_work(chapters=2)
    hits.hit_record(work.pk, "ip1", chapter_id=_chapters(work)[1].pk)
    work.delete()
    hits.flush()
    assert not DailyStat.objects.exists()


def test_creators_reads_are_not_in_the_table(client, author):
    work = make_work(creator=author, chapters=2)
    client.force_login(author)
    client.get(_chapters(work)[1].get_absolute_url())
    hits.flush()
    assert not DailyStat.objects.exists()


def test_a_chapter_page_from_the_page_cache_still_counts_its_reader(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    work = make_work(chapters=2)
    second = _chapters(work)[1]
    client.get(second.get_absolute_url(), REMOTE_ADDR="198.51.100.1")
    response = client.get(second.get_absolute_url(), REMOTE_ADDR="198.51.100.2")
    assert response[hits.CHAPTER_HEADER] == str(second.pk)
    hits.flush()
    assert _row(work, second).hits == 2


# Feedback -------------------------------------------------------------------------------


def test_kudos_count_on_the_day_and_on_the_chapter_they_came_from(client):
    work = make_work(chapters=2)
    first, second = _chapters(work)
    page = client.get(second.get_absolute_url(), REMOTE_ADDR="203.0.113.1").content.decode()
    assert f'name="kudos_from" value="{second.pk}"' in page
    client.post(
        f"/works/{work.pk}/kudos", {"kudos_from": str(second.pk)}, REMOTE_ADDR="203.0.113.1"
    )
    full = client.get(f"/works/{work.pk}?view_full_work=true", REMOTE_ADDR="203.0.113.2")
    assert 'name="kudos_from"' not in full.content.decode()
    client.post(f"/works/{work.pk}/kudos", REMOTE_ADDR="203.0.113.2")
    assert _row(work).kudos == 2
    assert _row(work, second).kudos == 1
    assert not DailyStat.objects.filter(chapter=first).exists()


def test_kudos_naming_another_works_chapter_count_for_the_work_only():
    work, other = make_work(), make_work()
    feedback.kudos_add(
        work=work, user=None, ip="203.0.113.9", from_chapter_id=_chapters(other)[0].pk
    )
    assert _row(work).kudos == 1
    assert DailyStat.objects.count() == 1


def test_a_repeated_kudos_is_not_counted_again(reader):
    work = make_work()
    feedback.kudos_add(work=work, user=reader, ip=None)
    feedback.kudos_add(work=work, user=reader, ip=None)
    assert _row(work).kudos == 1


def test_comments_count_on_the_work_and_chapter_when_readers_can_see_them(reader):
    work = make_work(chapters=2)
    second = _chapters(work)[1]
    feedback.comment_add(chapter=second, user=reader, content="A fine turn of phrase.")
    assert _row(work).comments == 1 and _row(work, second).comments == 1
    creator = make_user(username="moderated_creator")
    moderated = make_work(creator=creator, moderate_comments=True)
    chapter = _chapters(moderated)[0]
    comment = feedback.comment_add(chapter=chapter, user=reader, content="Waiting for review.")
    assert comment.status == Comment.Status.UNREVIEWED
    assert not DailyStat.objects.filter(work=moderated).exists()
    feedback.comment_approve(comment=comment, user=creator)
    assert _row(moderated).comments == 1


def test_a_deleted_comment_stays_in_the_day_it_was_left(reader):
    work = make_work()
    comment = feedback.comment_add(chapter=_chapters(work)[0], user=reader, content="Ahh!")
    feedback.comment_delete(comment=comment, user=reader)
    assert _row(work).comments == 1  # history is not rewritten
    work.stats.refresh_from_db()
    assert work.stats.comments == 0  # the running total is


def test_bookmarks_and_subscriptions_count_when_made(reader):
    work = make_work()
    feedback.bookmark_save(user=reader, work=work, notes="Keep.")
    feedback.bookmark_save(user=reader, work=work, notes="Edited notes.")  # not a new one
    private_reader = make_user(username="private_reader")
    feedback.bookmark_save(user=private_reader, work=work, private=True)
    feedback.subscription_add(user=reader, work=work)
    feedback.subscription_add(user=reader, work=work)
    row = _row(work)
    assert (row.bookmarks, row.subscriptions) == (1, 1)


def test_no_row_says_who():
    names = {field.name for field in DailyStat._meta.get_fields()}
    assert names == {
        "id",
        "work",
        "chapter",
        "day",
        "period",
        "hits",
        "kudos",
        "comments",
        "bookmarks",
        "subscriptions",
    }


# The weekly rollup ------------------------------------------------------------------------


def test_rollup_merges_days_older_than_a_year_into_weeks_and_can_run_again():
    work = make_work(chapters=2)
    chapter = _chapters(work)[1]
    today = datetime.date(2026, 12, 4)
    old_monday = datetime.date(2025, 6, 2)
    for offset in range(7):
        day = old_monday + datetime.timedelta(days=offset)
        daily.add(work.pk, day=day, hits=offset + 1, kudos=1)
        daily.add(work.pk, chapter_id=chapter.pk, day=day, hits=1)
    recent = today - datetime.timedelta(days=10)
    daily.add(work.pk, day=recent, hits=5)
    assert daily.rollup(today) == 14
    assert daily.rollup(today) == 0  # idempotent: nothing left to merge
    week = _row(work, day=old_monday, period=Period.WEEK)
    assert (week.hits, week.kudos) == (28, 7)
    assert _row(work, chapter, day=old_monday, period=Period.WEEK).hits == 7
    assert not DailyStat.objects.filter(period=Period.DAY, day__lt=recent).exists()
    assert _row(work, day=recent).hits == 5
    daily.add(work.pk, day=old_monday + datetime.timedelta(days=2), hits=2)  # a late arrival
    daily.rollup(today)
    assert _row(work, day=old_monday, period=Period.WEEK).hits == 30


def test_rollup_keeps_the_week_that_straddles_the_cutoff_in_days():
    work = make_work()
    today = datetime.date(2026, 12, 4)  # a Friday; a year back is Thursday 2025-12-04
    straddling = datetime.date(2025, 12, 3)  # Wednesday of the cutoff's week
    daily.add(work.pk, day=straddling, hits=1)
    daily.rollup(today)
    assert _row(work, day=straddling).hits == 1


def test_the_rollup_task_runs_once_a_day_from_the_minute_tick(settings):
    assert "works.stats.daily.rollup_task" in settings.TASKS_EVERY_MINUTE
    work = make_work()
    old = timezone.localdate() - datetime.timedelta(days=400)
    daily.add(work.pk, day=old, hits=3)
    daily.rollup_task.call()
    assert DailyStat.objects.get(work=work).period == Period.WEEK
    daily.add(work.pk, day=old, hits=1)
    daily.rollup_task.call()  # the day's run is done: the next day merges this one
    assert DailyStat.objects.filter(work=work, period=Period.DAY).count() == 1
