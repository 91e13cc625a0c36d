"""Writes are all or nothing: a failure midway through posting, editing or deleting a work,
adding a chapter, or a moderator's hide or ban leaves nothing half-written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from archive.models import ModeratorAction, Notification, UserSanction
from archive.services import moderation
from tags.models import Tag, TagType
from tests.factories import make_work
from works.models import Chapter, TaggedWork, Work, WorkStats
from works.services import moderation as work_moderation
from works.services import posting as services

pytestmark = pytest.mark.django_db


def _broken(*args, **kwargs):
    raise RuntimeError("forced failure midway")


def _snapshot(work_or_pk):
    pk = getattr(work_or_pk, "pk", work_or_pk)
    work = Work.objects.get(pk=pk)
    return {
        "work": (work.title, work.chapter_count, work.word_count, work.hidden_by_moderator),
        "chapters": list(work.chapters.order_by("position").values_list("id", "position", "body")),
        "tags": sorted(
            TaggedWork.objects.filter(content_object=work).values_list("tag_id", flat=True)
        ),
        "counts": sorted(Tag.objects.values_list("name", "work_count")),
        "stats": WorkStats.objects.filter(work=work).count(),
    }


def test_deleting_a_work_that_fails_midway_keeps_everything(author, monkeypatch):
    work = make_work(creator=author, chapters=2, tags={TagType.FANDOM: ["Sturdy Fandom"]})
    pk = work.pk
    before = _snapshot(pk)
    monkeypatch.setattr(services, "tags_recount", _broken)  # after the rows are deleted
    with pytest.raises(RuntimeError):
        services.work_delete(work=work)
    assert _snapshot(pk) == before


@pytest.mark.server_error_expected
def test_deleting_a_work_through_the_page_that_fails_keeps_it(author_client, author, monkeypatch):
    work = make_work(creator=author, chapters=2)
    before = _snapshot(work)
    monkeypatch.setattr(services, "tags_recount", _broken)
    with pytest.raises(RuntimeError):
        author_client.post(f"/works/{work.pk}/delete")
    assert _snapshot(work) == before


@pytest.mark.server_error_expected
def test_editing_a_work_that_fails_midway_changes_nothing(author_client, author, monkeypatch):
    work = make_work(creator=author, title="Original Title", chapters=1)
    before = _snapshot(work)
    monkeypatch.setattr(services, "work_refresh", _broken)  # after the work row is saved
    with pytest.raises(RuntimeError):
        services.work_update(work=work, fields={"title": "Changed Title"}, chapter={"body": "New"})
    assert _snapshot(work) == before


def test_adding_a_chapter_that_fails_midway_adds_nothing(author, monkeypatch):
    work = make_work(creator=author, chapters=1)
    before = _snapshot(work)
    monkeypatch.setattr(services, "work_refresh", _broken)  # after the chapter row is created
    with pytest.raises(RuntimeError):
        services.chapter_add(work=work, fields={"body": "A chapter that never lands."})
    assert _snapshot(work) == before
    assert not Chapter.objects.filter(body="A chapter that never lands.").exists()


def test_posting_a_draft_that_fails_midway_keeps_it_a_draft(author, monkeypatch):
    work = make_work(creator=author, post=False)
    monkeypatch.setattr(services, "work_tags_recount", _broken)  # after posted is saved
    with pytest.raises(RuntimeError):
        services.work_post(work=work)
    work.refresh_from_db()
    assert not work.posted
    assert not work.chapters.filter(posted=True).exists()


def test_hiding_that_fails_while_telling_the_author_hides_nothing(author, moderator, monkeypatch):
    work = make_work(creator=author)
    monkeypatch.setattr(moderation, "notify", _broken)
    with pytest.raises(RuntimeError):
        work_moderation.work_hide(work=work, moderator=moderator, reason="Midway")
    work.refresh_from_db()
    assert not work.hidden_by_moderator
    assert not ModeratorAction.objects.exists()


def test_ban_that_fails_midway_bans_nothing_and_hides_nothing(author, moderator, monkeypatch):
    first = make_work(creator=author)
    second = make_work(creator=author)
    real_hide = work_moderation.work_hide
    calls = []

    def hide_then_fail(**kwargs):
        calls.append(kwargs["work"].pk)
        if len(calls) == 2:
            raise RuntimeError("forced failure on the second work")
        return real_hide(**kwargs)

    monkeypatch.setattr(work_moderation, "work_hide", hide_then_fail)
    with pytest.raises(RuntimeError):
        moderation.user_ban(user=author, moderator=moderator, reason="Midway ban")
    assert len(calls) == 2  # the first work had been hidden inside the transaction
    assert not Work.objects.filter(pk__in=[first.pk, second.pk], hidden_by_moderator=True).exists()
    assert not UserSanction.objects.exists()
    assert not ModeratorAction.objects.exists()
    assert not Notification.objects.exists()
    assert moderation.user_can_write(author)


def test_suspension_that_fails_midway_is_not_applied(author, moderator, monkeypatch):
    monkeypatch.setattr(moderation, "notify", _broken)
    with pytest.raises(RuntimeError):
        moderation.user_suspend(
            user=author,
            moderator=moderator,
            reason="Midway",
            ends_at=timezone.now() + timedelta(days=1),
        )
    assert moderation.user_can_write(author)
    assert not ModeratorAction.objects.exists()


def test_expired_login_round_trip_through_the_log_in_form_keeps_the_text(client, author):
    """The author's session ends while writing; logging in through the real form (which
    rotates the session key) brings the form back filled in, and posting works."""
    from tests.factories import PASSWORD
    from tests.works.test_posting_work import textarea_value, work_data

    client.force_login(author)
    client.logout()  # the login expired
    body = "Written over a long evening, and not to be lost. " * 50
    response = client.post("/works/new", work_data(body=body))
    assert response["Location"] == "/users/login?next=/works/new"
    session_before = client.session.session_key
    response = client.post(
        "/users/login", {"username": author.username, "password": PASSWORD, "next": "/works/new"}
    )
    assert response.status_code == 302 and response["Location"] == "/works/new"
    assert client.session.session_key != session_before  # rotated, the kept text carried over
    assert textarea_value(client.get("/works/new"), "body") == body
    assert client.post("/works/new", work_data(body=body)).status_code == 302
    assert Work.objects.get().chapters.get().body == body
