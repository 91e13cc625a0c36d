"""Every existing account gets its default pseud, named as its login."""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("archive", "User")
    Pseud = apps.get_model("archive", "Pseud")
    have = set(Pseud.objects.filter(is_default=True).values_list("user_id", flat=True))
    rows = [
        Pseud(user_id=user_id, name=username, is_default=True)
        for user_id, username in User.objects.values_list("id", "username").iterator()
        if user_id not in have
    ]
    Pseud.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("archive", "0010_pseuds_and_bio")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
