"""Tag sets (issue 20, part 2): which tags a set holds for sign-ups (tags_outside), creating
and editing a set (owners and moderators only), its page listing its tags by type, and the
index."""

import pytest
from django.test import Client

from tags.models import Tag, TagType
from tests.factories import make_tag, make_user
from works.models import TagSet
from works.services.tag_sets import tag_set_create, tag_set_update, tags_outside

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner():
    return make_user(username="setowner")


@pytest.fixture
def tag_set(owner):
    return tag_set_create(
        owner=owner,
        fields={"title": "Tiny Fandoms 2026", "description": "Small *fandoms* only."},
        names={
            TagType.FANDOM: ["Lighthouse Keepers (TV)"],
            TagType.CHARACTER: ["Marta Vell"],
        },
        chosen={TagType.RATING: ["General Audiences"]},
    )


# tags_outside ---------------------------------------------------------------------------------


def test_tags_outside_accepts_the_sets_tags_and_synonyms_of_its_canonical_tags(
    owner, django_assert_num_queries
):
    canonical = make_tag("James Harlow", TagType.CHARACTER, canonical=True)
    synonym = make_tag("Jim Harlow", TagType.CHARACTER, merger=canonical)
    unknown = make_tag("Someone Else Entirely", TagType.CHARACTER)
    other_canonical = make_tag("Other Person", TagType.CHARACTER, canonical=True)
    synonym_elsewhere = make_tag("Other P.", TagType.CHARACTER, merger=other_canonical)
    tag_set = tag_set_create(owner=owner, fields={"title": "Harlow Set"})
    tag_set.tags.add(canonical)
    with django_assert_num_queries(1):
        outside = tags_outside(tag_set, [canonical, synonym, unknown, synonym_elsewhere, unknown])
    assert outside == [unknown, synonym_elsewhere]  # in their order, each once


def test_tags_outside_a_set_holding_a_synonym_accepts_its_canonical_and_other_synonyms(owner):
    canonical = make_tag("Captain Ilse", TagType.CHARACTER, canonical=True)
    held = make_tag("Ilse", TagType.CHARACTER, merger=canonical)
    other_synonym = make_tag("The Captain (Ilse)", TagType.CHARACTER, merger=canonical)
    plain = make_tag("Ilse's Ship", TagType.FREEFORM)
    tag_set = tag_set_create(owner=owner, fields={"title": "Ilse Set"})
    tag_set.tags.add(held)
    assert tags_outside(tag_set, [canonical, other_synonym, held, plain]) == [plain]


