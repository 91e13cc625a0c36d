"""Reader feedback in a real browser: a guest leaves kudos and a comment on a moderated work,
the author approves it from the inbox and replies there, a reader bookmarks the work and
finds it among their bookmarks. With and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_post_and_read import button, field
from tests.factories import make_user, make_work

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def people_type_at_browser_speed(settings):
    """Guest forms refuse posts sent faster than a person types (archive/spam.py)."""
    settings.ARCHIVE_SPAM_MIN_SECONDS = 0


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_guest_kudos_and_comment_author_approves_and_replies_reader_bookmarks(new_page, javascript):
    author = make_user(username="harbourmaster")
    reader = make_user(username="lamplighter")
    work = make_work(creator=author, title="The Tide Clock", moderate_comments=True)

    guest = new_page(javascript=javascript)
    guest.goto(f"/works/{work.pk}")
    button(guest, "Kudos ♥").click()
    expect(guest.locator("#kudos p.kudos")).to_have_text("1 guest left kudos on this work!")
    form = guest.locator("#add_comment")
    field(form, "Guest name").fill("Passing Gull")
    field(form, "Guest email").fill("gull@example.org")
    field(form, "Comment").fill("The clock chapter made me cry.")
    button(form, "Comment").click()
    expect(guest.get_by_text("will appear publicly after the work creator")).to_be_visible()
    expect(guest.locator("ol.thread")).to_have_count(0)

    writer = new_page(user=author, javascript=javascript)
    writer.goto(f"/users/{author.username}/inbox")
    expect(writer.locator("blockquote.userstuff")).to_have_text("The clock chapter made me cry.")
    writer.get_by_role("button", name=re.compile(r"^Approve comment \d+$")).click()
    expect(writer.get_by_text("Comment approved.")).to_be_visible()
    writer.get_by_text(re.compile(r"^Reply to comment \d+$")).click()
    reply = writer.locator(".inbox-actions form")
    field(reply, "Comment").fill("Thank you for reading, gull.")
    button(reply, "Comment").click()
    expect(writer).to_have_url(re.compile(rf"/users/{author.username}/inbox$"))

    guest.goto(f"/works/{work.pk}")
    thread = guest.locator("#comments_placeholder > ol.thread")
    expect(thread.locator("> li.comment blockquote")).to_have_text("The clock chapter made me cry.")
    expect(thread.locator("ol.thread > li.comment blockquote")).to_have_text(
        "Thank you for reading, gull."
    )
    expect(guest.locator("li.comment h4.byline").first).to_contain_text("Passing Gull (Guest)")

    fan = new_page(user=reader, javascript=javascript)
    fan.goto(f"/works/{work.pk}")
    fan.get_by_role("link", name="Bookmark", exact=True).click()
    field(fan, "Notes").fill("A clock that counts *tides*.")
    field(fan, "Your tags").fill("clockwork, sea")
    button(fan, "Create").click()
    expect(fan).to_have_url(re.compile(rf"/users/{reader.username}/bookmarks$"))
    bookmark = fan.locator("li.bookmark.blurb")
    expect(bookmark.get_by_role("link", name="The Tide Clock")).to_be_visible()
    expect(bookmark.locator("blockquote.notes em")).to_have_text("tides")
    expect(bookmark.get_by_role("link", name="clockwork")).to_be_visible()
    for page in (guest, writer, fan):
        assert page.errors == []
