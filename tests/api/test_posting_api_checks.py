"""The posting API checks what the posting pages check, with the same messages; only a work's
creators may write it; a refused or failed write leaves nothing behind; author text is
sanitized as through the form."""

import html

import pytest
from django.test import Client

from archive.services import moderation
from tags.models import Tag, TagType
from tests.api.conftest import token_for
from tests.api.test_posting_api import WORKS, new_work
from tests.factories import make_user, make_work
from tests.works.test_posting_work import field_errors, work_data
from works.models import SUMMARY_MAX_LENGTH, Chapter, Work
from works.services import moderation as work_moderation
from works.services import posting as services

pytestmark = pytest.mark.django_db


def _without(data, key):
    return {k: v for k, v in data.items() if k != key}


# (what the program sends, what the page's form gets, the field's API name, its form name)
SAME_MESSAGES = {
    "missing title": (_without(new_work(), "title"), {"title": ""}, "title", "title"),
    "missing fandom": (_without(new_work(), "fandoms"), {"fandoms": ""}, "fandoms", "fandoms"),
    "too long summary": (
        new_work(summary="x" * (SUMMARY_MAX_LENGTH + 1)),
        {"summary": "x" * (SUMMARY_MAX_LENGTH + 1)},
        "summary",
        "summary",
    ),
    "a rating's id": (new_work(rating=99), {"rating": "99"}, "rating", "rating"),
    "an unknown rating": (new_work(rating="Spicy"), {"rating": "Spicy"}, "rating", "rating"),
    "unknown language": (new_work(language="xx"), {"language": "xx"}, "language", "language"),
    "empty chapter body": (new_work(body=" \n "), {"body": " \n "}, "body", "body"),
    "too long tag name": (
        new_work(additional_tags=["A" * 200]),
        {"freeforms": "A" * 200},
        "additional_tags",
        "freeforms",
    ),
}


@pytest.mark.parametrize("case", SAME_MESSAGES, ids=list(SAME_MESSAGES))
def test_the_api_gives_the_forms_messages(api, author, author_client, case):
    sent, typed, api_name, form_name = SAME_MESSAGES[case]
    response = api.post(WORKS, sent, token=token_for(author, "write:works"))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    page = author_client.post("/works/new", work_data(**typed))
    on_page = [html.unescape(message) for message in field_errors(page, form_name)]
    assert on_page, f"the form shows no message for {case}"
    assert problem["errors"] == {api_name: on_page}
    assert problem["detail"] == on_page[0] and problem["code"] == "invalid"
    assert not Work.objects.exists()


def test_a_chapters_empty_text_has_the_chapter_forms_message(api, author, author_client):
    work = make_work(creator=author)
    response = api.post(
        f"{WORKS}/{work.pk}/chapters", {"body": ""}, token=token_for(author, "write:works")
    )
    page = author_client.post(f"/works/{work.pk}/chapters/new", {"body": "", "post_button": "1"})
    assert response.json()["errors"] == {"body": field_errors(page, "body")}
    assert work.chapters.count() == 1


# Who may write -----------------------------------------------------------------------------


def _endpoints(work):
    first, second = work.chapters.order_by("position")
    chapters = f"{WORKS}/{work.pk}/chapters"
    return {
        "edit": ("patch", f"{WORKS}/{work.pk}", {"title": "Changed"}),
        "post": ("post", f"{WORKS}/{work.pk}/post", None),
        "delete": ("delete", f"{WORKS}/{work.pk}", None),
        "add chapter": ("post", chapters, {"body": "More."}),
        "edit chapter": ("patch", f"{chapters}/{second.pk}", {"title": "Changed"}),
        "delete chapter": ("delete", f"{chapters}/{second.pk}", None),
    }


ENDPOINTS = ["edit", "post", "delete", "add chapter", "edit chapter", "delete chapter"]


@pytest.fixture
def cocreator():
    partner = make_user(username="apipartner", cocreator_without_asking=True)
    return partner


