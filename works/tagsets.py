"""Each work's filter tags as one array, for filtered listings on PostgreSQL.

A listing that includes several tags used to ask one EXISTS per tag of works_filtertagging
and join the answers: at 1,000,000 works, the biggest fandom with a character, a
relationship and the most used freeform meant 27,000 index probes and 236 ms
(docs/performance.md). The table works_worktagset holds, per work, the sorted ids of every
tag it is found under, with a GIN index, so "all of these tags and none of those" is one
index lookup that intersects the tags' posting lists (22 ms for the same listing).

The table is PostgreSQL's only (SQLite keeps the EXISTS form, fast enough at its sizes) and
is not a Django model: triggers on works_filtertagging keep it exact whatever writes the
filter rows (tags.filtering, a cascade, the admin), statement by statement, and a TRUNCATE
of the filter rows empties it. `manage.py generate_archive` writes filter rows with triggers
off and calls rebuild() at the end.
"""

from django.db import connection

TABLE = "works_worktagset"

CREATE_SQL = f"""
CREATE TABLE {TABLE} (
    work_id bigint PRIMARY KEY,
    tag_ids bigint[] NOT NULL
);

CREATE FUNCTION works_worktagset_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {TABLE};
        RETURN NULL;
    END IF;
    INSERT INTO {TABLE} (work_id, tag_ids)
    SELECT f.work_id, array_agg(f.tag_id ORDER BY f.tag_id) FROM works_filtertagging f
    WHERE f.work_id IN (SELECT work_id FROM changed_rows)
    GROUP BY f.work_id
    ON CONFLICT (work_id) DO UPDATE SET tag_ids = EXCLUDED.tag_ids;
    DELETE FROM {TABLE} t
    WHERE t.work_id IN (SELECT work_id FROM changed_rows)
    AND NOT EXISTS (SELECT 1 FROM works_filtertagging f WHERE f.work_id = t.work_id);
    RETURN NULL;
END
$$;

CREATE TRIGGER works_worktagset_insert AFTER INSERT ON works_filtertagging
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION works_worktagset_refresh();
CREATE TRIGGER works_worktagset_delete AFTER DELETE ON works_filtertagging
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION works_worktagset_refresh();
CREATE TRIGGER works_worktagset_update AFTER UPDATE ON works_filtertagging
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION works_worktagset_refresh();
CREATE TRIGGER works_worktagset_truncate AFTER TRUNCATE ON works_filtertagging
    FOR EACH STATEMENT EXECUTE FUNCTION works_worktagset_refresh();
"""

DROP_SQL = f"""
DROP TABLE IF EXISTS {TABLE};
DROP TRIGGER IF EXISTS works_worktagset_insert ON works_filtertagging;
DROP TRIGGER IF EXISTS works_worktagset_delete ON works_filtertagging;
DROP TRIGGER IF EXISTS works_worktagset_update ON works_filtertagging;
DROP TRIGGER IF EXISTS works_worktagset_truncate ON works_filtertagging;
DROP FUNCTION IF EXISTS works_worktagset_refresh();
"""

INDEX_SQL = f"CREATE INDEX works_worktagset_tag_ids ON {TABLE} USING gin (tag_ids)"

REBUILD_SQL = f"""
INSERT INTO {TABLE} (work_id, tag_ids)
SELECT work_id, array_agg(tag_id ORDER BY tag_id) FROM works_filtertagging GROUP BY work_id
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


def matching_sql(included: list[int], excluded: list[int]) -> tuple[str, list]:
    """SQL for the ids of works found under every tag of `included` and none of `excluded`
    (`included` must not be empty: a work with no filter rows has no array)."""
    sql = f"SELECT work_id FROM {TABLE} WHERE tag_ids @> %s::bigint[]"
    params: list = [list(included)]
    if excluded:
        sql += " AND NOT tag_ids && %s::bigint[]"
        params.append(list(excluded))
    return sql, params


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(CREATE_SQL)
        cursor.execute(REBUILD_SQL)
        cursor.execute(INDEX_SQL)  # built once over the filled table


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DROP_SQL)
