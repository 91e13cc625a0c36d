"""The materialised filter rows (FilterTagging): every tag a work can be found under.

What a tag puts in the rows is read from the tag graph (tags.filtering); this module writes
the rows. They are kept exact:

- a work's tags change: `works_refresh_filters([work.pk])` rewrites that work's rows
  (works.services.posting.work_set_tags);
- a tag is wrangled: tags sends `tag_graph_changed` with the tags whose carriers may be
  affected and the tags whose rows may differ, and `works_refresh_filter_tags` reads and
  writes just those rows (works.services.tag_sync answers the signal).

Both refreshes compare the rows a work should have with the rows it has and write only the
difference, so refreshing works whose rows are already right costs reads only.
"""

from collections.abc import Iterable

from django.db import connection, transaction

from tags.filtering import CHUNK_SIZE, MetaGraph, reach_below, tags_scope
from tags.models import Tag
from works.models import FilterTagging, TaggedWork

# Works per statement in the set-based refresh (ids are written into the SQL text).
SQL_CHUNK_SIZE = 20000


def works_carrying(tag_ids: Iterable[int]) -> list[int]:
    """Ids of the works (drafts and hidden ones too) that carry any of these tags directly."""
    tag_ids = list(tag_ids)
    if not tag_ids:
        return []
    return list(
        TaggedWork.objects.filter(tag_id__in=tag_ids)
        .order_by()
        .values_list("content_object_id", flat=True)
        .distinct()
    )


def _taggings(work_ids: list[int]):
    """(work id, tag id, canonical id) for every tag the works carry: one query."""
    for work_id, tag_id, merger_id in TaggedWork.objects.filter(
        content_object_id__in=work_ids
    ).values_list("content_object_id", "tag_id", "tag__merger_id"):
        yield work_id, tag_id, merger_id or tag_id


def _write_difference(work_ids, wanted, present) -> None:
    """Delete the present rows not wanted, insert the wanted rows not present."""
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


def _chunks(work_ids: Iterable[int]):
    work_ids = sorted(set(work_ids))
    for start in range(0, len(work_ids), CHUNK_SIZE):
        yield work_ids[start : start + CHUNK_SIZE]


@transaction.atomic
def works_refresh_filters(work_ids: Iterable[int]) -> None:
    """Make all the filter rows of these works match their tags and the tag graph."""
    graph = MetaGraph()
    for chunk in _chunks(work_ids):
        taggings = list(_taggings(chunk))
        graph.load({canonical for _, _, canonical in taggings})
        wanted = set()
        for work_id, tag_id, canonical in taggings:
            wanted.add((work_id, tag_id))
            wanted.add((work_id, canonical))
            wanted.update((work_id, meta_id) for meta_id in graph.ancestors(canonical))
        present = {
            (work_id, tag_id): pk
            for pk, work_id, tag_id in FilterTagging.objects.filter(work_id__in=chunk).values_list(
                "pk", "work_id", "tag_id"
            )
        }
        _write_difference(chunk, wanted, present)


def _ints(values: Iterable[int]) -> str:
    """A literal SQL list of integers (ids from the database, formatted as ints: no input
    from outside ever reaches the SQL text)."""
    return ",".join(str(int(value)) for value in values)


@transaction.atomic
def works_refresh_filter_tags(work_ids: Iterable[int], tag_ids: Iterable[int]) -> None:
    """Make these works' filter rows for these tags (only) match the tags and the graph.

    Two set-based statements, whatever the number of works: insert the missing rows, delete
    the rows no tagging supports any more. `reach` pairs each canonical tag at or below the
    targets with the targets it reaches; a work has the row (work, target) when it carries
    the target itself, or a tag whose canonical form reaches the target.
    """
    targets = set(tag_ids)
    work_ids = sorted(set(work_ids))
    if not targets or not work_ids:
        return
    reach = reach_below(targets)
    pairs = ",".join(f"({int(c)},{int(x)})" for c, xs in reach.items() for x in xs)
    filter_table = FilterTagging._meta.db_table
    tagging_table = TaggedWork._meta.db_table
    tag_table = Tag._meta.db_table
    target_list = _ints(targets)
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for start in range(0, len(work_ids), SQL_CHUNK_SIZE):
            works = _ints(work_ids[start : start + SQL_CHUNK_SIZE])
            wanted = f"""
                SELECT tw.content_object_id, p.x
                FROM {tagging_table} tw
                JOIN {tag_table} t ON t.id = tw.tag_id
                JOIN reach p ON p.c = COALESCE(t.merger_id, t.id)
                WHERE tw.content_object_id IN ({works})
                UNION
                SELECT tw.content_object_id, tw.tag_id
                FROM {tagging_table} tw
                WHERE tw.content_object_id IN ({works}) AND tw.tag_id IN ({target_list})
            """
            cursor.execute(
                f"""
                WITH reach(c, x) AS (VALUES {pairs})
                DELETE FROM {filter_table}
                WHERE {filter_table}.work_id IN ({works})
                  AND {filter_table}.tag_id IN ({target_list})
                  AND NOT EXISTS (
                    SELECT 1 FROM {tagging_table} tw
                    JOIN {tag_table} t ON t.id = tw.tag_id
                    WHERE tw.content_object_id = {filter_table}.work_id
                      AND (
                        tw.tag_id = {filter_table}.tag_id
                        OR EXISTS (
                          SELECT 1 FROM reach p
                          WHERE p.c = COALESCE(t.merger_id, t.id)
                            AND p.x = {filter_table}.tag_id
                        )
                      )
                  )
                """
            )
            insert = "INSERT INTO" if postgres else "INSERT OR IGNORE INTO"
            conflict = "ON CONFLICT DO NOTHING" if postgres else ""
            cursor.execute(
                f"""
                WITH reach(c, x) AS (VALUES {pairs})
                {insert} {filter_table} (work_id, tag_id)
                SELECT * FROM ({wanted}) AS wanted {conflict}
                """
            )


def tags_refresh_filters(tag_ids: Iterable[int]) -> int:
    """Rewrite all the rows of the works whose rows depend on these tags (repair, tests).

    Returns the number of works refreshed.
    """
    work_ids = works_carrying(tags_scope(tag_ids))
    works_refresh_filters(work_ids)
    return len(work_ids)
