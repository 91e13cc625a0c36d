"""The materialised filter rows (works.FilterTagging): every tag a work can be found under.

A work is found under each tag it carries, under that tag's canonical form (its merger), and
under every meta tag of the canonical form, transitively. Readers filtering on a canonical
tag therefore find works tagged with its synonyms and with its sub tags.
"""

from collections.abc import Iterable

from django.db import transaction

from .models import Tag


def filter_tag_ids_for(tags: Iterable[Tag]) -> set[int]:
    ids: set[int] = set()
    frontier: list[int] = []
    for tag in tags:
        ids.add(tag.pk)
        canonical_id = tag.merger_id or tag.pk
        if canonical_id not in ids:
            ids.add(canonical_id)
        frontier.append(canonical_id)
    seen = set(frontier)
    while frontier:
        meta_ids = set(
            Tag.meta_tags.through.objects.filter(from_tag_id__in=frontier).values_list(
                "to_tag_id", flat=True
            )
        )
        frontier = [pk for pk in meta_ids if pk not in seen]
        seen.update(frontier)
        ids.update(frontier)
    return ids


@transaction.atomic
def works_refresh_filters(work_ids: Iterable[int]) -> None:
    """Rewrite the filter rows of these works from their current tags."""
    from works.models import FilterTagging, TaggedWork

    work_ids = list(work_ids)
    tags_by_work: dict[int, list[Tag]] = {pk: [] for pk in work_ids}
    for tagging in TaggedWork.objects.filter(content_object_id__in=work_ids).select_related("tag"):
        tags_by_work[tagging.content_object_id].append(tagging.tag)
    FilterTagging.objects.filter(work_id__in=work_ids).delete()
    rows = [
        FilterTagging(work_id=work_id, tag_id=tag_id)
        for work_id, tags in tags_by_work.items()
        for tag_id in filter_tag_ids_for(tags)
    ]
    FilterTagging.objects.bulk_create(rows, batch_size=1000)
