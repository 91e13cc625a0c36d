"""Each work's filter tags as one array, for filtered listings on PostgreSQL.

A listing that includes several tags used to ask one EXISTS per tag of works_filtertagging
and join the answers: at 1,000,000 works, the biggest fandom with a character, a
relationship and the most used freeform meant 27,000 index probes and 236 ms
(docs/performance.md). The table works_worktagset holds, per work, the sorted ids of every
tag it is found under, with a GIN index, so "all of these tags and none of those" is one
index lookup that intersects the tags' posting lists (22 ms for the same listing).

Each row also carries copies of what a listing filters and sorts on (COPIED: visibility
flags, word count, dates, counters), so works.listing.presort can read a listing's candidates in
order from this one table.

The table is PostgreSQL's only (SQLite keeps the EXISTS form, fast enough at its sizes) and
is not a Django model: triggers on works_filtertagging keep it exact whatever writes the
filter rows (works.services.filter_rows, a cascade, the admin), statement by statement, and a
TRUNCATE of the filter rows empties it; triggers on works_work and works_workstats keep the copies.
The benchmark's generator (tests/bench/generate/) writes rows with triggers off and calls
rebuild() at the end.
mismatches() lists the rows that differ from their sources (empty when all is well).

The migrations that create the table and its triggers (works 0007, 0008, 0021) hold frozen copies
of CREATE_SQL, REBUILD_SQL, INDEX_SQL and DROP_SQL as printed from here; editing this module
changes no database. A change to the table or the triggers needs a new migration with the
new statements written out in it (on PostgreSQL the tests compare the table with
mismatches(), so a column added to COPIED without one fails them).
"""

from django.db import connection, transaction

TABLE = "works_worktagset"

# What a listing filters and sorts on besides tags, copied from works_work and
# works_workstats (works.listing.presort): (column, source expression over w = works_work and
# s = works_workstats, type).
COPIED = [
    ("posted", "w.posted", "boolean"),
    ("hidden", "w.hidden_by_moderator", "boolean"),
    ("restricted", "w.restricted", "boolean"),
    ("word_count", "w.word_count", "integer"),
    ("revised_at", "w.revised_at", "timestamp with time zone"),
    ("published_at", "w.published_at", "date"),
    ("hits", "s.hits", "integer"),
    ("kudos", "s.kudos", "integer"),
    ("comments", "s.comments", "integer"),
    ("bookmarks", "s.bookmarks", "integer"),
]
# The counters are NULL for a work without a stats row (works 0021), as the listing's own
# query, which joins works_workstats to sort or filter by a counter, leaves such a work out.
WORK_COLUMNS = [(column, source[2:]) for column, source, _ in COPIED if source.startswith("w.")]
STATS_COLUMNS = [(column, column) for column, source, _ in COPIED if "s." in source]
# The table's column holding each copied field of works_work.
COLUMN_OF_FIELD = {field: column for column, field in WORK_COLUMNS}


def rule_sql(rule: dict) -> str:
    """A visibility rule of boolean work fields (works.models.visibility, e.g. GUEST) as SQL
    over the table's copies of those fields: each True field its column, each False field
    its column negated, joined by AND."""
    terms = []
    for field, value in rule.items():
        if not isinstance(value, bool):
            raise ValueError(f"only boolean work fields are copied: {field}={value!r}")
        column = COLUMN_OF_FIELD[field]
        terms.append(column if value else f"NOT {column}")
    return " AND ".join(terms)


def _columns(prefix: str = "") -> str:
    return ", ".join(prefix + column for column, _, _ in COPIED)


def _sources() -> str:
    return ", ".join(f"{source} AS {column}" for column, source, _ in COPIED)


def _copy(key: str, pairs) -> str:
    """SQL: copy the (column, field) pairs from the changed rows (their work id in `key`)
    into the table's rows that differ."""
    assignments = ", ".join(f"{column} = n.{field}" for column, field in pairs)
    ours = ", ".join(f"t.{column}" for column, _ in pairs)
    theirs = ", ".join(f"n.{field}" for _, field in pairs)
    return (
        f"UPDATE {TABLE} t SET {assignments} FROM changed_rows n"
        f" WHERE t.work_id = n.{key} AND ({ours}) IS DISTINCT FROM ({theirs});"
    )


