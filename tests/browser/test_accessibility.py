"""Every page type, in every skin, has no axe-core violation of impact serious or critical
(axe-core from axe-playwright-python, run in our Chromium). The archive is the demo one
(`manage.py load_demo`), so the pages hold real tags, series, collections and comments.

Also here: what axe cannot judge alone: the skip link, the header menu and the filter
sidebar used with the keyboard, and phone widths without sideways scrolling."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import make_tag, make_work
from works.models import Collection, Prompt, Series, Signup, TagSet, Work

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SKINS = ["default", "dark", "high-contrast"]
# The default skin twice: on a light device and on a dark one (prefers-color-scheme).
SKIN_CASES = [
    ("default", "light"),
    ("default", "dark"),
    ("dark", "light"),
    ("high-contrast", "light"),
]
BLOCKING = {"serious", "critical"}
AUTHOR = "demo_author"


@pytest.fixture
def demo(settings):
    settings.ARCHIVE_SPAM_MIN_SECONDS = 0
    call_command("load_demo", verbosity=0)
    author = get_user_model().objects.get(username=AUTHOR)
    chaptered = Work.objects.filter(creators=author, posted=True, expected_chapters__gt=1).order_by(
        "pk"
    ).first() or make_work(creator=author, chapters=2)
    make_work(creator=author, title="Unfinished", chapters=1, post=False)
    tag = make_tag("Lighthouses")
    return {"author": author, "work": chaptered, "tag": tag}


def page_urls(demo):
    """(name, url, member?) for every page type of the issue."""
    work = demo["work"]
    chapter = work.chapters.filter(posted=True).order_by("position").last()
    series = Series.objects.order_by("pk").first()
    collection = Collection.objects.order_by("pk").first()
    fandom = work.tags.filter(type="fandom").first()
    tag_set = TagSet.objects.order_by("pk").first()
    login = AUTHOR
    signup = Signup.objects.get(
        user__username=AUTHOR, challenge__collection__name="lantern_swap_2026"
    )
    return [
        ("home", "/", False),
        ("works listing", "/works", False),
        ("tag works listing", fandom.get_works_url(), False),
        ("tag page", f"/tags/{fandom.name.replace('/', '*s*')}", False),
        ("fandoms", "/fandoms", False),
        ("work", f"/works/{work.pk}?view_adult=true", False),
        ("chapter", f"/works/{work.pk}/chapters/{chapter.pk}?view_adult=true", False),
        ("entire work", f"/works/{work.pk}?view_full_work=true&view_adult=true", False),
        ("chapter index", f"/works/{work.pk}/navigate", False),
        ("search", "/works/search", False),
        ("search results", "/works/search?work_search%5Bquery%5D=lighthouse", False),
        ("series", series.get_absolute_url(), False),
        ("collections", "/collections", False),
        ("collection", collection.get_absolute_url(), False),
        ("about", "/about", False),
        ("log in", "/users/login", False),
        ("sign up", "/signup", False),
        ("terms of service", "/tos", False),
        ("invitation requests", "/invite_requests", False),
        ("not found", "/works/999999999", False),
        ("post new work", "/works/new", True),
        ("edit work", f"/works/{work.pk}/edit", True),
        ("dashboard", f"/users/{login}", True),
        ("inbox", f"/users/{login}/inbox", True),
        ("preferences", f"/users/{login}/preferences", True),
        ("invitations", f"/users/{login}/invitations", True),
        ("bookmarks", f"/users/{login}/bookmarks", True),
        ("statistics", f"/users/{login}/stats", True),
        # Issue 20, part 1 (signups): the demo's gift exchange, signed up to by the author.
        ("challenge collection", "/collections/lantern_swap_2026", False),
        ("requests summary", "/collections/lantern_swap_2026/requests", False),
        ("sign-up", f"/collections/lantern_swap_2026/signups/{signup.pk}", True),
        ("edit sign-up", f"/collections/lantern_swap_2026/signups/{signup.pk}/edit", True),
        ("challenge sign-ups of a user", f"/users/{login}/signups", True),
        # Issue 20, part 2: tag sets (the demo author moderates the demo's set).
        ("tag sets", "/tag_sets", False),
        ("tag set", f"/tag_sets/{tag_set.pk}", False),
        ("new tag set", "/tag_sets/new", True),
        ("edit tag set", f"/tag_sets/{tag_set.pk}/edit", True),
        ("nominate tags", f"/tag_sets/{tag_set.pk}/nominations/new", True),
        ("review nominations", f"/tag_sets/{tag_set.pk}/nominations", True),
        # Issue 20, part 5: a prompt meme (works/demo/promptmeme.py).
        ("prompt meme prompts", "/collections/harbour_prompts/prompts", True),
        ("prompt meme prompt", _meme_prompt_url(), True),
        ("claims", f"/users/{login}/claims", True),
        # Issue 21: personal access tokens for the API.
        ("access tokens", f"/users/{login}/tokens", True),
    ]


def _meme_prompt_url():
    prompt = Prompt.objects.filter(challenge__collection__name="harbour_prompts").first()
    return f"/collections/harbour_prompts/prompts/{prompt.pk}"


def blocking_violations(page):
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {', '.join(str(node['target']) for node in violation['nodes'][:3])}"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


@pytest.mark.parametrize(("skin", "device"), SKIN_CASES, ids=lambda value: value)
def test_every_page_type_passes_axe_in_every_skin(new_page, live_server, demo, skin, device):
    author = demo["author"]
    author.skin = skin
    author.save(update_fields=["skin"])
    guest = new_page()
    guest.context.add_cookies([{"name": "skin", "value": skin, "url": live_server.url}])
    member = new_page(user=author)
    for page in (guest, member):
        page.emulate_media(color_scheme=device)
    found = {}
    for name, url, as_member in page_urls(demo):
        page = member if as_member else guest
        response = page.goto(url)
        assert response.status == (404 if name == "not found" else 200), (name, url)
        assert page.locator("html").get_attribute("data-skin") == skin, (name, url)
        problems = blocking_violations(page)
        if problems:
            found[name] = problems
    assert found == {}, found


def test_skip_link_is_first_and_moves_focus_to_main(new_page, demo):
    page = new_page()
    page.goto("/works")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_phone_header_menu_and_filters_open_from_the_keyboard(new_page, demo, javascript):
    page = new_page(javascript=javascript)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/works")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    browse = page.locator("#header").get_by_role("link", name="Browse")
    expect(browse).to_be_hidden()
    page.get_by_role("checkbox", name="Menu").focus()
    page.keyboard.press("Space")
    expect(browse).to_be_visible()
    box = browse.bounding_box()
    assert box["height"] >= 44
    sort = page.get_by_role("combobox", name="Sort by")
    expect(sort).to_be_hidden()
    page.get_by_role("checkbox", name="Filters").focus()
    page.keyboard.press("Space")
    expect(sort).to_be_visible()
    ratings = page.locator("#work-filters fieldset.rating_ids summary").first
    ratings.focus()
    page.keyboard.press("Enter")
    first = page.locator("#work-filters fieldset.rating_ids input[type=checkbox]").first
    expect(first).to_be_visible()
    first.focus()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    page.get_by_role("button", name="Sort and Filter").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/works?*")
    assert "include_work_search" in page.url


@pytest.mark.parametrize("width", [360, 390, 1280])
def test_no_page_scrolls_sideways(new_page, demo, width):
    page = new_page(user=demo["author"])
    page.set_viewport_size({"width": width, "height": 800})
    wide = {}
    for name, url, _member in page_urls(demo):
        page.goto(url)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[name] = scroll
    assert wide == {}


def test_desktop_filters_sit_beside_the_works(new_page, demo):
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/works")
    listing = page.locator("ol.work.index").bounding_box()
    sidebar = page.locator("#work-filters").bounding_box()
    assert sidebar["x"] >= listing["x"] + listing["width"]
    assert sidebar["y"] < listing["y"] + 200


@pytest.mark.parametrize("skin", SKINS)
def test_a_works_stats_charts_pass_axe_and_show_in_every_skin(new_page, demo, skin):
    author = demo["author"]
    author.skin = skin
    author.save(update_fields=["skin"])
    page = new_page(user=author)
    lamp = Work.objects.get(title="The Lamp at the End of the Pier")
    assert page.goto(f"/works/{lamp.pk}/stats").status == 200
    assert blocking_violations(page) == []
    bar = page.locator("rect.chart-bar").first
    fill = bar.evaluate("element => getComputedStyle(element).fill")
    paper = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert fill not in ("none", "rgb(0, 0, 0)" if skin == "high-contrast" else "", paper)
    expect(page.get_by_role("img", name="Readers per chapter")).to_be_visible()
