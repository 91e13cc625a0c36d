"""works_worktagset: each work's filter tag ids as a GIN-indexed array, kept by triggers
(PostgreSQL only; see works/tagsets.py)."""

from django.db import migrations

from works import tagsets


class Migration(migrations.Migration):
    dependencies = [("works", "0006_drop_redundant_tagging_indexes")]

    operations = [migrations.RunPython(tagsets.forward, tagsets.backward)]
