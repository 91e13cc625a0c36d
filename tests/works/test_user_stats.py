"""/users/<login>/stats, AO3's statistics page for creators (issue 19): the totals, a row per
work grouped by fandom or flat, AO3's sort columns, the year filter, owner only, co-created
works, and a fixed number of queries however many works there are."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tags.types import TagType
from tests.factories import make_user, make_work
from tests.responses import body
from tests.works.markup import parse, select, select_one, text
from works.models import Chapter, Comment, Work, WorkCreator
from works.models.visibility import is_anonymous
from works.services import collections, feedback, moderation

pytestmark = pytest.mark.django_db

OLD_YEAR = 2023


def _url(person, query=""):
    return f"/users/{person.username}/stats{query}"


def _page(client, person, query=""):
    response = client.get(_url(person, query))
    assert response.status_code == 200
    return parse(response.content)


def _totals(page):
    """ao3-api's reading: each dt of dl.statistics.meta.group, its label and its dd."""
    dl = select_one(page, "dl.statistics.meta.group")
    labels = [text(dt).rstrip(":") for dt in select(dl, "dt")]
    values = [int(text(dd).replace(",", "")) for dd in select(dl, "dd")]
    return dict(zip(labels, values, strict=True))


def _groups(page):
    """(fandom heading, [work titles]) in page order."""
    return [
        (
            text(select_one(group, "h4.heading")),
            [text(a) for a in select(group, "li.work dt > a")],
        )
        for group in select(page, "ul.statistics.index.group > li.fandom")
    ]


def _row(page, title):
    for item in select(page, "ul.statistics.index.group li.work"):
        if text(select_one(item, "dt > a")) == title:
            stats = select_one(item, "dl.stats")
            counters = {
                dd.get("class"): int(text(dd).replace(",", "")) for dd in select(stats, "dd")
            }
            words = text(select_one(item, "span.words"))
            return counters, words
    raise AssertionError(f"no row for {title}")


def _titles(page):
    return [title for _fandom, titles in _groups(page) for title in titles]


def _comment(work, user, text="A kind word about the lighthouse."):
    return feedback.comment_add(chapter=work.chapters.first(), user=user, content=text)


@pytest.fixture
def shelf(author):
    """Three works of the author's with counters of their own and one of somebody else's."""
    readers = [make_user(username=f"reader{n}") for n in range(3)]
    lighthouse = make_work(
        creator=author,
        title="The Lighthouse Keeper",
        chapters=2,
        tags={TagType.FANDOM: ["Coastal Tales", "Harbour Songs"]},
    )
    orchard = make_work(
        creator=author, title="Orchard in Winter", tags={TagType.FANDOM: ["Harbour Songs"]}
    )
    kite = make_work(creator=author, title="A Kite for Mira", tags={TagType.FANDOM: ["Kites"]})
    make_work(title="Not Theirs", tags={TagType.FANDOM: ["Kites"]})
    make_work(creator=author, title="Unfinished Draft", post=False)
    feedback.stats_add(lighthouse.pk, "hits", 120)
    feedback.stats_add(orchard.pk, "hits", 45)
    feedback.stats_add(kite.pk, "hits", 7)
    for reader in readers:
        feedback.kudos_add(work=lighthouse, user=reader, ip=None)
    feedback.kudos_add(work=kite, user=readers[0], ip=None)
    first = _comment(lighthouse, readers[0])
    feedback.comment_add(
        chapter=lighthouse.chapters.first(), user=author, content="Thank you!", parent=first
    )
    _comment(lighthouse, readers[1])
    gone = _comment(orchard, readers[2])
    feedback.comment_delete(comment=gone, user=readers[2])
    _comment(orchard, readers[1])
    feedback.bookmark_save(user=readers[0], work=orchard)
    feedback.bookmark_save(user=readers[1], work=orchard)
    feedback.subscription_add(user=readers[0], work=lighthouse)
    feedback.subscription_add(user=readers[1], author=author)
    feedback.subscription_add(user=readers[2], author=author)
    return {"lighthouse": lighthouse, "orchard": orchard, "kite": kite, "readers": readers}


