"""The materialised filter rows (works.FilterTagging): every tag a work can be found under.

A work is found under each tag it carries, under that tag's canonical form (its merger), and
under every meta tag of the canonical form, transitively. Readers filtering on a canonical
tag therefore find works tagged with it, with its synonyms, with its sub tags (at any depth)
and with their synonyms.

Keeping the rows exact:

- a work's tags change: `works_refresh_filters([work.pk])` (works.services.work_set_tags);
- a tag is wrangled: the wrangling services in tags.services take `tags_scope()` of the
  changed tags before and after the change, and refresh the works carrying any tag in either
  (`works_refresh_filters(works_carrying(scope))`). Only those works can have a filter row
  that depends on the change; the rest of the archive is left alone.

The refresh compares the rows a work should have with the rows it has, and writes only the
difference, so refreshing works whose rows are already right costs reads only.
"""

from collections.abc import Iterable

from django.db import transaction

from .models import Tag

CHUNK_SIZE = 1000

_meta_through = Tag.meta_tags.through


def tags_expand(tag_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each tag id: the ids of every tag a work carrying that tag is found under."""
    tag_ids = set(tag_ids)
    if not tag_ids:
        return {}
    canonical_of = {
        pk: merger_id or pk
        for pk, merger_id in Tag.objects.filter(pk__in=tag_ids).values_list("pk", "merger_id")
    }
    # Walk up the meta tags of every canonical form at once, one query per level.
    metas: dict[int, set[int]] = {}
    seen: set[int] = set()
    frontier = set(canonical_of.values())
    while frontier:
        seen |= frontier
        upward = set()
        for sub_id, meta_id in _meta_through.objects.filter(from_tag_id__in=frontier).values_list(
            "from_tag_id", "to_tag_id"
        ):
            metas.setdefault(sub_id, set()).add(meta_id)
            upward.add(meta_id)
        frontier = upward - seen

    ancestors_memo: dict[int, set[int]] = {}

    def ancestors(start: int) -> set[int]:
        if start not in ancestors_memo:
            found: set[int] = set()
            stack = [start]
            while stack:  # iterative and cycle-safe, although the services refuse cycles
                for meta_id in metas.get(stack.pop(), ()):
                    if meta_id not in found:
                        found.add(meta_id)
                        stack.append(meta_id)
            found.discard(start)
            ancestors_memo[start] = found
        return ancestors_memo[start]

    return {pk: {pk, canonical} | ancestors(canonical) for pk, canonical in canonical_of.items()}


def filter_tag_ids_for(tags: Iterable[Tag]) -> set[int]:
    """Every tag id a work carrying `tags` is found under."""
    expanded = tags_expand(tag.pk for tag in tags)
    return set().union(*expanded.values()) if expanded else set()


def tags_scope(tag_ids: Iterable[int]) -> set[int]:
    """The tags whose works' filter rows depend on `tag_ids`: the tags themselves, their
    synonyms, their sub tags at any depth, and the synonyms of those."""
    scope = set(tag_ids)
    frontier = set(scope)
    while frontier:
        synonyms = set(Tag.objects.filter(merger_id__in=frontier).values_list("pk", flat=True))
        subs = set(
            _meta_through.objects.filter(to_tag_id__in=frontier).values_list(
                "from_tag_id", flat=True
            )
        )
        frontier = (synonyms | subs) - scope
        scope |= frontier
    return scope


def works_carrying(tag_ids: Iterable[int]) -> list[int]:
    """Ids of the works (drafts and hidden ones too) that carry any of these tags directly."""
    from works.models import TaggedWork

    tag_ids = list(tag_ids)
    if not tag_ids:
        return []
    return list(
        TaggedWork.objects.filter(tag_id__in=tag_ids)
        .order_by()
        .values_list("content_object_id", flat=True)
        .distinct()
    )


@transaction.atomic
def works_refresh_filters(work_ids: Iterable[int]) -> None:
    """Make the filter rows of these works match their current tags and the tag graph."""
    work_ids = sorted(set(work_ids))
    for start in range(0, len(work_ids), CHUNK_SIZE):
        _refresh_chunk(work_ids[start : start + CHUNK_SIZE])


def _refresh_chunk(work_ids: list[int]) -> None:
    from works.models import FilterTagging, TaggedWork

    tags_of: dict[int, set[int]] = {pk: set() for pk in work_ids}
    for work_id, tag_id in TaggedWork.objects.filter(content_object_id__in=work_ids).values_list(
        "content_object_id", "tag_id"
    ):
        tags_of[work_id].add(tag_id)
    expanded = tags_expand(set().union(*tags_of.values()))
    wanted = {
        (work_id, filter_id)
        for work_id, tag_ids in tags_of.items()
        for tag_id in tag_ids
        for filter_id in expanded[tag_id]
    }
    present = {
        (work_id, tag_id): pk
        for pk, work_id, tag_id in FilterTagging.objects.filter(work_id__in=work_ids).values_list(
            "pk", "work_id", "tag_id"
        )
    }
    stale = [pk for key, pk in present.items() if key not in wanted]
    for start in range(0, len(stale), CHUNK_SIZE):
        FilterTagging.objects.filter(pk__in=stale[start : start + CHUNK_SIZE]).delete()
    missing = [
        FilterTagging(work_id=work_id, tag_id=tag_id)
        for work_id, tag_id in wanted
        if (work_id, tag_id) not in present
    ]
    if missing:
        FilterTagging.objects.bulk_create(missing, batch_size=CHUNK_SIZE, ignore_conflicts=True)


def tags_refresh_filters(tag_ids: Iterable[int]) -> int:
    """Refresh the works whose filter rows depend on these tags (for repair and tests).

    Returns the number of works refreshed.
    """
    work_ids = works_carrying(tags_scope(tag_ids))
    works_refresh_filters(work_ids)
    return len(work_ids)
