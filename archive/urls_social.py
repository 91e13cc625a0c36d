"""A user's inbox, blocked and muted users (issue 5)."""

from django.urls import path

from . import views_social

urlpatterns = [
    path("users/<str:login>/inbox", views_social.inbox, name="user_inbox"),
    path("users/<str:login>/blocked", views_social.blocked, name="user_blocked"),
    path("users/<str:login>/muted", views_social.muted, name="user_muted"),
    path(
        "users/<str:login>/preferences/feedback",
        views_social.feedback_preferences,
        name="user_feedback_preferences",
    ),
]
