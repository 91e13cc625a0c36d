"""Whole work pages for guests from the cache (works/page_cache.py): served without the
database, each guest with a CSRF token of their own, and never stale after a change."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tags import services as tag_services
from tags.models import Tag, TagType
from tests.factories import make_chapter, make_user, make_work
from works.cache import pages as page_cache
from works.models import Comment
from works.services import feedback as services_feedback
from works.services import moderation as work_moderation
from works.services import posting as services
from works.services import series as services_series

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The work page's <meta name="csrf-token"> (ao3-api reads it, guests' pages too).
META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def _page(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode()


def _twice(url):
    """What a guest sees after another guest's visit stored the page."""
    _page(Client(), url)
    return _page(Client(), url)


def test_a_second_guest_gets_the_page_without_a_database_query(django_assert_num_queries):
    work = make_work(title="Lanterns Over the Weir", chapters=2)
    url = f"/works/{work.pk}"
    first = _page(Client(), url)
    with django_assert_num_queries(0):
        second = _page(Client(), url)
    assert META_TOKEN.sub("", TOKEN.sub("", first)) == META_TOKEN.sub("", TOKEN.sub("", second))
    assert "Lanterns Over the Weir" in second
    chapter = work.chapters.order_by("position")[1]
    _page(Client(), chapter.get_absolute_url())
    with django_assert_num_queries(0):
        assert "Chapter 2 of work" in _page(Client(), chapter.get_absolute_url())


def test_each_guest_gets_their_own_working_csrf_token():
    work = make_work()
    url = f"/works/{work.pk}"
    _page(Client(), url)
    tokens = []
    for address in ("198.51.100.20", "198.51.100.21"):
        guest = Client(enforce_csrf_checks=True)
        page = _page(guest, url)
        assert page_cache.TOKEN_PLACEHOLDER not in page
        token = TOKEN.search(page).group(1)
        assert META_TOKEN.search(page).group(1) == token
        tokens.append(token)
        response = guest.post(
            f"/works/{work.pk}/kudos",
            {"csrfmiddlewaretoken": token},
            REMOTE_ADDR=address,
        )
        assert response.status_code in (200, 302)
    assert tokens[0] != tokens[1]
    work.stats.refresh_from_db()
    assert work.stats.kudos == 2
    # Both kudos show on the next guest's page.
    assert "2 guests left kudos on this work!" in _page(Client(), url)


def test_logged_in_readers_and_guests_with_a_session_get_the_page_rendered(client, reader):
    work = make_work()
    url = f"/works/{work.pk}"
    _twice(url)
    client.force_login(reader)
    page = _page(client, url)
    assert "Log Out" in page and "Log In" not in page


def test_a_guest_with_a_message_waiting_gets_it(client):
    work = make_work()
    url = f"/works/{work.pk}"
    _twice(url)
    response = client.post(f"/works/{work.pk}/kudos", REMOTE_ADDR="198.51.100.30", follow=True)
    assert "Thank you for leaving kudos!" in response.content.decode()


def test_editing_a_work_or_its_chapters_shows_at_once():
    work = make_work(title="Before the Edit", chapters=1)
    url = f"/works/{work.pk}"
    assert "Before the Edit" in _twice(url)
    services.work_update(work=work, fields={"title": "After the Edit"})
    assert "After the Edit" in _page(Client(), url)
    chapter = work.chapters.get()
    services.chapter_update(chapter=chapter, fields={"body": "A rewritten first chapter."})
    assert "A rewritten first chapter." in _page(Client(), url)
    make_chapter(work, body="A brand-new second chapter.")
    assert '<dd class="chapters">2/' in _page(Client(), url)


def test_hidden_restricted_and_deleted_works_stop_being_served(moderator):
    hidden, restricted, deleted = make_work(), make_work(), make_work()
    for work in (hidden, restricted, deleted):
        _twice(f"/works/{work.pk}")
    work_moderation.work_hide(work=hidden, moderator=moderator, reason="Spam")
    assert Client().get(f"/works/{hidden.pk}").status_code == 404
    services.work_update(work=restricted, fields={"restricted": True})
    response = Client().get(f"/works/{restricted.pk}")
    assert response.status_code == 302 and "/login" in response["Location"]
    services.work_delete(work=deleted)
    assert Client().get(f"/works/{deleted.pk}").status_code == 404


def test_tag_wrangling_and_a_creator_rename_show_at_once():
    creator = make_user(username="quill_before")
    work = make_work(creator=creator, tags={TagType.FREEFORM: ["Slow Burn Lanterns"]})
    url = f"/works/{work.pk}"
    assert "Slow Burn Lanterns" in _twice(url)
    tag = Tag.objects.get(name="Slow Burn Lanterns")
    tag_services.tag_rename(tag=tag, name="Slow-Burn Lanterns")
    assert "Slow-Burn Lanterns" in _page(Client(), url)
    creator.username = "quill_after"
    creator.save()
    page = _page(Client(), url)
    assert "quill_after" in page and "quill_before" not in page


def test_comments_shown_hidden_and_deleted_show_at_once(reader, moderator):
    work = make_work()
    url = f"/works/{work.pk}"
    _twice(url)
    comment = services_feedback.comment_add(
        chapter=work.chapters.get(), user=reader, content="A lantern-bright remark"
    )
    assert "A lantern-bright remark" in _page(Client(), url)
    work_moderation.comment_hide(comment=comment, moderator=moderator, reason="Rude")
    assert "A lantern-bright remark" not in _page(Client(), url)
    work_moderation.comment_unhide(comment=comment, moderator=moderator)
    assert "A lantern-bright remark" in _page(Client(), url)
    services_feedback.comment_delete(comment=Comment.objects.get(pk=comment.pk), user=reader)
    assert "A lantern-bright remark" not in _page(Client(), url)


def test_series_links_follow_a_new_part_and_a_reorder(author):
    first = make_work(creator=author, title="Part One Lanterns")
    series = services.series_create(creator=author, title="The Lantern Cycle")
    services.work_set_series(work=first, series=[series])
    url = f"/works/{first.pk}"
    assert "Next Work" not in _twice(url)
    second = make_work(creator=author, title="Part Two Lanterns")
    services.work_set_series(work=second, series=[series])
    assert f'href="/works/{second.pk}"' in _page(Client(), url)
    services_series.series_reorder(series=series, work_ids=[second.pk, first.pk])
    page = _page(Client(), url)
    assert "Part 2 of" in page


def test_unknown_parameters_and_the_adult_notice_are_never_stored():
    work = make_work(tags={TagType.RATING: ["Explicit"]})
    url = f"/works/{work.pk}"
    assert "adult content" in _twice(url)
    assert "adult content" not in _twice(f"{url}?view_adult=true")
    guest = Client()
    guest.cookies["view_adult"] = "true"
    assert "adult content" not in _page(guest, url)
    assert "adult content" in _page(Client(), url)
    assert Client().get(f"{url}?utm_source=x").status_code == 200


def test_hits_are_counted_for_pages_from_the_cache():
    from works import hits

    work = make_work()
    url = f"/works/{work.pk}"
    for n in range(3):
        Client().get(url, REMOTE_ADDR=f"198.51.100.{40 + n}")
    hits.flush()
    work.stats.refresh_from_db()
    assert work.stats.hits == 3


def test_the_cache_can_be_turned_off(settings):
    settings.PAGE_CACHE_SECONDS = 0
    work = make_work()
    url = f"/works/{work.pk}"
    _page(Client(), url)
    with CaptureQueriesContext(connection) as queries:
        _page(Client(), url)
    assert len(queries) > 0
