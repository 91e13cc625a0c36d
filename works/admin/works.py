"""Moderators' admin for works, chapters, series, collections and stats.

Rendered `*_html` fields are read-only (the admin shows their markup as escaped text), titles
and names are plain text, and every write that changes what a work derives from its chapters
goes through works.services.posting.
"""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from archive.admin import ReasonForm, action_with_form
from archive.forms import ORPHAN_LOGIN
from archive.queue import enqueue
from works.models import (
    Chapter,
    Collection,
    CollectionItem,
    CollectionPrompt,
    Series,
    SeriesWork,
    Work,
    WorkCreator,
    WorkStats,
)
from works.services import moderation, posting


def _on_a_worker(task, request):
    """A big mass action's selection, handed to `task` on the queue (archive/queue.py)."""

    def background(ids, data):
        enqueue(task, work_ids=ids, moderator_id=request.user.pk, reason=data["reason"])

    return background


def _names(users):
    return ", ".join(user.username for user in users)


class OrphanedFilter(admin.SimpleListFilter):
    """Works orphan_account holds (works/services/orphans.py)."""

    title = _("orphaned")
    parameter_name = "orphaned"

    def lookups(self, request, model_admin):
        return [("yes", _("Orphaned")), ("no", _("Not orphaned"))]

    def queryset(self, request, queryset):
        orphaned = WorkCreator.objects.filter(user__username=ORPHAN_LOGIN).values("work_id")
        if self.value() == "yes":
            return queryset.filter(pk__in=orphaned)
        if self.value() == "no":
            return queryset.exclude(pk__in=orphaned)
        return queryset


class WorkCreatorForm(forms.ModelForm):
    """A creatorship names a pseud; its user is the pseud's (never typed apart)."""

    class Meta:
        model = WorkCreator
        fields = ("pseud", "position")

    def clean(self):
        data = super().clean()
        if data.get("pseud") is not None:
            self.instance.user = data["pseud"].user
        return data


class WorkCreatorInline(admin.TabularInline):
    model = WorkCreator
    form = WorkCreatorForm
    extra = 0
    autocomplete_fields = ("pseud",)
    verbose_name = _("creator")
    verbose_name_plural = _("creators")


