"""An anonymous collection hides every creator of a work: a co-creator who accepted and one
who is only invited are named on no page, chapter, download, listing, feed or search of an
anonymous work, nor do their own pages list it (issue 17)."""

import pytest

from tests.factories import make_user
from tests.works.test_collections_anonymity import PAGES, TITLE, Scene, _body, _login
from works.models import CreatorshipInvitation
from works.services import collections as cs
from works.services import creatorships

pytestmark = pytest.mark.django_db

ACCEPTED = "tidewater_partner"
INVITED = "lighthouse_guest_writer"


def _scene():
    scene = Scene(anonymous=True)
    accepted = make_user(username=ACCEPTED)
    invited = make_user(username=INVITED)
    creatorships.cocreators_invite(
        work=scene.work,
        inviter=scene.author,
        pseuds=[accepted.pseuds.get(), invited.pseuds.get()],
    )
    creatorships.creatorship_accept(invitation=CreatorshipInvitation.objects.get(user=accepted))
    assert scene.work.creator_ids() == {scene.author.pk, accepted.pk}
    # The second chapter is the accepted co-creator's own (a chapter byline elsewhere).
    creatorships.chapter_set_creators(
        chapter=scene.chapter, creatorships=scene.work.work_creators.filter(user=accepted)
    )
    assert scene.chapter.creatorships.exists()
    return scene


@pytest.mark.parametrize("viewer", ["guest", "reader"])
@pytest.mark.parametrize("page", PAGES)
def test_anonymous_work_names_no_cocreator(client, page, viewer):
    scene = _scene()
    urls = scene.urls()
    _login(client, None if viewer == "guest" else make_user())
    body = _body(client, urls[page])
    for name in (ACCEPTED, INVITED):
        assert name not in body, f"{name} at {page}"
    assert "Chapter by:" not in body


def test_the_same_work_outside_the_collection_shows_the_chapter_byline(client):
    scene = _scene()
    cs.item_remove(item=scene.work.collection_items.get(), user=scene.author)
    body = _body(client, scene.urls()["chapter"])
    assert f'Chapter by: <a href="/users/{ACCEPTED}/pseuds/{ACCEPTED}">{ACCEPTED}</a>' in body


@pytest.mark.parametrize("who", [ACCEPTED, INVITED])
@pytest.mark.parametrize("page", ["user", "user_works", "pseud"])
def test_cocreators_own_pages_do_not_list_the_anonymous_work(client, who, page):
    _scene()
    url = {"user": f"/users/{who}", "user_works": f"/users/{who}/works"}.get(
        page, f"/users/{who}/pseuds/{who}"
    )
    assert TITLE not in _body(client, url)
