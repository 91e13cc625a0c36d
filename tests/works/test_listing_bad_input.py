"""Nonsense in any filter parameter answers a normal page with a clear notice: never a 500,
never a slow query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tags.models import TagType
from tests.factories import make_work

pytestmark = pytest.mark.django_db

LISTINGS = ["/works", "/works/search", "/users/author/works", "/tags/Fog/works"]


@pytest.fixture(autouse=True)
def archive(author):
    return make_work(creator=author, title="Still Here", tags={TagType.FREEFORM: ["Fog"]})


def page(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url", LISTINGS)
@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"include_work_search[freeform_ids][]": "99999999"}, "do not exist"),
        ({"include_work_search[fandom_ids][]": "abc"}, "not valid"),
        ({"exclude_work_search[character_ids][]": "-5"}, "not valid"),
        ({"include_work_search[rating_ids][]": "1" * 40}, "not valid"),
        ({"work_search[words_from]": "abc"}, "whole number"),
        ({"work_search[words_to]": "-100"}, "whole number"),
        ({"work_search[words_from]": "9" * 30}, "whole number"),
        ({"work_search[date_from]": "2024-13-45"}, "YYYY-MM-DD"),
        ({"work_search[date_to]": "yesterday"}, "YYYY-MM-DD"),
        ({"work_search[sort_column]": "drop table"}, "Unknown sort order"),
        ({"work_search[sort_direction]": "sideways"}, "Unknown sort direction"),
        ({"work_search[language_id]": "xx-nonsense"}, "Unknown language"),
        ({"work_search[crossover]": "maybe"}, "Unknown choice"),
        ({"work_search[other_tag_names]": "No Such Tag Here"}, "No tag named"),
        ({"work_search[kudos_count]": "lots"}, "a range such as"),
        ({"page": "99999999"}, "Only the first"),
        ({"page": "-3"}, "not valid"),
        ({"page": "two"}, "not valid"),
        # Digits int() refuses ("²") or that no ASCII keyboard typed ("٣", "１"): not numbers.
        ({"page": "²"}, "not valid"),
        ({"page": "٣"}, "not valid"),
        ({"include_work_search[freeform_ids][]": "²"}, "not valid"),
        ({"exclude_work_search[fandom_ids][]": "²"}, "not valid"),
        ({"include_work_search[fandom_ids][]": "٣"}, "not valid"),
        ({"include_work_search[rating_ids][]": "１"}, "not valid"),
        ({"work_search[rating_ids]": "²"}, "not valid"),
        ({"work_search[words_from]": "²"}, "whole number"),
        ({"work_search[words_to]": "²"}, "whole number"),
        ({"work_search[words_to]": "٣٠٠"}, "whole number"),
        ({"work_search[kudos_count]": "²-5"}, "a range such as"),
    ],
)
def test_nonsense_answers_a_normal_page_with_a_notice(client, url, params, notice):
    content = page(client, url, params)
    assert notice in content
    assert "Still Here" in content  # what was not understood is ignored, the page still lists


def test_bad_number_keeps_what_was_typed_next_to_the_field(client):
    content = page(client, "/works", {"work_search[words_from]": "ten thousand"})
    assert 'value="ten thousand"' in content
    assert 'aria-describedby="words_from_error"' in content
    assert '<p class="error" id="words_from_error">' in content
    assert "Still Here" in content  # the bad filter is ignored, the rest still works


@pytest.mark.parametrize("url", LISTINGS)
def test_a_ten_megabyte_query_is_ignored_quickly(client, url):
    huge = "a" * (10 * 1024 * 1024)
    with CaptureQueriesContext(connection) as queries:
        content = page(client, url, {"work_search[query]": huge})
    assert "too long and have been ignored" in content
    main = content.split("<main", 1)[1].split("</main>", 1)[0]
    assert "aaaaaaaaaa" not in main  # neither echoed in the form nor in pagination links
    assert all(len(q["sql"]) < 20_000 for q in queries.captured_queries)


def test_a_long_but_allowed_query_is_cut_to_the_field_limit(client):
    content = page(client, "/works", {"work_search[query]": "still " * 200})
    assert "limited to 500 characters" in content


def test_many_tag_ids_are_capped(client):
    params = {"include_work_search[freeform_ids][]": [str(n) for n in range(1, 100)]}
    with CaptureQueriesContext(connection) as queries:
        content = page(client, "/works", params)
    assert "not valid" in content
    assert len(queries) < 20


def test_far_page_shows_the_last_page_of_a_short_listing(client):
    content = page(client, "/works", {"page": "4000"})
    assert "Still Here" in content


def test_huge_numbers_in_the_query_box_are_ignored(client):
    content = page(client, "/works/search", {"work_search[query]": "words>99999999999"})
    assert "too large" in content


def test_search_with_only_punctuation_does_not_fail(client):
    for query in ['"', "-", "!!! & | :*", "' OR 1=1 --", "\\", "%_%"]:
        page(client, "/works/search", {"work_search[query]": query})


def test_report_link_in_the_footer_does_not_echo_the_query_string(client):
    page = client.get("/works", {"work_search[query]": "x" * 5000}).content.decode()
    assert 'href="/abuse_reports/new?url=%2Fworks"' in page
    assert "x" * 600 not in page
