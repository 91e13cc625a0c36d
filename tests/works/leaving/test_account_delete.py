"""Deleting an account (/users/<login>/delete, works/services/leaving.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from archive.models import AccountDeletion, Block, InboxItem, Mute
from tests.factories import PASSWORD, make_user, make_work
from works.models import (
    Bookmark,
    Collection,
    Comment,
    Kudos,
    Reading,
    Series,
    SeriesWork,
    Subscription,
    Work,
    WorkCreator,
    WorkStats,
)

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def leaver():
    return make_user(username="leaver", email="leaver-private@example.org")


def _world(leaver, reader):
    """The leaver's works (sole, shared, draft), series, collection and private data."""
    sole = make_work(creator=leaver, title="Sole Work Of Leaver")
    shared = make_work(creator=leaver, title="Shared Work")
    WorkCreator.objects.create(
        work=shared, user=reader, pseud=reader.pseuds.get(is_default=True), position=1
    )
    draft = make_work(creator=leaver, post=False, title="Leaver Draft")
    series = Series.objects.create(title="Leaver Series")
    series.creators.add(leaver)
    SeriesWork.objects.create(series=series, work=sole)
    collection = Collection.objects.create(name="leaver_fest", title="Leaver Fest", owner=leaver)
    theirs = make_work(creator=reader, title="Reader Work")
    chapter = theirs.chapters.get()
    comment = Comment.objects.create(
        work=theirs, chapter=chapter, user=leaver, content="A kept remark."
    )
    Kudos.objects.create(work=theirs, user=leaver)
    Bookmark.objects.create(
        work=theirs, user=leaver, notes="private thoughts", pseud=leaver.pseuds.get(is_default=True)
    )
    Subscription.objects.create(user=leaver, kind=Subscription.Kind.WORK, work=theirs)
    WorkStats.objects.filter(work=theirs).update(kudos=1, bookmarks=1, subscriptions=1)
    Reading.objects.create(user=leaver, work=theirs)
    Block.objects.create(blocker=leaver, blocked=reader)
    Mute.objects.create(muter=leaver, muted=reader)
    InboxItem.objects.create(recipient=leaver, kind=InboxItem.Kind.WORK, work=theirs)
    return {
        "sole": sole,
        "shared": shared,
        "draft": draft,
        "series": series,
        "collection": collection,
        "theirs": theirs,
        "comment": comment,
    }


def test_the_page_warns_and_a_wrong_password_deletes_nothing(leaver):
    client = _client(leaver)
    page = client.get("/users/leaver/delete").content.decode()
    assert "Deleting your account cannot be undone." in page
    response = client.post("/users/leaver/delete", {"works": "orphan", "password": "nope"})
    assert response.status_code == 200
    assert "That is not your password" in response.content.decode()
    assert 'value="orphan" required id="id_works_0" checked' in response.content.decode()
    assert get_user_model().objects.filter(username="leaver").exists()


def test_deleting_with_orphaned_works(leaver, reader):
    world = _world(leaver, reader)
    client = _client(leaver)
    response = client.post(
        "/users/leaver/delete",
        {"works": "orphan", "keep_name": "on", "password": PASSWORD},
        follow=True,
    )
    assert "Your account has been deleted." in response.content.decode()
    assert not response.context["user"].is_authenticated
    assert not get_user_model().objects.filter(username="leaver").exists()
    assert not get_user_model().objects.filter(email="leaver-private@example.org").exists()

    sole = WorkCreator.objects.get(work=world["sole"])
    assert (sole.user.username, sole.pseud.name) == ("orphan_account", "leaver")
    assert [c.user for c in WorkCreator.objects.filter(work=world["shared"])] == [reader]
    assert not Work.objects.filter(pk=world["draft"].pk).exists()
    assert [u.username for u in world["series"].creators.all()] == ["orphan_account"]
    assert Collection.objects.get(pk=world["collection"].pk).owner.username == "orphan_account"

    # The comment stays, "Account Deleted"; the private rows are gone; counters follow.
    comment = Comment.objects.get(pk=world["comment"].pk)
    assert comment.user is None and comment.is_by_deleted_account
    thread = Client().get(f"/works/{world['theirs'].pk}").content.decode()
    assert "A kept remark." in thread and "Account Deleted" in thread
    assert "(Guest)" not in thread
    for model in (Kudos, Bookmark, Subscription, Reading):
        assert not model.objects.filter(work=world["theirs"]).exists()
    assert not Block.objects.exists() and not Mute.objects.exists()
    assert not InboxItem.objects.filter(work=world["theirs"]).exists()
    stats = WorkStats.objects.get(work=world["theirs"])
    assert (stats.kudos, stats.bookmarks, stats.subscriptions) == (0, 0, 0)

    log = AccountDeletion.objects.get()
    assert (log.login, log.works_orphaned, log.works_deleted) == ("leaver", 1, 1)
    assert (log.works_left_to_co_creators, log.comments_kept) == (1, 1)
    assert "leaver-private@example.org" not in repr(vars(log))


def test_deleting_with_deleted_works(leaver, reader):
    world = _world(leaver, reader)
    _client(leaver).post("/users/leaver/delete", {"works": "delete", "password": PASSWORD})
    assert not Work.objects.filter(pk__in=[world["sole"].pk, world["draft"].pk]).exists()
    assert Work.objects.filter(pk=world["shared"].pk).exists()
    assert not Series.objects.filter(pk=world["series"].pk).exists()
    log = AccountDeletion.objects.get()
    assert (log.works_orphaned, log.works_deleted, log.works_left_to_co_creators) == (0, 2, 1)


def test_the_guest_page_of_a_commented_work_forgets_the_deleted_commenter(leaver, reader):
    world = _world(leaver, reader)
    guest = Client()
    assert "leaver" in guest.get(f"/works/{world['theirs'].pk}").content.decode()  # cached
    _client(leaver).post("/users/leaver/delete", {"works": "delete", "password": PASSWORD})
    page = guest.get(f"/works/{world['theirs'].pk}").content.decode()
    assert "Account Deleted" in page and "/users/leaver" not in page


def test_nobody_else_can_delete_an_account(leaver, reader):
    for client in (_client(reader), Client()):
        response = client.post("/users/leaver/delete", {"works": "delete", "password": PASSWORD})
        assert response.status_code in {302, 404}
        if response.status_code == 302:
            assert "/users/login" in response["Location"]
    assert get_user_model().objects.filter(username="leaver").exists()


def test_moderators_see_the_log_read_only(leaver, reader):
    _client(leaver).post("/users/leaver/delete", {"works": "orphan", "password": PASSWORD})
    admin = make_user(username="chiefmod", is_staff=True, is_superuser=True)
    client = _client(admin)
    page = client.get("/admin/archive/accountdeletion/").content.decode()
    assert "leaver" in page
    entry = AccountDeletion.objects.get()
    change = client.get(f"/admin/archive/accountdeletion/{entry.pk}/change/").content.decode()
    assert 'name="_save"' not in change
    orphaned = client.get("/admin/works/work/?orphaned=yes").content.decode()
    assert "Sole Work" not in orphaned  # leaver had no works here
    make_work(creator=reader, title="Kept By Orphan")
    from works.services import orphans

    orphans.all_works_orphan(user=reader, keep_name=False)
    orphaned = client.get("/admin/works/work/?orphaned=yes").content.decode()
    assert "Kept By Orphan" in orphaned
    assert "Kept By Orphan" not in client.get("/admin/works/work/?orphaned=no").content.decode()
