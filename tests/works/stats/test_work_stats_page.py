"""A work's stats page and CSV, for its creators only."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone

from tests.factories import make_user, make_work
from works.models import DailyStat, Period
from works.stats import daily

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Lanterns Over the Saltmarsh"


@pytest.fixture
def work(author):
    work = make_work(creator=author, chapters=3, title=SECRET_TITLE)
    first, second, third = work.chapters.order_by("position")
    today = timezone.localdate()
    daily.add(work.pk, day=today, hits=40, kudos=6, comments=2, bookmarks=1, subscriptions=3)
    daily.add(work.pk, day=today - datetime.timedelta(days=3), hits=17)
    daily.add(work.pk, day=today - datetime.timedelta(days=200), hits=9, kudos=1)
    daily.add(work.pk, chapter_id=first.pk, day=today, hits=40, kudos=2)
    daily.add(work.pk, chapter_id=second.pk, day=today, hits=30, kudos=1)
    daily.add(work.pk, chapter_id=third.pk, day=today, hits=10)
    DailyStat.objects.create(
        work=work,
        day=daily.monday(today - datetime.timedelta(days=800)),
        period=Period.WEEK,
        hits=70,
    )
    return work


def _charts(page):
    return re.findall(r'<svg role="img".*?</svg>', page, re.S)


def test_a_creator_sees_charts_with_a_title_a_description_and_a_table(client, author, work):
    client.force_login(author)
    page = client.get(f"/works/{work.pk}/stats").content.decode()
    charts = _charts(page)
    assert len(charts) == 7  # five counts over time, readers per chapter, kudos by source
    for chart in charts:
        assert "<title id=" in chart and "<desc id=" in chart
    assert page.count('<table class="landmark">') == 7
    # Last 30 days: today's 40 hits and the 17 three days ago, each a row of the table.
    assert "<td>40</td>" in page and "<td>17</td>" in page
    assert "57 in all over 30 bars" in page
    # All time totals: the week from two years ago counts too.
    assert re.search(r"<dt>Hits:</dt><dd>136</dd>", page)


def test_the_readers_per_chapter_curve_and_kudos_sources(client, author, work):
    client.force_login(author)
    page = client.get(f"/works/{work.pk}/stats").content.decode()
    readers = page[page.index('id="chart-readers-title"') :]
    assert "<td>30</td><td>75%</td>" in readers and "<td>10</td><td>25%</td>" in readers
    sources = page[page.index('id="chart-kudos-source-title"') :]
    # 7 kudos in all, 3 given from chapter pages: 4 from the entire work.
    assert '<th scope="row">Entire work</th><td>4</td>' in sources


def test_ranges_a_year_by_week_and_all_time_by_month(client, author, work):
    client.force_login(author)
    year = client.get(f"/works/{work.pk}/stats?range=year").content.decode()
    assert "66 in all over" in year  # 40 + 17 + 9, not the week two years ago
    every = client.get(f"/works/{work.pk}/stats?range=all").content.decode()
    assert "136 in all over" in every
    odd = client.get(f"/works/{work.pk}/stats?range=<script>").content.decode()
    assert "57 in all over 30 bars" in odd and "<script>" not in odd


def test_a_co_creator_sees_the_stats(client, work):
    co_creator = make_user(username="co_creator")
    work.work_creators.create(user=co_creator, pseud=co_creator.pseuds.first())
    client.force_login(co_creator)
    assert client.get(f"/works/{work.pk}/stats").status_code == 200
    assert client.get(f"/works/{work.pk}/stats.csv").status_code == 200


@pytest.mark.parametrize("path", ["stats", "stats.csv"])
def test_everyone_else_gets_404_with_nothing_of_the_work(client, reader, work, path):
    client.force_login(reader)
    response = client.get(f"/works/{work.pk}/{path}")
    assert response.status_code == 404
    assert SECRET_TITLE not in response.content.decode()
    missing = client.get(f"/works/{work.pk + 999}/{path}")
    assert missing.status_code == 404
    client.logout()
    guest = client.get(f"/works/{work.pk}/{path}")
    assert guest.status_code == 302 and "/login" in guest["Location"]
    assert client.get(f"/works/{work.pk + 999}/{path}").status_code == 302  # alike


def test_the_csv_has_every_row(client, author, work):
    client.force_login(author)
    response = client.get(f"/works/{work.pk}/stats.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "date",
        "period",
        "chapter",
        "hits",
        "kudos",
        "comments",
        "bookmarks",
        "subscriptions",
    ]
    today = timezone.localdate().isoformat()
    assert [today, "day", "", "40", "6", "2", "1", "3"] in rows
    assert [today, "day", "2", "30", "1", "0", "0", "0"] in rows
    assert sum(row[1] == "week" for row in rows[1:]) == 1
    assert len(rows) == 1 + 7


def test_the_page_takes_a_fixed_number_of_queries(client, author, work, django_assert_num_queries):
    client.force_login(author)
    client.get(f"/works/{work.pk}/stats")  # the session and account caches warm up
    with django_assert_num_queries(6) as first:
        client.get(f"/works/{work.pk}/stats")
    bigger = make_work(creator=author, chapters=8)
    for chapter in bigger.chapters.all():
        for days in range(0, 700, 3):
            daily.add(
                bigger.pk,
                chapter_id=chapter.pk,
                day=timezone.localdate() - datetime.timedelta(days=days),
                hits=1,
            )
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(f"/works/{bigger.pk}/stats")


def test_the_work_page_and_dashboard_link_the_stats_for_creators_only(client, author, work):
    link = f'href="/works/{work.pk}/stats"'
    assert link not in client.get(f"/works/{work.pk}").content.decode()
    client.force_login(author)
    assert link in client.get(f"/works/{work.pk}").content.decode()
    assert link in client.get(f"/users/{author.username}").content.decode()
    client.force_login(make_user(username="visitor"))
    assert link not in client.get(f"/users/{author.username}").content.decode()


def test_chapter_titles_are_text_in_the_charts(client, author, work):
    chapter = work.chapters.order_by("position").first()
    chapter.title = '<script>alert("x")</script><b>Bold</b>'
    chapter.save()
    client.force_login(author)
    page = client.get(f"/works/{work.pk}/stats").content.decode()
    assert "<script>alert" not in page and "<b>Bold</b>" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt;" in page
