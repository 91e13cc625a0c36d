"""Moderators' view of archive imports (works/services/archive_imports.py): each run's
progress and report (every story imported or skipped, and why), the actions that stop and
resume it, and the old accounts waiting to be claimed. Everything here is read-only: the
imports are started by `manage.py import_efiction` and changed only by its services."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from archive.errors import Refused
from works.models import ArchiveImport, ImportedCreator, ImportedStory
from works.services import archive_imports


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ImportedStoryInline(ReadOnlyMixin, admin.TabularInline):
    model = ImportedStory
    fields = ("source_id", "title", "outcome", "reason", "notes", "work")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(ArchiveImport)
class ArchiveImportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "status", "done", "total", "stop_requested", "started_at")
    list_filter = ("status",)
    readonly_fields = (
        "name",
        "source",
        "stories_dir",
        "prefix",
        "status",
        "stop_requested",
        "done",
        "total",
        "batch_size",
        "placeholder",
        "collection",
        "started_at",
        "finished_at",
    )
    inlines = [ImportedStoryInline]
    actions = ["stop", "resume"]

    def has_control_permission(self, request):
        """Stopping and resuming: moderators who may change imports."""
        return request.user.has_perm("works.change_archiveimport")

    def _each(self, request, queryset, service, done_message):
        for run in queryset:
            try:
                service(run=run)
            except Refused as refused:
                self.message_user(request, refused.message, messages.ERROR)
            else:
                self.message_user(request, done_message % {"run": run})

    @admin.action(description=_("Stop the selected imports"), permissions=["control"])
    def stop(self, request, queryset):
        self._each(request, queryset, archive_imports.archive_import_stop, _("%(run)s will stop."))

    @admin.action(description=_("Resume the selected imports"), permissions=["control"])
    def resume(self, request, queryset):
        self._each(request, queryset, archive_imports.archive_import_resume, _("%(run)s resumed."))


@admin.register(ImportedCreator)
class ImportedCreatorAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "archive_import", "claimed_by", "claimed_at")
    list_filter = ("archive_import",)
    search_fields = ("name",)
    fields = ("archive_import", "source_id", "name", "pseud", "claimed_by", "claimed_at")
    readonly_fields = fields
