"""What the API shows of a work follows the pages: a draft only to its creator, a hidden work
to its creator and moderators, a restricted one to members, an anonymous work without its
creator's name, an unrevealed one as a "Mystery Work"; anything else is a 404 that says
nothing of the work. A token without the read scope reads as a guest."""

import json

import pytest
from django.contrib.auth.models import Permission

from archive.models import Block, Mute
from tags.models import TagType
from tests.api.conftest import token_for
from tests.factories import (
    SECRET_WORK_STATES,
    make_secret_work,
    make_user,
    make_work,
    may_read_secret_work,
)
from works.services import feedback
from works.services import posting as services

pytestmark = pytest.mark.django_db

AUTHOR = "veiledquill"
TITLE = "Lantern Matrix Riddle"
SUMMARY = "A summary only its readers should see"
TEXT = "The foghorn counted the ships twice"
NOTES = "Notes about the brass compass"
STATES = list(SECRET_WORK_STATES)
VIEWERS = ["guest", "other", "author", "moderator"]


@pytest.fixture
def people():
    author = make_user(username=AUTHOR)
    other = make_user(username="plainreader")
    moderator = make_user(username="sitemoderator", is_staff=True)
    moderator.user_permissions.add(Permission.objects.get(codename="change_work"))
    tokens = {
        name: token_for(user, "read")
        for name, user in (("author", author), ("other", other), ("moderator", moderator))
    }
    return {"author": author, "other": other, "moderator": moderator, "tokens": tokens}


def make_state(state, author):
    """The work of these tests in `state` (every secret above in it) and its second chapter."""
    work = make_secret_work(
        state,
        author,
        title=TITLE,
        summary=SUMMARY,
        notes=NOTES,
        tags={TagType.FANDOM: ["Matrix Fandom"]},
        bodies=[TEXT + " one.", TEXT + " two."],
    )
    return work, work.chapters.get(position=2)


def listed(state, viewer, where) -> bool:
    if state == "draft" or not may_read_secret_work(state, viewer):
        return False
    if state == "unrevealed" and viewer != "author":
        return False
    if state == "anonymous" and viewer != "author" and where == "user_works":
        return False
    return True


def secrets_in(body: str, *, name=True) -> list[str]:
    found = [secret for secret in (TITLE, SUMMARY, TEXT, NOTES) if secret in body]
    return found + ([AUTHOR] if name and AUTHOR in body else [])


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("state", STATES)
def test_each_state_for_each_reader(api, people, state, viewer):
    work, chapter = make_state(state, people["author"])
    token = people["tokens"].get(viewer)
    reading = {
        "work": f"/api/v1/works/{work.pk}",
        "chapters": f"/api/v1/works/{work.pk}/chapters",
        "chapter": f"/api/v1/works/{work.pk}/chapters/{chapter.pk}",
    }
    answers = {name: api.get(url, token=token) for name, url in reading.items()}
    mystery = state == "unrevealed" and viewer != "author"
    if not may_read_secret_work(state, viewer):
        for response in answers.values():
            assert response.status_code == 404
            assert response["Content-Type"] == "application/problem+json"
            assert secrets_in(response.content.decode()) == []
    elif mystery:
        body = answers["work"].json()
        assert answers["work"].status_code == 200 and body["mystery"] is True
        assert body["title"] == "Mystery Work" and body["collections"][0]["title"]
        assert body["chapters"] == [] and body["creators"] == [] and body["fandoms"] == []
        assert secrets_in(answers["work"].content.decode()) == []
        assert answers["chapters"].status_code == answers["chapter"].status_code == 404
    else:
        body = answers["work"].json()
        assert body["title"] == TITLE and SUMMARY in body["summary"] and NOTES in body["notes"]
        assert body["draft"] is (state == "draft")
        assert body["restricted"] is (state == "restricted")
        assert [c["id"] for c in body["chapters"]][-1] == chapter.pk
        assert TEXT in answers["chapter"].json()["body"]
        assert [c["id"] for c in answers["chapters"].json()][-1] == chapter.pk
        hidden_name = state == "anonymous" and viewer != "author"
        assert body["anonymous"] is hidden_name
        names = [c["name"] for c in body["creators"]]
        assert names == (["Anonymous"] if hidden_name else [AUTHOR])
        if hidden_name:
            assert AUTHOR not in answers["work"].content.decode()
    for where, url in (("works", "/api/v1/works"), ("user_works", f"/api/v1/users/{AUTHOR}/works")):
        response = api.get(url, token=token)
        assert response.status_code == 200
        ids = [item["id"] for item in response.json()["items"]]
        assert (work.pk in ids) is listed(state, viewer, where), (where, ids)
        if work.pk not in ids:
            assert secrets_in(response.content.decode(), name=False) == []


def test_a_token_without_the_read_scope_reads_as_a_guest(api, people):
    draft, _chapter = make_state("draft", people["author"])
    write_only = token_for(people["author"], "write:works", name="writer")
    assert api.get(f"/api/v1/works/{draft.pk}", token=write_only).status_code == 404
    assert api.get(f"/api/v1/works/{draft.pk}", token=people["tokens"]["author"]).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/works/{big}",
        "/api/v1/works/1/chapters/{big}",
        "/api/v1/works/0",
        "/api/v1/works/{big}/chapters",
    ],
)
def test_huge_or_zero_ids_are_not_found(api, path):
    response = api.get(path.format(big=2**70))
    assert response.status_code in (404, 422)


