"""Filtering by a tag finds works tagged with it, its synonyms, its sub tags (at any depth) and
their synonyms, and the materialised rows stay exact through every wrangling transition."""

import pytest

from tags import services
from tags.models import Tag, TagType
from tests.factories import make_tag, make_work
from tests.tags.helpers import assert_filters_exact, assert_tag_filters_exact, found_under
from works.models import FilterTagging
from works.services import filter_rows
from works.services import posting as work_services
from works.services.filter_rows import tags_refresh_filters

pytestmark = pytest.mark.django_db

C = TagType.CHARACTER
F = TagType.FANDOM


def character_work(*names):
    return make_work(tags={C: list(names)})


def canonical(name, tag_type=C):
    return make_tag(name, type=tag_type, canonical=True)


def test_work_is_found_under_each_tag_it_carries():
    work = character_work("James T. Kirk", "Spock")
    for name in ("James T. Kirk", "Spock"):
        assert found_under(Tag.objects.get(name=name)) == {work.pk}
    assert_filters_exact()


def test_making_a_synonym_finds_its_works_under_the_canonical_tag():
    kirk = canonical("James T. Kirk")
    tagged_canonical = character_work("James T. Kirk")
    tagged_synonym = character_work("Jim Kirk")
    assert found_under(kirk) == {tagged_canonical.pk}

    services.tag_make_synonym(tag=Tag.objects.get(name="Jim Kirk"), canonical=kirk)

    assert found_under(kirk) == {tagged_canonical.pk, tagged_synonym.pk}
    assert_filters_exact()


def test_removing_a_synonym_takes_its_works_away_from_the_former_canonical():
    kirk = canonical("James T. Kirk")
    jim = make_tag("Jim Kirk", type=C, merger=kirk)
    tagged_synonym = character_work("Jim Kirk")
    assert tagged_synonym.pk in found_under(kirk)

    services.tag_remove_synonym(tag=jim)

    assert tagged_synonym.pk not in found_under(kirk)
    assert found_under(jim) == {tagged_synonym.pk}
    assert_filters_exact()


def test_adding_a_meta_tag_finds_sub_tag_works_and_their_synonyms_under_it():
    star_trek = canonical("Star Trek", F)
    tos = canonical("Star Trek: The Original Series", F)
    make_tag("TOS", type=F, merger=tos)
    tos_work = make_work(tags={F: ["Star Trek: The Original Series"]})
    synonym_work = make_work(tags={F: ["TOS"]})
    other = make_work(tags={F: ["Star Wars"]})

    services.tag_add_meta(tag=tos, meta=star_trek)

    assert found_under(star_trek) == {tos_work.pk, synonym_work.pk}
    assert other.pk not in found_under(star_trek)
    assert_filters_exact()


def test_meta_tags_are_transitive():
    franchise = canonical("Star Trek (All Media)", F)
    star_trek = canonical("Star Trek", F)
    tos = canonical("Star Trek: The Original Series", F)
    services.tag_add_meta(tag=star_trek, meta=franchise)
    work = make_work(tags={F: ["Star Trek: The Original Series"]})

    services.tag_add_meta(tag=tos, meta=star_trek)

    assert work.pk in found_under(franchise)
    assert work.pk in found_under(star_trek)
    assert_filters_exact()


def test_adding_a_meta_above_a_meta_reaches_works_further_down():
    star_trek = canonical("Star Trek", F)
    tos = canonical("Star Trek: The Original Series", F)
    services.tag_add_meta(tag=tos, meta=star_trek)
    work = make_work(tags={F: ["Star Trek: The Original Series"]})
    franchise = canonical("Star Trek (All Media)", F)

    services.tag_add_meta(tag=star_trek, meta=franchise)

    assert work.pk in found_under(franchise)
    assert_filters_exact()


def test_removing_a_meta_tag_takes_sub_tag_works_away():
    star_trek = canonical("Star Trek", F)
    tos = canonical("Star Trek: The Original Series", F)
    services.tag_add_meta(tag=tos, meta=star_trek)
    work = make_work(tags={F: ["Star Trek: The Original Series"]})
    direct = make_work(tags={F: ["Star Trek"]})
    assert found_under(star_trek) == {work.pk, direct.pk}

    services.tag_remove_meta(tag=tos, meta=star_trek)

    assert found_under(star_trek) == {direct.pk}
    assert_filters_exact()


