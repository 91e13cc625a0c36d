"""Kudos and comments through the API: what a reader sees on the work page afterwards, the
comment form's own messages, the pages' rate limit, who may do what, and the works nobody may
learn of through it."""

import datetime
import itertools

import pytest
from django.test import Client
from django.utils import timezone

from archive.models import Block, Mute
from archive.services.moderation import user_suspend
from tests.api.conftest import token_for
from tests.factories import make_secret_work, make_user, make_work
from works.forms.feedback import CommentForm
from works.models import Comment, CommentPermission, WorkStats
from works.services import feedback

pytestmark = pytest.mark.django_db

TITLE = "Quillfeather Secret Orchard"


_authors = itertools.count(1)


def _author():
    return make_user(username=f"feedbackauthor{next(_authors)}")


def _work(**fields):
    return make_work(creator=_author(), **fields)


def _page(work, client=None):
    return (client or Client()).get(f"/works/{work.pk}?view_full_work=true").content.decode()


# Kudos ------------------------------------------------------------------------------------


def test_kudos_show_on_the_work_page_and_a_second_time_is_already_done(api):
    work = _work()
    reader = make_user(username="kudosreader")
    secret = token_for(reader, "write:feedback")
    first = api.post(f"/api/v1/works/{work.pk}/kudos", token=secret)
    assert first.status_code == 201
    assert first.json() == {
        "work_id": work.pk,
        "created": True,
        "detail": "Thank you for leaving kudos!",
        "kudos_count": 1,
    }
    again = api.post(f"/api/v1/works/{work.pk}/kudos", token=secret)
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert again.json()["detail"] == "You have already left kudos here. :)"
    assert WorkStats.objects.get(work=work).kudos == 1
    assert "kudosreader</a> left kudos on this work!" in _page(work)
    names = api.get(f"/api/v1/works/{work.pk}/kudos").json()
    assert names == {"count": 1, "names": ["kudosreader"], "guests": 0}


def test_guests_leave_kudos_once_per_address(api):
    work = _work()
    assert api.post(f"/api/v1/works/{work.pk}/kudos", REMOTE_ADDR="203.0.113.5").status_code == 201
    assert api.post(f"/api/v1/works/{work.pk}/kudos", REMOTE_ADDR="203.0.113.5").status_code == 200
    assert api.post(f"/api/v1/works/{work.pk}/kudos", REMOTE_ADDR="203.0.113.6").status_code == 201
    assert api.get(f"/api/v1/works/{work.pk}/kudos").json() == {
        "count": 2,
        "names": [],
        "guests": 2,
    }
    assert "2 guests left kudos on this work!" in _page(work)


def test_kudos_refused_on_ones_own_work_and_by_a_blocking_creator(api):
    work = _work()
    own = api.post(f"/api/v1/works/{work.pk}/kudos", token=token_for(work.creators.get()))
    assert own.status_code == 422
    assert own.json()["detail"] == "You can't leave kudos on your own work."
    blocked = make_user(username="blockedreader")
    Block.objects.create(blocker=work.creators.get(), blocked=blocked)
    response = api.post(f"/api/v1/works/{work.pk}/kudos", token=token_for(blocked))
    assert response.status_code == 422
    assert response.json()["code"] == "blocked"
    comment = api.post(
        f"/api/v1/works/{work.pk}/comments", {"body": "Hello?"}, token=token_for(blocked)
    )
    assert comment.status_code == 422
    assert comment.json()["detail"] == "Sorry, you have been blocked by one of the creators."
    assert WorkStats.objects.get(work=work).kudos == 0 and not Comment.objects.exists()


def test_a_token_without_the_feedback_scope_may_not_write(api):
    work = _work()
    secret = token_for(make_user(), "read", "write:works")
    for path, body in [("kudos", None), ("comments", {"body": "Hi"})]:
        response = api.post(f"/api/v1/works/{work.pk}/{path}", body, token=secret)
        assert response.status_code == 403
        assert response.json()["code"] == "scope_missing"
    assert WorkStats.objects.get(work=work).kudos == 0 and not Comment.objects.exists()


