"""Sign-up, log-in, password reset and people pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("signup", views.signup, name="signup"),
    path("users/login", views.login, name="login"),
    path("users/logout", views.logout, name="logout"),
    path(
        "users/password/reset",
        views.PasswordResetView.as_view(),
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
    path("users/<str:login>", views.user_dashboard, name="user_dashboard"),
    path("users/<str:login>/works", views.user_works, name="user_works"),
    path("users/<str:login>/pseuds/<str:pseud>", views.user_pseud, name="user_pseud"),
]