def test_totals_add_up_the_owners_posted_works(author_client, author, shelf):
    totals = _totals(_page(author_client, author))
    words = sum(shelf[key].word_count for key in ("lighthouse", "orchard", "kite"))
    assert totals == {
        "User Subscriptions": 2,
        "Kudos": 4,
        "Comment Threads": 3,  # two on the lighthouse (not the reply), one left on the orchard
        "Bookmarks": 2,
        "Subscriptions": 1,
        "Word Count": words,
        "Hits": 172,
    }


def test_one_row_per_work_with_its_own_counters(author_client, author, shelf):
    page = _page(author_client, author, "?flat_view=true")
    counters, words = _row(page, "The Lighthouse Keeper")
    assert counters == {
        "subscriptions": 1,
        "hits": 120,
        "kudos": 3,
        "comments": 2,
        "bookmarks": 0,
    }
    assert words == f"({shelf['lighthouse'].word_count} words)"
    # AO3 shows a work's subscriptions only when it has some.
    counters, _words = _row(page, "Orchard in Winter")
    assert counters == {"hits": 45, "kudos": 0, "comments": 1, "bookmarks": 2}
    # Drafts and other people's works are not listed; a chaptered work is one row.
    assert sorted(_titles(page)) == [
        "A Kite for Mira",
        "Orchard in Winter",
        "The Lighthouse Keeper",
    ]
    link = select(page, "li.work dt > a")[0]
    assert link.get("href") == shelf["lighthouse"].get_absolute_url()


def test_by_fandom_is_the_default_and_flat_view_lists_each_work_once(author_client, author, shelf):
    page = _page(author_client, author)
    assert _groups(page) == [
        ("Coastal Tales", ["The Lighthouse Keeper"]),
        ("Harbour Songs", ["The Lighthouse Keeper", "Orchard in Winter"]),
        ("Kites", ["A Kite for Mira"]),
    ]
    # A work in two fandoms is counted once in the totals.
    assert _totals(page)["Hits"] == 172
    assert text(select_one(page, "ul.view.actions span.current")) == "Fandoms View"

    flat = _page(author_client, author, "?flat_view=true")
    assert _groups(flat) == [
        ("All Fandoms", ["The Lighthouse Keeper", "Orchard in Winter", "A Kite for Mira"])
    ]
    fandoms = [text(span) for span in select(flat, "li.work span.fandom")]
    assert fandoms[0] == "(Coastal Tales, Harbour Songs)"
    assert text(select_one(flat, "ul.view.actions span.current")) == "Flat View"
    fandom_link = select(flat, "ul.view.actions a")[0]
    assert "flat_view" not in fandom_link.get("href")


LIGHT, ORCHARD, KITE = "The Lighthouse Keeper", "Orchard in Winter", "A Kite for Mira"


@pytest.mark.parametrize(
    ("column", "descending", "ascending"),
    [
        ("hits", [LIGHT, ORCHARD, KITE], [KITE, ORCHARD, LIGHT]),
        ("kudos.count", [LIGHT, KITE, ORCHARD], [ORCHARD, KITE, LIGHT]),
        ("comment_thread_count", [LIGHT, ORCHARD, KITE], [KITE, ORCHARD, LIGHT]),
        # Ties keep the older work first either way.
        ("bookmarks.count", [ORCHARD, LIGHT, KITE], [LIGHT, KITE, ORCHARD]),
        ("subscriptions.count", [LIGHT, ORCHARD, KITE], [ORCHARD, KITE, LIGHT]),
    ],
)
def test_sorting_by_each_counter_both_ways(
    author_client, author, shelf, column, descending, ascending
):
    query = f"?flat_view=true&sort_column={column}"
    assert _titles(_page(author_client, author, query)) == descending
    assert _titles(_page(author_client, author, query + "&sort_direction=DESC")) == descending
    assert _titles(_page(author_client, author, query + "&sort_direction=ASC")) == ascending


def test_sorting_by_word_count_and_date(author_client, author, shelf):
    Work.objects.filter(pk=shelf["kite"].pk).update(word_count=5000)
    Work.objects.filter(pk=shelf["orchard"].pk).update(
        revised_at=timezone.now() - dt.timedelta(days=400)
    )
    page = _page(author_client, author, "?flat_view=true&sort_column=word_count")
    assert _titles(page)[0] == "A Kite for Mira"
    page = _page(author_client, author, "?flat_view=true&sort_column=date&sort_direction=ASC")
    assert _titles(page)[0] == "Orchard in Winter"
    page = _page(author_client, author, "?flat_view=true&sort_column=date&sort_direction=DESC")
    assert _titles(page)[-1] == "Orchard in Winter"


