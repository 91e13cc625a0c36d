"""What a tag puts in the works' filter rows (works.FilterTagging), read from tags alone.

A work is found under each tag it carries, under that tag's canonical form (its merger), and
under every meta tag of the canonical form, transitively. Readers filtering on a canonical
tag therefore find works tagged with it, with its synonyms, with its sub tags (at any depth)
and with their synonyms.

Keeping the rows exact (the works app writes them: works/services/filter_rows.py):

- a work's tags change: works refreshes that work's rows;
- a tag is wrangled: the wrangling services wrap the change in `FilterChange(tag_ids)`, which
  sends `tags.signals.tag_graph_changed` when the change is made. Only the works carrying a
  tag in `tags_scope()` of the changed tags (the tags themselves, their synonyms, their sub
  tags at any depth and the synonyms of those) can have rows that depend on the change, and
  only their rows for tags in `up_closure()` of the changed tags (the tags, their mergers and
  every meta tag above them, before or after the change) can differ: every edge a change
  adds or removes touches a changed tag, so any row it makes or breaks is for a tag at or
  above one. The refresh reads and writes just those rows.
"""

from collections.abc import Iterable

from tags.models import Tag
from tags.signals import tag_graph_changed

CHUNK_SIZE = 1000

_meta_through = Tag.meta_tags.through


class MetaGraph:
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
    graph = MetaGraph()
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
    graph = MetaGraph()
    graph.load(ids)
    return ids.union(*(graph.ancestors(pk) for pk in ids))


def reach_below(targets: set[int]) -> dict[int, set[int]]:
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


class FilterChange:
    """`with FilterChange(tag_ids): <change the tag graph around these tags>` keeps every
    work's filter rows exact: on success it tells the works app which works (by the tags they
    carry) and which of their rows the change can affect, before and after it."""

    def __init__(self, tag_ids: Iterable[int]):
        self.tag_ids = set(tag_ids)

    def __enter__(self):
        self.scope = tags_scope(self.tag_ids)
        self.up = up_closure(self.tag_ids)
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            tag_graph_changed.send(
                sender=Tag,
                scope=self.scope | tags_scope(self.tag_ids),
                filter_tag_ids=self.up | up_closure(self.tag_ids),
            )
        return False