def test_tags_outside_of_nothing_is_nothing(tag_set, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert tags_outside(tag_set, []) == []


# Creating and editing -------------------------------------------------------------------------


def test_creating_a_set_from_the_form_resolves_typed_names_and_chosen_ratings():
    owner = make_user(username="creator1")
    helper = make_user(username="helper1")
    make_tag("Existing Fandom", TagType.FANDOM, canonical=True)
    response = _client(owner).post(
        "/tag_sets/new",
        {
            "title": "Brand New Set",
            "description": "For a small exchange.",
            "owners": "creator1",
            "moderators": "helper1",
            "fandom_nominations": "2",
            "character_nominations": "0",
            "relationship_nominations": "0",
            "freeform_nominations": "0",
            "nominations_open_at": "2026-01-01T10:00",
            "nominations_close_at": "2026-01-08T10:00",
            "fandom_add": "Existing Fandom, A Fandom Nobody Has Used",
            "freeform_add": "Fluff",
            "rating_chosen": ["Teen And Up Audiences"],
        },
    )
    tag_set = TagSet.objects.get(title="Brand New Set")
    assert response.status_code == 302 and response["Location"] == f"/tag_sets/{tag_set.pk}"
    names = set(tag_set.tags.values_list("name", flat=True))
    assert names == {
        "Existing Fandom",
        "A Fandom Nobody Has Used",
        "Fluff",
        "Teen And Up Audiences",
    }
    new = Tag.objects.get(name="A Fandom Nobody Has Used")
    assert new.type == TagType.FANDOM and not new.canonical  # unwrangled, for the wranglers
    assert list(tag_set.owners.all()) == [owner]
    assert list(tag_set.moderators.all()) == [helper]
    assert tag_set.fandom_nominations == 2
    assert tag_set.nominations_open_at.isoformat().startswith("2026-01-01T10:00")


def test_a_refused_form_keeps_what_was_typed_and_says_why(owner):
    tag_set_create(owner=owner, fields={"title": "Taken Title"})
    response = _client(owner).post(
        "/tag_sets/new",
        {
            "title": "taken title",
            "owners": "setowner, nobody_by_this_name",
            "fandom_add": "Kept Fandom Name",
            "fandom_nominations": "0",
            "character_nominations": "0",
            "relationship_nominations": "0",
            "freeform_nominations": "-1",
            "nominations_open_at": "2026-02-01T10:00",
            "nominations_close_at": "2026-01-01T10:00",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is no user called “nobody_by_this_name”." in page
    assert "Enter a number of 0 or more." in page
    assert "Nominations must close after they open." in page
    assert "Kept Fandom Name" in page
    assert TagSet.objects.count() == 1


def test_a_taken_title_is_refused_with_a_message(owner):
    tag_set_create(owner=owner, fields={"title": "Only Once"})
    page = _client(owner).post(
        "/tag_sets/new",
        {
            "title": "only once",
            "fandom_nominations": "0",
            "character_nominations": "0",
            "relationship_nominations": "0",
            "freeform_nominations": "0",
        },
    )
    assert "A tag set called “only once” already exists; choose another title." in (
        page.content.decode()
    )


def test_owner_edits_tags_and_moderators(tag_set, owner):
    helper = make_user(username="newhelper")
    vell = tag_set.tags.get(name="Marta Vell")
    response = _client(owner).post(
        f"/tag_sets/{tag_set.pk}/edit",
        {
            "title": "Tiny Fandoms 2026",
            "owners": "setowner",
            "moderators": "newhelper",
            "fandom_nominations": "1",
            "character_nominations": "3",
            "relationship_nominations": "0",
            "freeform_nominations": "0",
            "character_remove": [str(vell.pk)],
            "character_add": "Old Tomas",
            "rating_chosen": ["General Audiences", "Mature"],
        },
    )
    assert response.status_code == 302
    names = set(tag_set.tags.values_list("name", flat=True))
    assert names == {"Lighthouse Keepers (TV)", "Old Tomas", "General Audiences", "Mature"}
    assert list(tag_set.moderators.all()) == [helper]
    tag_set.refresh_from_db()
    assert tag_set.character_nominations == 3


def test_a_moderator_edits_tags_but_not_who_runs_the_set(tag_set):
    moderator = make_user(username="setmod")
    tag_set.moderators.add(moderator)
    client = _client(moderator)
    page = client.get(f"/tag_sets/{tag_set.pk}/edit").content.decode()
    assert "Only the owners can change who runs this tag set." in page
    response = client.post(
        f"/tag_sets/{tag_set.pk}/edit",
        {
            "title": "Tiny Fandoms 2026",
            "owners": "setmod",
            "moderators": "",
            "fandom_nominations": "0",
            "character_nominations": "0",
            "relationship_nominations": "0",
            "freeform_nominations": "0",
            "freeform_add": "Found Family",
            "rating_chosen": ["General Audiences"],
        },
    )
    assert response.status_code == 302
    assert tag_set.tags.filter(name="Found Family").exists()
    assert [u.username for u in tag_set.owners.all()] == ["setowner"]
    assert [u.username for u in tag_set.moderators.all()] == ["setmod"]


def test_a_set_keeps_an_owner(tag_set, owner):
    page = _client(owner).post(
        f"/tag_sets/{tag_set.pk}/edit",
        {
            "title": "Tiny Fandoms 2026",
            "owners": "",
            "fandom_nominations": "0",
            "character_nominations": "0",
            "relationship_nominations": "0",
            "freeform_nominations": "0",
        },
    )
    assert "A tag set needs at least one owner." in page.content.decode()
    assert list(tag_set.owners.all()) == [owner]


def test_only_owners_change_owners_through_the_service(tag_set):
    moderator = make_user()
    tag_set.moderators.add(moderator)
    with pytest.raises(Exception, match="Only the tag set's owners"):
        tag_set_update(tag_set=tag_set, user=moderator, fields={}, owners=[moderator])


@pytest.mark.parametrize("viewer", ["guest", "other"])
def test_others_cannot_edit(tag_set, viewer):
    client = Client()
    if viewer == "other":
        client.force_login(make_user())
    url = f"/tag_sets/{tag_set.pk}/edit"
    response = client.get(url)
    expected = 302 if viewer == "guest" else 404
    assert response.status_code == expected
    assert "Marta Vell" not in response.content.decode()
    client.post(url, {"title": "Defaced", "owners": "x"})
    assert TagSet.objects.get(pk=tag_set.pk).title == "Tiny Fandoms 2026"


# Reading ------------------------------------------------------------------------------------


def test_the_sets_page_lists_its_tags_by_type(tag_set, client, django_assert_max_num_queries):
    tag_set.tags.add(make_tag("Angst", TagType.FREEFORM))
    tag_set.tags.add(make_tag("Keeper Marta/Old Tomas", TagType.RELATIONSHIP))
    with django_assert_max_num_queries(8):
        response = client.get(f"/tag_sets/{tag_set.pk}")
    page = response.content.decode()
    headings = [
        "Rating (1)",
        "Fandom (1)",
        "Character (1)",
        "Relationship (1)",
        "Additional Tags (1)",
    ]
    positions = [page.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "About Tiny Fandoms 2026" in page
    assert "<em>fandoms</em>" in page  # the description, rendered
    assert "Lighthouse Keepers (TV)" in page and "Marta Vell" in page
    assert "Edit" not in page  # guests are offered nothing to change


def test_the_index_lists_sets_with_their_counts_and_searches_titles(
    tag_set, owner, client, django_assert_max_num_queries
):
    for n in range(5):
        other = tag_set_create(owner=make_user(), fields={"title": f"Another Set {n}"})
        other.tags.add(make_tag(f"Set Fandom {n}", TagType.FANDOM))
    with django_assert_max_num_queries(6):
        page = client.get("/tag_sets").content.decode()
    assert "Tiny Fandoms 2026" in page and "Another Set 4" in page
    found = client.get("/tag_sets?query=tiny").content.decode()
    assert "Tiny Fandoms 2026" in found and "Another Set" not in found
    assert "No tag sets found." in client.get("/tag_sets?query=zzz").content.decode()
    mine = _client(owner).get("/tag_sets").content.decode()
    assert f'href="/tag_sets/{tag_set.pk}/edit"' in mine
    assert f'href="/tag_sets/{tag_set.pk}/edit"' not in page
