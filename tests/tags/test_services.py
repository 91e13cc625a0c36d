"""Wrangling rules: what each service does, and every refusal changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from tags import services
from tags.models import Tag, TagType
from tests.factories import make_tag, make_work
from tests.tags.helpers import assert_filters_exact
from works.models import FilterTagging, TaggedWork

pytestmark = pytest.mark.django_db

C = TagType.CHARACTER
F = TagType.FANDOM
R = TagType.RELATIONSHIP


def snapshot():
    """Everything wrangling could change, to prove a refusal changed nothing."""
    return (
        sorted(
            Tag.objects.values_list(
                "pk", "name", "type", "canonical", "merger_id", "unwrangleable", "work_count"
            )
        ),
        sorted(Tag.parents.through.objects.values_list("from_tag_id", "to_tag_id")),
        sorted(Tag.meta_tags.through.objects.values_list("from_tag_id", "to_tag_id")),
        sorted(TaggedWork.objects.values_list("content_object_id", "tag_id")),
        sorted(FilterTagging.objects.values_list("work_id", "tag_id")),
    )


def refused(call, message_part):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        call()
    assert message_part in " ".join(caught.value.messages)
    assert snapshot() == before


@pytest.fixture
def trek(db):
    """A small wrangled fandom with works, for the refusal tests to leave untouched."""
    star_trek = make_tag("Star Trek", type=F, canonical=True)
    kirk = make_tag("James T. Kirk", type=C, canonical=True)
    kirk.parents.add(star_trek)
    make_tag("Jim Kirk", type=C, merger=kirk)
    make_work(tags={F: ["Star Trek"], C: ["Jim Kirk", "Spock"]})
    make_work(tags={F: ["Star Trek"], C: ["James T. Kirk"]})
    return {"star_trek": star_trek, "kirk": kirk}


# --- renaming ----------------------------------------------------------------------------


def test_rename_to_a_name_in_use_is_refused(trek):
    spock = Tag.objects.get(name="Spock")
    refused(lambda: services.tag_rename(tag=spock, name="James T. Kirk"), "already used")


def test_rename_to_a_name_in_use_in_another_case_is_refused(trek):
    spock = Tag.objects.get(name="Spock")
    refused(lambda: services.tag_rename(tag=spock, name="jim kirk"), "already used")


def test_rename_may_change_only_the_case(trek):
    spock = Tag.objects.get(name="Spock")
    services.tag_rename(tag=spock, name="SPOCK")
    assert spock.name == "SPOCK"


def test_rename_refuses_forbidden_characters_and_fixed_tags(trek):
    spock = Tag.objects.get(name="Spock")
    refused(lambda: services.tag_rename(tag=spock, name="Sp*ck"), "cannot contain")
    refused(lambda: services.tag_rename(tag=spock, name="  "), "needs a name")
    explicit = Tag.objects.get(name="Explicit")
    refused(lambda: services.tag_rename(tag=explicit, name="Very Explicit"), "fixed")


# --- synonyms ----------------------------------------------------------------------------


def test_synonym_of_a_non_canonical_tag_is_refused(trek):
    spock = Tag.objects.get(name="Spock")
    jim = Tag.objects.get(name="Jim Kirk")
    refused(lambda: services.tag_make_synonym(tag=jim, canonical=spock), "not canonical")


def test_synonym_across_types_is_refused(trek):
    spock = Tag.objects.get(name="Spock")
    refused(
        lambda: services.tag_make_synonym(tag=spock, canonical=trek["star_trek"]),
        "same type",
    )


def test_synonym_of_itself_is_refused(trek):
    refused(lambda: services.tag_make_synonym(tag=trek["kirk"], canonical=trek["kirk"]), "itself")


def test_a_tag_with_synonyms_cannot_become_a_synonym(trek):
    kirk_too = make_tag("Captain Kirk", type=C, canonical=True)
    refused(
        lambda: services.tag_make_synonym(tag=trek["kirk"], canonical=kirk_too),
        "has synonyms of its own",
    )


def test_fixed_tags_cannot_be_wrangled(trek):
    mature = Tag.objects.get(name="Mature")
    explicit = Tag.objects.get(name="Explicit")
    refused(lambda: services.tag_make_synonym(tag=mature, canonical=explicit), "fixed")
    refused(lambda: services.tag_set_canonical(tag=mature, canonical=False), "fixed")


def test_a_canonical_tag_made_a_synonym_loses_canonical_status(trek):
    captain = make_tag("Captain Kirk", type=C, canonical=True)
    services.tag_make_synonym(tag=captain, canonical=trek["kirk"])
    captain.refresh_from_db()
    assert captain.canonical is False
    assert captain.merger == trek["kirk"]


def test_a_synonyms_children_and_parents_move_to_its_canonical(trek):
    trek_fandom = make_tag("Trek", type=F, canonical=True)
    tv = Tag.objects.get(name="TV Shows")
    services.tag_add_parent(tag=trek_fandom, parent=tv)
    mccoy = make_tag("Leonard McCoy", type=C, canonical=True)
    services.tag_add_parent(tag=mccoy, parent=trek_fandom)

    services.tag_make_synonym(tag=trek_fandom, canonical=trek["star_trek"])

    assert set(mccoy.parents.all()) == {trek["star_trek"]}
    assert tv in set(trek["star_trek"].parents.all())
    assert_filters_exact()


def test_synonym_becomes_plain_again_when_removed(trek):
    jim = Tag.objects.get(name="Jim Kirk")
    services.tag_remove_synonym(tag=jim)
    assert jim.merger is None and not jim.canonical


# --- canonical ---------------------------------------------------------------------------


def test_a_synonym_cannot_be_made_canonical(trek):
    jim = Tag.objects.get(name="Jim Kirk")
    refused(lambda: services.tag_set_canonical(tag=jim, canonical=True), "synonym of")


def test_a_canonical_tag_with_synonyms_cannot_stop_being_canonical(trek):
    refused(lambda: services.tag_set_canonical(tag=trek["kirk"], canonical=False), "has synonyms")


def test_making_an_unwrangleable_tag_canonical_clears_unwrangleable(trek):
    spock = Tag.objects.get(name="Spock")
    services.tag_set_unwrangleable(tag=spock)
    services.tag_set_canonical(tag=spock, canonical=True)
    assert spock.canonical and not spock.unwrangleable


# --- meta tags ---------------------------------------------------------------------------


def test_a_meta_tag_cycle_is_refused(trek):
    tos = make_tag("Star Trek: The Original Series", type=F, canonical=True)
    franchise = make_tag("Star Trek (All Media)", type=F, canonical=True)
    services.tag_add_meta(tag=tos, meta=trek["star_trek"])
    services.tag_add_meta(tag=trek["star_trek"], meta=franchise)
    refused(lambda: services.tag_add_meta(tag=trek["star_trek"], meta=tos), "already a sub tag")
    refused(lambda: services.tag_add_meta(tag=franchise, meta=tos), "already a sub tag")


def test_a_tag_cannot_be_its_own_meta_tag(trek):
    refused(lambda: services.tag_add_meta(tag=trek["kirk"], meta=trek["kirk"]), "its own meta tag")


def test_meta_tags_link_canonical_tags_of_one_type(trek):
    spock = Tag.objects.get(name="Spock")
    refused(lambda: services.tag_add_meta(tag=spock, meta=trek["kirk"]), "not canonical")
    refused(lambda: services.tag_add_meta(tag=trek["kirk"], meta=trek["star_trek"]), "same type")


# --- parents -----------------------------------------------------------------------------


def test_a_tag_cannot_be_its_own_parent(trek):
    refused(
        lambda: services.tag_add_parent(tag=trek["star_trek"], parent=trek["star_trek"]),
        "its own parent",
    )


def test_parents_must_be_of_the_right_type_and_canonical(trek):
    tv = Tag.objects.get(name="TV Shows")
    refused(lambda: services.tag_add_parent(tag=trek["kirk"], parent=tv), "can't have a Media")
    refused(
        lambda: services.tag_add_parent(tag=trek["star_trek"], parent=trek["kirk"]),
        "can't have a Character",
    )
    loose_fandom = make_tag("Trek Fandom", type=F)
    refused(lambda: services.tag_add_parent(tag=trek["kirk"], parent=loose_fandom), "canonical")


def test_allowed_parents(trek):
    tv = Tag.objects.get(name="TV Shows")
    pairing = make_tag("James T. Kirk/Spock", type=R, canonical=True)
    services.tag_add_parent(tag=trek["star_trek"], parent=tv)
    services.tag_add_parent(tag=pairing, parent=trek["star_trek"])
    services.tag_add_parent(tag=pairing, parent=trek["kirk"])
    assert set(pairing.parents.all()) == {trek["star_trek"], trek["kirk"]}
    assert set(trek["star_trek"].parents.all()) == {tv}


# --- unwrangleable and merge -------------------------------------------------------------


def test_canonical_tags_and_synonyms_cannot_be_unwrangleable(trek):
    jim = Tag.objects.get(name="Jim Kirk")
    refused(lambda: services.tag_set_unwrangleable(tag=trek["kirk"]), "wrangled already")
    refused(lambda: services.tag_set_unwrangleable(tag=jim), "wrangled already")


def test_merge_refuses_itself_and_other_types(trek):
    spock = Tag.objects.get(name="Spock")
    refused(lambda: services.tag_merge(source=spock, target=spock), "itself")
    refused(lambda: services.tag_merge(source=spock, target=trek["star_trek"]), "same type")


# --- the admin's all-at-once update ------------------------------------------------------


def test_update_is_all_or_nothing(trek):
    spock = Tag.objects.get(name="Spock")
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        services.tag_update(
            tag=spock,
            name="Mr. Spock",  # fine on its own
            canonical=True,
            merger=None,
            unwrangleable=False,
            parents=[trek["star_trek"]],
            meta_tags=[trek["star_trek"]],  # another type: refused
        )
    assert "meta_tags" in caught.value.message_dict
    assert snapshot() == before


def test_update_applies_a_whole_wrangling_at_once(trek):
    spock = Tag.objects.get(name="Spock")
    services.tag_update(
        tag=spock,
        name="Spock (Star Trek)",
        canonical=True,
        merger=None,
        unwrangleable=False,
        parents=[trek["star_trek"]],
        meta_tags=[],
    )
    assert spock.name == "Spock (Star Trek)" and spock.canonical
    assert set(spock.parents.all()) == {trek["star_trek"]}
    assert_filters_exact()


def test_typed_names_resolve_to_existing_tags_ignoring_case(trek):
    assert services.tag_resolve("jim kirk", C) == Tag.objects.get(name="Jim Kirk")
    assert services.tag_resolve("star trek", C).name == "star trek (Character)"


def test_fixed_tags_refuse_unknown_names_instead_of_dropping_them():
    from tags.services import fixed_tags

    assert [t.name for t in fixed_tags(names=["Mature"], tag_type=TagType.RATING)] == ["Mature"]
    with pytest.raises(Tag.DoesNotExist):
        fixed_tags(names=["Mature", "Spicy"], tag_type=TagType.RATING)
