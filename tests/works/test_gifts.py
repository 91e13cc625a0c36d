"""Gifts (issue 17): "Gift this work to" on the posting and edit forms, the recipient told
once the work is posted (inbox, and email by their preference), /users/<login>/gifts with
refusing, the "don't allow gifts" preference and blocks, and "For <name>" on the work page,
in blurbs and in downloads."""

import pytest
from django.core import mail

from archive.errors import Refused
from archive.models import Block, InboxItem
from archive.models.pseuds import Pseud
from tests.factories import make_user, make_work
from tests.works.markup import parse, select, select_one, text
from tests.works.test_posting_work import work_data
from works.models import Gift, Work
from works.services import collections as collection_services
from works.services import posting
from works.services.pseuds import pseud_create, pseud_delete

pytestmark = pytest.mark.django_db


def _give(work, *names, giver=None):
    posting.work_update(work=work, fields={}, recipients=list(names), editor=giver)


def _recipients_field(page):
    fields = [f for f in select(parse(page), "input") if f.get("name") == "work[recipients]"]
    assert len(fields) == 1
    return fields[0]


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_posting_form_gives_the_work_to_a_login_and_a_plain_name(author_client):
    friend = make_user(username="harbour_friend")
    response = author_client.post(
        "/works/new", work_data(**{"work[recipients]": "Harbour_Friend, Aunt Mae"})
    )
    assert response.status_code == 302
    work = Work.objects.get(title="The Lamp on the Pier")
    gifts = {(g.pseud_id, g.recipient_name) for g in work.gifts.all()}
    assert gifts == {(friend.pseuds.get().pk, ""), (None, "Aunt Mae")}
    page = parse(author_client.get(f"/works/{work.pk}").content)
    line = select_one(page, "div.preface div.notes ul.associations li")
    assert text(line) == "For harbour_friend, Aunt Mae."
    link = select_one(line, "a")
    assert link.get("href") == "/users/harbour_friend/gifts"


def test_a_pseud_name_or_pseud_and_login_resolves_to_that_pseud(author):
    friend = make_user(username="lighthouse")
    keeper = Pseud.objects.create(user=friend, name="Keeper of Lamps")
    other = make_user(username="seafarer")
    Pseud.objects.create(user=other, name="Mariner")
    Pseud.objects.create(user=make_user(username="sailor"), name="Mariner")
    work = make_work(creator=author)
    _give(work, "keeper of lamps", "Mariner (seafarer)", giver=author)
    assert {g.pseud for g in work.gifts.all()} == {keeper, other.pseuds.get(name="Mariner")}
    with pytest.raises(Refused) as refused:
        _give(work, "Mariner", giver=author)
    assert "Pseud (login)" in refused.value.message