def test_the_generated_client_leaves_kudos(api_client):
    from out.api.feedback import kudos_create, kudos_list

    work = _work()
    client = api_client(token_for(make_user(username="generatedkudos"), "write:feedback"))
    response = kudos_create.sync_detailed(work_id=work.pk, client=client)
    assert response.status_code == 201 and response.parsed.created is True
    names = kudos_list.sync(work_id=work.pk, client=api_client())
    assert names.names == ["generatedkudos"] and names.count == 1
    missing = kudos_create.sync_detailed(work_id=work.pk + 1000, client=client)
    assert missing.status_code == 404


# Comments ---------------------------------------------------------------------------------


def test_a_comment_appears_on_the_work_page(api):
    work = _work()
    secret = token_for(make_user(username="commentreader"), "write:feedback")
    response = api.post(
        f"/api/v1/works/{work.pk}/comments", {"body": "Lovely *pacing*."}, token=secret
    )
    assert response.status_code == 201
    made = response.json()
    assert made["author"] == "commentreader" and made["status"] == "approved"
    assert made["body_html"] == Comment.objects.get().content_html
    page = _page(work)
    assert f'id="comment_{made["id"]}"' in page and "Lovely" in page
    assert WorkStats.objects.get(work=work).comments == 1


def test_comment_field_messages_are_the_forms(api, client):
    work = _work()
    secret = token_for(make_user(), "write:feedback")
    chapter = work.chapters.get()
    for text in ["", "x" * 10001]:
        response = api.post(f"/api/v1/works/{work.pk}/comments", {"body": text}, token=secret)
        assert response.status_code == 422
        expected = CommentForm({"content": text}).errors["content"]
        assert response.json()["errors"] == {"body": list(expected)}
        # The HTML form says the same to a reader.
        client.force_login(make_user())
        page = client.post(
            f"/works/{work.pk}/chapters/{chapter.pk}/comments", {"content": text}
        ).content.decode()
        assert expected[0].replace("'", "&#x27;") in page
    assert not Comment.objects.exists()


def test_comments_are_rate_limited_like_the_page(api, settings):
    settings.ARCHIVE_RATE_LIMITS = {
        "comment": (2, 3600)
    }  # an hour: three requests never straddle two windows
    work = _work()
    secret = token_for(make_user(), "write:feedback")
    codes = [
        api.post(f"/api/v1/works/{work.pk}/comments", {"body": f"Note {n}"}, token=secret)
        for n in range(3)
    ]
    assert [r.status_code for r in codes] == [201, 201, 429]
    assert 1 <= int(codes[2]["Retry-After"]) <= 3600
    assert codes[2].json()["code"] == "rate_limited"
    assert Comment.objects.count() == 2


def test_guest_comments_follow_the_works_permission(api):
    work = _work()
    guest = {"body": "From a passer-by.", "name": "Wren", "email": "wren@example.org"}
    response = api.post(f"/api/v1/works/{work.pk}/comments", guest)
    assert response.status_code == 201 and response.json()["author"] == "Wren"
    nameless = api.post(f"/api/v1/works/{work.pk}/comments", {"body": "Who am I?"})
    assert nameless.status_code == 422
    assert nameless.json()["errors"]["name"] == ["This field is required."]
    spammy = {**guest, "body": "http://a.example http://b.example http://c.example"}
    links = api.post(f"/api/v1/works/{work.pk}/comments", spammy)
    assert links.status_code == 422
    assert links.json()["errors"]["non_field_errors"] == [
        "Guest comments may contain at most 2 links."
    ]
    registered = _work(comment_permission=CommentPermission.REGISTERED)
    refused = api.post(f"/api/v1/works/{registered.pk}/comments", guest)
    assert refused.status_code == 422
    assert refused.json()["detail"] == "Sorry, this work only allows comments by registered users."
    closed = _work(comment_permission=CommentPermission.NOBODY)
    secret = token_for(make_user(), "write:feedback")
    nobody = api.post(f"/api/v1/works/{closed.pk}/comments", guest, token=secret)
    assert nobody.json()["detail"] == "Sorry, this work doesn't allow comments."
    # Guests may not edit or delete: that needs an account.
    made = response.json()["id"]
    assert api.patch(f"/api/v1/comments/{made}", {"body": "Changed"}).status_code == 401
    assert api.delete(f"/api/v1/comments/{made}").status_code == 401
    assert Comment.objects.count() == 1