# Every work's row from its filter rows, its work row and its stats row; {where} narrows
# the works (empty for all).
_ROWS_SQL = f"""
SELECT a.work_id, a.tag_ids, {_sources()}
FROM (
    SELECT f.work_id, array_agg(f.tag_id ORDER BY f.tag_id) AS tag_ids
    FROM works_filtertagging f {{where}} GROUP BY f.work_id
) a
JOIN works_work w ON w.id = a.work_id
LEFT JOIN works_workstats s ON s.work_id = a.work_id
"""

# (trigger name, event, table, transition table, function): each runs once per statement.
TRIGGERS = [
    ("insert", "INSERT", "works_filtertagging", "NEW", "refresh"),
    ("delete", "DELETE", "works_filtertagging", "OLD", "refresh"),
    ("update", "UPDATE", "works_filtertagging", "NEW", "refresh"),
    ("truncate", "TRUNCATE", "works_filtertagging", None, "refresh"),
    ("work", "UPDATE", "works_work", "NEW", "work"),
    ("stats_insert", "INSERT", "works_workstats", "NEW", "stats"),
    ("stats_update", "UPDATE", "works_workstats", "NEW", "stats"),
    ("stats_delete", "DELETE", "works_workstats", "OLD", "stats"),
]
FUNCTIONS = sorted({function for *_, function in TRIGGERS})
_TRIGGERS_SQL = "\n".join(
    f"CREATE TRIGGER works_worktagset_{name} AFTER {event} ON {table}"
    + (f" REFERENCING {transition} TABLE AS changed_rows" if transition else "")
    + f" FOR EACH STATEMENT EXECUTE FUNCTION works_worktagset_{function}();"
    for name, event, table, transition, function in TRIGGERS
)
_DROP_TRIGGERS_SQL = "\n".join(
    [
        *(
            f"DROP TRIGGER IF EXISTS works_worktagset_{name} ON {table};"
            for name, _event, table, _transition, _function in TRIGGERS
        ),
        *(f"DROP FUNCTION IF EXISTS works_worktagset_{function}();" for function in FUNCTIONS),
    ]
)

CREATE_SQL = f"""
CREATE TABLE {TABLE} (
    work_id bigint PRIMARY KEY,
    tag_ids bigint[] NOT NULL,
    {", ".join(f"{column} {sql_type}" for column, _, sql_type in COPIED)}
);

CREATE FUNCTION works_worktagset_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {TABLE};
        RETURN NULL;
    END IF;
    INSERT INTO {TABLE} (work_id, tag_ids, {_columns()})
    {_ROWS_SQL.format(where="WHERE f.work_id IN (SELECT work_id FROM changed_rows)")}
    ON CONFLICT (work_id) DO UPDATE SET tag_ids = EXCLUDED.tag_ids;
    DELETE FROM {TABLE} t
    WHERE t.work_id IN (SELECT work_id FROM changed_rows)
    AND NOT EXISTS (SELECT 1 FROM works_filtertagging f WHERE f.work_id = t.work_id);
    RETURN NULL;
END
$$;

CREATE FUNCTION works_worktagset_work() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_copy("id", WORK_COLUMNS)}
    RETURN NULL;
END
$$;

CREATE FUNCTION works_worktagset_stats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE {TABLE} t SET {", ".join(f"{column} = NULL" for column, _ in STATS_COLUMNS)}
        FROM changed_rows o WHERE t.work_id = o.work_id;
        RETURN NULL;
    END IF;
    {_copy("work_id", STATS_COLUMNS)}
    RETURN NULL;
END
$$;

{_TRIGGERS_SQL}
"""

DROP_SQL = f"""
DROP TABLE IF EXISTS {TABLE};
{_DROP_TRIGGERS_SQL}
"""

INDEX_SQL = f"CREATE INDEX works_worktagset_tag_ids ON {TABLE} USING gin (tag_ids)"

# The order rows are written in by rebuild() and reorder(): a work's first fandom, so that
# one fandom's works lie together on disk. A fandom's filtered listing then reads a few
# thousand neighbouring pages instead of one page per candidate scattered over the whole
# table (at 1,000,000 works: 2,918 pages instead of 7,383; docs/performance.md).
FANDOM_ORDER = (
    "(SELECT min(t.id) FROM tags_tag t WHERE t.id = ANY({rows}.tag_ids) AND t.type = 'fandom')"
    " NULLS LAST, {rows}.work_id"
)