def test_a_work_under_two_paths_keeps_the_meta_when_one_path_goes():
    star_trek = canonical("Star Trek", F)
    tos = canonical("Star Trek: The Original Series", F)
    tng = canonical("Star Trek: The Next Generation", F)
    services.tag_add_meta(tag=tos, meta=star_trek)
    services.tag_add_meta(tag=tng, meta=star_trek)
    crossover = make_work(
        tags={F: ["Star Trek: The Original Series", "Star Trek: The Next Generation"]}
    )

    services.tag_remove_meta(tag=tos, meta=star_trek)

    assert crossover.pk in found_under(star_trek)
    assert_filters_exact()


def test_making_a_tag_canonical_keeps_its_works_and_lets_it_take_synonyms():
    work = character_work("Nyota Uhura")
    uhura = Tag.objects.get(name="Nyota Uhura")
    assert found_under(uhura) == {work.pk}

    services.tag_set_canonical(tag=uhura, canonical=True)
    assert found_under(uhura) == {work.pk}
    other = character_work("Uhura")
    services.tag_make_synonym(tag=Tag.objects.get(name="Uhura"), canonical=uhura)

    assert found_under(uhura) == {work.pk, other.pk}
    assert_filters_exact()


def test_making_a_tag_non_canonical_drops_its_meta_and_sub_tags():
    star_trek = canonical("Star Trek", F)
    tos = canonical("Star Trek: The Original Series", F)
    franchise = canonical("Star Trek (All Media)", F)
    services.tag_add_meta(tag=tos, meta=star_trek)
    services.tag_add_meta(tag=star_trek, meta=franchise)
    tos_work = make_work(tags={F: ["Star Trek: The Original Series"]})
    st_work = make_work(tags={F: ["Star Trek"]})

    services.tag_set_canonical(tag=star_trek, canonical=False)

    assert found_under(star_trek) == {st_work.pk}
    assert found_under(franchise) == set()
    assert tos_work.pk not in found_under(star_trek)
    assert not star_trek.meta_tags.exists() and not star_trek.sub_tags.exists()
    assert_filters_exact()


def test_a_canonical_tag_made_a_synonym_hands_over_its_works_and_sub_tags():
    star_trek = canonical("Star Trek", F)
    trek = canonical("Trek", F)
    tos = canonical("Star Trek: The Original Series", F)
    franchise = canonical("Science Fiction", F)
    services.tag_add_meta(tag=tos, meta=trek)
    services.tag_add_meta(tag=trek, meta=franchise)
    trek_work = make_work(tags={F: ["Trek"]})
    tos_work = make_work(tags={F: ["Star Trek: The Original Series"]})

    services.tag_make_synonym(tag=trek, canonical=star_trek)

    trek.refresh_from_db()
    assert not trek.canonical and trek.merger == star_trek
    assert set(star_trek.sub_tags.all()) == {tos}
    assert set(star_trek.meta_tags.all()) == {franchise}
    assert found_under(star_trek) == {trek_work.pk, tos_work.pk}
    assert found_under(franchise) == {trek_work.pk, tos_work.pk}
    assert_filters_exact()


def test_renaming_keeps_every_work_found_under_the_tag(client):
    kirk = canonical("James T. Kirk")
    make_tag("Jim Kirk", type=C, merger=kirk)
    work = character_work("Jim Kirk")

    services.tag_rename(tag=kirk, name="James Tiberius Kirk")

    assert found_under(kirk) == {work.pk}
    response = client.get("/tags/James Tiberius Kirk/works")
    assert f'id="work_{work.pk}"' in response.content.decode()
    assert_filters_exact()


def test_merging_moves_works_to_the_target_and_its_meta_tags():
    star_trek = canonical("Star Trek", F)
    tos = canonical("Star Trek: The Original Series", F)
    services.tag_add_meta(tag=tos, meta=star_trek)
    typo = make_tag("Star Trek: The Orginal Series", type=F)
    both = make_work(tags={F: ["Star Trek: The Orginal Series", "Star Trek: The Original Series"]})
    only_typo = make_work(tags={F: ["Star Trek: The Orginal Series"]})

    moved = services.tag_merge(source=typo, target=tos)

    assert moved == 2
    assert found_under(typo) == set()
    assert found_under(tos) == {both.pk, only_typo.pk}
    assert found_under(star_trek) == {both.pk, only_typo.pk}
    assert set(both.tags.all()) >= {tos} and typo not in set(both.tags.all())
    assert_filters_exact()


