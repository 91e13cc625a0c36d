"""The "Moderator" group: works, chapters, comments, users, reports and moderator actions.

View and change (no deleting users or works), no auth.Group or Permission changes, nothing
else. The list lives in archive.moderation.MODERATOR_PERMISSIONS; archive's post_migrate
handler syncs it again, so models added later (comments) join the group. Members also need
`is_staff` to reach the admin.
"""

from django.db import migrations


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from archive.moderation import MODERATOR_PERMISSIONS, moderator_group_sync

    using = schema_editor.connection.alias
    for app_label in sorted({app_label for app_label, _model, _actions in MODERATOR_PERMISSIONS}):
        try:
            app_config = apps.get_app_config(app_label)
        except LookupError:
            continue
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps, using=using)
        app_config.models_module = previous
    moderator_group_sync(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderator").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0002_moderation"),
        ("works", "0001_initial"),
        ("tags", "0003_tag_wrangler_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_group, remove_group)]
