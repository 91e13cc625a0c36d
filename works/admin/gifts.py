"""Gifts in the admin: moderators find a work's recipients, or what a person was given, and
whether it was refused (issue 17)."""

from django.contrib import admin

from works.models import Gift


@admin.register(Gift)
class GiftAdmin(admin.ModelAdmin):
    list_display = ("work", "name", "refused", "created_at")
    list_filter = ("refused",)
    search_fields = ("work__title", "pseud__name", "pseud__user__username", "recipient_name")
    raw_id_fields = ("work", "pseud")
    readonly_fields = ("created_at", "refused_at")
    list_select_related = ("work", "pseud__user")