def test_changing_a_works_tags_updates_its_filter_rows():
    kirk = canonical("James T. Kirk")
    make_tag("Jim Kirk", type=C, merger=kirk)
    work = character_work("Jim Kirk")
    assert work.pk in found_under(kirk)

    work_services.work_set_tags(
        work=work,
        tag_names={
            TagType.RATING: ["General Audiences"],
            TagType.WARNING: ["No Archive Warnings Apply"],
            F: ["Star Trek"],
            C: ["Spock"],
        },
    )

    assert work.pk not in found_under(kirk)
    assert work.pk in found_under(Tag.objects.get(name="Spock"))
    assert_filters_exact()


def test_deleting_a_canonical_tag_leaves_its_synonyms_works_exact():
    star_trek = canonical("Star Trek", F)
    tos = canonical("Star Trek: The Original Series", F)
    services.tag_add_meta(tag=tos, meta=star_trek)
    make_tag("TOS", type=F, merger=tos)
    work = make_work(tags={F: ["TOS"]})
    assert work.pk in found_under(star_trek)

    services.tag_delete(tag=tos)

    assert work.pk not in found_under(star_trek)
    assert_filters_exact()


def test_wrangling_refreshes_only_the_works_and_rows_that_depend_on_the_tag(monkeypatch):
    star_trek = canonical("Star Trek", F)
    kirk = canonical("James T. Kirk")
    jim = make_tag("Jim Kirk", type=C)
    affected = make_work(tags={F: ["Star Trek"], C: ["Jim Kirk"]})
    canonical_work = character_work("James T. Kirk")
    unrelated = [character_work("Leonard McCoy") for _ in range(3)]
    calls = []
    original = filter_rows.works_refresh_filter_tags

    def spy(work_ids, tag_ids):
        calls.append((set(work_ids), set(tag_ids)))
        return original(work_ids, tag_ids)

    monkeypatch.setattr(filter_rows, "works_refresh_filter_tags", spy)
    services.tag_make_synonym(tag=jim, canonical=kirk)

    [(work_ids, tag_ids)] = calls
    assert affected.pk in work_ids
    # Jim brings no meta tags along, so the canonical tag's own works keep their rows.
    assert canonical_work.pk not in work_ids
    assert not {work.pk for work in unrelated} & work_ids
    assert tag_ids == {jim.pk, kirk.pk}  # the Star Trek rows can't change: not read
    assert star_trek.pk not in tag_ids
    assert_filters_exact()


def test_refresh_repairs_drifted_rows():
    kirk = canonical("James T. Kirk")
    work = character_work("James T. Kirk")
    FilterTagging.objects.filter(work=work).delete()
    FilterTagging.objects.create(work=work, tag=canonical("Spock"))

    tags_refresh_filters([kirk.pk])

    assert_filters_exact()


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_filter_rows_stay_exact_through_random_wrangling(seed):
    """Random sequences of every transition (refused ones included) on a small archive:
    after each step the stored rows equal rows worked out from scratch."""
    import random

    from django.core.exceptions import ValidationError

    rng = random.Random(seed)
    names = [f"Fandom {letter}" for letter in "ABCDEFGH"]
    for name in names[:5]:
        canonical(name, F)
    works = [make_work(tags={F: rng.sample(names, rng.randint(1, 3))}) for _ in range(12)]

    def fandoms():
        return list(Tag.objects.filter(type=F).order_by("pk"))

    def some_tag():
        return rng.choice(fandoms())

    operations = [
        lambda: services.tag_make_synonym(tag=some_tag(), canonical=some_tag()),
        lambda: services.tag_remove_synonym(tag=some_tag()),
        lambda: services.tag_add_meta(tag=some_tag(), meta=some_tag()),
        lambda: services.tag_remove_meta(tag=some_tag(), meta=some_tag()),
        lambda: services.tag_set_canonical(tag=some_tag(), canonical=rng.random() < 0.6),
        lambda: services.tag_merge(source=some_tag(), target=some_tag()),
        lambda: services.tag_rename(tag=some_tag(), name=f"Renamed {rng.randint(1, 10**6)}"),
        lambda: work_services.work_set_tags(
            work=rng.choice(works),
            tag_names={F: [t.name for t in rng.sample(fandoms(), 2)]},
        ),
    ]
    for _ in range(40):
        try:
            rng.choice(operations)()
        except ValidationError:
            pass
        assert_filters_exact()
        assert_tag_filters_exact(rng)
