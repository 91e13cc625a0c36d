"""The assignment pages of issue 20 (part 4) pass axe in every skin and never scroll
sideways on a phone: the participant's /users/<login>/assignments, the default confirmation,
the posting form opened by "Fulfill", and the moderators' /collections/<name>/assignments on
each of its tabs. The archive is the demo one (its Midwinter Lights Swap)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.browser.test_accessibility import SKINS, blocking_violations
from works.demo.assignments import EXCHANGE_NAME
from works.models import Assignment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo(settings):
    settings.ARCHIVE_SPAM_MIN_SECONDS = 0
    call_command("load_demo", verbosity=0)
    users = get_user_model().objects
    author, owner = users.get(username="demo_author"), users.get(username="harbour_quill")
    mine = Assignment.objects.get(giver__user=author)
    base = f"/collections/{EXCHANGE_NAME}/assignments"
    return [
        (author, "/users/demo_author/assignments"),
        (author, f"{base}/{mine.pk}/default"),
        (author, f"/works/new?assignment={mine.pk}"),
        (owner, base),
        (owner, f"{base}?pinch_hit=true"),
        (owner, f"{base}?unfulfilled=true"),
        (owner, f"{base}?fulfilled=true"),
    ]


@pytest.mark.parametrize("skin", SKINS)
def test_the_assignment_pages_pass_axe(new_page, demo, skin):
    pages, found = {}, {}
    for user, url in demo:
        user.skin = skin
        user.save(update_fields=["skin"])
        page = pages.setdefault(user.pk, new_page(user=user))
        assert page.goto(url).status == 200, url
        problems = blocking_violations(page)
        if problems:
            found[url] = problems
    assert found == {}


@pytest.mark.parametrize("width", [360, 390])
def test_no_assignment_page_scrolls_sideways_on_a_phone(new_page, demo, width):
    pages, wide = {}, {}
    for user, url in demo:
        page = pages.setdefault(user.pk, new_page(user=user))
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[url] = scroll
    assert wide == {}
