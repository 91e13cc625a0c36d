"""Anonymous and unrevealed collections keep their secrets on every page type: the work page,
its chapters, the entire work, the chapter index, the download, every listing (/works, tags,
collections, series, search, home), the user and pseud pages, and the tag feeds. Their
creators and the collection's staff see everything; revealing lifts the secrets."""

import pytest
from django.urls import NoReverseMatch, reverse

from tags.models import Tag, TagType
from tags.services import tag_set_canonical
from tests.factories import make_chapter, make_user, make_work
from tests.responses import body
from tests.works.markup import parse, select, select_one, text
from works.models import Work
from works.models.visibility import is_anonymous, is_unrevealed
from works.services import collections as cs
from works.services import posting as services

pytestmark = pytest.mark.django_db

LOGIN = "quill_of_the_harbour"
TITLE = "Lantern Under Saltwater"
SUMMARY = "A summary about a brass compass"
BODY = "The keeper wound the foghorn twice."
FANDOM = "Quiet Coast Chronicles"
SERIES = "Harbour Keeper Cycle"


class Scene:
    """A work with two chapters, in a series of its author's, in a collection that keeps
    secrets (anonymous and/or unrevealed), run by someone else."""

    def __init__(self, *, anonymous=False, unrevealed=False):
        self.author = make_user(username=LOGIN)
        self.owner = make_user(username="festival_runner")
        self.staff = make_user(username="festival_helper")
        self.collection = cs.collection_create(
            owner=self.owner,
            fields={
                "name": "secret_fest",
                "title": "Secret Fest",
                "is_anonymous": anonymous,
                "is_unrevealed": unrevealed,
            },
            moderators=[self.staff],
        )
        self.work = make_work(
            creator=self.author,
            title=TITLE,
            summary=SUMMARY,
            tags={TagType.FANDOM: [FANDOM]},
            chapters=1,
            expected_chapters=2,
        )
        make_chapter(self.work, body=BODY, title="Second Light")
        self.fandom = Tag.objects.get(name=FANDOM)
        tag_set_canonical(tag=self.fandom)
        self.series = services.series_create(creator=self.author, title=SERIES)
        services.work_set_series(work=self.work, series=[self.series])
        cs.collection_add_work(collection=self.collection, work=self.work, user=self.author)
        self.chapter = self.work.chapters.order_by("position").last()

    def urls(self):
        work, login = self.work, self.author.username
        urls = {
            "work": f"/works/{work.pk}",
            "chapter": f"/works/{work.pk}/chapters/{self.chapter.pk}",
            "entire": f"/works/{work.pk}?view_full_work=true",
            "navigate": f"/works/{work.pk}/navigate",
            "download": f"/downloads/{work.pk}/Lantern.html?updated_at=1",
            "works": "/works",
            "home": "/",
            "tag_works": f"/tags/{FANDOM}/works",
            "tag_page": f"/tags/{FANDOM}",
            "feed": f"/tags/{self.fandom.pk}/feed.atom",
            "user": f"/users/{login}",
            "user_works": f"/users/{login}/works",
            "pseud": f"/users/{login}/pseuds/{login}",
            "series": f"/series/{self.series.pk}",
            "collection": "/collections/secret_fest",
            "collection_works": "/collections/secret_fest/works",
            "collection_fandoms": "/collections/secret_fest/fandoms",
        }
        try:
            urls["search"] = reverse("works:search") + "?work_search%5Bquery%5D=Lantern"
        except NoReverseMatch:  # the search page is another issue's; checked once it exists
            pass
        return urls


def _body(client, url):
    response = client.get(url, {"view_adult": "true"} if "?" not in url else None)
    assert response.status_code in (200, 302, 404), url
    return body(response).decode()


def _viewers(scene):
    return {"guest": None, "reader": make_user()}


PAGES = [
    "work",
    "chapter",
    "entire",
    "navigate",
    "download",
    "works",
    "home",
    "tag_works",
    "tag_page",
    "feed",
    "user",
    "user_works",
    "pseud",
    "series",
    "collection",
    "collection_works",
    "collection_fandoms",
    "search",
]


def _login(client, viewer):
    if viewer is None:
        client.logout()
    else:
        client.force_login(viewer)


