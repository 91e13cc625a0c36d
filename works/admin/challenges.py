"""Challenges and tag sets in the admin (issue 20): moderators look a challenge, a sign-up, a
match, an assignment, a claim or a tag set up, and read the audit of the challenge's
moderators (read-only: it is a record). Most of the work happens on the challenge's own
pages; here the rows are read-mostly."""

from django.contrib import admin
from django.db import models

from works.models import (
    Assignment,
    Challenge,
    ChallengeAction,
    Claim,
    MatchRun,
    PotentialMatch,
    Prompt,
    PromptRules,
    Signup,
    TagNomination,
    TagSet,
)


class PromptRulesInline(admin.StackedInline):
    model = PromptRules
    extra = 0
    max_num = 2


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ("collection", "kind", "signups_open_at", "signups_close_at", "created_at")
    list_filter = ("kind",)
    search_fields = ("collection__name", "collection__title")
    raw_id_fields = ("collection", "tag_set")
    list_select_related = ("collection",)
    readonly_fields = (
        "signup_instructions_html",
        "request_instructions_html",
        "offer_instructions_html",
        "assignments_sent_at",
        "created_at",
    )
    inlines = [PromptRulesInline]


class PromptInline(admin.StackedInline):
    model = Prompt
    extra = 0
    fields = ("side", "position", "title", "url", "description", "anonymous", "tags")
    raw_id_fields = ("tags",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Signup)
class SignupAdmin(admin.ModelAdmin):
    list_display = ("pseud", "challenge", "pinch_hitter", "created_at", "updated_at")
    list_filter = ("pinch_hitter",)
    search_fields = ("pseud__name", "user__username", "challenge__collection__name")
    raw_id_fields = ("challenge", "user", "pseud")
    list_select_related = ("pseud__user", "challenge__collection")
    readonly_fields = ("created_at", "updated_at")
    inlines = [PromptInline]


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):
    list_display = ("__str__", "side", "challenge", "signup", "anonymous", "created_at")
    list_filter = ("side", "anonymous")
    search_fields = ("title", "signup__pseud__name", "challenge__collection__name")
    raw_id_fields = ("signup", "challenge", "tags")
    readonly_fields = ("description_html", "created_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ("challenge", "status", "participants", "matched", "good_matches", "seconds")
    list_filter = ("status",)
    raw_id_fields = ("challenge", "requested_by")
    readonly_fields = ("created_at", "finished_at")


@admin.register(PotentialMatch)
class PotentialMatchAdmin(admin.ModelAdmin):
    list_display = ("challenge", "giver", "recipient", "score", "prompts_matched")
    raw_id_fields = ("challenge", "giver", "recipient")


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("challenge", "giver", "recipient", "sent_at", "defaulted_at", "fulfilled_at")
    search_fields = ("challenge__collection__name", "giver__pseud__name", "recipient__pseud__name")
    raw_id_fields = ("challenge", "giver", "recipient", "pinch_hitter", "work")
    readonly_fields = ("created_at",)


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ("prompt", "challenge", "pseud", "work", "fulfilled_at")
    search_fields = ("pseud__name", "user__username", "challenge__collection__name")
    raw_id_fields = ("prompt", "challenge", "user", "pseud", "work")
    readonly_fields = ("created_at",)


@admin.register(ChallengeAction)
class ChallengeActionAdmin(admin.ModelAdmin):
    """The audit: read-only, for no one may rewrite what a moderator did."""

    list_display = ("created_at", "challenge", "actor", "action", "detail")
    list_filter = ("action",)
    search_fields = ("challenge__collection__name", "actor__username", "detail")
    list_select_related = ("challenge__collection", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TagSet)
class TagSetAdmin(admin.ModelAdmin):
    list_display = ("title", "nominations_open_at", "nominations_close_at", "created_at")
    search_fields = ("title",)
    raw_id_fields = ("owners", "moderators", "tags")
    readonly_fields = ("description_html", "created_at")


@admin.register(TagNomination)
class TagNominationAdmin(admin.ModelAdmin):
    list_display = ("name", "tag_type", "tag_set", "nominator", "status", "reviewed_at")
    list_filter = ("status", "tag_type")
    search_fields = ("name", "parent_name", "tag_set__title", "nominator__username")
    raw_id_fields = ("tag_set", "nominator", "tag", "reviewed_by")
    readonly_fields = ("created_at", "reviewed_at")
