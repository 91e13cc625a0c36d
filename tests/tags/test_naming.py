"""AO3's escapes for tag names in URLs round-trip, and awkward names reach their pages."""

import pytest
from django.urls import reverse

from tags.naming import escape_tag_name, unescape_tag_name
from tests.factories import make_tag, make_work

AWKWARD_NAMES = [
    "Kirk/Spock",
    "Tom & Jerry",
    "Dr. Who",
    "What If...?",
    "#MeToo",
    "C# Programming",
    "Mr. & Mrs. Smith/Jones?",
    "&s/",
    "sadqh",  # the letters of the escapes, plain
    "Ведьмак",
    "進撃の巨人",
    "Live Long 🖖 and Prosper",
    "Café au lait",
    "...",
    "?/&.#",
    "Space  Between",
]


@pytest.mark.parametrize("name", AWKWARD_NAMES)
def test_escape_round_trips(name):
    escaped = escape_tag_name(name)
    assert not set(escaped) & set("/&.?#")
    assert unescape_tag_name(escaped) == name


def test_escapes_are_ao3s():
    assert escape_tag_name("Kirk/Spock") == "Kirk*s*Spock"
    assert escape_tag_name("A&B") == "A*a*B"
    assert escape_tag_name("Dr. Who") == "Dr*d* Who"
    assert escape_tag_name("Why?") == "Why*q*"
    assert escape_tag_name("#1") == "*h*1"


def test_unescape_reads_tokens_left_to_right():
    # "*a*s*s*" holds "*s*" across the first two tokens too; it must read as "&" "s" "/".
    assert unescape_tag_name("*a*s*s*") == "&s/"


@pytest.mark.django_db
def test_kirk_spock_works_url():
    tag = make_tag("Kirk/Spock", canonical=True)
    assert tag.get_works_url() == "/tags/Kirk*s*Spock/works"
    assert reverse("works:tag", args=[tag.url_name]) == "/tags/Kirk*s*Spock"


@pytest.mark.django_db
@pytest.mark.parametrize("name", AWKWARD_NAMES)
def test_awkward_names_reach_their_pages(client, name):
    make_tag(name, canonical=True)
    work = make_work(tags={"freeform": [name]})
    tag_page = client.get(reverse("works:tag", args=[escape_tag_name(name)]))
    assert tag_page.status_code == 200
    assert tag_page.context["tag"].name == name
    works_page = client.get(reverse("works:tag_works", args=[escape_tag_name(name)]))
    assert works_page.status_code == 200
    assert f'id="work_{work.pk}"' in works_page.content.decode()
