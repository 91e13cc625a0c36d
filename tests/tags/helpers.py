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
