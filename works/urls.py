from django.urls import path

from works.views import (
    bookmarks,
    chapter_posting,
    client_calls,
    collection_management,
    collections,
    comments,
    people,
    posting,
    reading,
    series,
    subscriptions,
    tags,
)
from works.views import search as search_views

app_name = "works"

urlpatterns = [
    path("", people.home, name="home"),
    path("users/<str:login>", people.user_dashboard, name="user_dashboard"),
    path("users/<str:login>/works", people.user_works, name="user_works"),
    path("users/<str:login>/pseuds/<str:pseud>", people.user_pseud, name="user_pseud"),
    path("users/<str:login>/inbox", people.inbox, name="user_inbox"),
    path("users/<str:login>/stats", people.user_stats, name="user_stats"),
    path("users/<str:login>/profile", people.user_profile, name="user_profile"),
    path("works", reading.work_list, name="list"),
    path("works/new", posting.work_new, name="new"),
    path("works/search", search_views.work_search, name="search"),
    path(
        "users/<str:login>/preferences/excluded_tags",
        search_views.excluded_tags,
        name="excluded_tags",
    ),
    path("works/<id:work_id>", reading.work_detail, name="detail"),
    path("works/<id:work_id>/navigate", reading.work_navigate, name="navigate"),
    path("works/<id:work_id>/chapters/<id:chapter_id>", reading.chapter_detail, name="chapter"),
    path("works/<id:work_id>/preview", posting.work_preview, name="preview"),
    path("works/<id:work_id>/edit", posting.work_edit, name="edit"),
    path("works/<id:work_id>/edit_tags", posting.work_edit_tags, name="edit_tags"),
    path("works/<id:work_id>/delete", posting.work_delete, name="delete"),
    path("works/<id:work_id>/chapters/new", chapter_posting.chapter_new, name="chapter_new"),
    path(
        "works/<id:work_id>/chapters/manage", chapter_posting.chapter_manage, name="chapter_manage"
    ),
    path(
        "works/<id:work_id>/chapters/<id:chapter_id>/edit",
        chapter_posting.chapter_edit,
        name="chapter_edit",
    ),
    path(
        "works/<id:work_id>/chapters/<id:chapter_id>/delete",
        chapter_posting.chapter_delete,
        name="chapter_delete",
    ),
    path(
        "works/<id:work_id>/chapters/<id:chapter_id>/preview",
        chapter_posting.chapter_preview,
        name="chapter_preview",
    ),
    path(
        "downloads/<id:work_id>/<str:filename>.<str:extension>",
        reading.work_download,
        name="download",
    ),
    path("series/<id:series_id>", series.series_detail, name="series"),
    path("series/<id:series_id>/edit", series.series_edit, name="series_edit"),
    path("series/<id:series_id>/manage", series.series_manage, name="series_manage"),
    path(
        "series/<id:series_id>/works/<id:work_id>/remove",
        series.series_remove_work,
        name="series_remove_work",
    ),
    path("collections", collections.collection_index, name="collections"),
    path("collections/new", collection_management.collection_new, name="collection_new"),
    path("collections/<slug:name>", collections.collection_detail, name="collection"),
    path(
        "collections/<slug:name>/edit",
        collection_management.collection_edit,
        name="collection_edit",
    ),
    path("collections/<slug:name>/works", collections.collection_works, name="collection_works"),
    path(
        "collections/<slug:name>/fandoms",
        collections.collection_fandoms,
        name="collection_fandoms",
    ),
    path(
        "collections/<slug:name>/prompts",
        collections.collection_prompts,
        name="collection_prompts",
    ),
    path(
        "collections/<slug:name>/prompts/manage",
        collection_management.collection_prompts_manage,
        name="collection_prompts_manage",
    ),
    path(
        "collections/<slug:name>/prompts/<id:position>",
        collections.collection_prompt,
        name="collection_prompt",
    ),
    path(
        "collections/<slug:name>/items",
        collection_management.collection_items,
        name="collection_items",
    ),
    path(
        "collections/<slug:name>/reveal",
        collection_management.collection_reveal,
        name="collection_reveal",
    ),
    path(
        "works/<id:work_id>/collections/new",
        collection_management.work_add_to_collection,
        name="work_add_to_collection",
    ),
    path(
        "users/<str:login>/collection_items",
        collection_management.user_collection_items,
        name="user_collection_items",
    ),
    # Reader feedback: kudos, comments, bookmarks, subscriptions, history.
    path("works/<id:work_id>/kudos", comments.kudos_create, name="kudos_create"),
    path("kudos", comments.kudos_ao3, name="kudos_ao3"),
    path("kudos.js", client_calls.kudos_js, name="kudos_js"),
    path("comments.js", client_calls.comments_js, name="comments_js"),
    path(
        "works/<id:work_id>/chapters/<id:chapter_id>/comments",
        comments.comment_create,
        name="comment_create",
    ),
    path(
        "works/<id:work_id>/comments/unreviewed",
        comments.work_unreviewed,
        name="comments_unreviewed",
    ),
    path("comments/<id:comment_id>", comments.comment_detail, name="comment"),
    path("comments/<id:comment_id>/reply", comments.comment_reply, name="comment_reply"),
    path("comments/<id:comment_id>/edit", comments.comment_edit, name="comment_edit"),
    path("comments/<id:comment_id>/delete", comments.comment_delete, name="comment_delete"),
    path("comments/<id:comment_id>/approve", comments.comment_approve, name="comment_approve"),
    path("works/<id:work_id>/bookmarks", bookmarks.work_bookmarks, name="work_bookmarks"),
    path("works/<id:work_id>/bookmarks/new", bookmarks.bookmark_edit, name="bookmark_new"),
    path("bookmarks/<id:bookmark_id>/delete", bookmarks.bookmark_delete, name="bookmark_delete"),
    path("bookmarks/<id:bookmark_id>", bookmarks.bookmark_ao3, name="bookmark_ao3"),
    path("users/<str:login>/bookmarks", bookmarks.user_bookmarks, name="user_bookmarks"),
    # Tag pages that list works (the tags app has the indexes and autocomplete).
    path("tags/<id:tag_id>/feed.atom", tags.tag_feed, name="tag_feed"),
    path("tags/<str:name>", tags.tag_detail, name="tag"),
    path("tags/<str:name>/works", tags.tag_works, name="tag_works"),
    path("tags/<str:name>/unwrangled", tags.fandom_unwrangled, name="tag_unwrangled"),
    path("tags/<str:name>/bookmarks", bookmarks.tag_bookmarks, name="tag_bookmarks"),
    path("works/<id:work_id>/subscribe", subscriptions.subscribe_work, name="subscribe_work"),
    path(
        "series/<id:series_id>/subscribe", subscriptions.subscribe_series, name="subscribe_series"
    ),
    path("users/<str:login>/subscribe", subscriptions.subscribe_user, name="subscribe_user"),
    path(
        "subscriptions/<id:subscription_id>/delete",
        subscriptions.subscription_delete,
        name="subscription_delete",
    ),
    path(
        "users/<str:login>/subscriptions",
        subscriptions.user_subscriptions,
        name="user_subscriptions",
    ),
    path(
        "users/<str:login>/subscriptions/<id:subscription_id>",
        subscriptions.subscriptions_ao3,
        name="subscription_ao3",
    ),
    path("users/<str:login>/readings", subscriptions.user_readings, name="user_readings"),
    path("users/<str:login>/readings/clear", subscriptions.readings_clear, name="readings_clear"),
    path("works/<id:work_id>/mark_for_later", subscriptions.mark_for_later, name="mark_for_later"),
]
