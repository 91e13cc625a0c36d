"""Moderators' admin for comments: the text is read-only; hiding, unhiding, deleting and
marking as spam go through works.services.moderation (recorded, counted)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from archive.admin import ReasonForm, action_with_form
from works.models import Comment
from works.services import moderation


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("id", "work", "commenter", "status", "is_deleted", "created_at")
    list_filter = ("status", "is_deleted")
    search_fields = ("content", "guest_name", "guest_email", "user__username", "work__title")
    list_select_related = ("work", "user")
    date_hierarchy = "created_at"
    readonly_fields = (
        "work",
        "chapter",
        "parent",
        "user",
        "guest_name",
        "guest_email",
        "content",
        "status",
        "is_deleted",
        "created_at",
        "edited_at",
    )
    fields = readonly_fields
    actions = ("hide_comments", "unhide_comments", "delete_comments", "mark_spam")

    @admin.display(description=_("commenter"))
    def commenter(self, comment):
        return comment.user.username if comment.user_id else f"{comment.guest_name} (guest)"

    def has_add_permission(self, request):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # through the service, recorded
        return actions

    def delete_model(self, request, obj):
        moderation.comment_remove(comment=obj, moderator=request.user, reason="")

    def _action(self, request, queryset, title, apply):
        return action_with_form(
            self, request, queryset, form_class=ReasonForm, title=title, apply=apply
        )

    @admin.action(description=_("Hide selected comments"), permissions=["change"])
    def hide_comments(self, request, queryset):
        return self._action(
            request,
            queryset,
            _("Hide comments"),
            lambda c, d: moderation.comment_hide(
                comment=c, moderator=request.user, reason=d["reason"]
            ),
        )

    @admin.action(description=_("Unhide selected comments"), permissions=["change"])
    def unhide_comments(self, request, queryset):
        return self._action(
            request,
            queryset,
            _("Unhide comments"),
            lambda c, d: moderation.comment_unhide(
                comment=c, moderator=request.user, reason=d["reason"]
            ),
        )

    @admin.action(description=_("Delete selected comments"), permissions=["delete"])
    def delete_comments(self, request, queryset):
        return self._action(
            request,
            queryset,
            _("Delete comments"),
            lambda c, d: moderation.comment_remove(
                comment=c, moderator=request.user, reason=d["reason"]
            ),
        )

    @admin.action(description=_("Mark selected comments as spam"), permissions=["delete"])
    def mark_spam(self, request, queryset):
        return self._action(
            request,
            queryset,
            _("Mark comments as spam"),
            lambda c, d: moderation.comment_remove(
                comment=c, moderator=request.user, reason=d["reason"], spam=True
            ),
        )
