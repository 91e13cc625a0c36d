"""A covering index for the filter sidebar's facets (works.listing.facets): each tag a result's
works carry is looked up for its type and whether it is a synonym, an index-only probe of
6.6 MB at 138,000 tags instead of a scan of the 34 MB table. PostgreSQL only."""

from django.db import migrations

NAME = "tag_facet_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON tags_tag (id) INCLUDE (type, merger_id)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("tags", "0005_verbose_names")]

    operations = [migrations.RunPython(create, drop)]