@pytest.mark.parametrize("viewer", ["guest", "reader"])
@pytest.mark.parametrize("page", PAGES)
def test_anonymous_work_never_names_its_creator(client, page, viewer):
    scene = Scene(anonymous=True)
    urls = scene.urls()
    if page not in urls:
        assert page == "search"
        return
    _login(client, _viewers(scene)[viewer])
    body = _body(client, urls[page])
    assert SERIES not in body  # its series would name the creator
    if page in ("user", "user_works", "pseud", "series"):
        assert TITLE not in body  # pages about the creator do not list it at all
    else:
        assert LOGIN not in body


@pytest.mark.parametrize("page", ["work", "works", "tag_works", "collection_works", "feed"])
def test_anonymous_work_is_shown_as_by_anonymous(client, page):
    scene = Scene(anonymous=True)
    body = _body(client, scene.urls()[page])
    assert TITLE in body
    assert "Anonymous" in body


def test_anonymous_byline_is_not_a_link(client):
    scene = Scene(anonymous=True)
    root = parse(client.get(scene.work.get_absolute_url(), {"view_adult": "true"}).content)
    byline = select_one(root, "h3.byline")
    assert text(byline) == "Anonymous"
    assert not select(byline, "a")
    assert not select(root, "dd.series")


@pytest.mark.parametrize("viewer", ["guest", "reader"])
@pytest.mark.parametrize("page", PAGES)
def test_unrevealed_work_keeps_title_summary_text_and_creator_secret(client, page, viewer):
    scene = Scene(unrevealed=True)
    urls = scene.urls()
    if page not in urls:
        assert page == "search"
        return
    _login(client, _viewers(scene)[viewer])
    body = _body(client, urls[page])
    secrets = [TITLE, SUMMARY, BODY, SERIES, "Second Light"]
    if page not in ("user", "user_works", "pseud"):
        secrets.append(LOGIN)
    for secret in secrets:
        assert secret not in body, f"{secret!r} leaked at {page}"
    if page not in ("tag_page", "tag_works", "feed"):
        assert FANDOM not in body


def test_unrevealed_work_page_says_mystery_work_and_download_is_not_found(client):
    scene = Scene(unrevealed=True)
    body = client.get(scene.work.get_absolute_url()).content.decode()
    assert "Mystery Work" in body and "Secret Fest" in body
    download = client.get(scene.urls()["download"])
    assert download.status_code == 404
    profile = parse(client.get("/collections/secret_fest").content)
    assert text(select_one(profile, "li.mystery.blurb h4")) == "Mystery Work"
    listing = client.get("/collections/secret_fest/works").content.decode()
    assert "1 mystery work here will be revealed soon." in listing


@pytest.mark.parametrize("who", ["author", "owner", "staff"])
def test_creators_and_collection_staff_see_everything(client, who):
    scene = Scene(anonymous=True, unrevealed=True)
    client.force_login(getattr(scene, who))
    work_page = client.get(scene.work.get_absolute_url(), {"view_adult": "true"})
    body = work_page.content.decode()
    assert TITLE in body and LOGIN in body
    assert TITLE in client.get("/collections/secret_fest/works").content.decode()
    assert TITLE in client.get("/works").content.decode()


def test_revealing_lifts_the_secrets(client):
    scene = Scene(anonymous=True, unrevealed=True)
    client.force_login(scene.staff)
    page = client.get("/collections/secret_fest").content.decode()
    assert "Reveal works" in page and "Reveal authors" in page
    client.post("/collections/secret_fest/reveal", {"reveal_works": ""})
    client.logout()
    body = client.get("/works").content.decode()
    assert TITLE in body and LOGIN not in body
    client.force_login(scene.owner)
    client.post("/collections/secret_fest/reveal", {"reveal_authors": ""})
    client.logout()
    for url in ("/works", f"/users/{LOGIN}/works", scene.work.get_absolute_url()):
        body = client.get(url, {"view_adult": "true"}).content.decode()
        assert TITLE in body and LOGIN in body


def test_an_invitation_not_yet_accepted_keeps_no_secret(client):
    """A collection cannot hide someone's work (or their name) by inviting it."""
    owner = make_user()
    collection = cs.collection_create(
        owner=owner,
        fields={"name": "hush", "title": "Hush", "is_anonymous": True, "is_unrevealed": True},
    )
    author = make_user(username="open_author")
    work = make_work(creator=author, title="Plain Sight")
    cs.collection_invite_work(collection=collection, work=work, moderator=owner)
    body = client.get("/works").content.decode()
    assert "Plain Sight" in body and "open_author" in body


