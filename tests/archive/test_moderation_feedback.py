"""Moderation of reader feedback: guest comment spam checks, rate limits on comments, kudos
and search, suspended users kept from commenting, kudos and bookmarks."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from archive import spam
from archive.errors import Refused
from archive.services import moderation
from tests.factories import make_work
from works.models import CommentPermission, WorkStats
from works.models.feedback import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_work():
    return make_work(title="Open For Comments", comment_permission=CommentPermission.EVERYONE)


def _comment_url(work):
    return f"/works/{work.pk}/chapters/{work.chapters.first().pk}/comments"


def _guest_post(client, work, content="What a lovely chapter!", **extra):
    data = {"name": "Passing Reader", "email": "passing@example.org", "content": content}
    data.update(spam.spam_post_data())
    data.update(extra)
    return client.post(_comment_url(work), data, REMOTE_ADDR=extra.pop("ip", "10.9.0.1"))


def test_guest_comment_form_carries_the_spam_fields_hidden(client, open_work):
    page = client.get(f"/works/{open_work.pk}").content.decode()
    assert 'name="form_started"' in page
    assert '<div hidden aria-hidden="true" class="honeypot">' in page
    assert 'name="website"' in page


def test_guest_comment_that_passes_the_checks_appears(client, open_work):
    response = _guest_post(client, open_work)
    assert response.status_code == 302
    assert Comment.objects.filter(work=open_work, guest_name="Passing Reader").count() == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"website": "http://spam.example"}, "looks like spam"),
        ({"form_started": ""}, "too old or was changed"),
        ({"form_started": "forged-token"}, "too old or was changed"),
        ({"form_started": "just now"}, "very quick"),
        (
            {"content": "Buy http://a.example http://b.example http://c.example now"},
            "at most 2 links",
        ),
    ],
    ids=["honeypot", "no-timestamp", "forged-timestamp", "too-fast", "links"],
)
def test_spammy_guest_comments_are_refused_and_the_text_kept(client, open_work, extra, message):
    content = extra.pop("content", "Typed with care, kept on refusal.")
    if extra.get("form_started") == "just now":
        extra["form_started"] = spam.form_started_token(time.time())
    response = _guest_post(client, open_work, content=content, **extra)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert content in body  # the text survives
    assert not Comment.objects.exists()


def test_refused_form_gets_a_fresh_timestamp_so_sending_again_passes(client, open_work):
    too_fast = spam.form_started_token(time.time())
    response = _guest_post(client, open_work, form_started=too_fast)
    assert response.status_code == 400
    fresh = response.context["comment_form"].data["form_started"]
    assert fresh != too_fast
    response = _guest_post(client, open_work, form_started=fresh)
    assert response.status_code == 302


def test_logged_in_comments_skip_the_guest_spam_fields(client, reader, open_work):
    client.force_login(reader)
    response = client.post(_comment_url(open_work), {"content": "Signed-in comment"})
    assert response.status_code == 302
    assert Comment.objects.filter(user=reader).count() == 1


def test_comments_are_rate_limited(client, reader, open_work, settings):
    settings.ARCHIVE_RATE_LIMITS = {"comment": (3, 60)}
    client.force_login(reader)
    for n in range(3):
        response = client.post(_comment_url(open_work), {"content": f"Comment number {n}"})
        assert response.status_code == 302
    response = client.post(_comment_url(open_work), {"content": "One too many"})
    assert response.status_code == 429
    assert "Retry-After" in response
    assert Comment.objects.count() == 3


def test_kudos_are_rate_limited_per_address_for_guests(client, settings):
    settings.ARCHIVE_RATE_LIMITS = {"kudos": (2, 60)}
    works = [make_work() for _ in range(3)]
    assert client.post(f"/works/{works[0].pk}/kudos").status_code == 302
    assert client.post(f"/works/{works[1].pk}/kudos").status_code == 302
    assert client.post(f"/works/{works[2].pk}/kudos").status_code == 429
    assert WorkStats.objects.get(work=works[2]).kudos == 0


def test_search_is_rate_limited_but_the_form_page_is_not(client, settings):
    settings.ARCHIVE_RATE_LIMITS = {"search": (2, 60)}
    for _ in range(3):
        assert client.get("/works/search").status_code == 200
    assert client.get("/works/search?work_search[query]=a").status_code == 200
    assert client.get("/works/search?work_search[query]=b").status_code == 200
    assert client.get("/works/search?work_search[query]=c").status_code == 429


def test_rate_limits_can_be_switched_off_for_benchmarks(client, settings):
    settings.ARCHIVE_RATE_LIMITS = {"search": (1, 60)}
    settings.ARCHIVE_RATE_LIMITS_ENABLED = False
    for _ in range(3):
        assert client.get("/works/search?work_search[query]=a").status_code == 200


def test_suspended_user_cannot_comment_kudos_or_bookmark(client, reader, moderator, open_work):
    moderation.user_suspend(
        user=reader,
        moderator=moderator,
        reason="Flooding comments",
        ends_at=timezone.now() + timedelta(days=2),
    )
    client.force_login(reader)
    for response in (
        client.post(_comment_url(open_work), {"content": "Let me back in"}),
        client.post(f"/works/{open_work.pk}/kudos"),
        client.get(f"/works/{open_work.pk}/bookmarks/new"),
        client.post(f"/works/{open_work.pk}/bookmarks/new", {"notes": "x"}),
    ):
        assert response.status_code == 403
        assert "suspended" in response.content.decode()
    assert not Comment.objects.exists()
    assert WorkStats.objects.get(work=open_work).kudos == 0
    # Reading goes on.
    assert client.get(f"/works/{open_work.pk}").status_code == 200


# --- moderators and comments -------------------------------------------------------------------


@pytest.fixture
def group_moderator():
    from django.contrib.auth.models import Group

    from tests.factories import make_user

    user = make_user(username="commentmod", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderator"))
    return user


def _comment(work, user, content):
    from works.services import feedback as services_feedback

    return services_feedback.comment_add(chapter=work.chapters.first(), user=user, content=content)


def _act(client, action, comment, reason="Abusive"):
    return client.post(
        "/admin/works/comment/",
        {"action": action, "_selected_action": [comment.pk], "apply": "1", "reason": reason},
    )


def test_moderator_hides_and_unhides_any_comment(client, group_moderator, reader, open_work):
    comment = _comment(open_work, reader, "Rude remark about the author")
    client.force_login(group_moderator)
    assert _act(client, "hide_comments", comment).status_code == 302
    guest = type(client)()
    assert "Rude remark" not in guest.get(f"/works/{open_work.pk}").content.decode()
    assert WorkStats.objects.get(work=open_work).comments == 0
    _act(client, "unhide_comments", comment, reason="Context made it fine")
    assert "Rude remark" in guest.get(f"/works/{open_work.pk}").content.decode()
    assert WorkStats.objects.get(work=open_work).comments == 1
    from archive.models import ModeratorAction

    assert list(ModeratorAction.objects.order_by("id").values_list("kind", "reason")) == [
        ("hide_comment", "Abusive"),
        ("unhide_comment", "Context made it fine"),
    ]


def test_work_creator_cannot_approve_a_comment_a_moderator_hid(
    client, group_moderator, reader, open_work
):
    from works.models import Comment
    from works.services import feedback as services_feedback

    comment = _comment(open_work, reader, "Rude remark about the author")
    client.force_login(group_moderator)
    _act(client, "hide_comments", comment)
    creator = open_work.creators.get()
    with pytest.raises(Refused):
        services_feedback.comment_approve(comment=comment, user=creator)
    assert Comment.objects.get(pk=comment.pk).is_hidden
    author_client = type(client)()
    author_client.force_login(creator)
    assert "Rude remark" not in author_client.get(f"/comments/{comment.pk}").content.decode()
    assert "Rude remark" not in author_client.get(f"/works/{open_work.pk}").content.decode()
    assert WorkStats.objects.get(work=open_work).comments == 0


def test_moderator_deletes_and_marks_spam(client, group_moderator, reader, open_work):
    parent = _comment(open_work, reader, "A thread starter with a reply")
    from works.services import feedback as services_feedback

    services_feedback.comment_add(
        chapter=open_work.chapters.first(),
        user=open_work.creators.first(),
        content="Reply",
        parent=parent,
    )
    spam_comment = _comment(open_work, reader, "Cheap pills at example dot com")
    client.force_login(group_moderator)
    _act(client, "delete_comments", parent, reason="Harassment")
    _act(client, "mark_spam", spam_comment, reason="Spam")
    parent.refresh_from_db()
    assert parent.is_deleted and parent.content == ""  # placeholder keeps the thread
    assert not Comment.objects.filter(pk=spam_comment.pk).exists()
    assert WorkStats.objects.get(work=open_work).comments == 1  # the reply
    from archive.models import ModeratorAction

    kinds = set(ModeratorAction.objects.values_list("kind", flat=True))
    assert kinds == {"delete_comment", "mark_spam"}


def test_wrangler_cannot_moderate_comments(client, reader, open_work):
    from django.contrib.auth.models import Group

    from tests.factories import make_user

    wrangler = make_user(username="commentwrangler", is_staff=True)
    wrangler.groups.add(Group.objects.get(name="Tag wrangler"))
    comment = _comment(open_work, reader, "Stays put")
    client.force_login(wrangler)
    assert _act(client, "hide_comments", comment).status_code == 403
    comment.refresh_from_db()
    assert comment.status == "approved"
