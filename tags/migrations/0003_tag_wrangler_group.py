"""The "Tag wrangler" group: exactly what wranglers need, nothing else.

View and change tags (wrangling happens on existing tags; no adding or deleting), and view
works to see what a tag is used on. No permission on users, and none to add, change or delete
works (a wrangler can't hide a work). Members also need `is_staff` to reach the admin.
"""

from django.db import migrations

GROUP_NAME = "Tag wrangler"
PERMISSIONS = [
    ("tags", "tag", "view_tag"),
    ("tags", "tag", "change_tag"),
    ("works", "work", "view_work"),
]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure these exist now.
    using = schema_editor.connection.alias
    for app_label in ("tags", "works"):
        app_config = apps.get_app_config(app_label)
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps, using=using)
        app_config.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    permissions = [
        Permission.objects.get(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        )
        for app_label, model, codename in PERMISSIONS
    ]
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tags", "0002_fixed_tags"),
        ("works", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_group, remove_group)]