@pytest.fixture
def shared_work(author, cocreator):
    work = services.work_create(
        creator=author,
        fields={"title": "Secret Draft Title", "expected_chapters": None},
        tag_names={
            TagType.RATING: ["General Audiences"],
            TagType.WARNING: ["No Archive Warnings Apply"],
            TagType.FANDOM: ["Quiet Fandom"],
        },
        chapter={"body": "Secret draft text."},
        post=False,
        cocreators=[cocreator.pseuds.get(is_default=True)],
    )
    services.chapter_add(work=work, fields={"body": "Second secret part."}, post=False)
    assert work.work_creators.count() == 2  # added without asking
    return work


def _call(api, endpoint, work, token):
    method, url, payload = _endpoints(work)[endpoint]
    return getattr(api, method)(url, payload, token=token)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_guest_must_log_in(api, shared_work, endpoint):
    response = _call(api, endpoint, shared_work, None)
    assert response.status_code == 401 and response.json()["code"] == "login_required"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_token_without_write_works_is_forbidden(api, author, shared_work, endpoint):
    token = token_for(author, "read", "write:feedback")
    response = _call(api, endpoint, shared_work, token)
    assert response.status_code == 403 and response.json()["code"] == "scope_missing"
    assert Work.objects.get(pk=shared_work.pk).title == "Secret Draft Title"


