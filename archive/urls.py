"""The archive's URLs: site pages and accounts here, then the works app's (the home page,
people's pages, works...) and the tags app's, included by name, then the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from archive.views import (
    accounts,
    health,
    invitations,
    language,
    policies,
    preferences,
    reports,
    social,
    tokens,
)

urlpatterns = [
    path("health", health.health, name="health"),
    path("ready", health.ready, name="ready"),
    path("abuse_reports/new", reports.report_new, name="abuse_report_new"),
    path("about", preferences.about, name="about"),
    path("tos", policies.tos, name="tos"),
    path("privacy", policies.privacy, name="privacy"),
    path("content", policies.content_policy, name="content_policy"),
    path("skin", preferences.skin_choose, name="skin_choose"),
    path("language", language.language_choose, name="language_choose"),
    # Sign-up, log-in, password reset and people pages.
    path("signup", accounts.signup, name="signup"),
    path("signup/<name:code>", accounts.signup, name="signup_invited"),
    path("invite_requests", invitations.invite_requests, name="invite_requests"),
    path("invite_requests/status", invitations.invite_request_status, name="invite_request_status"),
    path("users/login", accounts.login, name="login"),
    path("users/logout", accounts.logout, name="logout"),
    path("token_dispenser.json", accounts.token_dispenser, name="token_dispenser"),
    path(
        "users/password/reset",
        accounts.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "users/password/reset/sent",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "users/password/reset/<uidb64>/<token>",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "users/password/reset/complete",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "users/password/change",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "users/password/change/done",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # A user's blocked and muted users (their dashboard, works, pseud and inbox: works.urls).
    path("users/<name:login>/blocked", social.blocked, name="user_blocked"),
    path("users/<name:login>/muted", social.muted, name="user_muted"),
    path("users/<name:login>/preferences", preferences.preferences, name="user_preferences"),
    # Issue 21: personal access tokens for the API.
    path("users/<name:login>/tokens", tokens.tokens, name="user_tokens"),
    path(
        "users/<name:login>/tokens/<id:token_id>/revoke",
        tokens.token_revoke_view,
        name="user_token_revoke",
    ),
    path("users/<name:login>/invitations", invitations.user_invitations, name="user_invitations"),
    path(
        "users/<name:login>/preferences/feedback",
        social.feedback_preferences,
        name="user_feedback_preferences",
    ),
    # Issue 21: the JSON API (works/api/), its schema at /api/v1/schema, its docs at /api/v1/docs.
    path("api/v1/", include("works.api.urls")),
    path("", include("works.urls")),
    path("", include("tags.urls")),
    path("admin/", admin.site.urls),
]
