"""Sign-up, log-in, password reset and people pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("signup", views.signup, name="signup"),
    path("users/login", views.login, name="login"),
    path("users/logout", views.logout, name="logout"),
    path("users/<str:login>", views.user_dashboard, name="user_dashboard"),
    path("users/<str:login>/pseuds/<str:pseud>", views.user_pseud, name="user_pseud"),
]