@pytest.mark.parametrize("who", ["stranger", "moderator"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anyone_else_finds_nothing(api, shared_work, moderator, endpoint, who):
    user = moderator if who == "moderator" else make_user(username="apistranger")
    response = _call(api, endpoint, shared_work, token_for(user))
    assert response.status_code == 404
    text = response.content.decode()
    assert "Secret" not in text and "Quiet Fandom" not in text
    assert response.json()["detail"] == "Not found."
    work = Work.objects.get(pk=shared_work.pk)
    assert (work.title, work.posted, work.chapters.count()) == ("Secret Draft Title", False, 2)


@pytest.mark.parametrize("who", ["author", "cocreator"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_creators_may(api, author, cocreator, shared_work, endpoint, who):
    user = author if who == "author" else cocreator
    response = _call(api, endpoint, shared_work, token_for(user, "write:works"))
    assert response.status_code in (200, 201, 204), response.content


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_suspended_creator_may_only_delete_as_on_the_pages(
    api, author, moderator, shared_work, endpoint
):
    from datetime import timedelta

    from django.utils import timezone

    moderation.user_suspend(
        user=author, moderator=moderator, reason="spam", ends_at=timezone.now() + timedelta(days=3)
    )
    response = _call(api, endpoint, shared_work, token_for(author, "write:works"))
    if endpoint.startswith("delete"):
        assert response.status_code == 204
    else:
        assert response.status_code == 403 and response.json()["code"] == "suspended"
        assert Work.objects.get(pk=shared_work.pk).title == "Secret Draft Title"


def test_a_work_hidden_by_a_moderator_is_edited_as_on_the_pages(api, author, moderator):
    work = make_work(creator=author, title="Hidden Away")
    work_moderation.work_hide(work=work, moderator=moderator, reason="check")
    page = Client()
    page.force_login(author)
    assert page.get(f"/works/{work.pk}/edit").status_code == 200
    response = api.patch(f"{WORKS}/{work.pk}", {"summary": "Still mine."}, token=token_for(author))
    assert response.status_code == 200
    work.refresh_from_db()
    assert work.hidden_by_moderator and work.summary == "Still mine."


@pytest.mark.parametrize("work_id", ["0", "-1", str(2**63), "99999999999999999999999", "x"])
def test_out_of_range_ids_are_not_found(api, author, work_id):
    token = token_for(author)
    response = api.patch(f"{WORKS}/{work_id}", {"title": "x"}, token=token)
    assert response.status_code in (404, 422)
    work = make_work(creator=author, chapters=2)
    response = api.delete(f"{WORKS}/{work.pk}/chapters/{work_id}", token=token)
    assert response.status_code in (404, 422)


# Nothing half-written ----------------------------------------------------------------------


def _rows():
    return (Work.objects.count(), Chapter.objects.count(), Tag.objects.count())


def test_a_refused_create_leaves_no_work_chapter_or_tag(api, author):
    make_user(username="no_gifts_please", disallow_gifts=True)
    before = _rows()
    sent = new_work(fandoms=["A Brand New Fandom"], gifts="no_gifts_please", post=True)
    response = api.post(WORKS, sent, token=token_for(author))
    assert response.status_code == 422
    assert response.json()["errors"] == {"gifts": ["no_gifts_please does not accept gifts."]}
    assert _rows() == before
    assert not Tag.objects.filter(name="A Brand New Fandom").exists()


@pytest.mark.server_error_expected
def test_a_create_failing_midway_leaves_nothing(api, author, monkeypatch):
    before = _rows()

    def broken(**kwargs):
        raise RuntimeError("forced failure after the work, chapter and tags were written")

    monkeypatch.setattr(services, "work_set_collections", broken)
    with pytest.raises(RuntimeError):
        api.post(WORKS, new_work(fandoms="Another New Fandom"), token=token_for(author))
    assert _rows() == before


def test_a_refused_edit_changes_nothing(api, author):
    make_user(username="no_gifts_please", disallow_gifts=True)
    work = make_work(creator=author, title="Before")
    sent = {"title": "After", "fandoms": "Fresh Fandom", "gifts": ["no_gifts_please"]}
    response = api.patch(f"{WORKS}/{work.pk}", sent, token=token_for(author))
    assert response.status_code == 422
    work.refresh_from_db()
    assert work.title == "Before" and not Tag.objects.filter(name="Fresh Fandom").exists()


# Author text -------------------------------------------------------------------------------

HOSTILE = (
    "<p>Before.</p><script>alert('api')</script>"
    '<img src="/x.png" onerror="alert(\'img\')"><p onclick="alert(1)">After.</p>'
)


def test_hostile_html_is_sanitized_as_through_the_form(api, client, author, author_client):
    response = api.post(WORKS, new_work(body=HOSTILE, post=True), token=token_for(author))
    via_api = Work.objects.get(pk=response.json()["id"])
    author_client.post("/works/new", work_data(title="Via the form", body=HOSTILE))
    via_form = Work.objects.get(title="Via the form")
    assert via_api.chapters.get().body_html == via_form.chapters.get().body_html
    client.logout()
    page = client.get(f"/works/{via_api.pk}").content.decode()
    assert "Before." in page and "After." in page
    assert "<script>alert" not in page and "onerror" not in page and "onclick" not in page
    assert "<script" not in via_api.chapters.get().body_html
    # The same through a chapter added and a chapter edited.
    url = f"{WORKS}/{via_api.pk}/chapters"
    added = api.post(url, {"body": HOSTILE, "post": True}, token=token_for(author)).json()
    api.patch(f"{url}/{added['id']}", {"notes": HOSTILE}, token=token_for(author))
    page = client.get(f"/works/{via_api.pk}/chapters/{added['id']}").content.decode()
    assert "Before." in page and "<script>alert" not in page and "onerror" not in page


# The site's session, and the limits --------------------------------------------------------


def test_the_sites_own_pages_post_with_the_session_and_its_csrf_token(author):
    session = Client(enforce_csrf_checks=True)
    session.force_login(author)
    refused = session.post(WORKS, new_work(), content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf"
    assert not Work.objects.exists()
    session.get("/works/new")  # the page sets the CSRF cookie
    token = session.cookies["csrftoken"].value
    response = session.post(
        WORKS, new_work(), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201
    assert Work.objects.get().work_creators.get().user == author


def test_posting_counts_against_the_tokens_limit(api, author, settings):
    settings.ARCHIVE_RATE_LIMITS = {"api_token": (2, 3600), "api_address": (100, 3600)}
    token = token_for(author, "write:works")
    codes = [api.post(WORKS, new_work(title=f"W{n}"), token=token).status_code for n in range(3)]
    assert codes == [201, 201, 429]
    assert Work.objects.count() == 2


def test_a_form_instead_of_json_is_refused_not_an_error(author):
    session = Client()
    session.force_login(author)
    response = session.post(WORKS, {"title": "A form", "body": "Text."})  # multipart
    assert response.status_code in (415, 422)
    assert response["Content-Type"] == "application/problem+json"
    assert not Work.objects.exists()
