"""static/js/autocomplete.js in a real browser (Debian's Chromium): suggestions for the last
comma-separated name, taken with the keyboard, characters of the fandoms typed first; and the
plain fields without JavaScript."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tags import services
from tags.models import TagType
from tests.factories import make_tag, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def author_page(live_server):
    """A page factory logged in as a new author; JavaScript on unless told otherwise."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps`.", pytrace=False)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"], headless=True
    )
    author = make_user(username="trekwriter")
    client = Client()
    client.force_login(author)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]

    def open_page(javascript=True):
        context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
        context.set_default_timeout(10_000)
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    try:
        yield open_page
    finally:
        browser.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def trek_tags(db):
    star_trek = make_tag("Star Trek", type=TagType.FANDOM, canonical=True)
    make_tag("Stargate", type=TagType.FANDOM, canonical=True, work_count=90)
    sulu = make_tag("Hikaru Sulu", type=TagType.CHARACTER, canonical=True, work_count=1)
    services.tag_add_parent(tag=sulu, parent=star_trek)
    make_tag("Han Solo", type=TagType.CHARACTER, canonical=True, work_count=80)
    return star_trek


def test_keyboard_picks_suggestions_and_fandoms_come_first(author_page, trek_tags):
    from playwright.sync_api import expect

    page = author_page()
    page.goto("/works/new")
    fandoms = page.locator('input[data-autocomplete-type="fandom"]')
    characters = page.locator('input[data-autocomplete-type="character"]')

    fandoms.fill("Original Work, star t")
    suggestions = page.locator("#" + fandoms.get_attribute("aria-controls") + " [role=option]")
    expect(suggestions).to_have_text(["Star Trek"])
    expect(fandoms).to_have_attribute("aria-expanded", "true")
    fandoms.press("ArrowDown")
    expect(suggestions.first).to_have_attribute("aria-selected", "true")
    fandoms.press("Enter")  # takes the suggestion, does not submit the form
    expect(fandoms).to_have_value("Original Work, Star Trek, ")
    expect(fandoms).to_have_attribute("aria-expanded", "false")
    assert page.url.endswith("/works/new")

    characters.press_sequentially("h")
    options = page.locator("#" + characters.get_attribute("aria-controls") + " [role=option]")
    expect(options).to_have_text(["Hikaru Sulu", "Han Solo"])  # Star Trek's character first
    characters.press("Escape")
    expect(options).to_have_count(0)
    assert page.errors == []


def test_fields_work_as_plain_text_without_javascript(author_page, trek_tags):
    page = author_page(javascript=False)
    page.goto("/works/new")
    fandoms = page.locator('input[data-autocomplete-type="fandom"]')
    assert fandoms.get_attribute("role") is None  # not enhanced, just a text field
    page.select_option('select[name="rating"]', "General Audiences")
    page.check('input[name="warnings"][value="No Archive Warnings Apply"]')
    fandoms.fill("Star Trek, Brand New Fandom")
    page.fill('input[name="title"]', "Typed By Hand")
    page.fill('textarea[name="body"]', "Every tag typed in full, no help needed.")
    page.click('button[name="post_button"]')
    page.wait_for_url("**/works/*")
    fandom_links = page.locator("dd.fandom.tags a.tag")
    assert sorted(fandom_links.all_inner_texts()) == ["Brand New Fandom", "Star Trek"]
