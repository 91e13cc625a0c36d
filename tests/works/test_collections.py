"""Collections: creating and editing them, sub-collections, and consent: only a work's creators
put it in a collection; invited works appear only once their creator accepts; moderated
collections hold works until approved."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import make_user, make_work
from tests.works.markup import parse, select, select_one, text
from works.models import Collection, CollectionItem
from works.services import collections as cs
from works.services import posting as services

pytestmark = pytest.mark.django_db

APPROVED = CollectionItem.Approval.APPROVED
PENDING = CollectionItem.Approval.PENDING


def collection_form(**overrides):
    data = {
        "name": "lantern_nights",
        "title": "Lantern Nights",
        "description": "Stories told by *lamplight*.",
        "rules": "Be kind.",
        "moderators": "",
    }
    data.update(overrides)
    return data


def make_collection(owner, name="harbour_fest", **fields):
    fields.setdefault("title", name.replace("_", " ").title())
    return cs.collection_create(owner=owner, fields={"name": name, **fields})


def listed(client, collection):
    return client.get(f"/collections/{collection.name}/works").content.decode()


# Creating and running collections ---------------------------------------------------------


def test_anyone_logged_in_creates_a_collection_with_settings(client, author, reader):
    client.force_login(author)
    response = client.post(
        "/collections/new",
        collection_form(moderators=reader.username, is_moderated="on", is_anonymous="on"),
    )
    assert response.status_code == 302
    collection = Collection.objects.get(name="lantern_nights")
    assert response["Location"] == "/collections/lantern_nights"
    assert collection.owner == author
    assert list(collection.moderators.all()) == [reader]
    assert collection.is_moderated and collection.is_anonymous and not collection.is_closed
    root = parse(client.get("/collections/lantern_nights").content)
    assert select_one(root, "div.intro em").text == "lamplight"
    assert "Be kind." in text(select_one(root, "div.rules"))


def test_guests_are_sent_to_log_in_to_create(client):
    response = client.get("/collections/new")
    assert response.status_code == 302 and "/users/login" in response["Location"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "bad name!", "Use only letters, numbers and underscores in the short name."),
        ("title", "", "Please enter a title."),
        ("moderators", "nobody_called_this", "There is no user called “nobody_called_this”."),
    ],
)
def test_bad_collection_input_is_explained_and_kept(client, author, field, value, message):
    client.force_login(author)
    response = client.post("/collections/new", collection_form(**{field: value}))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Stories told by *lamplight*." in body
    assert not Collection.objects.exists()


def test_taken_name_is_refused(client, author):
    make_collection(author, name="lantern_nights")
    client.force_login(author)
    response = client.post("/collections/new", collection_form(name="Lantern_Nights"))
    assert "is taken" in response.content.decode()
    assert Collection.objects.count() == 1


def test_sub_collections_show_on_the_parents_page(client, author):
    parent = make_collection(author, name="whumptober", title="Whumptober")
    client.force_login(author)
    response = client.post(
        "/collections/new",
        collection_form(name="whumptober2025", title="Whumptober 2025", parent=str(parent.pk)),
    )
    assert response.status_code == 302
    child = Collection.objects.get(name="whumptober2025")
    assert child.parent == parent
    root = parse(client.get("/collections/whumptober").content)
    assert select_one(root, "div.children a").get("href") == "/collections/whumptober2025"
    child_page = parse(client.get("/collections/whumptober2025").content)
    assert select_one(child_page, "dd.parent a").get("href") == "/collections/whumptober"


def test_owner_and_moderators_edit_others_cannot(client, author, reader):
    collection = make_collection(author)
    collection.moderators.add(reader)
    client.force_login(reader)
    data = collection_form(name="ignored", title="Harbour Festival", is_closed="on")
    assert client.post("/collections/harbour_fest/edit", data).status_code == 302
    collection.refresh_from_db()
    assert collection.title == "Harbour Festival" and collection.is_closed
    assert collection.name == "harbour_fest"  # the address never changes
    client.force_login(make_user())
    assert client.get("/collections/harbour_fest/edit").status_code == 404
    assert client.get("/collections/harbour_fest/items").status_code == 404
    assert client.get("/collections/harbour_fest/prompts/manage").status_code == 404
    assert client.post("/collections/harbour_fest/reveal", {"reveal_works": ""}).status_code == 404


def test_a_collection_cannot_be_its_own_ancestor(client, author):
    parent = make_collection(author, name="whumptober")
    child = make_collection(author, name="whumptober2025", parent=parent)
    client.force_login(author)
    data = collection_form(title="Whumptober", parent=str(child.pk))
    response = client.post("/collections/whumptober/edit", data)
    assert response.status_code == 200
    assert "cannot be inside itself" in response.content.decode()
    form = response.context["form"]
    assert "A collection cannot be inside itself." in form.errors["parent"]
    assert form["title"].value() == "Whumptober"  # what was typed stays
    parent.refresh_from_db()
    assert parent.parent is None


# Consent -----------------------------------------------------------------------------------


def test_author_adds_own_work_from_the_work(client, author):
    collection = make_collection(make_user(), name="open_shelf")
    work = make_work(creator=author, title="Harbour Lights")
    client.force_login(author)
    page = client.get(work.get_absolute_url()).content.decode()
    assert f"/works/{work.pk}/collections/new" in page
    response = client.post(f"/works/{work.pk}/collections/new", {"collection": "open_shelf"})
    assert response.status_code == 302
    assert "Harbour Lights" in listed(client, collection)


def test_nobody_adds_someone_elses_work(client, author):
    collection = make_collection(make_user(), name="open_shelf")
    work = make_work(creator=author, title="Harbour Lights")
    intruder = make_user()
    client.force_login(intruder)
    response = client.post(f"/works/{work.pk}/collections/new", {"collection": "open_shelf"})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        cs.collection_add_work(collection=collection, work=work, user=intruder)
    assert not CollectionItem.objects.exists()


def test_the_posting_form_cannot_take_someone_elses_work(client, author):
    make_collection(make_user(), name="open_shelf")
    work = make_work(creator=author)
    client.force_login(make_user())
    assert client.post(f"/works/{work.pk}/edit", {"collections": "open_shelf"}).status_code == 404
    assert not CollectionItem.objects.exists()


def test_closed_collections_take_no_new_works(client, author):
    make_collection(make_user(), name="closed_shelf", is_closed=True)
    work = make_work(creator=author)
    client.force_login(author)
    response = client.post(f"/works/{work.pk}/collections/new", {"collection": "closed_shelf"})
    assert response.status_code == 200
    assert "is closed to new works" in response.content.decode()
    form = response.context["form"]
    assert form.errors["collection"] and not form.non_field_errors()  # next to the field
    assert form["collection"].value() == "closed_shelf"  # what was typed stays
    assert not CollectionItem.objects.exists()


def test_unknown_collection_name_is_explained(client, author):
    work = make_work(creator=author)
    client.force_login(author)
    response = client.post(f"/works/{work.pk}/collections/new", {"collection": "no_such"})
    assert "There is no collection called “no_such”." in response.content.decode()


def test_moderated_collection_holds_works_until_approved(client, author, reader):
    owner = make_user()
    collection = make_collection(owner, name="careful_shelf", is_moderated=True)
    work = make_work(creator=author, title="Awaiting Tide")
    client.force_login(author)
    client.post(f"/works/{work.pk}/collections/new", {"collection": "careful_shelf"})
    item = CollectionItem.objects.get()
    assert item.collection_approval == PENDING
    for who in (None, reader, author):
        if who:
            client.force_login(who)
        else:
            client.logout()
        assert "Awaiting Tide" not in listed(client, collection)
        assert "Awaiting Tide" not in client.get("/collections/careful_shelf").content.decode()
    work_page = parse(client.get(work.get_absolute_url()).content)
    assert not select(work_page, "dd.collections")

    client.force_login(owner)
    moderation = client.get("/collections/careful_shelf/items").content.decode()
    assert "Awaiting Tide" in moderation
    client.post("/collections/careful_shelf/items", {"item": item.pk, "approve_button": ""})
    client.logout()
    assert "Awaiting Tide" in listed(client, collection)


def test_rejected_works_stay_out(client, author):
    owner = make_user()
    collection = make_collection(owner, name="careful_shelf", is_moderated=True)
    work = make_work(creator=author, title="Turned Away")
    cs.collection_add_work(collection=collection, work=work, user=author)
    item = CollectionItem.objects.get()
    client.force_login(owner)
    client.post("/collections/careful_shelf/items", {"item": item.pk, "reject_button": ""})
    assert "Turned Away" not in listed(client, collection)
    client.force_login(author)
    response = client.post(f"/works/{work.pk}/collections/new", {"collection": "careful_shelf"})
    assert "declined this work" in response.content.decode()


def test_invited_work_appears_only_after_its_author_accepts(client, author):
    owner = make_user()
    collection = make_collection(owner, name="invited_shelf")
    work = make_work(creator=author, title="Invited Lantern")
    client.force_login(owner)
    response = client.post(
        "/collections/invited_shelf/items",
        {"work": f"http://testserver/works/{work.pk}", "invite_button": ""},
    )
    assert response.status_code == 302
    item = CollectionItem.objects.get()
    assert item.author_approval == PENDING
    assert "Invited Lantern" not in listed(client, collection)
    assert not select(parse(client.get(work.get_absolute_url()).content), "dd.collections")

    # Someone else cannot accept for the author.
    client.force_login(make_user())
    assert client.get(f"/users/{author.username}/collection_items").status_code == 404
    client.force_login(author)
    page = client.get(f"/users/{author.username}/collection_items").content.decode()
    assert "Invited Lantern" in page and "Invited Shelf" in page
    client.post(
        f"/users/{author.username}/collection_items", {"item": item.pk, "accept_button": ""}
    )
    client.logout()
    assert "Invited Lantern" in listed(client, collection)


def test_declined_invitation_leaves_nothing(client, author):
    owner = make_user()
    collection = make_collection(owner, name="invited_shelf")
    work = make_work(creator=author, title="Declined Lantern")
    item = cs.collection_invite_work(collection=collection, work=work, moderator=owner)
    client.force_login(author)
    client.post(
        f"/users/{author.username}/collection_items", {"item": item.pk, "decline_button": ""}
    )
    assert not CollectionItem.objects.exists()
    assert "Declined Lantern" not in listed(client, collection)


def test_an_author_cannot_accept_an_invitation_of_another_persons_work(client, author):
    owner = make_user()
    collection = make_collection(owner, name="invited_shelf")
    work = make_work(creator=make_user(), title="Not Yours")
    item = cs.collection_invite_work(collection=collection, work=work, moderator=owner)
    client.force_login(author)
    response = client.post(
        f"/users/{author.username}/collection_items", {"item": item.pk, "accept_button": ""}
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.author_approval == PENDING


def test_inviting_an_unknown_or_draft_work_is_explained(client, author):
    owner = make_user()
    make_collection(owner, name="invited_shelf")
    draft = make_work(creator=author, post=False)
    client.force_login(owner)
    for value in ("not a work", str(draft.pk), "/works/999999"):
        response = client.post(
            "/collections/invited_shelf/items", {"work": value, "invite_button": ""}
        )
        assert response.status_code == 200
        assert "No posted work has the address or number" in response.content.decode()
        assert value in response.content.decode()
    assert not CollectionItem.objects.exists()


def test_only_staff_invite(author):
    collection = make_collection(make_user(), name="invited_shelf")
    work = make_work(creator=author)
    with pytest.raises(Exception, match="owner and moderators"):
        cs.collection_invite_work(collection=collection, work=work, moderator=make_user())
    assert not CollectionItem.objects.exists()


def test_posting_form_puts_the_authors_work_in_a_collection_pending_when_moderated(client, author):
    make_collection(make_user(), name="careful_shelf", is_moderated=True)
    work = make_work(creator=author)
    services.work_set_collections(work=work, collections=[Collection.objects.get()])
    assert CollectionItem.objects.get().collection_approval == PENDING


# Collection pages ----------------------------------------------------------------------------


def test_fandoms_page_counts_visible_works_per_fandom(client, author):
    collection = make_collection(author, name="fandom_shelf")
    for fandom in ("Harbour Tales", "Harbour Tales", "Moor Stories"):
        work = make_work(creator=author, tags={"fandom": [fandom]})
        cs.collection_add_work(collection=collection, work=work, user=author)
    hidden = make_work(creator=author, tags={"fandom": ["Secret Fandom"]}, post=False)
    cs.collection_add_work(collection=collection, work=hidden, user=author)
    root = parse(client.get("/collections/fandom_shelf/fandoms").content)
    rows = [text(li) for li in select(root, "ul.tags.index > li")]
    assert rows == ["Harbour Tales (2)", "Moor Stories (1)"]


def test_collection_index_lists_collections(client, author):
    make_collection(author, name="alpha_shelf", title="Alpha Shelf")
    assert "Alpha Shelf" in client.get("/collections").content.decode()


def test_authors_reach_their_invitations_from_the_dashboard(client, author):
    client.force_login(author)
    page = client.get(f"/users/{author.username}").content.decode()
    assert f"/users/{author.username}/collection_items" in page
    client.force_login(make_user())
    page = client.get(f"/users/{author.username}").content.decode()
    assert f"/users/{author.username}/collection_items" not in page


@pytest.mark.parametrize("item", ["", "abc", "99999999999999999999999", "-1"])
def test_bad_item_ids_answer_not_found(client, author, item):
    make_collection(author, name="careful_shelf")
    client.force_login(author)
    for url in ("/collections/careful_shelf/items", f"/users/{author.username}/collection_items"):
        assert client.post(url, {"item": item, "approve_button": ""}).status_code == 404


def test_staff_posting_to_their_moderated_collection_need_no_approval(author, reader):
    collection = make_collection(author, name="careful_shelf", is_moderated=True)
    collection.moderators.add(reader)
    for creator in (author, reader):
        work = make_work(creator=creator)
        services.work_set_collections(work=work, collections=[collection])
    stranger_work = make_work(creator=make_user())
    services.work_set_collections(work=stranger_work, collections=[collection])
    approvals = dict(CollectionItem.objects.values_list("work__title", "collection_approval"))
    assert sorted(approvals.values()) == [APPROVED, APPROVED, PENDING]
    assert approvals[stranger_work.title] == PENDING
