"""People through the API: the profile and pseuds pages' content and nothing more, the counts
their pages give each reader, 404 for unknown and closed accounts, fixed query counts."""

import re

import pytest

from tests.api.conftest import token_for
from tests.factories import make_user, make_work
from tests.works.markup import parse, select, select_one, text
from works.models import Bookmark
from works.services import collections as cs
from works.services import feedback
from works.services import posting as services
from works.services import pseuds as pseud_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer():
    person = make_user(username="inkwell", email="inkwell-secret@example.org")
    pseud_services.profile_update(user=person, bio="I write *sea* stories.")
    pseud_services.pseud_create(user=person, name="Quill", description="Short **tales**.")
    return person


def test_profile_shows_what_the_profile_page_shows_and_no_more(api, client, writer):
    page = parse(client.get("/users/inkwell/profile").content)

    response = api.get("/api/v1/users/inkwell")

    answer = response.json()
    assert answer["login"] == text(select_one(page, "div.primary.header h2.heading")) == "inkwell"
    assert (
        [p["name"] for p in answer["pseuds"]]
        == [text(a) for a in select(page, "dd.pseuds a")]
        == ["inkwell", "Quill"]
    )
    assert [p["url"] for p in answer["pseuds"]] == [
        a.get("href") for a in select(page, "dd.pseuds a")
    ]
    assert str(answer["id"]) in [text(dd) for dd in select(page, "dl.meta dd")]
    assert answer["bio_html"] == "<p>I write <em>sea</em> stories.</p>"
    assert answer["joined_at"].startswith(writer.date_joined.date().isoformat())
    assert answer["url"] == "/users/inkwell/profile"
    quill = answer["pseuds"][1]
    assert quill["description_html"] == "<p>Short <strong>tales</strong>.</p>"
    assert (quill["is_default"], quill["byline"]) == (False, "Quill (inkwell)")
    body = response.content.decode()
    assert "inkwell-secret" not in body and "password" not in body
    assert api.get("/api/v1/users/INKWELL").json()["login"] == "inkwell"


def test_pseuds_list_as_the_pseuds_page(api, client, writer):
    page = parse(client.get("/users/inkwell/pseuds").content)
    on_page = [text(a) for a in select(page, "li.pseud h4.heading a")]
    answer = api.get("/api/v1/users/inkwell/pseuds").json()
    assert [p["name"] for p in answer] == on_page == ["inkwell", "Quill"]
    assert [p["is_default"] for p in answer] == [True, False]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/users/{}",
        "/api/v1/users/{}/pseuds",
        "/api/v1/users/{}/works",
        "/api/v1/users/{}/bookmarks",
    ],
)
def test_unknown_and_closed_accounts_are_404(api, path):
    make_user(username="gone", is_active=False)
    for login in ("gone", "nobody_here", "x" * 400, "%00", "a%00b"):
        response = api.get(path.format(login))
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert "gone" not in response.json()["detail"]


def _dashboard_count(client, user):
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    heading = text(select_one(parse(client.get("/users/inkwell").content), "#works-heading"))
    return int(re.sub(r"\D", "", heading))


@pytest.mark.parametrize("who", ["guest", "reader", "self"])
def test_counts_are_what_the_pages_give_each_reader(api, client, writer, who):
    series = services.series_create(creator=writer, title="Tides")
    public = make_work(creator=writer, title="Open Water")
    services.work_set_series(work=public, series=[series])
    locked = make_work(creator=writer, title="Locked Harbour", restricted=True)
    locked_series = services.series_create(creator=writer, title="Locked Tides")
    services.work_set_series(work=locked, series=[locked_series])
    make_work(creator=writer, title="Unfinished", post=False)
    fest = cs.collection_create(
        owner=make_user(), fields={"name": "masks", "title": "Masks", "is_anonymous": True}
    )
    masked = make_work(creator=writer, title="Masked")
    cs.collection_add_work(collection=fest, work=masked, user=writer)
    other = make_work(title="Someone Else's")
    feedback.bookmark_save(user=writer, work=other, private=False)
    feedback.bookmark_save(user=writer, work=public, private=True)
    user = {"guest": None, "reader": make_user(), "self": writer}[who]
    token = token_for(user, "read") if user else None
    on_dashboard = _dashboard_count(client, user)

    answer = api.get("/api/v1/users/inkwell", token=token).json()

    assert answer["works_count"] == on_dashboard
    expected = {"guest": (1, 1, 1), "reader": (2, 2, 1), "self": (3, 2, 2)}[who]
    assert (answer["works_count"], answer["series_count"], answer["bookmarks_count"]) == expected
    assert Bookmark.objects.filter(user=writer).count() == 2
    assert answer["works_url"] == "/api/v1/users/inkwell/works"


def test_people_take_the_same_queries_for_n_and_2n_pseuds(api, django_assert_num_queries):
    person = make_user(username="manynames")

    def grow(start, n):
        for i in range(start, start + n):
            pseud_services.pseud_create(user=person, name=f"Name {i}")
            make_work(creator=person)

    grow(0, 2)
    with django_assert_num_queries(5) as profile:
        assert len(api.get("/api/v1/users/manynames").json()["pseuds"]) == 3
    with django_assert_num_queries(2) as pseuds:
        api.get("/api/v1/users/manynames/pseuds")
    grow(2, 2)
    with django_assert_num_queries(len(profile.captured_queries)):
        assert api.get("/api/v1/users/manynames").json()["works_count"] == 4
    with django_assert_num_queries(len(pseuds.captured_queries)):
        assert len(api.get("/api/v1/users/manynames/pseuds").json()) == 5


def test_the_generated_client_reads_people(api_client, writer):
    from out.api.people import pseuds_list, user_get

    client = api_client()
    person = user_get.sync(client=client, login="inkwell")
    assert person.login == "inkwell" and [p.name for p in person.pseuds] == ["inkwell", "Quill"]
    assert [p.byline for p in pseuds_list.sync(client=client, login="inkwell")] == [
        "inkwell",
        "Quill (inkwell)",
    ]
    assert user_get.sync_detailed(client=client, login="nobody").status_code == 404
