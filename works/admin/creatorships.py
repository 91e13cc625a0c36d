"""Co-creator invitations in the moderators' admin, read-only: found by the work's title or
the invitee's pseud or login. Invitees answer them on the site (works/services/creatorships.py);
accepted ones are the work's creators, edited on the work's page."""

from django.contrib import admin

from works.models import CreatorshipInvitation


@admin.register(CreatorshipInvitation)
class CreatorshipInvitationAdmin(admin.ModelAdmin):
    list_display = ("work", "pseud", "user", "invited_by", "created_at")
    search_fields = ("work__title", "pseud__name", "user__username")
    list_select_related = ("work", "pseud__user", "user", "invited_by")
    fields = ("work", "pseud", "user", "invited_by", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
