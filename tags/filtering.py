"""The materialised filter rows (works.FilterTagging): every tag a work can be found under.

A work is found under each tag it carries, under that tag's canonical form (its merger), and
under every meta tag of the canonical form, transitively. Readers filtering on a canonical
tag therefore find works tagged with it, with its synonyms, with its sub tags (at any depth)
and with their synonyms.

Keeping the rows exact:

- a work's tags change: `works_refresh_filters([work.pk])` rewrites that work's rows
  (works.services.posting.work_set_tags);
- a tag is wrangled: the wrangling services wrap the change in `FilterChange(tag_ids)`.
  Only the works carrying a tag in `tags_scope()` of the changed tags (the tags themselves,
  their synonyms, their sub tags at any depth and the synonyms of those) can have rows that
  depend on the change, and only their rows for tags in `up_closure()` of the changed tags
  (the tags, their mergers and every meta tag above them, before or after the change) can
  differ: every edge a change adds or removes touches a changed tag, so any row it makes or
  breaks is for a tag at or above one. The refresh reads and writes just those rows.

Both refreshes compare the rows a work should have with the rows it has and write only the
difference, so refreshing works whose rows are already right costs reads only.
"""

from collections.abc import Iterable

from django.db import connection, transaction

from tags.models import Tag

CHUNK_SIZE = 1000
# Works per statement in the set-based refresh (ids are written into the SQL text).
SQL_CHUNK_SIZE = 20000

_meta_through = Tag.meta_tags.through


class _MetaGraph:
    """The meta tags above canonical tags, read lazily level by level and cached, so one
    refresh over many chunks of works reads each part of the graph once."""

    def __init__(self):
        self.metas: dict[int, set[int]] = {}
        self.loaded: set[int] = set()
        self.ancestor_cache: dict[int, frozenset[int]] = {}

    def load(self, tag_ids: Iterable[int]) -> None:
        frontier = set(tag_ids) - self.loaded
        while frontier:
            self.loaded |= frontier
            upward = set()
            for start in range(0, len(frontier), CHUNK_SIZE):
                batch = list(frontier)[start : start + CHUNK_SIZE]
                for sub_id, meta_id in _meta_through.objects.filter(
                    from_tag_id__in=batch
                ).values_list("from_tag_id", "to_tag_id"):
                    self.metas.setdefault(sub_id, set()).add(meta_id)
                    upward.add(meta_id)
            frontier = upward - self.loaded

    def ancestors(self, tag_id: int) -> frozenset[int]:
        """Every meta tag above `tag_id` (after load()); cycle-safe although the services
        refuse cycles."""
        if tag_id not in self.ancestor_cache:
            found: set[int] = set()
            stack = [tag_id]
            while stack:
                for meta_id in self.metas.get(stack.pop(), ()):
                    if meta_id not in found:
                        found.add(meta_id)
                        stack.append(meta_id)
            found.discard(tag_id)
            self.ancestor_cache[tag_id] = frozenset(found)
        return self.ancestor_cache[tag_id]


def tags_expand(tag_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each tag id: the ids of every tag a work carrying that tag is found under."""
    tag_ids = set(tag_ids)
    canonical_of = {
        pk: merger_id or pk
        for pk, merger_id in Tag.objects.filter(pk__in=tag_ids).values_list("pk", "merger_id")
    }
    graph = _MetaGraph()
    graph.load(canonical_of.values())
    return {
        pk: {pk, canonical} | graph.ancestors(canonical) for pk, canonical in canonical_of.items()
    }


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


def up_closure(tag_ids: Iterable[int]) -> set[int]:
    """The tags, their mergers, and every meta tag above those."""
    ids = set(tag_ids)
    ids |= set(
        Tag.objects.filter(pk__in=ids, merger__isnull=False).values_list("merger_id", flat=True)
    )
    graph = _MetaGraph()
    graph.load(ids)
    return ids.union(*(graph.ancestors(pk) for pk in ids))


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


def _taggings(work_ids: list[int]):
    """(work id, tag id, canonical id) for every tag the works carry: one query."""
    from works.models import TaggedWork

    for work_id, tag_id, merger_id in TaggedWork.objects.filter(
        content_object_id__in=work_ids
    ).values_list("content_object_id", "tag_id", "tag__merger_id"):
        yield work_id, tag_id, merger_id or tag_id


def _write_difference(work_ids, wanted, present) -> None:
    """Delete the present rows not wanted, insert the wanted rows not present."""
    from works.models import FilterTagging

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
    from works.models import FilterTagging

    graph = _MetaGraph()
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


def _reach(targets: set[int]) -> dict[int, set[int]]:
    """For every canonical tag at or below `targets` through sub tags: which targets it
    reaches going up its meta tags (itself included)."""
    reach: dict[int, set[int]] = {pk: {pk} for pk in targets}
    pending = dict(reach)
    while pending:
        edges = _meta_through.objects.filter(to_tag_id__in=list(pending)).values_list(
            "from_tag_id", "to_tag_id"
        )
        following: dict[int, set[int]] = {}
        for sub_id, meta_id in edges:
            new = pending[meta_id] - reach.setdefault(sub_id, set())
            if new:
                reach[sub_id] |= new
                following.setdefault(sub_id, set()).update(new)
        pending = following
    return reach


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
    from works.models import FilterTagging, TaggedWork

    targets = set(tag_ids)
    work_ids = sorted(set(work_ids))
    if not targets or not work_ids:
        return
    reach = _reach(targets)
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


class FilterChange:
    """`with FilterChange(tag_ids): <change the tag graph around these tags>` keeps every
    work's filter rows exact, touching only the works and rows the change can affect."""

    def __init__(self, tag_ids: Iterable[int]):
        self.tag_ids = set(tag_ids)

    def __enter__(self):
        self.scope = tags_scope(self.tag_ids)
        self.up = up_closure(self.tag_ids)
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            work_ids = works_carrying(self.scope | tags_scope(self.tag_ids))
            works_refresh_filter_tags(work_ids, self.up | up_closure(self.tag_ids))
        return False


def tags_refresh_filters(tag_ids: Iterable[int]) -> int:
    """Rewrite all the rows of the works whose rows depend on these tags (repair, tests).

    Returns the number of works refreshed.
    """
    work_ids = works_carrying(tags_scope(tag_ids))
    works_refresh_filters(work_ids)
    return len(work_ids)
