"""works_worktagset: each work's filter tag ids as a GIN-indexed array, kept by triggers
(PostgreSQL only).

The SQL is written out as works/tagsets.py generated it on the day it was frozen, so later
changes to that module cannot change what this migration does. Before that, this migration
ran the module's current SQL, so fresh databases already got the table in the shape 0008
gives it; 0008 drops and rebuilds it either way.
"""

from django.db import migrations

CREATE_SQL = """
CREATE TABLE works_worktagset (
    work_id bigint PRIMARY KEY,
    tag_ids bigint[] NOT NULL,
    posted boolean, hidden boolean, restricted boolean, word_count integer, revised_at timestamp with time zone, published_at date, hits integer, kudos integer, comments integer, bookmarks integer
);

CREATE FUNCTION works_worktagset_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM works_worktagset;
        RETURN NULL;
    END IF;
    INSERT INTO works_worktagset (work_id, tag_ids, posted, hidden, restricted, word_count, revised_at, published_at, hits, kudos, comments, bookmarks)
    
SELECT a.work_id, a.tag_ids, w.posted AS posted, w.hidden_by_moderator AS hidden, w.restricted AS restricted, w.word_count AS word_count, w.revised_at AS revised_at, w.published_at AS published_at, coalesce(s.hits, 0) AS hits, coalesce(s.kudos, 0) AS kudos, coalesce(s.comments, 0) AS comments, coalesce(s.bookmarks, 0) AS bookmarks
FROM (
    SELECT f.work_id, array_agg(f.tag_id ORDER BY f.tag_id) AS tag_ids
    FROM works_filtertagging f WHERE f.work_id IN (SELECT work_id FROM changed_rows) GROUP BY f.work_id
) a
JOIN works_work w ON w.id = a.work_id
LEFT JOIN works_workstats s ON s.work_id = a.work_id

    ON CONFLICT (work_id) DO UPDATE SET tag_ids = EXCLUDED.tag_ids;
    DELETE FROM works_worktagset t
    WHERE t.work_id IN (SELECT work_id FROM changed_rows)
    AND NOT EXISTS (SELECT 1 FROM works_filtertagging f WHERE f.work_id = t.work_id);
    RETURN NULL;
END
$$;

CREATE FUNCTION works_worktagset_work() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE works_worktagset t SET posted = n.posted, hidden = n.hidden_by_moderator, restricted = n.restricted, word_count = n.word_count, revised_at = n.revised_at, published_at = n.published_at FROM changed_rows n WHERE t.work_id = n.id AND (t.posted, t.hidden, t.restricted, t.word_count, t.revised_at, t.published_at) IS DISTINCT FROM (n.posted, n.hidden_by_moderator, n.restricted, n.word_count, n.revised_at, n.published_at);
    RETURN NULL;
END
$$;

CREATE FUNCTION works_worktagset_stats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE works_worktagset t SET hits = 0, kudos = 0, comments = 0, bookmarks = 0
        FROM changed_rows o WHERE t.work_id = o.work_id;
        RETURN NULL;
    END IF;
    UPDATE works_worktagset t SET hits = n.hits, kudos = n.kudos, comments = n.comments, bookmarks = n.bookmarks FROM changed_rows n WHERE t.work_id = n.work_id AND (t.hits, t.kudos, t.comments, t.bookmarks) IS DISTINCT FROM (n.hits, n.kudos, n.comments, n.bookmarks);
    RETURN NULL;
END
$$;

CREATE TRIGGER works_worktagset_insert AFTER INSERT ON works_filtertagging REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION works_worktagset_refresh();
CREATE TRIGGER works_worktagset_delete AFTER DELETE ON works_filtertagging REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION works_worktagset_refresh();
CREATE TRIGGER works_worktagset_update AFTER UPDATE ON works_filtertagging REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION works_worktagset_refresh();
CREATE TRIGGER works_worktagset_truncate AFTER TRUNCATE ON works_filtertagging FOR EACH STATEMENT EXECUTE FUNCTION works_worktagset_refresh();
CREATE TRIGGER works_worktagset_work AFTER UPDATE ON works_work REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION works_worktagset_work();
CREATE TRIGGER works_worktagset_stats_insert AFTER INSERT ON works_workstats REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION works_worktagset_stats();
CREATE TRIGGER works_worktagset_stats_update AFTER UPDATE ON works_workstats REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION works_worktagset_stats();
CREATE TRIGGER works_worktagset_stats_delete AFTER DELETE ON works_workstats REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION works_worktagset_stats();
"""

REBUILD_SQL = """
INSERT INTO works_worktagset (work_id, tag_ids, posted, hidden, restricted, word_count, revised_at, published_at, hits, kudos, comments, bookmarks)

SELECT a.work_id, a.tag_ids, w.posted AS posted, w.hidden_by_moderator AS hidden, w.restricted AS restricted, w.word_count AS word_count, w.revised_at AS revised_at, w.published_at AS published_at, coalesce(s.hits, 0) AS hits, coalesce(s.kudos, 0) AS kudos, coalesce(s.comments, 0) AS comments, coalesce(s.bookmarks, 0) AS bookmarks
FROM (
    SELECT f.work_id, array_agg(f.tag_id ORDER BY f.tag_id) AS tag_ids
    FROM works_filtertagging f  GROUP BY f.work_id
) a
JOIN works_work w ON w.id = a.work_id
LEFT JOIN works_workstats s ON s.work_id = a.work_id
"""

INDEX_SQL = """
CREATE INDEX works_worktagset_tag_ids ON works_worktagset USING gin (tag_ids)
"""

DROP_SQL = """
DROP TABLE IF EXISTS works_worktagset;
DROP TRIGGER IF EXISTS works_worktagset_insert ON works_filtertagging;
DROP TRIGGER IF EXISTS works_worktagset_delete ON works_filtertagging;
DROP TRIGGER IF EXISTS works_worktagset_update ON works_filtertagging;
DROP TRIGGER IF EXISTS works_worktagset_truncate ON works_filtertagging;
DROP TRIGGER IF EXISTS works_worktagset_work ON works_work;
DROP TRIGGER IF EXISTS works_worktagset_stats_insert ON works_workstats;
DROP TRIGGER IF EXISTS works_worktagset_stats_update ON works_workstats;
DROP TRIGGER IF EXISTS works_worktagset_stats_delete ON works_workstats;
DROP FUNCTION IF EXISTS works_worktagset_refresh();
DROP FUNCTION IF EXISTS works_worktagset_stats();
DROP FUNCTION IF EXISTS works_worktagset_work();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(CREATE_SQL)
        cursor.execute(REBUILD_SQL)
        cursor.execute(INDEX_SQL)  # built once over the filled table


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("works", "0006_drop_redundant_tagging_indexes")]

    operations = [migrations.RunPython(create, drop)]
