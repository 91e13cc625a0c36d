"""The filter sidebar's facets: the top tags of each type in a result, with their counts, and
the checkboxes built from them."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection

from archive.replicas import read_connection
from tags.models import FIXED_TAG_TYPES
from works.listing import options, tagsets
from works.listing.counting import facets_key
from works.listing.filters import WorkFilter
from works.listing.options import TAG_FILTER_TYPES, TYPE_KEYS


@dataclass
class Facet:
    tag_id: int
    name: str
    count: int


# Each tag grouped is looked up for its type and whether it is a synonym; only the tags that
# can be among a type's top FACETS_PER_TYPE (a count at least the type's FACETS_PER_TYPE-th
# largest) are joined to their names, for the ranking's tie-break.
#
# On PostgreSQL the look-up is a probe of the covering index tag_facet_idx per tag (tags
# 0006), kept a probe by the LATERAL subquery (joined, PostgreSQL scanned the whole tag
# table), and most tags are never looked up: of the 5,400 tags of a big fandom's first
# 1,000 works, 4,200 are found on one work only. Those are looked up only when some type
# of user tags (fandoms, relationships, characters, additional tags) has fewer than
# FACETS_PER_TYPE canonical tags found on two works or more; otherwise none of them can be
# among its type's leaders. The tags of the fixed types (ratings, warnings, categories: a
# handful) are always looked up.
_PROBE = (
    "CROSS JOIN LATERAL (SELECT type, merger_id FROM tags_tag WHERE id = {0}.tag_id OFFSET 0) t"
)
_TYPED_SQL = {
    "postgresql": f"""fixed AS (
    SELECT id FROM tags_tag WHERE type IN ({{fixed}})
), shared AS (
    SELECT h.tag_id, h.n, t.type, t.merger_id FROM hits h {_PROBE.format("h")}
    WHERE h.n >= 2 OR h.tag_id IN (SELECT id FROM fixed)
), enough AS (
    SELECT count(*) = %s AS yes FROM (
        SELECT type FROM shared WHERE merger_id IS NULL AND type IN ({{user}})
        GROUP BY type HAVING count(*) >= %s
    ) filled
), once AS (
    SELECT h.tag_id, h.n, t.type, t.merger_id FROM hits h {_PROBE.format("h")}
    WHERE NOT (SELECT yes FROM enough) AND h.n < 2 AND h.tag_id NOT IN (SELECT id FROM fixed)
), typed AS (
    SELECT tag_id, n, type FROM (SELECT * FROM shared UNION ALL SELECT * FROM once) t""",
    "sqlite": """typed AS (
    SELECT h.tag_id, h.n, t.type FROM hits h JOIN tags_tag t ON t.id = h.tag_id""",
}
# The top tags of each type from a CTE `hits` (tag_id, n) named before these: CTEs typed,
# least and ranked; the caller keeps `ranked` rows with place <= FACETS_PER_TYPE.
_RANKING_SQL = """{typed}
    WHERE t.merger_id IS NULL AND t.type IN ({types})
), least AS (
    SELECT type, min(n) AS n FROM (
        SELECT type, n, row_number() OVER (PARTITION BY type ORDER BY n DESC) AS place
        FROM typed
    ) numbered WHERE place <= %s GROUP BY type
), ranked AS (
    SELECT f.tag_id, f.n, f.type, t.name,
        row_number() OVER (PARTITION BY f.type ORDER BY f.n DESC, t.name) AS place
    FROM typed f JOIN least ON least.type = f.type AND f.n >= least.n
    JOIN tags_tag t ON t.id = f.tag_id
)"""
_FACET_SQL = """
WITH hits AS (
    SELECT ft.tag_id, count(*) AS n FROM works_filtertagging ft
    WHERE ft.work_id IN ({ids}) GROUP BY ft.tag_id
), {ranking}
SELECT tag_id, n, type, name FROM ranked WHERE place <= %s
"""


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def ranking_sql() -> tuple[str, list]:
    """SQL of the CTEs that rank the tags of a CTE `hits` (tag_id, n) by type (see
    facet_counts()), and its parameters."""
    types = list(TYPE_KEYS)
    per_type = options.FACETS_PER_TYPE
    if connection.vendor == "postgresql":
        fixed = [t for t in types if t in FIXED_TAG_TYPES]
        user = [t for t in types if t not in FIXED_TAG_TYPES]
        typed = _TYPED_SQL["postgresql"].format(
            fixed=_placeholders(fixed), user=_placeholders(user)
        )
        params = [*fixed, len(user), *user, per_type]
    else:
        typed, params = _TYPED_SQL["sqlite"], []
    sql = _RANKING_SQL.format(typed=typed, types=_placeholders(types))
    return sql, [*params, *types, per_type]


def facets_from_rows(rows, total: int) -> tuple[dict[str, list[Facet]], bool]:
    """({type key: [Facet]}, sampled) from rows (tag_id, n, type, name) of `ranked`."""
    result = {key_: [] for key_ in TYPE_KEYS.values()}
    for tag_id, n, tag_type, name in rows:
        result[TYPE_KEYS[tag_type]].append(Facet(tag_id, name, n))
    for facets in result.values():
        facets.sort(key=lambda facet: (-facet.count, facet.name.lower()))
    return result, total > options.EXACT_FACETS


def facet_counts(ids: list[int], total: int) -> tuple[dict[str, list[Facet]], bool]:
    """The top FACETS_PER_TYPE tags of each filter type among the works `ids`, in one query
    grouping their filter rows by tag id (synonyms left out: their works count under the
    canonical tag); only the groups are looked up, and only the leaders named.

    `ids` are all the works of the result, or its first FACET_SAMPLE works in the listing's
    order when the result has more than EXACT_FACETS works. Returns ({type key: [Facet]},
    sampled)."""
    if not ids:
        return facets_from_rows([], total)
    if connection.vendor == "postgresql":
        id_sql, id_params = "SELECT unnest(%s::bigint[])", [tagsets.id_array(ids)]
    else:  # integers read from the database, written into the SQL text
        id_sql, id_params = ", ".join(str(int(pk)) for pk in ids), []
    ranking, ranking_params = ranking_sql()
    sql = _FACET_SQL.format(ids=id_sql, ranking=ranking)
    params = (*id_params, *ranking_params, options.FACETS_PER_TYPE)
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return facets_from_rows(cursor.fetchall(), total)


def listing_facets(ordered, ids: list[int] | None, total: int, *, presorted=None):
    """Facets of the result: over all its works up to EXACT_FACETS, else over its first
    FACET_SAMPLE works in order (read already with the works when the tag-array table
    decides: works.listing.presort). Cached for CACHE_SECONDS from CACHE_FROM works."""
    counted = presorted.facets if presorted is not None else None
    key = facets_key(ordered, presorted) if total >= options.CACHE_FROM else None
    cached = cache.get(key) if key and counted is None else None
    if cached is not None:
        return cached
    if counted is not None:
        result = counted
    else:
        limit = options.FACET_SAMPLE if total > options.EXACT_FACETS else options.EXACT_FACETS
        if ids is None:
            ids = list(ordered.values_list("pk", flat=True)[:limit])
        result = facet_counts(ids[:limit], total)
    if key:
        cache.set(key, result, options.CACHE_SECONDS)
    return result


@dataclass
class FilterOption:
    tag_id: int
    name: str
    count: int | None
    included: bool
    excluded: bool


@dataclass
class FilterGroup:
    key: str
    label: str
    options: list


def filter_groups(work_filter: WorkFilter, facets: dict) -> list[FilterGroup]:
    """Each tag type's checkboxes: the top tags of the result with their counts, plus any tag
    the reader already included or excluded (so it can be unticked)."""
    groups = []
    for tag_filter in TAG_FILTER_TYPES:
        included = set(work_filter.include.get(tag_filter.key, ()))
        excluded = set(work_filter.exclude.get(tag_filter.key, ()))
        options, seen = [], set()
        for facet in facets.get(tag_filter.key, ()):
            seen.add(facet.tag_id)
            options.append(
                FilterOption(
                    facet.tag_id,
                    facet.name,
                    facet.count,
                    facet.tag_id in included,
                    facet.tag_id in excluded,
                )
            )
        for tag_id in sorted((included | excluded) - seen):
            tag = work_filter.tags.get(tag_id)
            if tag is not None:
                options.append(
                    FilterOption(tag_id, tag.name, None, tag_id in included, tag_id in excluded)
                )
        groups.append(FilterGroup(tag_filter.key, tag_filter.label, options))
    return groups