class ChapterInline(admin.TabularInline):
    """The work's chapters at a glance; the text is edited on the chapter's own page."""

    model = Chapter
    extra = 0
    fields = ("position", "title", "posted", "published_at", "word_count")
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    ordering = ("position", "id")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WorkStatsInline(admin.StackedInline):
    model = WorkStats
    can_delete = False
    readonly_fields = ("hits", "kudos", "comments", "bookmarks", "subscriptions")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "creator_names",
        "posted",
        "hidden_by_moderator",
        "restricted",
        "language",
        "revised_at",
    )
    list_filter = (
        OrphanedFilter,
        "posted",
        "hidden_by_moderator",
        "restricted",
        "language",
        "is_complete",
    )
    # A user's works are found by their login or under any of their pseuds (an orphaned work
    # under the pseud name it kept, too).
    search_fields = ("title", "creators__username", "pseuds__name")
    date_hierarchy = "revised_at"
    list_select_related = ("stats",)
    actions = ("hide_works", "unhide_works")
    inlines = (WorkCreatorInline, ChapterInline, WorkStatsInline)
    readonly_fields = (
        "creator_names",
        "tag_list",
        "summary_html",
        "notes_html",
        "endnotes_html",
        "render_version",
        "chapter_count",
        "word_count",
        "is_complete",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            _("Moderation"),
            {"fields": ("hidden_by_moderator", "hidden_reason")},
        ),
        (
            _("Work"),
            {
                "fields": (
                    "title",
                    "creator_names",
                    "tag_list",
                    "language",
                    "posted",
                    "restricted",
                    "comment_permission",
                    "moderate_comments",
                    "expected_chapters",
                    "published_at",
                    "revised_at",
                )
            },
        ),
        (_("Text"), {"fields": ("summary", "notes", "endnotes")}),
        (
            _("Rendered (read-only)"),
            {
                "classes": ("collapse",),
                "fields": ("summary_html", "notes_html", "endnotes_html", "render_version"),
            },
        ),
        (
            _("Derived (read-only)"),
            {
                "fields": (
                    "chapter_count",
                    "word_count",
                    "is_complete",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("creators")

    @admin.display(description=_("creators"))
    def creator_names(self, work):
        return _names(work.creators.all())

    @admin.display(description=_("tags"))
    def tag_list(self, work):
        return ", ".join(f"{tag.name} ({tag.get_type_display()})" for tag in work.tags.all())

    def has_add_permission(self, request):
        # Works are posted through the site, which creates their creators, stats and chapters.
        return False

    def save_model(self, request, obj, form, change):
        # Through the service, so derived fields (completeness) and tag counts (a work hidden
        # or unhidden stops or starts counting) follow the change. Hiding and unhiding go
        # through works.services.moderation: recorded, and the creators are told.
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        hidden = fields.pop("hidden_by_moderator", None)
        reason = fields.pop("hidden_reason", obj.hidden_reason)
        with transaction.atomic():
            if fields:
                posting.work_update(work=obj, fields=fields)
            if hidden is True:
                moderation.work_hide(work=obj, moderator=request.user, reason=reason)
            elif hidden is False:
                moderation.work_unhide(work=obj, moderator=request.user, reason=reason)
            elif "hidden_reason" in form.changed_data:
                posting.work_update(work=obj, fields={"hidden_reason": reason})

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class ReasonRequiredForm(form):
            def clean(self):
                data = super().clean()
                if data.get("hidden_by_moderator") and not data.get("hidden_reason", "").strip():
                    self.add_error("hidden_reason", _("Give the reason: the creators are told it."))
                return data

        return ReasonRequiredForm

    def delete_model(self, request, obj):
        posting.work_delete(work=obj)

    def delete_queryset(self, request, queryset):
        for work in queryset:
            posting.work_delete(work=work)

    @admin.action(description=_("Hide selected works from readers"), permissions=["change"])
    def hide_works(self, request, queryset):
        def apply(work, data):
            if work.hidden_by_moderator:
                return False
            moderation.work_hide(work=work, moderator=request.user, reason=data["reason"])
            return True

        return action_with_form(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=_("Hide works"),
            apply=apply,
            background=_on_a_worker(moderation.works_hide_task, request),
        )

    @admin.action(description=_("Unhide selected works"), permissions=["change"])
    def unhide_works(self, request, queryset):
        def apply(work, data):
            if not work.hidden_by_moderator:
                return False
            moderation.work_unhide(work=work, moderator=request.user, reason=data["reason"])
            return True

        return action_with_form(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=_("Unhide works"),
            apply=apply,
            background=_on_a_worker(moderation.works_unhide_task, request),
        )


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ("__str__", "work", "position", "posted", "word_count", "published_at")
    list_filter = ("posted",)
    search_fields = ("title", "work__title", "work__creators__username")
    list_select_related = ("work",)
    raw_id_fields = ("work",)
    readonly_fields = (
        "body_html",
        "summary_html",
        "notes_html",
        "endnotes_html",
        "render_version",
        "word_count",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {"fields": ("work", "position", "title", "posted", "published_at", "word_count")},
        ),
        (_("Text"), {"fields": ("summary", "notes", "body", "endnotes")}),
        (
            _("Rendered (read-only)"),
            {
                "classes": ("collapse",),
                "fields": (
                    "summary_html",
                    "notes_html",
                    "body_html",
                    "endnotes_html",
                    "render_version",
                ),
            },
        ),
        (_("Dates"), {"fields": ("created_at", "updated_at")}),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        posting.work_refresh(obj.work)

    def delete_view(self, request, object_id, extra_context=None):
        # The only chapter (or the only posted one) of a work stays: say so on its page rather
        # than letting the service refuse after the confirmation (a 500).
        chapter = self.get_object(request, object_id)
        if chapter is not None and not posting.chapter_can_delete(chapter):
            self.message_user(
                request,
                _("The only chapter of a work, or the only posted one of a posted work, stays."),
                messages.ERROR,
            )
            return redirect(reverse("admin:works_chapter_change", args=[chapter.pk]))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        posting.chapter_delete(chapter=obj)


class SeriesWorkInline(admin.TabularInline):
    model = SeriesWork
    extra = 0
    autocomplete_fields = ("work",)
    ordering = ("position", "id")


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ("title", "creator_names", "is_complete", "updated_at")
    list_filter = ("is_complete",)
    search_fields = ("title", "creators__username")
    autocomplete_fields = ("creators",)
    readonly_fields = ("description_html", "notes_html", "render_version", "created_at")
    inlines = (SeriesWorkInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("creators")

    @admin.display(description=_("creators"))
    def creator_names(self, series):
        return _names(series.creators.all())


class CollectionPromptInline(admin.TabularInline):
    model = CollectionPrompt
    extra = 0
    fields = ("position", "title", "tag", "description")
    raw_id_fields = ("tag",)
    ordering = ("position", "id")


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    extra = 0
    fields = ("work", "collection_approval", "author_approval", "created_at")
    autocomplete_fields = ("work",)


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "title",
        "owner",
        "is_moderated",
        "is_closed",
        "is_anonymous",
        "is_unrevealed",
    )
    list_filter = ("is_moderated", "is_closed", "is_anonymous", "is_unrevealed")
    search_fields = ("name", "title", "owner__username")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner", "moderators", "parent")
    readonly_fields = ("description_html", "rules_html", "render_version", "created_at")
    inlines = (CollectionPromptInline, CollectionItemInline)


@admin.register(WorkStats)
class WorkStatsAdmin(admin.ModelAdmin):
    """Counters are written by the site (F() updates, the hit buffer), never by hand."""

    list_display = ("work", "hits", "kudos", "comments", "bookmarks", "subscriptions")
    list_select_related = ("work",)
    search_fields = ("work__title",)
    readonly_fields = ("work", "hits", "kudos", "comments", "bookmarks", "subscriptions")
    ordering = ("-hits",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Stats go with their work: whoever may delete works may delete them along.
        return request.user.has_perm("works.delete_work")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
