"""Assertions on the materialised filter rows shared by the tag tests."""

from works.models import FilterTagging, TaggedWork


def expected_filter_rows() -> set[tuple[int, int]]:
    """The filter rows every work should have, worked out from scratch, one tag at a time:
    each tag a work carries, its canonical form, and every meta tag above that, transitively."""
    from tags.models import Tag

    rows = set()
    for tagging in TaggedWork.objects.select_related("tag"):
        tag = tagging.tag
        canonical = Tag.objects.get(pk=tag.merger_id) if tag.merger_id else tag
        found = {tag.pk, canonical.pk}
        stack = [canonical]
        while stack:
            for meta in stack.pop().meta_tags.all():
                if meta.pk not in found:
                    found.add(meta.pk)
                    stack.append(meta)
        rows |= {(tagging.content_object_id, pk) for pk in found}
    return rows


def stored_filter_rows() -> set[tuple[int, int]]:
    return set(FilterTagging.objects.values_list("work_id", "tag_id"))


def assert_filters_exact():
    assert stored_filter_rows() == expected_filter_rows()


def found_under(tag) -> set[int]:
    """Ids of the works a reader filtering on `tag` finds."""
    return set(FilterTagging.objects.filter(tag=tag).values_list("work_id", flat=True))


def assert_tag_filters_exact(rng):
    """A listing filtered on random tags (two included, one excluded) finds exactly the works
    the expected filter rows say: on PostgreSQL this reads each work's tag array
    (works.listing.tagsets, kept by triggers), elsewhere the filter rows themselves."""
    from works.listing.filters import WorkFilter
    from works.listing.querying import filter_works
    from works.models import Work

    rows = expected_filter_rows()
    tag_ids = sorted({tag_id for _work_id, tag_id in rows})
    if len(tag_ids) < 2:
        return
    included, excluded = rng.sample(tag_ids, 2), rng.choice(tag_ids)
    work_filter = WorkFilter(within_ids=included, exclude={"other": [excluded]})
    found = set(filter_works(Work.objects.all(), work_filter).values_list("pk", flat=True))
    under = {tag_id: {w for w, t in rows if t == tag_id} for tag_id in tag_ids}
    assert found == (under[included[0]] & under[included[1]]) - under[excluded]
    from works.listing import tagsets

    if tagsets.available():  # every array and copied column as the rows say
        assert tagsets.mismatches() == []
