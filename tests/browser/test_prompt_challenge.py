"""A prompt challenge in a real browser: a moderator creates a collection with three prompts;
two authors post works answering them, each as parts of their own series; a reader walks a
series with previous/next and the collection prompt by prompt. With and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_post_and_read import button, field
from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COLLECTION = {"name": "lantern_month", "title": "Lantern Month 2025"}
PROMPTS = [(1, "First Frost"), (2, "Taking Accountability"), (3, "Old Maps")]


def prompt_tag(day):
    return f"{COLLECTION['title']} Day {day:02d}: {PROMPTS[day - 1][1]}"


def create_challenge(page):
    page.goto("/collections/new")
    field(page, "Collection name").fill(COLLECTION["name"])
    field(page, "Display title").fill(COLLECTION["title"])
    field(page, "Description").fill("One prompt a day, any fandom.")
    button(page, "Create Collection").click()
    expect(page.locator("h2.heading").first).to_have_text(COLLECTION["title"])
    page.get_by_role("link", name="Manage prompts").click()
    for day, title in PROMPTS:
        new = page.locator("#new-prompt-form")
        field(new, "Day or number").fill(str(day))
        field(new, "Prompt").fill(title)
        button(new, "Add Prompt").click()
        expect(page.get_by_role("heading", name=prompt_tag(day))).to_be_visible()


def post_answer(page, *, title, day, series=None, new_series=None):
    """Post a work to the collection from its page ("Post to Collection"), answering the
    prompt of `day`, as a part of a series."""
    page.goto(f"/collections/{COLLECTION['name']}")
    page.get_by_role("link", name="Post to Collection").click()
    expect(field(page, "Collections")).to_have_value(COLLECTION["name"])
    field(page, "Rating").select_option(label="General Audiences")
    page.get_by_label("No Archive Warnings Apply", exact=True).check()
    field(page, "Fandoms").fill("Harbour Tales")
    page.get_by_label(prompt_tag(day), exact=True).check()
    field(page, "Work Title").fill(title)
    field(page, "Language").select_option(label="English")
    if new_series:
        new = page.get_by_label(re.compile(r"new (series|one)", re.I))
        new.and_(page.locator("input")).fill(new_series)
    else:
        field(page, "Series").select_option(label=series)
    field(page, "Work Text").fill(f"The story of {title.lower()}, told by lamplight.")
    button(page, "Post").click()
    expect(page.locator("h2.title.heading")).to_have_text(title)
    expect(page.locator("dl.work.meta dd.prompt.tags")).to_contain_text(prompt_tag(day))


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_prompt_challenge_from_collection_to_series(new_page, javascript):
    moderator = new_page(user=make_user(username="challenge_mod"), javascript=javascript)
    create_challenge(moderator)

    first_author = new_page(user=make_user(username="keeper_writer"), javascript=javascript)
    post_answer(first_author, title="Frost On The Glass", day=1, new_series="Keeper's Log")
    post_answer(first_author, title="The Keeper Owns Up", day=2, series="Keeper's Log")

    second_author = new_page(user=make_user(username="map_writer"), javascript=javascript)
    post_answer(second_author, title="A Letter Of Apology", day=2, new_series="Harbour Letters")
    post_answer(second_author, title="Charts In The Attic", day=3, series="Harbour Letters")

    reader = new_page(javascript=javascript)
    # Through a series with previous and next.
    reader.goto(f"/collections/{COLLECTION['name']}/works")
    reader.get_by_role("link", name="Frost On The Glass").click()
    series = reader.locator("dl.work.meta dd.series")
    expect(series.locator("span.position")).to_have_text("Part 1 of Keeper's Log")
    expect(series.locator("a.previous")).to_have_count(0)
    series.locator("a.next").click()
    expect(reader.locator("h2.title.heading")).to_have_text("The Keeper Owns Up")
    expect(series.locator("span.position")).to_have_text("Part 2 of Keeper's Log")
    expect(series.locator("a.next")).to_have_count(0)
    reader.locator("#series a.previous").click()
    expect(reader.locator("h2.title.heading")).to_have_text("Frost On The Glass")
    reader.locator("#series").get_by_role("link", name="Keeper's Log").click()
    titles = reader.locator("ul.series.work.index li.blurb h4.heading > a:not([rel])")
    expect(titles).to_have_text(["Frost On The Glass", "The Keeper Owns Up"])

    # Through the collection, prompt by prompt.
    reader.goto(f"/collections/{COLLECTION['name']}")
    reader.get_by_role("link", name="Prompts", exact=True).click()
    counts = reader.locator("ol.prompts > li span.count")
    expect(counts).to_have_text(["(1 work)", "(2 works)", "(1 work)"])
    reader.get_by_role("link", name="Day 02: Taking Accountability").click()
    blurbs = reader.locator("ol.work.index li.blurb h4.heading > a:not([rel])")
    expect(blurbs).to_have_count(2)
    reader.get_by_role("link", name="A Letter Of Apology").click()
    expect(reader.locator("dl.work.meta dd.collections")).to_have_text(COLLECTION["title"])
    reader.locator("dl.work.meta dd.series a.next").click()
    expect(reader.locator("h2.title.heading")).to_have_text("Charts In The Attic")
    reader.locator("dl.work.meta dd.prompt.tags").get_by_role("link", name=prompt_tag(3)).click()
    expect(reader.locator("ol.work.index li.blurb")).to_have_count(1)
    expect(reader.locator("ol.work.index")).to_contain_text("Charts In The Attic")
    assert not reader.errors