def test_helpers_for_other_features(client):
    scene = Scene(anonymous=True, unrevealed=True)
    work = Work.objects.prefetch_related("collection_items__collection", "creators").get(
        pk=scene.work.pk
    )
    assert is_anonymous(work) and is_unrevealed(work)
    assert not is_anonymous(work, scene.author) and not is_unrevealed(work, scene.staff)
    assert not Work.objects.without_secrets_from(None).exists()
    assert Work.objects.without_secrets_from(scene.owner).get() == scene.work


def _page_after_more_secret_works(client, scene, path, more, max_queries):
    """`path` read once, then again with `more` anonymous works added: no more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(path)
    for n in range(more):
        work = make_work(creator=scene.author, title=f"More Anonymous {n}")
        cs.collection_add_work(collection=scene.collection, work=work, user=scene.author)
    with max_queries(len(one.captured_queries)):
        return client.get(path).content.decode()


def test_listing_queries_stay_fixed_with_secret_works(client, django_assert_max_num_queries):
    scene = Scene(anonymous=True)
    _page_after_more_secret_works(client, scene, "/works", 5, django_assert_max_num_queries)


def test_anonymous_listing_queries_do_not_grow_for_a_logged_in_reader(
    client, django_assert_max_num_queries
):
    scene = Scene(anonymous=True)
    client.force_login(make_user())
    body = _page_after_more_secret_works(
        client, scene, "/collections/secret_fest/works", 6, django_assert_max_num_queries
    )
    assert body.count("Anonymous") >= 7 and LOGIN not in body


@pytest.mark.parametrize("setting", ["is_anonymous", "is_unrevealed"])
def test_subscribers_of_the_author_hear_nothing_of_a_secret_work(setting):
    from archive.models import InboxItem
    from works.services import feedback

    author, follower = make_user(username="secret_poster"), make_user()
    feedback.subscription_add(user=follower, author=author)
    collection = cs.collection_create(
        owner=make_user(), fields={"name": "hush", "title": "Hush", setting: True}
    )
    services.work_create(
        creator=author,
        fields={"title": "Posted In Secret", "expected_chapters": 1},
        tag_names={
            "rating": ["General Audiences"],
            "warning": ["No Archive Warnings Apply"],
            "fandom": ["Quiet Coast"],
        },
        chapter={"body": "Quiet words."},
        collections=[collection],
    )
    assert not InboxItem.objects.filter(recipient=follower).exists()
    make_work(creator=author, title="Posted In The Open")
    assert InboxItem.objects.filter(recipient=follower, kind="work").count() == 1


def test_a_creators_comment_on_their_anonymous_work_is_bylined_anonymous_creator(client):
    from works.services import feedback

    scene = Scene(anonymous=True)
    chapter = scene.work.chapters.order_by("position").first()
    comment = feedback.comment_add(chapter=chapter, user=scene.author, content="Thank you all.")
    reader = make_user(username="curious_reader")
    reader_comment = feedback.comment_add(chapter=chapter, user=reader, content="Lovely.")
    client.force_login(make_user())
    for url in (f"/works/{scene.work.pk}?view_full_work=true", comment.get_absolute_url()):
        body = client.get(url).content.decode()
        assert "Thank you all." in body and "Anonymous Creator" in body, url
        assert LOGIN not in body, url
    assert "curious_reader" in client.get(reader_comment.get_absolute_url()).content.decode()
    client.force_login(scene.author)
    assert LOGIN in client.get(comment.get_absolute_url()).content.decode()


def test_a_creators_reply_reaches_the_reader_without_their_name(
    client, django_capture_on_commit_callbacks
):
    from django.core import mail

    from works.services import feedback

    scene = Scene(anonymous=True)
    chapter = scene.work.chapters.order_by("position").first()
    reader = make_user(username="curious_reader")
    question = feedback.comment_add(chapter=chapter, user=reader, content="Who wrote this?")
    with django_capture_on_commit_callbacks(execute=True):
        feedback.comment_add(
            chapter=chapter, user=scene.author, content="A secret.", parent=question
        )
    client.force_login(reader)
    inbox = client.get(f"/users/{reader.username}/inbox").content.decode()
    assert "A secret." in inbox and "Anonymous Creator" in inbox
    assert LOGIN not in inbox
    to_reader = [m for m in mail.outbox if m.to == [reader.email]]
    assert to_reader and all(LOGIN not in m.body + m.subject for m in to_reader)
