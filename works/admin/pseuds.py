"""Pseuds in the moderators' admin: found by their name or their account's login; a pseud's
description is rendered when saved (works/rendering.py), its works and bookmarks are listed
on the site. Pseuds are deleted by their owners on the site, where their works move to the
default pseud (works/services/pseuds.py); the admin does not delete them. Former logins are
listed read-only."""

from django.contrib import admin

from archive.models import FormerLogin, Pseud
from works.rendering import render_summary
from works.services.pseuds import pseud_works_renamed


@admin.register(Pseud)
class PseudAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "is_default", "created_at")
    list_filter = ("is_default",)
    search_fields = ("name", "user__username")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    readonly_fields = ("user", "is_default", "description_html", "created_at")
    fields = ("user", "name", "is_default", "description", "description_html", "created_at")

    def has_add_permission(self, request):
        return False  # accounts get their default pseud; owners make the others

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.description_html = render_summary(obj.description or "")
        super().save_model(request, obj, form, change)
        if "name" in form.changed_data:
            pseud_works_renamed(obj)


@admin.register(FormerLogin)
class FormerLoginAdmin(admin.ModelAdmin):
    list_display = ("login", "user", "changed_at")
    search_fields = ("login", "user__username")
    list_select_related = ("user",)
    readonly_fields = ("user", "login", "changed_at")

    def has_add_permission(self, request):
        return False