def test_recipient_is_told_in_inbox_and_by_email_once_posted(
    author, django_capture_on_commit_callbacks
):
    friend = make_user(username="told_friend", email="friend@example.org")
    draft = make_work(creator=author, post=False, title="Tide Tables")
    with django_capture_on_commit_callbacks(execute=True):
        _give(draft, "told_friend", giver=author)
    assert not InboxItem.objects.filter(recipient=friend).exists()
    assert not [m for m in mail.outbox if "friend@example.org" in m.to]
    with django_capture_on_commit_callbacks(execute=True):
        posting.work_post(work=draft)
    item = InboxItem.objects.get(recipient=friend)
    assert item.kind == InboxItem.Kind.GIFT and item.work == draft
    sent = [m for m in mail.outbox if "friend@example.org" in m.to]
    assert len(sent) == 1 and "Tide Tables" in sent[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        posting.work_update(work=draft, fields={"title": "Tide Tables"}, recipients=["told_friend"])
    assert InboxItem.objects.filter(recipient=friend).count() == 1  # told once
    assert len([m for m in mail.outbox if "friend@example.org" in m.to]) == 1


def test_recipient_who_turned_off_gift_emails_gets_only_the_inbox_item(
    author, django_capture_on_commit_callbacks
):
    friend = make_user(username="quiet_friend", email="quiet@example.org", gift_emails=False)
    make_user(username="loud_friend", email="loud@example.org")
    work = make_work(creator=author)
    with django_capture_on_commit_callbacks(execute=True):
        _give(work, "quiet_friend", "loud_friend", giver=author)
    assert [m.to for m in mail.outbox] == [["loud@example.org"]]
    assert InboxItem.objects.filter(recipient=friend, kind="gift").count() == 1
    assert not [m for m in mail.outbox if "quiet@example.org" in m.to]


def test_inbox_shows_the_gift(client, author):
    friend = make_user(username="inbox_friend")
    work = make_work(creator=author, title="Shells on the Sill")
    _give(work, "inbox_friend", giver=author)
    client.force_login(friend)
    page = _page(client, "/users/inbox_friend/inbox")
    assert "A gift for you:" in page and "Shells on the Sill" in page


def test_user_who_allows_no_gifts_refuses_at_posting_and_the_form_keeps_the_text(
    author_client,
):
    make_user(username="no_gifts_please", disallow_gifts=True)
    data = work_data(**{"work[recipients]": "no_gifts_please, Aunt Mae"})
    response = author_client.post("/works/new", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "no_gifts_please does not accept gifts." in page
    field = _recipients_field(page)
    assert field.get("value") == "no_gifts_please, Aunt Mae"
    assert not Work.objects.filter(title="The Lamp on the Pier").exists()


def test_blocked_creator_cannot_gift_to_the_blocker(author_client, author):
    blocker = make_user(username="blocker")
    Block.objects.create(blocker=blocker, blocked=author)
    work = make_work(creator=author, title="Unwanted")
    data = work_data(**{"work[recipients]": "blocker", "title": "Unwanted"})
    response = author_client.post(f"/works/{work.pk}/edit", data)
    assert response.status_code == 200
    assert "blocker does not accept gifts from you." in response.content.decode()
    assert not Gift.objects.filter(work=work).exists()


def test_edit_form_shows_the_recipients_and_leaving_one_out_takes_the_gift_back(
    author_client, author
):
    make_user(username="kept_friend")
    work = make_work(creator=author)
    _give(work, "kept_friend", "Aunt Mae", giver=author)
    form = author_client.get(f"/works/{work.pk}/edit").content.decode()
    assert _recipients_field(form).get("value") == ("kept_friend, Aunt Mae")
    _give(work, "kept_friend", giver=author)
    assert [g.name for g in work.gifts.all()] == ["kept_friend"]


def test_blurbs_read_for_the_recipient(client, author):
    make_user(username="blurb_friend")
    work = make_work(creator=author, title="Blurbed Gift")
    _give(work, "blurb_friend", giver=author)
    page = parse(client.get("/works").content)
    heading = select_one(page, f"li#work_{work.pk} h4.heading")
    assert text(heading).endswith("by author for blurb_friend")


def test_gifts_page_lists_visible_gifts_only(client, author):
    friend = make_user(username="gift_owner")
    shown = make_work(creator=author, title="Open Gift")
    restricted = make_work(creator=author, title="Members Gift", restricted=True)
    draft = make_work(creator=author, title="Draft Gift", post=False)
    make_work(creator=author, title="Not a Gift")
    for work in (shown, restricted, draft):
        _give(work, "gift_owner", giver=author)
    page = _page(client, "/users/gift_owner/gifts")
    assert "Open Gift" in page
    for hidden in ("Members Gift", "Draft Gift", "Not a Gift"):
        assert hidden not in page
    client.force_login(make_user())
    page = _page(client, "/users/gift_owner/gifts")
    assert "Members Gift" in page and "Draft Gift" not in page
    assert "Refuse Gift" not in page  # only the recipient may refuse
    client.force_login(friend)
    assert "Refuse Gift" in _page(client, "/users/gift_owner/gifts")


def test_gifts_page_query_count_does_not_grow_with_gifts(
    client, author, django_assert_max_num_queries
):
    make_user(username="many_gifts")
    for n in range(6):
        _give(make_work(creator=author, title=f"Gift {n}"), "many_gifts", giver=author)
    with django_assert_max_num_queries(20):
        page = _page(client, "/users/many_gifts/gifts")
    assert page.count("for <a") >= 6 or page.count("many_gifts</a>") >= 6


def test_recipient_refuses_a_gift_after_confirming(client, author):
    friend = make_user(username="refuser")
    work = make_work(creator=author, title="Declined Lantern")
    _give(work, "refuser", "Aunt Mae", giver=author)
    assert "refuser" in _page(client, f"/works/{work.pk}")  # cached for guests now
    client.force_login(friend)
    url = f"/users/refuser/gifts/{work.pk}/refuse"
    confirm = _page(client, url)
    assert "Are you sure you want to refuse" in confirm
    assert Gift.objects.filter(work=work, refused=False).count() == 2
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/users/refuser/gifts"
    gift = Gift.objects.get(work=work, pseud__user=friend)
    assert gift.refused and gift.refused_at is not None
    assert "Declined Lantern" not in _page(client, "/users/refuser/gifts")
    assert "Declined Lantern" in _page(client, "/users/refuser/gifts?refused=true")
    client.logout()
    page = parse(client.get(f"/works/{work.pk}").content)
    assert text(select_one(page, "ul.associations li")) == "For Aunt Mae."
    assert "Declined Lantern" not in _page(client, "/users/refuser/gifts?refused=true")
    heading = select_one(parse(client.get("/works").content), f"li#work_{work.pk} h4.heading")
    assert "refuser" not in text(heading)
    # Re-typing the name on an edit does not give it again.
    _give(work, "refuser", "Aunt Mae", giver=author)
    assert Gift.objects.get(work=work, pseud__user=friend).refused


def test_only_the_recipient_may_refuse(client, author):
    make_user(username="recipient")
    work = make_work(creator=author)
    _give(work, "recipient", giver=author)
    client.force_login(author)
    assert client.post(f"/users/recipient/gifts/{work.pk}/refuse").status_code == 404
    assert client.post(f"/users/author/gifts/{work.pk}/refuse").status_code == 404
    assert not Gift.objects.filter(refused=True).exists()


def test_download_preface_names_the_recipient(client, author):
    make_user(username="reader_of_gift")
    work = make_work(creator=author, title="Downloaded")
    _give(work, "reader_of_gift", giver=author)
    response = client.get(f"/downloads/{work.pk}/Downloaded.html?updated_at=1")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    preface = select_one(parse(content), "div#preface p.associations")
    assert text(preface) == "For reader_of_gift."


def test_preferences_turn_gifts_off(client):
    user = make_user(username="pref_user")
    client.force_login(user)
    page = _page(client, "/users/pref_user/preferences/feedback")
    assert select(parse(page), "input#disallow_gifts")
    client.post(
        "/users/pref_user/preferences/feedback",
        {"comment_emails": "on", "gift_emails": "on", "disallow_gifts": "on"},
    )
    user.refresh_from_db()
    assert user.disallow_gifts and user.gift_emails


def test_an_anonymous_gift_never_names_its_creator(client, django_capture_on_commit_callbacks):
    """Given in an anonymous collection: the recipient's gifts page, inbox and email, the work
    page, listings, the tag feed and the download name the recipient, never the giver."""
    giver = make_user(username="hidden_giver_zq")
    friend = make_user(username="gift_getter", email="getter@example.org")
    collection = collection_services.collection_create(
        owner=make_user(username="exchange_runner"),
        fields={"name": "secret_exchange", "title": "Secret Exchange", "is_anonymous": True},
    )
    work = make_work(creator=giver, title="Masked Lantern", post=False)
    collection_services.collection_add_work(collection=collection, work=work, user=giver)
    with django_capture_on_commit_callbacks(execute=True):
        _give(work, "gift_getter", giver=giver)
        posting.work_post(work=work)
    assert [m.to for m in mail.outbox] == [["getter@example.org"]]
    for message in mail.outbox:
        assert "hidden_giver_zq" not in message.subject + message.body
    fandom = work.tags.get(type="fandom")
    urls = [
        "/users/gift_getter/gifts",
        f"/works/{work.pk}",
        "/works",
        f"/tags/{fandom.pk}/feed.atom",
        "/collections/secret_exchange/works",
    ]
    for viewer in (None, friend):
        if viewer:
            client.force_login(viewer)
        for url in [*urls, *(["/users/gift_getter/inbox"] if viewer else [])]:
            page = _page(client, url)
            assert "Masked Lantern" in page, url
            assert "hidden_giver_zq" not in page, url
    page = parse(client.get("/users/gift_getter/gifts").content)
    assert "by Anonymous for gift_getter" in text(select_one(page, "h4.heading"))
    download = client.get(f"/downloads/{work.pk}/Masked_Lantern.html?updated_at=1")
    content = b"".join(download.streaming_content) if download.streaming else download.content
    assert b"gift_getter" in content and b"hidden_giver_zq" not in content


def test_a_mystery_gift_is_told_when_the_collection_reveals_its_works(client):
    giver = make_user(username="mystery_giver")
    friend = make_user(username="mystery_getter")
    collection = collection_services.collection_create(
        owner=make_user(username="mystery_runner"),
        fields={"name": "mystery_swap", "title": "Mystery Swap", "is_unrevealed": True},
    )
    work = make_work(creator=giver, title="Veiled Lantern", post=False)
    collection_services.collection_add_work(collection=collection, work=work, user=giver)
    _give(work, "mystery_getter", giver=giver)
    posting.work_post(work=work)
    assert not InboxItem.objects.filter(recipient=friend).exists()
    client.force_login(friend)
    assert "Veiled Lantern" not in _page(client, "/users/mystery_getter/gifts")
    url = f"/users/mystery_getter/gifts/{work.pk}/refuse"
    assert client.get(url).status_code == 404
    collection_services.collection_reveal(collection=collection, works=True)
    assert InboxItem.objects.filter(recipient=friend, kind="gift", work=work).exists()
    assert "Veiled Lantern" in _page(client, "/users/mystery_getter/gifts")


def test_gifts_to_a_deleted_pseud_go_to_the_default_pseud(author):
    friend = make_user(username="many_pens")
    pen = pseud_create(user=friend, name="Second Pen")
    one, both = make_work(creator=author), make_work(creator=author)
    _give(one, "Second Pen (many_pens)", giver=author)
    _give(both, "Second Pen (many_pens)", "many_pens", giver=author)
    pseud_delete(pseud=pen)
    default = friend.pseuds.get()
    assert [g.pseud for g in one.gifts.all()] == [default]
    assert [g.pseud for g in both.gifts.all()] == [default]


def test_too_long_a_recipient_name_is_refused_and_the_text_kept(author_client):
    typed = "Aunt Mae, " + "x" * 101
    response = author_client.post("/works/new", work_data(**{"work[recipients]": typed}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "A recipient&#x27;s name must be at most 100 characters." in page
    assert _recipients_field(page).get("value") == typed
    assert not Work.objects.exists()


def test_profile_links_the_gifts_page(client):
    make_user(username="profiled")
    links = select(parse(_page(client, "/users/profiled/profile")), "ul.navigation.actions a")
    assert "/users/profiled/gifts" in [a.get("href") for a in links]
