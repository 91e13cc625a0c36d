"""works_worktagset also holds what listings filter and sort on (visibility flags, word
count, dates, counters), kept by triggers on works_work and works_workstats (PostgreSQL
only; see works/tagsets.py and works/presort.py). The table is derived, so it is rebuilt."""

from django.db import migrations

from works import tagsets


class Migration(migrations.Migration):
    dependencies = [("works", "0007_work_tag_sets_for_filtering")]

    operations = [migrations.RunPython(tagsets.recreate, tagsets.recreate)]
