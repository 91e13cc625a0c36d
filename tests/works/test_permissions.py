"""Drafts, works hidden by moderators and restricted works leak nothing, on every URL that
shows a work: the page, a chapter, the entire work, the chapter index, the download, and the
/works, series and collection listings."""

import pytest

from tests.factories import make_user, make_work
from tests.responses import body
from works.models import Collection, Work
from works.services import posting as services

pytestmark = pytest.mark.django_db


WORK_URLS = ["page", "chapter", "full", "navigate", "download"]
LIST_URLS = ["listing", "series", "collection", "collection_works"]


class Scene:
    """One public work and one secret work by the same author, both in one series and one
    collection, so that every list page exists and the secret one must be left out."""

    def __init__(self, author, kind):
        self.author = author
        self.series = services.series_create(creator=author, title="Shoreline Cycle")
        self.collection = Collection.objects.create(
            name="shoreline_gathering", title="Shoreline Gathering", owner=author
        )
        self.public = make_work(creator=author, title="Plainly Public Beacon")
        self.secret = self._make_secret(kind)
        for work in (self.public, self.secret):
            services.work_set_series(work=work, series=[self.series])
            services.work_set_collections(work=work, collections=[self.collection])
        chapters = list(self.secret.chapters.order_by("position"))
        self.secret_chapter = chapters[1]

    def _make_secret(self, kind):
        post = kind != "draft"
        work = services.work_create(
            creator=self.author,
            fields={
                "title": "Quietly Kept Lighthouse Secret",
                "summary": "A summary about the brass key under the stairs.",
                "expected_chapters": 2,
                "restricted": kind == "restricted",
            },
            tag_names={
                "rating": ["General Audiences"],
                "warning": ["No Archive Warnings Apply"],
                "fandom": ["Shoreline Stories"],
            },
            chapter={"body": "Text of the tidewater confession, first part."},
            post=post,
        )
        services.chapter_add(
            work=work,
            fields={"title": "Saltmarsh Reveal", "body": "The second part of the confession."},
            post=post,
        )
        if kind == "hidden":
            Work.objects.filter(pk=work.pk).update(hidden_by_moderator=True)
        return Work.objects.get(pk=work.pk)

    def url(self, name):
        secret = self.secret
        return {
            "page": f"/works/{secret.pk}",
            "chapter": f"/works/{secret.pk}/chapters/{self.secret_chapter.pk}",
            "full": f"/works/{secret.pk}?view_full_work=true",
            "navigate": f"/works/{secret.pk}/navigate",
            "download": f"/downloads/{secret.pk}/Quietly_Kept.html?updated_at=1",
            "listing": "/works",
            "series": f"/series/{self.series.pk}",
            "collection": f"/collections/{self.collection.name}",
            "collection_works": f"/collections/{self.collection.name}/works",
        }[name]


SECRETS = ("Quietly Kept", "brass key", "tidewater confession", "Saltmarsh", "second part")


def assert_leaks_nothing(response):
    page = body(response).decode()
    for secret in SECRETS:
        assert secret not in page, f"{secret!r} leaked at {response.request['PATH_INFO']}"


def login(client, who, scene, moderator=None):
    if who == "guest":
        client.logout()
    elif who == "other":
        client.force_login(make_user())
    elif who == "creator":
        client.force_login(scene.author)
    elif who == "moderator":
        client.force_login(moderator)


@pytest.mark.parametrize("kind", ["draft", "hidden"])
@pytest.mark.parametrize("who", ["guest", "other"])
@pytest.mark.parametrize("name", WORK_URLS)
def test_drafts_and_hidden_works_answer_404_to_others(client, author, kind, who, name):
    scene = Scene(author, kind)
    login(client, who, scene)
    response = client.get(scene.url(name))
    assert response.status_code == 404
    assert_leaks_nothing(response)


@pytest.mark.parametrize("kind", ["draft", "hidden", "restricted"])
@pytest.mark.parametrize("who", ["guest", "other"])
@pytest.mark.parametrize("name", LIST_URLS)
def test_lists_leave_out_what_the_reader_may_not_see(client, author, kind, who, name):
    scene = Scene(author, kind)
    login(client, who, scene)
    response = client.get(scene.url(name))
    if name == "series" and kind == "restricted" and who == "guest":
        # A series is restricted as soon as one of its works is: guests log in first.
        assert response.status_code == 302 and "/users/login" in response["Location"]
        assert_leaks_nothing(response)
        return
    assert response.status_code == 200
    assert "Plainly Public Beacon" in body(response).decode()
    if kind == "restricted" and who == "other":
        assert "Quietly Kept Lighthouse Secret" in body(response).decode()
    else:
        assert_leaks_nothing(response)


@pytest.mark.parametrize("name", WORK_URLS)
def test_restricted_work_sends_guests_to_log_in(client, author, name):
    scene = Scene(author, "restricted")
    url = scene.url(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/users/login?next=")
    assert_leaks_nothing(response)


@pytest.mark.parametrize("name", WORK_URLS)
def test_restricted_work_is_readable_when_logged_in(client, author, name):
    scene = Scene(author, "restricted")
    client.force_login(make_user())
    response = client.get(scene.url(name))
    assert response.status_code == 200
    assert "Quietly Kept" in body(response).decode()


@pytest.mark.parametrize("name", ["page", "chapter", "full", "navigate"])
def test_creator_reads_their_own_draft(client, author, name):
    scene = Scene(author, "draft")
    client.force_login(author)
    response = client.get(scene.url(name))
    assert response.status_code == 200
    assert "Quietly Kept Lighthouse Secret" in body(response).decode()


def test_drafts_are_never_downloaded_or_listed_even_for_their_creator(client, author):
    scene = Scene(author, "draft")
    client.force_login(author)
    assert client.get(scene.url("download")).status_code == 404
    for name in LIST_URLS:
        assert "Quietly Kept" not in body(client.get(scene.url(name))).decode()


@pytest.mark.parametrize("who", ["creator", "moderator"])
@pytest.mark.parametrize("name", WORK_URLS + LIST_URLS)
def test_creator_and_moderators_see_a_hidden_work(client, author, moderator, who, name):
    scene = Scene(author, "hidden")
    login(client, who, scene, moderator)
    response = client.get(scene.url(name))
    assert response.status_code == 200
    assert "Quietly Kept Lighthouse Secret" in body(response).decode()


@pytest.mark.parametrize("name", WORK_URLS)
def test_moderators_do_not_see_other_peoples_drafts(client, author, moderator, name):
    scene = Scene(author, "draft")
    client.force_login(moderator)
    response = client.get(scene.url(name))
    assert response.status_code == 404
    assert_leaks_nothing(response)


def test_a_series_of_nothing_but_secrets_is_not_found(client, author):
    series = services.series_create(creator=author, title="Entirely Unseen Sequence")
    draft = make_work(creator=author, post=False)
    services.work_set_series(work=draft, series=[series])
    response = client.get(f"/series/{series.pk}")
    assert response.status_code == 404
    assert "Entirely Unseen" not in body(response).decode()
    client.force_login(make_user())
    assert client.get(f"/series/{series.pk}").status_code == 404
    client.force_login(author)
    assert client.get(f"/series/{series.pk}").status_code == 200
