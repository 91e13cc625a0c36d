import os
import sys

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from archive.params import IdConverter, NameConverter


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

        # The account cache's receivers, and the database check.
        from archive import backends, checks  # noqa: F401

        # <id:work_id> in every URL pattern: ASCII digits naming a possible row, else 404.
        register_converter(IdConverter, "id")
        # <name:login> and every other name in a path: Django's str without a NUL, else 404.
        register_converter(NameConverter, "name")
        # After every migrate (permissions are created then), so models that appear later,
        # such as comments, join the Moderator group.
        post_migrate.connect(_sync_moderator_group, dispatch_uid="archive_moderator_group")

        from django.db.models.signals import post_save, pre_save

        from archive.models import User
        from archive.models.pseuds import default_pseud_create, default_pseud_follow_login

        # Every account, however it is made, gets its default pseud, and that pseud follows a
        # changed login (archive/models/pseuds.py).
        post_save.connect(default_pseud_create, sender=User, dispatch_uid="archive_default_pseud")
        pre_save.connect(
            default_pseud_follow_login, sender=User, dispatch_uid="archive_pseud_follows_login"
        )

        from django.conf import settings
        from django_tasks.signals import task_finished

        from archive import queue

        task_finished.connect(queue.on_task_finished, dispatch_uid="archive_tick_restart")
        if settings.TASKS_WORKER_THREAD and _serving():
            queue.start_worker_thread()


def _serving() -> bool:
    """True in a process that serves requests: runserver's child (the one that reloads), or
    gunicorn; never in migrate, shell, tests or the db_worker command."""
    argv = " ".join(sys.argv)
    if "runserver" in argv:
        return os.environ.get("RUN_MAIN") == "true" or "--noreload" in argv
    return "gunicorn" in argv
