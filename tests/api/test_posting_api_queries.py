"""What posting through the API costs in queries: the posting page's cost for the same work,
less the page's own (session, messages, redirect), whatever the number of tags.

The counts are NOT the same for 1 and 3 tags of each type, on the page and in the API alike:
the posting service resolves each typed tag name on its own (tags.services.tag_resolve looks
the name up and creates it when new; the tag's filter rows and counts follow), which costs
PER_NEW_TAG queries for each new name. The API adds no query of its own per tag: its
difference from the page is the same for 1 and 3 tags of each type, and the per-tag cost is
the page's.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import token_for
from tests.api.test_posting_api import WORKS, new_work
from tests.factories import make_work
from tests.works.test_posting_work import work_data

pytestmark = pytest.mark.django_db

TYPES = ("fandoms", "relationships", "characters", "additional_tags")
FORM_NAMES = {"additional_tags": "freeforms"}
PER_NEW_TAG = 10  # measured; tags.services.tag_resolve and the tag counts, per new name
# The API's queries (SQLite and PostgreSQL alike) for 1 and 3 new tags of each type.
CREATE = {1: 99, 3: 179}
EDIT = {1: 97, 3: 177}


def _names(count, run):
    return {kind: [f"{kind} {run} {n}" for n in range(count)] for kind in TYPES}


def _typed(count, run):
    return {FORM_NAMES.get(k, k): ", ".join(v) for k, v in _names(count, run).items()}


def _queries(send, *args, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        response = send(*args, **kwargs)
    assert response.status_code in (200, 201, 302), response.content[:300]
    return len(captured)


@pytest.fixture
def warm(api, author, author_client):
    """The token used once (its first use records the day) and the page visited once, so
    what is measured is what every later call costs."""
    token = token_for(author, "write:works")
    _queries(api.post, WORKS, new_work(title="Warm"), token=token)
    _queries(author_client.post, "/works/new", work_data(title="Warm too"))
    return token


def test_creating_costs_the_page_less_a_constant_for_any_number_of_tags(
    api, author_client, warm, django_assert_num_queries
):
    counts = {}
    for count in (1, 3):
        with django_assert_num_queries(CREATE[count]):
            via_api = _queries(api.post, WORKS, new_work(**_names(count, count)), token=warm)
        typed = _typed(count, 10 + count)
        via_page = _queries(author_client.post, "/works/new", work_data(**typed))
        counts[count] = (via_api, via_page)
    (one_api, one_page), (three_api, three_page) = counts[1], counts[3]
    assert one_api - one_page == three_api - three_page < 0
    assert three_api - one_api == three_page - one_page == PER_NEW_TAG * 2 * len(TYPES)


def test_editing_costs_the_page_less_a_constant_for_any_number_of_tags(
    api, author, author_client, warm, django_assert_num_queries
):
    counts = {}
    for count in (1, 3):
        work, other = make_work(creator=author), make_work(creator=author)
        names = _names(count, 20 + count)
        with django_assert_num_queries(EDIT[count]):
            via_api = _queries(api.patch, f"{WORKS}/{work.pk}", names, token=warm)
        typed = {**_typed(count, 30 + count), "title": other.title}
        via_page = _queries(author_client.post, f"/works/{other.pk}/edit", work_data(**typed))
        counts[count] = (via_api, via_page)
    (one_api, one_page), (three_api, three_page) = counts[1], counts[3]
    assert one_api - one_page == three_api - three_page
    assert three_api - one_api == three_page - one_page == PER_NEW_TAG * 2 * len(TYPES)