def test_threads_replies_and_what_each_reader_sees(api):
    work = _work(moderate_comments=True)
    creator = work.creators.get()
    chapter = work.chapters.get()
    first = feedback.comment_add(chapter=chapter, user=creator, content="Welcome.")
    reader = make_user(username="threadreader")
    secret = token_for(reader, "read", "write:feedback")
    reply = api.post(
        f"/api/v1/works/{work.pk}/comments", {"body": "Thanks!", "reply_to": first.pk}, token=secret
    ).json()
    assert reply["parent_id"] == first.pk and reply["status"] == "unreviewed"
    # Held for review: its writer sees it on its own, nobody else does.
    assert api.get(f"/api/v1/comments/{reply['id']}", token=secret).status_code == 200
    assert api.get(f"/api/v1/comments/{reply['id']}").status_code == 404
    listed = api.get(f"/api/v1/works/{work.pk}/comments").json()
    assert [c["id"] for c in listed["results"]] == [first.pk]
    feedback.comment_approve(comment=Comment.objects.get(pk=reply["id"]), user=creator)
    listed = api.get(f"/api/v1/works/{work.pk}/comments").json()
    assert [(c["id"], c["depth"]) for c in listed["results"]] == [(first.pk, 0), (reply["id"], 1)]
    assert listed["count"] == 1 and listed["pages"] == 1
    thread = api.get(f"/api/v1/comments/{first.pk}").json()
    assert [c["id"] for c in thread] == [first.pk, reply["id"]]
    # A reader who muted the replier does not see the reply.
    muter = make_user(username="muter")
    Mute.objects.create(muter=muter, muted=reader)
    muted = api.get(f"/api/v1/works/{work.pk}/comments", token=token_for(muter)).json()
    assert [c["id"] for c in muted["results"]] == [first.pk]


def test_only_the_writer_edits_and_the_writer_or_creator_deletes(api):
    work = _work()
    chapter = work.chapters.get()
    writer = make_user(username="editwriter")
    comment = feedback.comment_add(chapter=chapter, user=writer, content="Fisrt!")
    other = token_for(make_user(), "write:feedback")
    assert (
        api.patch(f"/api/v1/comments/{comment.pk}", {"body": "X"}, token=other).status_code == 404
    )
    assert api.delete(f"/api/v1/comments/{comment.pk}", token=other).status_code == 404
    mine = token_for(writer, "write:feedback")
    changed = api.patch(f"/api/v1/comments/{comment.pk}", {"body": "First!"}, token=mine)
    assert changed.status_code == 200 and changed.json()["edited_at"]
    assert "First!" in _page(work)
    empty = api.patch(f"/api/v1/comments/{comment.pk}", {"body": ""}, token=mine)
    assert empty.json()["errors"]["body"] == list(CommentForm({}).errors["content"])
    creator = token_for(work.creators.get(), "write:feedback")
    assert api.delete(f"/api/v1/comments/{comment.pk}", token=creator).status_code == 204
    assert "First!" not in _page(work)
    assert WorkStats.objects.get(work=work).comments == 0


def test_comments_list_costs_the_same_for_5_and_10_comments(api, django_assert_num_queries):
    work = _work()
    chapter = work.chapters.get()
    secret = token_for(make_user(), "read")
    counts = []
    for total in (5, 10):
        while Comment.objects.filter(work=work).count() < total:
            n = Comment.objects.count()
            feedback.comment_add(chapter=chapter, user=make_user(), content=f"Comment {n}")
        api.get(f"/api/v1/works/{work.pk}/comments", token=secret)  # warm the caches
        with django_assert_num_queries(6) as captured:
            response = api.get(f"/api/v1/works/{work.pk}/comments", token=secret)
        assert len(response.json()["results"]) == total
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_each_write_costs_a_fixed_number_of_queries(api, django_assert_num_queries):
    work = _work()
    secret = token_for(make_user(), "write:feedback")
    with django_assert_num_queries(16):
        api.post(f"/api/v1/works/{work.pk}/kudos", token=secret)
    with django_assert_num_queries(25):
        made = api.post(f"/api/v1/works/{work.pk}/comments", {"body": "One"}, token=secret)
    comment_id = made.json()["id"]
    with django_assert_num_queries(10):
        api.patch(f"/api/v1/comments/{comment_id}", {"body": "Two"}, token=secret)
    with django_assert_num_queries(14):
        assert api.delete(f"/api/v1/comments/{comment_id}", token=secret).status_code == 204


# Works nobody may learn of ----------------------------------------------------------------


