from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from archive.params import IdConverter


def _sync_moderator_group(sender, using="default", **kwargs):
    from django.contrib.auth.models import Group, Permission

    from archive.services.moderation import moderator_group_sync

    if not Group.objects.using(using).filter(name="Moderator").exists():
        return  # the data migration creates it; an unmigrated database has nothing to sync
    moderator_group_sync(group_model=Group, permission_model=Permission)


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Archive")

    def ready(self):
        from django.urls import register_converter

        from archive import checks  # noqa: F401  (registers the database check)

        # <id:work_id> in every URL pattern: ASCII digits naming a possible row, else 404.
        register_converter(IdConverter, "id")
        # After every migrate (permissions are created then), so models that appear later,
        # such as comments, join the Moderator group.
        post_migrate.connect(_sync_moderator_group, dispatch_uid="archive_moderator_group")
