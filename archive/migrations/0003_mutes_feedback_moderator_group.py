"""Mutes, blocks, the inbox and comment preferences, and the "Moderator" group, in one step.

This squashes the migrations that had two 0003s and an empty merge (0003_moderator_group,
0003_mute, 0004_feedback, 0005_feedback, 0006_merge_0003_moderator_group_0005_feedback): a
new database applies it; a database that applied all of those has it marked as applied by
`migrate` and runs nothing (Django's `replaces`). The operations are theirs, in the order a
new database applied them.

The Moderator group: view and change works, chapters, comments, users, reports and moderator
actions (no deleting users or works), no auth.Group or Permission changes, nothing else. Its
permissions are frozen here as archive/moderation.py listed them when this migration was
written; archive's post_migrate handler syncs the group to the current list after every
migrate. Members also need `is_staff` to reach the admin.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODERATOR_GROUP = "Moderator"
# (app_label, model, actions)
MODERATOR_PERMISSIONS = [
    ("works", "work", ("view", "change")),
    ("works", "chapter", ("view", "change")),
    ("works", "series", ("view", "change")),
    ("works", "collection", ("view", "change")),
    ("works", "workstats", ("view",)),
    ("works", "comment", ("view", "change", "delete")),
    ("archive", "user", ("view", "change")),
    ("archive", "abusereport", ("view", "change")),
    ("archive", "moderatoraction", ("view",)),
    ("archive", "usersanction", ("view", "add", "change")),
    ("archive", "notification", ("view",)),
    ("tags", "tag", ("view",)),
]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure these exist now.
    using = schema_editor.connection.alias
    for app_label in sorted({app_label for app_label, _model, _actions in MODERATOR_PERMISSIONS}):
        app_config = apps.get_app_config(app_label)
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps, using=using)
        app_config.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=MODERATOR_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label=app_label,
            content_type__model=model,
            codename=f"{action}_{model}",
        ).get()
        for app_label, model, actions in MODERATOR_PERMISSIONS
        for action in actions
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=MODERATOR_GROUP).delete()


class Migration(migrations.Migration):
    replaces = [
        ("archive", "0003_moderator_group"),
        ("archive", "0003_mute"),
        ("archive", "0004_feedback"),
        ("archive", "0005_feedback"),
        ("archive", "0006_merge_0003_moderator_group_0005_feedback"),
    ]

    dependencies = [
        ("archive", "0002_moderation"),
        ("works", "0003_feedback"),
        ("tags", "0003_tag_wrangler_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Mute",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "muted",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="muted_by",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "muter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mutes",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "muted user",
                "verbose_name_plural": "muted users",
                "constraints": [
                    models.UniqueConstraint(fields=("muter", "muted"), name="uniq_mute")
                ],
            },
        ),
        migrations.AddField(
            model_name='user',
            name='comment_emails',
            field=models.BooleanField(default=True, help_text='Besides the inbox, send an email for each new comment or reply.', verbose_name='email me about comments on my works'),
        ),
        migrations.AddField(
            model_name='user',
            name='history_enabled',
            field=models.BooleanField(default=True, help_text='Remember the works I read at /users/<login>/readings.', verbose_name='keep my history'),
        ),
        migrations.CreateModel(
            name='Block',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('blocked', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='blocked_by', to=settings.AUTH_USER_MODEL)),
                ('blocker', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='blocks', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'blocked user',
                'verbose_name_plural': 'blocked users',
            },
        ),
        migrations.CreateModel(
            name='InboxItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('comment', 'Comment'), ('reply', 'Reply'), ('chapter', 'New chapter'), ('work', 'New work'), ('part', 'New part of a series')], max_length=8)),
                ('is_read', models.BooleanField(default=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('chapter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='works.chapter')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='inboxitem',
            name='comment',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='works.comment'),
        ),
        migrations.AddField(
            model_name='inboxitem',
            name='recipient',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='inbox_items', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='inboxitem',
            name='series',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='works.series'),
        ),
        migrations.AddField(
            model_name='inboxitem',
            name='work',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='works.work'),
        ),
        migrations.AddConstraint(
            model_name='block',
            constraint=models.UniqueConstraint(fields=('blocker', 'blocked'), name='uniq_block'),
        ),
        migrations.AddConstraint(
            model_name='block',
            constraint=models.CheckConstraint(condition=models.Q(('blocker', models.F('blocked')), _negated=True), name='block_not_self'),
        ),
        migrations.AddIndex(
            model_name='inboxitem',
            index=models.Index(fields=['recipient', 'is_read', '-created_at'], name='archive_inb_recipie_aeb3f3_idx'),
        ),
        migrations.RunPython(create_group, remove_group),
    ]