REBUILD_SQL = f"""
INSERT INTO {TABLE} (work_id, tag_ids, {_columns()})
{_ROWS_SQL.format(where="")}
ORDER BY {FANDOM_ORDER.format(rows="a")}
"""

# reorder(): the rows copied in fandom order into a new table, which then takes the old one's
# place and names. The source tables are locked against writes meanwhile (their triggers
# would write to the old table), but not against reads, so listings go on being served.
REORDER_SQL = [
    "LOCK TABLE works_filtertagging, works_work, works_workstats IN SHARE MODE",
    f"DROP TABLE IF EXISTS {TABLE}_ordered",
    f"CREATE TABLE {TABLE}_ordered (LIKE {TABLE} INCLUDING ALL EXCLUDING INDEXES)",
    f"INSERT INTO {TABLE}_ordered SELECT * FROM {TABLE} s ORDER BY {FANDOM_ORDER.format(rows='s')}",
    f"ALTER TABLE {TABLE}_ordered ADD CONSTRAINT {TABLE}_ordered_pkey PRIMARY KEY (work_id)",
    f"CREATE INDEX {TABLE}_ordered_tag_ids ON {TABLE}_ordered USING gin (tag_ids)",
    f"DROP TABLE {TABLE}",
    f"ALTER TABLE {TABLE}_ordered RENAME TO {TABLE}",
    f"ALTER TABLE {TABLE} RENAME CONSTRAINT {TABLE}_ordered_pkey TO {TABLE}_pkey",
    f"ALTER INDEX {TABLE}_ordered_tag_ids RENAME TO {TABLE}_tag_ids",
]

# Rows that differ from what the filter rows, works and stats say (for tests and checks).
MISMATCH_SQL = f"""
SELECT coalesce(x.work_id, t.work_id) FROM ({_ROWS_SQL.format(where="")}) x
FULL JOIN {TABLE} t ON t.work_id = x.work_id
WHERE (x.tag_ids, {_columns("x.")}) IS DISTINCT FROM (t.tag_ids, {_columns("t.")})
"""


def available() -> bool:
    return connection.vendor == "postgresql"


def rebuild() -> None:
    """Every work's array from its filter rows (after rows were written with triggers off).
    The GIN index is built once over the whole table, much faster than row by row."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}")
        cursor.execute("DROP INDEX IF EXISTS works_worktagset_tag_ids")
        cursor.execute(REBUILD_SQL)
        cursor.execute(INDEX_SQL)


def reorder() -> None:
    """Rewrite the table in fandom order (manage.py listing_reorder), in one transaction: the
    rows written since the last rebuild or reorder were appended wherever there was room."""
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in REORDER_SQL:
            cursor.execute(statement)
        cursor.execute(f"ANALYZE {TABLE}")


def matching_condition(included: list[int], excluded: list[int]) -> tuple[str, list]:
    """The condition on a row of the table for a work found under every tag of `included`
    and none of `excluded` (`included` must not be empty: a work with no filter rows has no
    array)."""
    sql, params = "tag_ids @> %s::bigint[]", [list(included)]
    if excluded:
        sql += " AND NOT tag_ids && %s::bigint[]"
        params.append(list(excluded))
    return sql, params


def matching_sql(included: list[int], excluded: list[int]) -> tuple[str, list]:
    """SQL for the ids of works found under every tag of `included` and none of `excluded`."""
    where, params = matching_condition(included, excluded)
    return f"SELECT work_id FROM {TABLE} WHERE {where}", params


def mismatches() -> list[int]:
    """Works whose row is missing, extra or out of date (empty when the triggers did their
    job)."""
    with connection.cursor() as cursor:
        cursor.execute(MISMATCH_SQL)
        return [row[0] for row in cursor.fetchall()]


def id_array(ids) -> str:
    """Ids as a PostgreSQL array literal ('{1,2,3}') for a `%s::bigint[]` parameter: psycopg
    adapts a list of 4,800 ints in about 1.4 ms, a string in a few microseconds (a new filter
    at a million works sends two such lists)."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"