def test_sort_links_turn_the_current_column_around(author_client, author, shelf):
    page = _page(author_client, author, "?sort_column=kudos.count&sort_direction=DESC")
    links = {text(a).split(" (")[0]: a.get("href") for a in select(page, "ul.sorting.actions a")}
    assert set(links) == {
        "Date",
        "Hits",
        "Kudos",
        "Comment Threads",
        "Bookmarks",
        "Subscriptions",
        "Word Count",
    }
    assert "sort_column=kudos.count" in links["Kudos"]
    assert "sort_direction=ASC" in links["Kudos"]
    assert "sort_direction=DESC" in links["Hits"]
    assert "sort_direction=ASC" in links["Date"]
    current = select_one(page, "ul.sorting.actions a.current")
    assert text(current).startswith("Kudos")


def test_unknown_sort_and_view_values_fall_back_to_most_hits(author_client, author, shelf):
    page = _page(
        author_client,
        author,
        "?flat_view=true&sort_column=title;drop&sort_direction=sideways",
    )
    assert _titles(page) == ["The Lighthouse Keeper", "Orchard in Winter", "A Kite for Mira"]
    # The page's own links carry the column it fell back to, never what was sent.
    page = _page(author_client, author, "?sort_column=title;drop")
    links = select(page, "ol.year.actions a") + select(page, "div.actions.module a")
    assert links
    assert not [a for a in links if "drop" in a.get("href")]
    assert all("sort_column=" not in a.get("href") or "title" not in a.get("href") for a in links)


def test_year_filter_counts_that_years_chapters(author_client, author, shelf):
    lighthouse = shelf["lighthouse"]
    first, second = lighthouse.chapters.order_by("position")
    Chapter.objects.filter(pk=first.pk).update(published_at=dt.date(OLD_YEAR, 5, 1))
    this_year = timezone.localdate().year

    page = _page(author_client, author)
    years = [text(li) for li in select(page, "ol.year.actions li")]
    assert years == ["All Years", str(OLD_YEAR), str(this_year)]
    assert text(select_one(page, "ol.year.actions span.current")) == "All Years"

    old = _page(author_client, author, f"?year={OLD_YEAR}&flat_view=true")
    assert _titles(old) == ["The Lighthouse Keeper"]
    totals = _totals(old)
    assert totals["Word Count"] == first.word_count
    assert totals["Hits"] == 120
    assert totals["User Subscriptions"] == 2  # whatever the year
    assert text(select_one(old, "ol.year.actions span.current")) == str(OLD_YEAR)
    assert _row(old, "The Lighthouse Keeper")[1] == f"({first.word_count} words)"

    current = _page(author_client, author, f"?year={this_year}&flat_view=true")
    assert sorted(_titles(current)) == [
        "A Kite for Mira",
        "Orchard in Winter",
        "The Lighthouse Keeper",
    ]
    assert _row(current, "The Lighthouse Keeper")[1] == f"({second.word_count} words)"
    # The year links keep the view and the sort.
    link = [a for a in select(current, "ol.year.actions a") if text(a) == str(OLD_YEAR)][0]
    assert "flat_view=true" in link.get("href")
    assert "sort_column=hits" in link.get("href")


def test_a_year_without_chapters_or_all_years_shows_everything(author_client, author, shelf):
    everything = _totals(_page(author_client, author))
    assert _totals(_page(author_client, author, "?year=1999")) == everything
    assert _totals(_page(author_client, author, "?year=All+Years")) == everything
    assert _totals(_page(author_client, author, "?year=nonsense")) == everything


@pytest.mark.parametrize("who", ["guest", "other"])
def test_only_the_owner_sees_the_page(client, author, shelf, who):
    if who == "other":
        client.force_login(shelf["readers"][0])
    response = client.get(_url(author))
    if who == "guest":
        # As for the inbox: guests are sent to log in, and back here afterwards.
        assert response.status_code == 302
        assert response["Location"] == f"/users/login?next={_url(author)}"
    else:
        assert response.status_code == 404
    page = body(client.get(_url(author), follow=True)).decode()
    for secret in ("Lighthouse", "Orchard", "Hits", "User Subscriptions"):
        assert secret not in page
    # Nobody learns whether a login exists: an unknown one answers the same way.
    unknown = client.get("/users/nobody_here/stats")
    assert unknown.status_code == response.status_code


