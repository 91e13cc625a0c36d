"""The moderators' matching pages (issue 20, part 3) pass axe in every skin and do not scroll
sideways on phones, with a generated exchange on them (every section shown)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.works.matching.factories import make_exchange, make_signup
from works.services.matching import matching_start

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SKIN_CASES = [
    ("default", "light"),
    ("default", "dark"),
    ("dark", "light"),
    ("high-contrast", "light"),
]
URLS = ["/collections/yulelog/potential_matches", "/collections/yulelog/potential_matches/send"]


@pytest.fixture
def exchange():
    challenge = make_exchange()
    people = [
        ("annwithaverylongpseudonymindeed", ("Discworld", "Vimes"), ("Moomins", "Snufkin")),
        ("bo", ("Moomins", "Snufkin"), ("Earthsea", "Ged")),
        ("cy", ("Earthsea", "Ged"), ("Discworld", "Vimes")),
        ("dee", ("Narnia", "Lucy"), ("Narnia", "Lucy")),
        ("eve", ("Discworld", "Vimes"), ("Moomins", "Snufkin")),
    ]
    for name, request, offer in people:
        make_signup(challenge, name, requests=[request], offers=[offer])
    matching_start(challenge=challenge, moderator=challenge.collection.owner)
    return challenge


def _blocking(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize(("skin", "device"), SKIN_CASES, ids=lambda value: value)
def test_matching_pages_pass_axe(new_page, exchange, skin, device):
    owner = exchange.collection.owner
    owner.skin = skin
    owner.save(update_fields=["skin"])
    page = new_page(user=owner)
    page.emulate_media(color_scheme=device)
    found = {}
    for url in URLS:
        assert page.goto(url).status == 200, url
        assert "Main Assignments" in page.content() or url.endswith("/send")
        problems = _blocking(page)
        if problems:
            found[url] = problems
    assert found == {}


@pytest.mark.parametrize("width", [360, 390])
def test_matching_pages_do_not_scroll_sideways(new_page, exchange, width):
    page = new_page(user=exchange.collection.owner)
    page.set_viewport_size({"width": width, "height": 800})
    wide = {}
    for url in URLS:
        page.goto(url)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[url] = scroll
    assert wide == {}