# A logged-in reader may read a restricted work: only a guest may not.
HIDDEN_FROM = [
    (state, who)
    for state in ["draft", "hidden", "restricted", "unrevealed"]
    for who in ["guest", "reader"]
    if (state, who) != ("restricted", "reader")
]


@pytest.mark.parametrize(("state", "who"), HIDDEN_FROM)
def test_feedback_on_a_work_one_may_not_see_is_not_found(api, state, who):
    work = make_secret_work(state, _author(), title=TITLE)
    chapter = work.chapters.get()
    comment = Comment.objects.create(
        work=work, chapter=chapter, user=make_user(), content="Note on " + TITLE
    )
    secret = token_for(make_user(), "read", "write:feedback") if who == "reader" else None
    guest = {"body": "Hi", "name": "Wren", "email": "w@example.org"}
    responses = [
        api.get(f"/api/v1/works/{work.pk}/kudos", token=secret),
        api.post(f"/api/v1/works/{work.pk}/kudos", token=secret),
        api.get(f"/api/v1/works/{work.pk}/comments", token=secret),
        api.post(f"/api/v1/works/{work.pk}/comments", guest, token=secret),
        api.get(f"/api/v1/comments/{comment.pk}", token=secret),
    ]
    for response in responses:
        assert response.status_code == 404
        assert TITLE not in response.content.decode() and "Note on" not in response.content.decode()
    assert WorkStats.objects.get(work=work).kudos == 0
    assert Comment.objects.count() == 1


def test_an_anonymous_work_takes_feedback_without_naming_its_creator(api):
    work = make_secret_work("anonymous", _author(), title=TITLE)
    secret = token_for(make_user(), "read", "write:feedback")
    kudos = api.post(f"/api/v1/works/{work.pk}/kudos", token=secret)
    comment = api.post(f"/api/v1/works/{work.pk}/comments", {"body": "Hi"}, token=secret)
    listed = api.get(f"/api/v1/works/{work.pk}/comments", token=secret)
    shown = api.get(f"/api/v1/works/{work.pk}", token=secret)
    assert (kudos.status_code, comment.status_code, listed.status_code) == (201, 201, 200)
    assert shown.status_code == 200 and shown.json()["anonymous"] is True
    for response in (kudos, comment, listed, shown):
        assert "feedbackauthor" not in response.content.decode()
    # A work of the same kind outside an anonymous collection names its creator.
    public = make_secret_work("public", _author(), title=TITLE)
    assert "feedbackauthor" in api.get(f"/api/v1/works/{public.pk}", token=secret).content.decode()


def test_huge_and_unknown_ids_are_not_found(api):
    secret = token_for(make_user(), "read", "write:feedback")
    for path in ["/api/v1/comments/9223372036854775808", "/api/v1/works/99999999/comments"]:
        assert api.get(path, token=secret).status_code in (404, 422)
    huge = api.post("/api/v1/works/99999999999999999999999/kudos", token=secret)
    assert huge.status_code in (404, 422)


def test_a_form_encoded_body_is_refused_as_not_json(api):
    work = _work()
    secret = token_for(make_user(), "write:feedback")
    response = Client().post(
        f"/api/v1/works/{work.pk}/comments",
        {"body": "As a form"},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert not Comment.objects.exists()


def test_a_suspended_account_reads_but_leaves_no_feedback(api, moderator):
    work = _work()
    reader = make_user(username="suspendedreader")
    secret = token_for(reader)
    mine = feedback.comment_add(chapter=work.chapters.get(), user=reader, content="Before.")
    user_suspend(
        user=reader,
        moderator=moderator,
        reason="Spam",
        ends_at=timezone.now() + datetime.timedelta(days=3),
    )
    for path, body in [("kudos", None), ("comments", {"body": "After."}), ("bookmarks", {})]:
        response = api.post(f"/api/v1/works/{work.pk}/{path}", body, token=secret)
        assert response.status_code == 403 and response.json()["code"] == "suspended"
    assert api.get(f"/api/v1/works/{work.pk}/comments", token=secret).status_code == 200
    # Deleting one's own comment stays possible, as on the pages.
    assert api.delete(f"/api/v1/comments/{mine.pk}", token=secret).status_code == 204
    assert WorkStats.objects.get(work=work).kudos == 0 and not Comment.objects.exists()
