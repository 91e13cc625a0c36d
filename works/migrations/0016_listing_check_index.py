"""A covering index for the check of a new filter's candidates (works.listing.presort:
Presorted.check; docs/performance.md, "Filters nobody asked for before"). The check probes
works_work once per candidate for the listing's visibility, word range and dates; with every
column it tests in the index, each probe is an index-only scan instead of a read of the wide
work row (at 1,000,000 works: 5,400 heap pages a new filter read, 39 MB of index instead of
663 MB of table). PostgreSQL only, like works 0004."""

from django.db import migrations

NAME = "work_listing_check_idx"
COLUMNS = "(id) INCLUDE (posted, hidden_by_moderator, restricted, word_count, revised_at)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON works_work {COLUMNS}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("works", "0015_chapter_creators")]

    operations = [migrations.RunPython(create, drop)]
