"""Orphaning (works/services/orphans.py, works/views/leaving.py): a creator gives up a work,
a series or every posted work to orphan_account, under their name or not, for good."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.forms import SignupForm
from tests.factories import PASSWORD, make_user, make_work
from tests.responses import body
from works.cache import pages as page_cache
from works.models import Bookmark, Comment, Kudos, Series, SeriesWork, WorkCreator, WorkStats
from works.services import orphans

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _byline(html: str) -> str:
    start = html.index('class="byline heading"')
    return html[start : html.index("</h3>", start)]


def test_orphaning_a_work_asks_plainly_and_moves_it_to_orphan_account(author):
    work = make_work(creator=author, title="Lighthouse Keeper's Almanac")
    client = _client(author)
    page = client.get(f"/works/{work.pk}/orphan").content.decode()
    assert "Orphaning cannot be undone." in page
    assert "Lighthouse Keeper&#x27;s Almanac" in page or "Lighthouse Keeper's Almanac" in page
    assert WorkCreator.objects.get(work=work).user == author  # a GET changes nothing

    response = client.post(f"/works/{work.pk}/orphan", {"name": "drop"}, follow=True)
    assert "Orphaning was successful." in response.content.decode()
    creatorship = WorkCreator.objects.get(work=work)
    assert creatorship.user.username == "orphan_account"
    assert creatorship.pseud.byline == "orphan_account"
    assert "orphan_account" in _byline(Client().get(f"/works/{work.pk}").content.decode())
    # The creator has lost access: the edit pages answer 404 now.
    assert client.get(f"/works/{work.pk}/edit").status_code == 404
    assert client.get(f"/works/{work.pk}/orphan").status_code == 404


def test_leaving_a_copy_of_the_pseud_name_shows_it_on_every_byline(author):
    work = make_work(creator=author, title="Quiet Harbour Ledger")
    guest = Client()
    # The guest page and the listing blurb are cached before orphaning...
    assert "author" in _byline(guest.get(f"/works/{work.pk}").content.decode())
    guest.get("/works")
    download = f"/downloads/{work.pk}/Quiet_Harbour_Ledger.html"
    assert "orphan_account" not in body(guest.get(download)).decode()
    _client(author).post(f"/works/{work.pk}/orphan", {"name": "keep"})
    # ...and show the new byline after it.
    assert "author (orphan_account)" in _byline(guest.get(f"/works/{work.pk}").content.decode())
    listing = guest.get("/works").content.decode()
    assert "author (orphan_account)" in listing
    feed_tag = work.tags.get(type="fandom")
    assert "author (orphan_account)" in guest.get(f"/tags/{feed_tag.pk}/feed.atom").content.decode()
    html = body(guest.get(download)).decode()
    assert "author (orphan_account)" in html
    # The work is found under the name it keeps.
    search = guest.get("/works/search", {"work_search[creators]": "author"}).content.decode()
    assert "Quiet Harbour Ledger" in search


def test_feedback_and_stats_stay_with_an_orphaned_work(author, reader):
    work = make_work(creator=author)
    chapter = work.chapters.get()
    Comment.objects.create(work=work, chapter=chapter, user=reader, content="Lovely.")
    Kudos.objects.create(work=work, user=reader)
    Bookmark.objects.create(work=work, user=reader, pseud=reader.pseuds.get(is_default=True))
    WorkStats.objects.filter(work=work).update(hits=41, kudos=1, comments=1, bookmarks=1)
    orphans.works_orphan(user=author, works=[work], keep_name=False)
    stats = WorkStats.objects.get(work=work)
    assert (stats.hits, stats.kudos, stats.comments, stats.bookmarks) == (41, 1, 1, 1)
    assert work.comments.count() == 1 and work.kudos.count() == 1 and work.bookmarks.count() == 1


def test_only_the_leaving_co_creator_is_replaced(author, reader):
    work = make_work(creator=author)
    WorkCreator.objects.create(
        work=work, user=reader, pseud=reader.pseuds.get(is_default=True), position=1
    )
    orphans.works_orphan(user=reader, works=[work], keep_name=True)
    creators = {c.user.username: c.pseud.byline for c in WorkCreator.objects.filter(work=work)}
    assert creators == {"author": "author", "orphan_account": "reader (orphan_account)"}
    # A second creator leaving when orphan_account is already there is simply dropped.
    orphans.works_orphan(user=author, works=[work], keep_name=True)
    creators = {c.user.username: c.pseud.byline for c in WorkCreator.objects.filter(work=work)}
    assert creators == {"orphan_account": "reader (orphan_account)"}


def test_other_people_cannot_orphan_a_work_or_series(author, reader):
    work = make_work(creator=author)
    series = Series.objects.create(title="Tidewater Cycle")
    series.creators.add(author)
    SeriesWork.objects.create(series=series, work=work)
    client = _client(reader)
    for url in (f"/works/{work.pk}/orphan", f"/series/{series.pk}/orphan", "/users/author/orphan"):
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "drop"}).status_code == 404
    assert WorkCreator.objects.get(work=work).user == author
    guest = Client().post(f"/works/{work.pk}/orphan", {"name": "drop"})
    assert guest.status_code == 302 and "/users/login" in guest["Location"]
    assert WorkCreator.objects.get(work=work).user == author


def test_orphaning_a_series_takes_the_series_and_the_creators_works_in_it(author, reader):
    mine = make_work(creator=author, title="Part One")
    theirs = make_work(creator=reader, title="Part Two")
    elsewhere = make_work(creator=author, title="Not In The Series")
    series = Series.objects.create(title="Tidewater Cycle")
    series.creators.add(author)
    SeriesWork.objects.create(series=series, work=mine, position=1)
    SeriesWork.objects.create(series=series, work=theirs, position=2)
    client = _client(author)
    page = client.get(f"/series/{series.pk}/orphan").content.decode()
    assert "Part One" in page and "Part Two" not in page
    client.post(f"/series/{series.pk}/orphan", {"name": "drop"})
    assert WorkCreator.objects.get(work=mine).user.username == "orphan_account"
    assert WorkCreator.objects.get(work=theirs).user == reader
    assert WorkCreator.objects.get(work=elsewhere).user == author
    assert [u.username for u in series.creators.all()] == ["orphan_account"]
    assert client.get(f"/series/{series.pk}/orphan").status_code == 404


def test_orphaning_all_works_keeps_the_drafts(author):
    posted = [make_work(creator=author), make_work(creator=author)]
    draft = make_work(creator=author, post=False, title="Unfinished Draft")
    client = _client(author)
    page = client.get("/users/author/orphan").content.decode()
    assert "Your drafts stay yours" in page
    client.post("/users/author/orphan", {"name": "keep"})
    for work in posted:
        assert WorkCreator.objects.get(work=work).pseud.byline == "author (orphan_account)"
    assert WorkCreator.objects.get(work=draft).user == author


def test_a_draft_cannot_be_orphaned(author):
    draft = make_work(creator=author, post=False)
    client = _client(author)
    assert "A draft cannot be orphaned" in client.get(f"/works/{draft.pk}/orphan").content.decode()
    client.post(f"/works/{draft.pk}/orphan", {"name": "drop"})
    assert WorkCreator.objects.get(work=draft).user == author


def test_a_bad_choice_keeps_the_page_and_changes_nothing(author):
    work = make_work(creator=author)
    response = _client(author).post(f"/works/{work.pk}/orphan", {"name": "sideways"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert WorkCreator.objects.get(work=work).user == author


def test_nobody_can_sign_up_or_log_in_as_orphan_account(author):
    make_work(creator=author)
    orphans.all_works_orphan(user=author, keep_name=False)
    account = orphans.orphan_account()
    assert not account.has_usable_password()
    form = SignupForm(
        data={
            "username": "Orphan_Account",
            "email": "someone@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
    )
    assert not form.is_valid() and "username" in form.errors


def test_an_account_someone_can_log_in_to_never_receives_orphans(author):
    make_user(username="orphan_account")
    work = make_work(creator=author)
    response = _client(author).post(f"/works/{work.pk}/orphan", {"name": "drop"}, follow=True)
    assert "Orphaning is not available" in response.content.decode()
    assert WorkCreator.objects.get(work=work).user == author


def test_listing_orphaned_works_costs_no_extra_query(author):
    for _ in range(3):
        make_work(creator=author)
    client = Client()
    client.get("/works")
    page_cache.site_changed()
    with CaptureQueriesContext(connection) as before:
        client.get("/works")
    orphans.all_works_orphan(user=author, keep_name=True)
    page_cache.site_changed()
    with CaptureQueriesContext(connection) as after:
        listing = client.get("/works").content.decode()
    assert listing.count("author (orphan_account)") == 3
    assert len(after.captured_queries) <= len(before.captured_queries)


def test_the_demo_has_an_orphaned_work_to_try():
    call_command("load_demo", quiet_logins=True, stdout=io.StringIO())
    work = WorkCreator.objects.get(user__username="orphan_account").work
    page = Client().get(f"/works/{work.pk}").content.decode()
    assert "harbour_quill (orphan_account)" in _byline(page)
    moderator = make_user(username="orphan_mod", is_staff=True, is_superuser=True)
    admin = _client(moderator).get("/admin/works/work/?orphaned=yes").content.decode()
    assert "The Ferryman" in admin
