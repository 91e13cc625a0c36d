"""Every email the archive sends links to ARCHIVE_SITE_URL, and each link opens its page."""

import re

import pytest
from django.core import mail
from django.urls import resolve

from tests.factories import make_chapter, make_user, make_work
from works.services import feedback
from works.services import moderation as work_moderation
from works.services import posting as services

pytestmark = pytest.mark.django_db

SITE = "https://archive.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.ARCHIVE_SITE_URL = SITE


def _links(message) -> list[str]:
    links = re.findall(r"\w+://\S+", message.body)
    assert links, message.body
    for link in links:
        assert link.startswith(SITE + "/"), link
    return [link.removeprefix(SITE) for link in links]


def _only_mail_to(user):
    messages = [m for m in mail.outbox if m.to == [user.email]]
    assert len(messages) == 1
    return messages[0]


def _opens(client, user, path, view_name, **kwargs):
    match = resolve(path.split("#")[0])
    assert match.view_name == view_name
    assert {key: str(value) for key, value in match.kwargs.items()} == {
        key: str(value) for key, value in kwargs.items()
    }
    client.force_login(user)
    assert client.get(path, follow=True).status_code == 200


def test_comment_email_links_to_the_comment(
    client, author, reader, django_capture_on_commit_callbacks
):
    work = make_work(creator=author)
    with django_capture_on_commit_callbacks(execute=True):
        comment = feedback.comment_add(chapter=work.chapters.get(), user=reader, content="Lovely.")
    [path] = _links(_only_mail_to(author))
    _opens(client, author, path, "works:comment", comment_id=comment.pk)


def test_reply_email_links_to_the_reply(client, author, reader, django_capture_on_commit_callbacks):
    work = make_work(creator=author)
    chapter = work.chapters.get()
    parent = feedback.comment_add(chapter=chapter, user=reader, content="A question?")
    with django_capture_on_commit_callbacks(execute=True):
        reply = feedback.comment_add(chapter=chapter, user=author, content="Yes!", parent=parent)
    [path] = _links(_only_mail_to(reader))
    _opens(client, reader, path, "works:comment", comment_id=reply.pk)


def test_new_chapter_email_links_to_the_chapter(
    client, author, reader, django_capture_on_commit_callbacks
):
    work = make_work(creator=author)
    feedback.subscription_add(user=reader, work=work)
    with django_capture_on_commit_callbacks(execute=True):
        chapter = make_chapter(work)
    [path] = _links(_only_mail_to(reader))
    _opens(client, reader, path, "works:chapter", work_id=work.pk, chapter_id=chapter.pk)


def test_new_work_email_links_to_the_work(
    client, author, reader, django_capture_on_commit_callbacks
):
    feedback.subscription_add(user=reader, author=author)
    with django_capture_on_commit_callbacks(execute=True):
        work = make_work(creator=author)
    [path] = _links(_only_mail_to(reader))
    _opens(client, reader, path, "works:detail", work_id=work.pk)


def test_new_series_part_email_links_to_the_work(
    client, author, reader, django_capture_on_commit_callbacks
):
    series = services.series_create(creator=author, title="Harbour Cycle")
    services.work_set_series(work=make_work(creator=author), series=[series])
    feedback.subscription_add(user=reader, series=series)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.work_create(
            creator=author,
            fields={"title": "Harbour Cycle, Part Two"},
            tag_names={"rating": ["General Audiences"], "warning": ["No Archive Warnings Apply"]},
            chapter={"body": "The second part begins."},
            series=[series],
        )
    [path] = _links(_only_mail_to(reader))
    _opens(client, reader, path, "works:detail", work_id=second.pk)


def test_moderation_emails_link_to_the_work(
    client, author, moderator, django_capture_on_commit_callbacks
):
    work = make_work(creator=author)
    with django_capture_on_commit_callbacks(execute=True):
        work_moderation.work_hide(work=work, moderator=moderator, reason="Tags missing")
        work_moderation.work_unhide(work=work, moderator=moderator)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        [path] = _links(message)
        _opens(client, author, path, "works:detail", work_id=work.pk)


def test_password_reset_email_links_to_the_site_not_the_request_host(client):
    user = make_user(username="forgetful")
    response = client.post("/users/password/reset", {"email": user.email}, HTTP_HOST="localhost")
    assert response.status_code == 302
    [path] = _links(_only_mail_to(user))
    assert resolve(path).view_name == "password_reset_confirm"
    form_page = client.get(path, follow=True)
    assert b'name="new_password1"' in form_page.content
