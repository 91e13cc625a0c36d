"""Routes of reader feedback, added to the `works` namespace by works/urls.py."""

from django.urls import path

from .views import feedback

urlpatterns = [
    path("works/<id:work_id>/kudos", feedback.kudos_create, name="kudos_create"),
    path("kudos", feedback.kudos_ao3, name="kudos_ao3"),
    path(
        "works/<id:work_id>/chapters/<id:chapter_id>/comments",
        feedback.comment_create,
        name="comment_create",
    ),
    path(
        "works/<id:work_id>/comments/unreviewed",
        feedback.work_unreviewed,
        name="comments_unreviewed",
    ),
    path("comments/<id:comment_id>", feedback.comment_detail, name="comment"),
    path("comments/<id:comment_id>/reply", feedback.comment_reply, name="comment_reply"),
    path("comments/<id:comment_id>/edit", feedback.comment_edit, name="comment_edit"),
    path("comments/<id:comment_id>/delete", feedback.comment_delete, name="comment_delete"),
    path("comments/<id:comment_id>/approve", feedback.comment_approve, name="comment_approve"),
    path("works/<id:work_id>/bookmarks", feedback.work_bookmarks, name="work_bookmarks"),
    path("works/<id:work_id>/bookmarks/new", feedback.bookmark_edit, name="bookmark_new"),
    path("bookmarks/<id:bookmark_id>/delete", feedback.bookmark_delete, name="bookmark_delete"),
    path("users/<str:login>/bookmarks", feedback.user_bookmarks, name="user_bookmarks"),
    path("tags/<str:name>/bookmarks", feedback.tag_bookmarks, name="tag_bookmarks"),
    path("works/<id:work_id>/subscribe", feedback.subscribe_work, name="subscribe_work"),
    path("series/<id:series_id>/subscribe", feedback.subscribe_series, name="subscribe_series"),
    path("users/<str:login>/subscribe", feedback.subscribe_user, name="subscribe_user"),
    path(
        "subscriptions/<id:subscription_id>/delete",
        feedback.subscription_delete,
        name="subscription_delete",
    ),
    path("users/<str:login>/subscriptions", feedback.user_subscriptions, name="user_subscriptions"),
    path("users/<str:login>/readings", feedback.user_readings, name="user_readings"),
    path("users/<str:login>/readings/clear", feedback.readings_clear, name="readings_clear"),
    path("works/<id:work_id>/mark_for_later", feedback.mark_for_later, name="mark_for_later"),
]
