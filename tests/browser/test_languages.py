"""The interface languages in a real browser: Arabic is laid out right to left (the filter
sidebar, the blurbs' symbols and the work's header box mirror) with no serious axe-core
violation, and the header's language menu works without JavaScript."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from tags.models import TagType
from tests.factories import make_tag, make_work

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BLOCKING = {"serious", "critical"}


@pytest.fixture
def work(db):
    make_tag("Lighthouses")
    return make_work(title="Lighthouse", tags={TagType.FANDOM: ["Harbour Tales"]}, chapters=2)


def _arabic(new_page, live_server, **kwargs):
    page = new_page(**kwargs)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


def test_arabic_pages_are_right_to_left_and_pass_axe(new_page, live_server, work):
    page = _arabic(new_page, live_server)
    for url in ["/works", work.get_absolute_url()]:
        page.goto(url)
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']}"
            for v in Axe().run(page).response["violations"]
            if v["impact"] in BLOCKING
        ]
        assert violations == [], url


def test_arabic_mirrors_the_sidebar_blurbs_and_header_box(new_page, live_server, work):
    page = _arabic(new_page, live_server)
    page.goto("/works")
    listing = page.locator("ol.work.index").bounding_box()
    sidebar = page.locator("#work-filters").bounding_box()
    assert sidebar["x"] + sidebar["width"] <= listing["x"] + 1  # the sidebar is on the left
    blurb = page.locator("li.blurb").first.bounding_box()
    symbols = page.locator("li.blurb ul.required-tags").first.bounding_box()
    assert symbols["x"] > blurb["x"] + blurb["width"] / 2  # the symbols are on the right
    page.goto(work.get_absolute_url())
    box = page.locator("dl.work.meta").bounding_box()
    label = page.locator("dl.work.meta > dt").first.bounding_box()
    assert label["x"] > box["x"] + box["width"] / 2  # labels start on the right


def test_the_language_menu_switches_without_javascript(new_page, work):
    page = new_page(javascript=False)
    page.goto("/works")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_label("Interface Language").select_option("de")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_url("**/works")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("button", name="Sprache ändern").is_visible()
    page.get_by_label("Sprache der Oberfläche").select_option("ar")
    page.get_by_role("button", name="Sprache ändern").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
