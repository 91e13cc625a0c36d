"""Moderators' admin for accounts, invitations, abuse reports, sanctions and the record of
their actions."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from archive.models import (
    AbuseReport,
    AccountDeletion,
    FailedTask,
    Invitation,
    InviteRequest,
    ModeratorAction,
    Notification,
    User,
    UserSanction,
)
from archive.services import invitations, moderation

admin.site.site_header = _("Fanfiction Archive administration")
admin.site.site_title = _("Fanfiction Archive administration")
admin.site.index_title = _("Moderation")

# Fields only a superuser may change: who is staff or superuser, and who holds which permission.
PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class SanctionForm(ReasonForm):
    ends_at = forms.DateTimeField(
        label=_("Until (YYYY-MM-DD HH:MM, UTC)"),
        required=False,
        help_text=_("Required for a suspension; empty makes a ban last until lifted."),
    )


def action_with_form(modeladmin, request, queryset, *, form_class, title, apply, background=None):
    """An admin action that first asks for a reason (and more): returns the form page until
    it is filled in, then calls apply(obj, cleaned_data) for each selected object. With
    `background(ids, cleaned_data)`, a selection of more than settings.TASKS_ADMIN_INLINE
    objects is handed to it instead (it enqueues a task, archive/queue.py)."""
    action = request.POST.get("action")
    form = form_class(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        if background is not None and queryset.count() > settings.TASKS_ADMIN_INLINE:
            ids = list(queryset.order_by("pk").values_list("pk", flat=True))
            background(ids, form.cleaned_data)
            modeladmin.message_user(
                request,
                _(
                    "%(count)d selected: the change runs in the background. The moderator "
                    "log shows each one as it is done."
                )
                % {"count": len(ids)},
                messages.SUCCESS,
            )
            return None
        count = 0
        for obj in queryset:
            if apply(obj, form.cleaned_data):
                count += 1
        modeladmin.message_user(
            request,
            ngettext("%(count)d done.", "%(count)d done.", count) % {"count": count},
            messages.SUCCESS,
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "queryset": queryset,
        "opts": modeladmin.model._meta,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "form": form,
    }
    return TemplateResponse(request, "admin/archive/moderation_action_form.html", context)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "is_active", "is_staff", "date_joined", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "view_adult", "groups", "date_joined")
    search_fields = ("username", "email")
    ordering = ("username",)
    date_hierarchy = "date_joined"
    actions = ("suspend_users", "ban_users")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Preferences"), {"fields": ("view_adult",)}),
        (_("Sign-up"), {"fields": ("invitations_left", "terms_accepted_at", "terms_version")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined", "terms_accepted_at", "terms_version")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            # Moderators manage people, not privileges (no escalation through the user form).
            fields = (*fields, *PRIVILEGE_FIELDS)
        return fields

    def has_delete_permission(self, request, obj=None):
        # Accounts are suspended or banned, never deleted by moderators.
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        # Staff accounts (other moderators, admins) are changed by superusers only: changing
        # their email or password would hand their privileges over.
        if obj is not None and (obj.is_staff or obj.is_superuser) and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        # Setting someone's password is taking over their account: superusers only.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.action(
        description=_("Suspend selected users (reason, until a date)"), permissions=["change"]
    )
    def suspend_users(self, request, queryset):
        def apply(user, data):
            if not data.get("ends_at"):
                return False
            moderation.user_suspend(
                user=user, moderator=request.user, reason=data["reason"], ends_at=data["ends_at"]
            )
            return True

        return action_with_form(
            self, request, queryset, form_class=SanctionForm, title=_("Suspend users"), apply=apply
        )

    @admin.action(description=_("Ban selected users and hide their works"), permissions=["change"])
    def ban_users(self, request, queryset):
        def apply(user, data):
            moderation.user_ban(
                user=user,
                moderator=request.user,
                reason=data["reason"],
                ends_at=data.get("ends_at"),
            )
            return True

        return action_with_form(
            self, request, queryset, form_class=SanctionForm, title=_("Ban users"), apply=apply
        )


@admin.register(AbuseReport)
class AbuseReportAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "reason",
        "status",
        "url",
        "reported_object_link",
        "assignee",
        "created_at",
    )
    list_filter = ("status", "reason", "assignee")
    search_fields = ("url", "details", "reporter_email", "reporter__username")
    date_hierarchy = "created_at"
    list_select_related = ("assignee", "reporter", "content_type")
    readonly_fields = (
        "url",
        "reason",
        "details",
        "reporter",
        "reporter_email",
        "reported_object_link",
        "created_at",
        "updated_at",
    )
    fields = (*readonly_fields, "status", "assignee", "notes")
    actions = ("mark_in_progress", "mark_resolved", "mark_dismissed")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=_("reported object"))
    def reported_object_link(self, report):
        target = report.reported_object
        if target is None:
            return "-"
        return f"{target._meta.verbose_name}: {target}"

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if fields:
            moderation.report_update(report=obj, moderator=request.user, fields=fields)

    def _set_status(self, request, queryset, status):
        count = 0
        for report in queryset:
            if report.status != status:
                moderation.report_update(
                    report=report, moderator=request.user, fields={"status": status}
                )
                count += 1
        self.message_user(
            request,
            ngettext("%(count)d report updated.", "%(count)d reports updated.", count)
            % {"count": count},
        )

    @admin.action(description=_("Mark as in progress (and assign to me)"), permissions=["change"])
    def mark_in_progress(self, request, queryset):
        for report in queryset.filter(assignee__isnull=True):
            moderation.report_update(
                report=report, moderator=request.user, fields={"assignee": request.user}
            )
        self._set_status(request, queryset, AbuseReport.Status.IN_PROGRESS)

    @admin.action(description=_("Mark as resolved"), permissions=["change"])
    def mark_resolved(self, request, queryset):
        self._set_status(request, queryset, AbuseReport.Status.RESOLVED)

    @admin.action(description=_("Mark as dismissed"), permissions=["change"])
    def mark_dismissed(self, request, queryset):
        self._set_status(request, queryset, AbuseReport.Status.DISMISSED)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModeratorAction)
class ModeratorActionAdmin(ReadOnlyAdmin):
    """The record of what moderators did: read-only for everyone, superusers included."""

    list_display = ("created_at", "moderator", "kind", "target_repr", "reason")
    list_filter = ("kind", "moderator")
    search_fields = ("target_repr", "reason", "moderator__username")
    date_hierarchy = "created_at"
    list_select_related = ("moderator",)


@admin.register(UserSanction)
class UserSanctionAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "ends_at", "lifted_at", "created_by", "created_at")
    list_filter = ("kind",)
    search_fields = ("user__username", "reason")
    list_select_related = ("user", "created_by")
    readonly_fields = ("user", "kind", "reason", "ends_at", "created_by", "created_at", "lifted_at")
    actions = ("lift",)

    def has_add_permission(self, request):
        return False  # through the user list's Suspend and Ban actions, which record them

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Lift selected suspensions or bans"), permissions=["change"])
    def lift(self, request, queryset):
        def apply(sanction, data):
            if sanction.lifted_at:
                return False
            moderation.sanction_lift(
                sanction=sanction, moderator=request.user, reason=data["reason"]
            )
            return True

        return action_with_form(
            self, request, queryset, form_class=ReasonForm, title=_("Lift sanctions"), apply=apply
        )


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "text", "read")
    list_filter = ("read",)
    search_fields = ("user__username", "text")
    list_select_related = ("user",)


@admin.register(FailedTask)
class FailedTaskAdmin(ReadOnlyAdmin):
    """Background tasks that failed on their last retry (archive/queue.py)."""

    list_display = ("failed_at", "task_path", "attempts", "error")
    search_fields = ("task_path", "error")
    readonly_fields = ("task_path", "arguments", "attempts", "error", "traceback", "failed_at")
    date_hierarchy = "failed_at"


@admin.register(InviteRequest)
class InviteRequestAdmin(admin.ModelAdmin):
    """The queue at /invite_requests, oldest first; "Send invitations" answers the selected."""

    list_display = ("email", "created_at", "language", "invitation_sent")
    list_filter = (("invitation", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("email", "invitation__code")
    date_hierarchy = "created_at"
    list_select_related = ("invitation",)
    readonly_fields = ("email", "language", "invitation", "created_at")
    actions = ("send_invitations",)

    def has_add_permission(self, request):
        return False  # visitors ask at /invite_requests

    @admin.display(description=_("invitation sent"), ordering="invitation__sent_at")
    def invitation_sent(self, invite_request):
        return invite_request.invitation.sent_at if invite_request.invitation_id else "-"

    @admin.action(description=_("Send invitations"), permissions=["change"])
    def send_invitations(self, request, queryset):
        sent = invitations.invite_requests_send(requests=queryset)
        self.message_user(
            request,
            ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", sent)
            % {"count": sent},
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Every code: who made it (none: the site), where it went, who used it."""

    list_display = ("code", "email", "creator", "sent_at", "used_by", "used_at")
    list_filter = (("used_by", admin.EmptyFieldListFilter), "sent_at")
    search_fields = ("code", "email", "creator__username", "used_by__username")
    date_hierarchy = "created_at"
    list_select_related = ("creator", "used_by")
    readonly_fields = ("code", "email", "creator", "sent_at", "used_by", "used_at", "created_at")

    def has_add_permission(self, request):
        return False  # made by sending: the queue's action, or a member's invitations page

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(AccountDeletion)
class AccountDeletionAdmin(ReadOnlyAdmin):
    """Accounts their owners deleted (works/services/leaving.py): when, and what became of
    their works; none of the account's private data."""

    list_display = (
        "deleted_at",
        "login",
        "works_orphaned",
        "works_deleted",
        "works_left_to_co_creators",
        "comments_kept",
    )
    search_fields = ("login",)
    readonly_fields = (
        "login",
        "former_user_id",
        "deleted_at",
        "works_orphaned",
        "works_deleted",
        "works_left_to_co_creators",
        "comments_kept",
    )
    date_hierarchy = "deleted_at"
