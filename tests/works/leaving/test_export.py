"""Exporting an account (/users/<login>/export, works/services/exports.py and
works/downloads/account.py): asked for with a POST, built on the task queue, downloadable by
its owner only, for a limited time; every file of the ZIP is checked."""

import datetime
import io
import json
import zipfile

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone

from archive.models import Block, Mute
from tests.factories import make_chapter, make_user, make_work
from tests.responses import body
from tests.works.downloads import ebooks
from works.models import (
    AccountExport,
    Bookmark,
    Comment,
    ExcludedTag,
    Kudos,
    Reading,
    Subscription,
)
from works.services import exports, leaving, posting

pytestmark = pytest.mark.django_db

SECRET = "Vermilion cipher sentence nobody else may read"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(author, reader):
    """The author's works (posted, a draft, a draft chapter) and feedback on others' works:
    a restricted one they may read, one a moderator hid, and another reader's private
    bookmark of the author's work."""
    posted = make_work(creator=author, title="Harbour Songs", chapters=2)
    make_chapter(posted, post=False, title="Unposted Coda", body="The draft coda speaks.")
    draft = make_work(creator=author, post=False, title="Quiet Draft")
    restricted = make_work(creator=reader, title="Members Only Tale", restricted=True)
    hidden = make_work(creator=reader, title="Hidden Away Tale")
    posting.work_update(work=hidden, fields={"hidden_by_moderator": True})
    Comment.objects.create(
        work=restricted,
        chapter=restricted.chapters.get(),
        user=author,
        content="My remark on the tale.",
    )
    Comment.objects.create(
        work=posted, chapter=posted.chapters.first(), user=reader, content=SECRET
    )
    Bookmark.objects.create(
        user=author, work=restricted, notes="My own note", pseud=author.pseuds.get(is_default=True)
    )
    Bookmark.objects.create(
        user=author,
        work=hidden,
        notes="Note on a vanished work",
        pseud=author.pseuds.get(is_default=True),
    )
    Bookmark.objects.create(
        user=reader,
        work=posted,
        notes=SECRET,
        is_private=True,
        pseud=reader.pseuds.get(is_default=True),
    )
    Kudos.objects.create(user=author, work=restricted)
    Reading.objects.create(user=author, work=restricted, visit_count=3, marked_for_later=True)
    Subscription.objects.create(user=author, kind=Subscription.Kind.AUTHOR, author=reader)
    Block.objects.create(blocker=author, blocked=make_user(username="pest"))
    Mute.objects.create(muter=author, muted=make_user(username="noisy"))
    ExcludedTag.objects.create(user=author, tag=posted.tags.get(type="fandom"))
    return {"posted": posted, "draft": draft, "restricted": restricted, "hidden": hidden}


def _export_zip(client, login="author") -> zipfile.ZipFile:
    response = client.get(f"/users/{login}/export/download")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return zipfile.ZipFile(io.BytesIO(body(response)))