def test_a_chapter_of_another_work_is_not_found(api, people):
    work, _chapter = make_state("public", people["author"])
    other = make_work(creator=people["other"])
    stranger = other.chapters.first()
    assert api.get(f"/api/v1/works/{work.pk}/chapters/{stranger.pk}").status_code == 404


def test_muted_and_blocked_people(api, people):
    work, _chapter = make_state("public", people["author"])
    reader = make_user(username="mutingreader")
    token = token_for(reader, "read")
    Mute.objects.create(muter=reader, muted=people["author"])
    assert work.pk not in [i["id"] for i in api.get("/api/v1/works", token=token).json()["items"]]
    # A mute keeps works out of lists, not off their own page (as on the site).
    assert api.get(f"/api/v1/works/{work.pk}", token=token).status_code == 200
    # A block stops comments and kudos, not reading (as on AO3).
    blocked = make_user(username="blockedreader")
    Block.objects.create(blocker=people["author"], blocked=blocked)
    blocked_token = token_for(blocked, "read")
    listed_ids = [i["id"] for i in api.get("/api/v1/works", token=blocked_token).json()["items"]]
    assert work.pk in listed_ids


def test_a_persons_bookmarks_as_their_page_shows_them(api, people):
    bookmarker = make_user(username="keenbookmarker")
    states = {
        state: make_state(state, people["author"])[0]
        for state in ("public", "restricted", "anonymous", "unrevealed", "hidden")
    }
    for state, work in states.items():
        if state != "hidden":
            feedback.bookmark_save(
                user=bookmarker,
                work=work,
                notes=f"**{state}** pick",
                tag_text="Comfort Read",
                rec=state == "public",
            )
    hidden_later = make_work(creator=make_user(username="thirdwriter"))
    feedback.bookmark_save(user=bookmarker, work=hidden_later)
    services.work_update(work=hidden_later, fields={"hidden_by_moderator": True})
    private = make_work(creator=people["other"])
    feedback.bookmark_save(user=bookmarker, work=private, private=True)

    def bookmarks(token=None, **query):
        response = api.get(f"/api/v1/users/{bookmarker.username}/bookmarks", query, token=token)
        assert response.status_code == 200, response.content
        return response.json()

    as_guest = bookmarks()
    works = {b["work"]["id"]: b for b in as_guest["items"]}
    assert as_guest["count"] == 3  # public, anonymous, unrevealed; not restricted, hidden, private
    assert set(works) == {states[s].pk for s in ("public", "anonymous", "unrevealed")}
    public = works[states["public"].pk]
    assert public["rec"] is True and "<strong>public</strong>" in public["notes"]
    assert [t["name"] for t in public["tags"]] == ["Comfort Read"]
    assert public["bookmarker"]["login"] == "keenbookmarker"
    assert works[states["anonymous"].pk]["work"]["creators"][0]["name"] == "Anonymous"
    assert works[states["unrevealed"].pk]["work"]["mystery"] is True
    for state in ("anonymous", "unrevealed"):
        text = json.dumps(works[states[state].pk])
        assert AUTHOR not in text and (TITLE in text) is (state == "anonymous")
    as_member = bookmarks(people["tokens"]["other"])
    assert as_member["count"] == 4
    own = bookmarks(token_for(bookmarker, "read"))
    assert own["count"] == 5  # and their private one
    # Paging by cursor gives each once.
    first = bookmarks(limit=2)
    rest = bookmarks(limit=2, cursor=first["next"])
    assert len(first["items"]) == 2 and len(rest["items"]) == 1 and rest["next"] is None
    assert {b["id"] for b in first["items"]}.isdisjoint({b["id"] for b in rest["items"]})
    assert api.get("/api/v1/users/nobody-by-that-name/bookmarks").status_code == 404


def test_bookmarks_cost_the_same_queries_for_10_and_20(api, people, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bookmarker = make_user(username="manybookmarks")
    for n in range(22):
        work = make_work(
            creator=people["author"] if n % 2 else people["other"],
            tags={TagType.FREEFORM: [f"Theme {n % 3}"]},
        )
        feedback.bookmark_save(user=bookmarker, work=work, tag_text=f"Note {n % 4}")
    url = f"/api/v1/users/{bookmarker.username}/bookmarks"
    api.get(url, {"limit": 1})
    with CaptureQueriesContext(connection) as captured:
        assert len(api.get(url, {"limit": 10}).json()["items"]) == 10
    with django_assert_num_queries(len(captured)):
        assert len(api.get(url, {"limit": 20}).json()["items"]) == 20


def test_a_persons_works_and_their_filters(api, people):
    mine = [
        make_work(creator=people["author"], tags={TagType.FREEFORM: [f"Mood {n % 2}"]})
        for n in range(5)
    ]
    make_work(creator=people["other"])
    body = api.get(f"/api/v1/users/{AUTHOR}/works", {"limit": 3}).json()
    assert body["count"] == 5 and len(body["items"]) == 3
    rest = api.get(f"/api/v1/users/{AUTHOR}/works", {"limit": 3, "cursor": body["next"]}).json()
    assert {i["id"] for i in body["items"] + rest["items"]} == {w.pk for w in mine}
    moody = api.get(f"/api/v1/users/{AUTHOR}/works", {"tags": "Mood 1"}).json()
    assert moody["count"] == 2
    # A cursor of one person's list is not another's.
    refused = api.get("/api/v1/users/plainreader/works", {"limit": 3, "cursor": body["next"]})
    assert refused.status_code == 422
    assert api.get("/api/v1/users/nobody-by-that-name/works").status_code == 404
