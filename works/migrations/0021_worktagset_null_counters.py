"""The tag-array table's counters are NULL for a work without a stats row, instead of 0
(PostgreSQL only; works/listing/tagsets.py). The listing's own query joins works_workstats to
sort or filter by a counter, which leaves such a work out; with NULL the table says the same,
so a guest's listing can be read from the table alone (works/listing/presort.py).

The trigger functions are frozen here as works/listing/tagsets.py generated them when this
migration was written; the reverse puts back works 0008's.
"""

from django.db import migrations

NULL_FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION works_worktagset_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM works_worktagset;
        RETURN NULL;
    END IF;
    INSERT INTO works_worktagset (work_id, tag_ids, posted, hidden, restricted, word_count, revised_at, published_at, hits, kudos, comments, bookmarks)
    
SELECT a.work_id, a.tag_ids, w.posted AS posted, w.hidden_by_moderator AS hidden, w.restricted AS restricted, w.word_count AS word_count, w.revised_at AS revised_at, w.published_at AS published_at, s.hits AS hits, s.kudos AS kudos, s.comments AS comments, s.bookmarks AS bookmarks
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

CREATE OR REPLACE FUNCTION works_worktagset_stats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE works_worktagset t SET hits = NULL, kudos = NULL, comments = NULL, bookmarks = NULL
        FROM changed_rows o WHERE t.work_id = o.work_id;
        RETURN NULL;
    END IF;
    UPDATE works_worktagset t SET hits = n.hits, kudos = n.kudos, comments = n.comments, bookmarks = n.bookmarks FROM changed_rows n WHERE t.work_id = n.work_id AND (t.hits, t.kudos, t.comments, t.bookmarks) IS DISTINCT FROM (n.hits, n.kudos, n.comments, n.bookmarks);
    RETURN NULL;
END
$$;
"""

ZERO_FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION works_worktagset_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE OR REPLACE FUNCTION works_worktagset_stats() RETURNS trigger LANGUAGE plpgsql AS $$
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
"""

NULL_ROWS_SQL = """
UPDATE works_worktagset t SET hits = NULL, kudos = NULL, comments = NULL, bookmarks = NULL
WHERE NOT EXISTS (SELECT 1 FROM works_workstats s WHERE s.work_id = t.work_id)
"""

ZERO_ROWS_SQL = """
UPDATE works_worktagset SET hits = 0, kudos = 0, comments = 0, bookmarks = 0
WHERE hits IS NULL
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(NULL_FUNCTIONS_SQL)
        cursor.execute(NULL_ROWS_SQL)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(ZERO_FUNCTIONS_SQL)
        cursor.execute(ZERO_ROWS_SQL)


class Migration(migrations.Migration):
    dependencies = [("works", "0020_challenges")]

    operations = [migrations.RunPython(forward, backward)]