def test_export_is_asked_for_built_and_downloaded(author, world, tmp_path):
    client = _client(author)
    page = client.get("/users/author/export").content.decode()
    assert "Prepare a new export" in page
    assert client.get("/users/author/export/download").status_code == 404  # nothing yet
    response = client.post("/users/author/export", follow=True)
    page = response.content.decode()
    # The test suite's task backend runs the build at once: the link is there.
    assert "Your export is being prepared." in page
    assert "Download your export (ZIP)" in page
    assert mail.outbox and "/users/author/export" in mail.outbox[-1].body

    archive = _export_zip(client)
    names = set(archive.namelist())
    json_files = {
        "works.json",
        "bookmarks.json",
        "comments.json",
        "kudos.json",
        "history.json",
        "subscriptions.json",
        "preferences.json",
    }
    assert json_files | {"README.txt"} <= names
    readme = archive.read("README.txt").decode()
    for name in json_files | {"works/"}:
        assert name in readme

    works = {w["title"]: w for w in json.loads(archive.read("works.json"))}
    assert set(works) == {"Harbour Songs", "Quiet Draft"}
    assert works["Quiet Draft"]["posted"] is False
    assert works["Harbour Songs"]["chapters"] == 3  # the draft chapter too
    files = {f for w in works.values() for f in w["files"]}
    assert files == {n for n in names if n.startswith("works/")}
    html = archive.read(next(f for f in works["Harbour Songs"]["files"] if f.endswith(".html")))
    assert b"The draft coda speaks." in html
    draft_epub = next(f for f in works["Quiet Draft"]["files"] if f.endswith(".epub"))
    path = tmp_path / "draft.epub"
    path.write_bytes(archive.read(draft_epub))
    ebooks.epubcheck(path)
    assert "Quiet Draft" in ebooks.all_text(path)

    bookmarks = {b["notes"]: b for b in json.loads(archive.read("bookmarks.json"))}
    assert bookmarks["My own note"]["title"] == "Members Only Tale"
    # A work the author can no longer see keeps only its id and their own note.
    vanished = bookmarks["Note on a vanished work"]
    assert vanished["title"] is None and vanished["url"] is None
    assert vanished["work_id"] == world["hidden"].pk

    comments = json.loads(archive.read("comments.json"))
    assert [c["text"] for c in comments] == ["My remark on the tale."]
    kudos = json.loads(archive.read("kudos.json"))
    assert [k["title"] for k in kudos] == ["Members Only Tale"]
    history = json.loads(archive.read("history.json"))
    assert history[0]["visits"] == 3 and history[0]["marked_for_later"] is True
    subscriptions = json.loads(archive.read("subscriptions.json"))
    assert subscriptions[0]["kind"] == "author" and subscriptions[0]["name"] == "reader"
    preferences = json.loads(archive.read("preferences.json"))
    assert preferences["login"] == "author" and preferences["email"] == "author@example.org"
    assert preferences["blocked_users"] == ["pest"] and preferences["muted_users"] == ["noisy"]
    assert len(preferences["excluded_tags"]) == 1

    # Nothing of other people's private data, nor the text of their works.
    everything = b"".join(archive.read(n) for n in names)
    for epub_name in (n for n in names if n.endswith(".epub")):
        with zipfile.ZipFile(io.BytesIO(archive.read(epub_name))) as book:
            everything += b"".join(book.read(n) for n in book.namelist())
    assert SECRET.encode() not in everything
    assert b"Hidden Away Tale" not in everything
    assert b"reader@example.org" not in everything
    assert b"told plainly" in everything  # the author's own text is there
    restricted_text = world["restricted"].chapters.get().body.encode()
    assert restricted_text not in everything


def test_only_the_owner_sees_or_downloads_an_export(author, reader, world):
    _client(author).post("/users/author/export")
    for client in (_client(reader), Client()):
        for url in ("/users/author/export", "/users/author/export/download"):
            response = client.get(url)
            assert response.status_code in {302, 404}
            if response.status_code == 302:
                assert "/users/login" in response["Location"]
        client.post("/users/author/export")
    assert AccountExport.objects.count() == 1


def test_an_export_being_prepared_is_not_built_twice(author, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = _client(author)
    client.post("/users/author/export")
    page = client.post("/users/author/export", follow=True).content.decode()
    assert AccountExport.objects.count() == 1
    assert "being prepared" in page and "Prepare a new export" not in page
    assert client.get("/users/author/export/download").status_code == 404
    exports.account_export_build(AccountExport.objects.get().pk)
    assert "Download your export (ZIP)" in client.get("/users/author/export").content.decode()


def test_an_expired_export_is_gone(author):
    client = _client(author)
    client.post("/users/author/export")
    export = AccountExport.objects.get()
    path = export.path
    assert exports.storage().exists(path)
    AccountExport.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get("/users/author/export/download").status_code == 404
    assert "has expired" in client.get("/users/author/export").content.decode()
    exports.exports_expire()
    assert not exports.storage().exists(path)


def test_deleting_the_account_deletes_its_export_files(author, django_capture_on_commit_callbacks):
    _client(author).post("/users/author/export")
    path = AccountExport.objects.get().path
    # A deletion that rolls back leaves the file.
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            leaving.account_delete(user=author, orphan_works=True)
            raise RuntimeError("rolled back")
    assert exports.storage().exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        leaving.account_delete(user=author, orphan_works=True)
    assert not exports.storage().exists(path)
