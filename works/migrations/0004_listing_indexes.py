"""Indexes for the work listings, chosen with EXPLAIN ANALYZE on a generated archive
(docs/performance.md). PostgreSQL only: they use DESC NULLS LAST and INCLUDE, which match the
listing's ORDER BY and let the ordered ids of a listing come from an index-only scan."""

from django.db import migrations

VISIBILITY = "INCLUDE (posted, hidden_by_moderator, restricted)"
INDEXES = {
    "work_listing_revised_idx": f"(revised_at DESC NULLS LAST, id DESC) {VISIBILITY}",
    "work_listing_published_idx": f"(published_at DESC NULLS LAST, id DESC) {VISIBILITY}",
    "work_listing_words_idx": f"(word_count DESC NULLS LAST, id DESC) {VISIBILITY}",
    "work_listing_title_idx": "(lower(title), id)",
}
STATS_INDEXES = {
    f"workstats_{column}_idx": f"({column} DESC, work_id DESC)"
    for column in ("hits", "kudos", "comments", "bookmarks")
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON works_work {columns}")
    for name, columns in STATS_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON works_workstats {columns}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [*INDEXES, *STATS_INDEXES]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("works", "0003_feedback")]

    operations = [migrations.RunPython(create, drop)]