def test_the_owners_login_is_matched_without_case(client, author, shelf):
    client.force_login(author)
    assert client.get(_url(author).replace("author", "AUTHOR")).status_code == 200


def test_a_cocreator_sees_the_shared_work(client, author, shelf):
    partner = make_user(username="partner")
    WorkCreator.objects.create(
        work=shelf["orchard"], user=partner, pseud=partner.pseuds.get(is_default=True), position=1
    )
    invited_only = make_work(creator=author, title="Invitation Pending")
    client.force_login(partner)
    page = _page(client, partner, "?flat_view=true")
    assert _titles(page) == ["Orchard in Winter"]
    assert invited_only.title not in _titles(page)
    totals = _totals(page)
    assert totals["Bookmarks"] == 2
    assert totals["User Subscriptions"] == 0


def test_hidden_and_anonymous_works_stay_on_their_creators_page(author_client, author, shelf):
    # As on AO3, a work a moderator hid is still its creator's: it stays on their page.
    Work.objects.filter(pk=shelf["kite"].pk).update(hidden_by_moderator=True)
    owner = make_user(username="fest_runner")
    fest = collections.collection_create(
        owner=owner,
        fields={"name": "masked_fest", "title": "Masked Fest", "is_anonymous": True},
    )
    collections.collection_add_work(collection=fest, work=shelf["orchard"], user=author)
    assert is_anonymous(Work.objects.get(pk=shelf["orchard"].pk))
    page = _page(author_client, author, "?flat_view=true")
    assert sorted(_titles(page)) == [KITE, ORCHARD, LIGHT]
    assert _totals(page)["Hits"] == 172


def test_comment_threads_leave_out_held_and_deleted_comments(author_client, author, shelf):
    held = _comment(shelf["kite"], shelf["readers"][1])
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.UNREVIEWED)
    counters, _words = _row(_page(author_client, author, "?flat_view=true"), "A Kite for Mira")
    assert counters["comments"] == 0
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.APPROVED)
    counters, _words = _row(_page(author_client, author, "?flat_view=true"), "A Kite for Mira")
    assert counters["comments"] == 1


def test_no_works_yet(client):
    newcomer = make_user(username="newcomer")
    client.force_login(newcomer)
    page = _page(client, newcomer)
    assert _totals(page)["Hits"] == 0
    assert "You have no works posted to the Archive yet." in text(page)
    assert not select(page, "ul.statistics.index.group")


def test_the_dashboard_links_the_page_for_its_owner_only(client, author, reader):
    client.force_login(author)
    stats_links = select(_dashboard(client, author), f'a[href="{_url(author)}"]')
    assert [text(a) for a in stats_links] == ["Statistics"]
    client.force_login(reader)
    assert not select(_dashboard(client, author), f'a[href="{_url(author)}"]')


def _dashboard(client, person):
    return parse(client.get(f"/users/{person.username}").content)


def _queries(client, person, query):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(person, query)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", ["", "?year=2023&flat_view=true&sort_column=date"])
def test_a_fixed_number_of_queries_whatever_the_number_of_works(author_client, author, query):
    first = make_work(creator=author, chapters=2)
    Chapter.objects.filter(work=first).update(published_at=dt.date(2023, 2, 1))
    feedback.kudos_add(work=first, user=make_user(), ip=None)
    author_client.get(_url(author, query))  # warm the session and the caches
    few = _queries(author_client, author, query)
    for n in range(12):
        work = make_work(creator=author, chapters=2, tags={TagType.FANDOM: [f"Far {n}", "Near"]})
        Chapter.objects.filter(work=work).update(published_at=dt.date(2023, 3, 1))
        feedback.bookmark_save(user=make_user(), work=work)
        _comment(work, make_user())
    many = _queries(author_client, author, query)
    assert many == few
    page = _page(author_client, author, query + ("&" if query else "?") + "flat_view=true")
    assert len(_titles(page)) == 13


def test_moderation_hidden_comment_is_not_a_thread(author_client, author, shelf, moderator):
    comment = Comment.objects.filter(work=shelf["orchard"], is_deleted=False).get()
    moderation.comment_hide(comment=comment, moderator=moderator, reason="Spam link.")
    counters, _words = _row(_page(author_client, author, "?flat_view=true"), "Orchard in Winter")
    assert counters["comments"] == 0
