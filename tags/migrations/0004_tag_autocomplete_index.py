"""An index for autocomplete on PostgreSQL: canonical tags of a type by name prefix, any case.

Django writes `name__istartswith` as `UPPER("name"::text) LIKE UPPER('term%')`; this partial
expression index with text_pattern_ops answers it with an index range scan whatever the
database collation. SQLite (the zero-setup default) has no operator classes and needs none.
"""

from django.db import migrations

INDEX = "tags_tag_canonical_prefix"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON tags_tag "
        "(type, UPPER(name::text) text_pattern_ops) WHERE canonical"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("tags", "0003_tag_wrangler_group")]
    operations = [migrations.RunPython(create_index, drop_index)]
