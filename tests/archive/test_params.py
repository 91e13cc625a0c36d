"""Numbers read from requests (archive/params.py): ASCII digits within bounds, or nothing."""

import pytest

from archive.params import MAX_ID, NumberField, parse_id, parse_int, parse_ints
from tests.factories import make_work

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value",
    ["²", "٣", "１２", "Ⅻ", "", " 1", "1 ", "+1", "1.0", "1e3", "0x1", "\\x001", None, True, "-"],
)
def test_anything_but_ascii_digits_is_not_a_number(value):
    assert parse_int(value) is None


def test_ascii_digits_within_bounds_are_numbers():
    assert parse_int("0") == 0
    assert parse_int("0042") == 42
    assert parse_int("2147483647") == 2147483647
    assert parse_int("2147483648") is None  # above the default bound
    assert parse_int("-1") is None  # below the default bound
    assert parse_int("-1", minimum=-5) == -1
    assert parse_int("9" * 40, maximum=10**50) is None  # longer than any id


def test_ids_are_positive_and_fit_a_bigint():
    assert parse_id("1") == 1
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id(str(MAX_ID + 1)) is None
    assert parse_id("0") is None


def test_lists_keep_order_drop_repeats_and_say_when_something_was_refused():
    assert parse_ints(["3", "1", "3", "²"], minimum=1) == ([3, 1], True)
    assert parse_ints(["3", ""], minimum=1) == ([3], False)


def test_the_form_field_refuses_unicode_digits_with_its_message():
    field = NumberField(error_messages={"invalid": "Enter a whole number."})
    assert field.clean("12") == 12
    for typed in ("٣", "²", "1.5"):
        with pytest.raises(Exception, match="Enter a whole number."):
            field.clean(typed)


@pytest.mark.parametrize("path", ["/works/0", "/works/٣", "/works/" + "9" * 25, "/series/0"])
def test_ids_in_paths_that_name_no_row_answer_404(client, path):
    assert client.get(path).status_code == 404


def test_ao3_kudos_with_a_hostile_work_id_answers_404(client):
    make_work(title="Kudos Target")
    for work_id in ("²", "٣", "0", "9" * 30):
        response = client.post("/kudos", {"kudo[commentable_id]": work_id})
        assert response.status_code == 404


def test_expected_chapters_in_arabic_digits_is_refused_and_kept(author_client):
    from tests.works.test_posting_work import NEW, work_data

    response = author_client.post(NEW, work_data(multichapter="on", expected_chapters="٣"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The number of chapters must be a whole number, or left blank." in html
    assert 'value="٣"' in html  # what the author typed is still in the field


def test_a_login_redirect_with_a_huge_query_keeps_only_the_path(client):
    response = client.get("/works/new", {"x": "a" * 20_000})
    assert response.status_code == 302
    assert response["Location"] == "/users/login?next=/works/new"


def test_inbox_ignores_ids_that_are_not_numbers(author_client, author):
    response = author_client.post(f"/users/{author.username}/inbox", {"items": ["²", "٣", "1"]})
    assert response.status_code == 302


@pytest.mark.parametrize("url", ["/works", "/works/search", "/autocomplete/fandom"])
def test_nul_characters_in_the_query_are_ignored(client, url):
    make_work(title="Nul Proof")
    response = client.get(url, {"work_search[query]": "Nul\x00 Proof", "term": "Nul\x00"})
    assert response.status_code == 200


def test_nul_characters_in_a_form_are_taken_out_before_the_form_sees_them(author_client, author):
    response = author_client.post(
        f"/users/{author.username}/preferences/excluded_tags", {"tag_name": "Fl\x00uff"}
    )
    assert response.status_code in (200, 302)
