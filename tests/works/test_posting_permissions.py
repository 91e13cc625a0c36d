"""Only a work's creators may use its posting pages: everyone else gets 404, with nothing of
the work in the answer; guests are sent to log in."""

import pytest
from django.test import Client

from tests.factories import make_chapter, make_user, make_work
from tests.works.test_posting_chapters import chapter_data
from tests.works.test_posting_work import work_data
from works.models import Chapter, Work

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Lanterns Nobody Else May See"
SECRET_TEXT = "This sentence belongs to the author alone."


@pytest.fixture
def secret(author):
    work = make_work(creator=author, title=SECRET_TITLE, post=False)
    make_chapter(work, body=SECRET_TEXT, post=False)
    return work


def posting_urls(work):
    chapter = work.chapters.order_by("position").last()
    base = f"/works/{work.pk}"
    return [
        f"{base}/edit",
        f"{base}/edit_tags",
        f"{base}/delete",
        f"{base}/preview",
        f"{base}/chapters/new",
        f"{base}/chapters/manage",
        f"{base}/chapters/{chapter.pk}/edit",
        f"{base}/chapters/{chapter.pk}/delete",
        f"{base}/chapters/{chapter.pk}/preview",
    ]


def post_data(url):
    if "/chapters/new" in url or url.endswith("/edit") and "/chapters/" in url:
        return chapter_data()
    if url.endswith("/edit"):
        return work_data()
    return {"post_button": "1"}


@pytest.mark.parametrize("state", ["draft", "posted"])
def test_other_users_get_404_on_every_posting_url(secret, state):
    if state == "posted":
        Work.objects.filter(pk=secret.pk).update(posted=True)
        Chapter.objects.filter(work=secret).update(posted=True)
    client = Client()
    client.force_login(make_user())
    for url in posting_urls(secret):
        for method in ("get", "post"):
            data = post_data(url) if method == "post" else None
            response = getattr(client, method)(url, data)
            assert response.status_code == 404, (method, url)
            body = response.content.decode()
            assert SECRET_TITLE not in body and SECRET_TEXT not in body, (method, url)
    secret.refresh_from_db()
    assert secret.title == SECRET_TITLE
    assert secret.chapters.count() == 2


def test_guests_are_sent_to_log_in_and_learn_nothing(client, secret):
    for url in posting_urls(secret):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith("/users/login?next=")
            assert SECRET_TITLE not in response.content.decode()
    assert Work.objects.filter(pk=secret.pk).exists()


def test_moderators_cannot_edit_works_they_did_not_write(secret, moderator):
    client = Client()
    client.force_login(moderator)
    for url in posting_urls(secret):
        assert client.get(url).status_code == 404, url


def test_a_chapter_of_another_work_is_404_even_for_an_author(author_client, author, secret):
    mine = make_work(creator=author)
    foreign = make_work(title="Foreign")
    chapter = foreign.chapters.get()
    for suffix in ("edit", "delete", "preview"):
        url = f"/works/{mine.pk}/chapters/{chapter.pk}/{suffix}"
        assert author_client.get(url).status_code == 404, url


def test_every_creator_may_edit(secret):
    from works.models import WorkCreator

    co_author = make_user()
    WorkCreator.objects.create(
        work=secret, user=co_author, pseud=co_author.pseuds.get(), position=1
    )
    client = Client()
    client.force_login(co_author)
    for url in posting_urls(secret):
        assert client.get(url).status_code == 200, url
