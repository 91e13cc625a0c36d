from django.urls import path

from .views import posting, reading

app_name = "works"

urlpatterns = [
    path("works", reading.work_list, name="list"),
    path("works/new", posting.work_new, name="new"),
    path("works/<int:work_id>", reading.work_detail, name="detail"),
    path("works/<int:work_id>/navigate", reading.work_navigate, name="navigate"),
    path("works/<int:work_id>/chapters/<int:chapter_id>", reading.chapter_detail, name="chapter"),
    path("works/<int:work_id>/preview", posting.work_preview, name="preview"),
    path("works/<int:work_id>/edit", posting.work_edit, name="edit"),
    path("works/<int:work_id>/edit_tags", posting.work_edit_tags, name="edit_tags"),
    path("works/<int:work_id>/delete", posting.work_delete, name="delete"),
    path("works/<int:work_id>/chapters/new", posting.chapter_new, name="chapter_new"),
    path("works/<int:work_id>/chapters/manage", posting.chapter_manage, name="chapter_manage"),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/edit",
        posting.chapter_edit,
        name="chapter_edit",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/delete",
        posting.chapter_delete,
        name="chapter_delete",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/preview",
        posting.chapter_preview,
        name="chapter_preview",
    ),
    path(
        "downloads/<int:work_id>/<str:filename>.<str:extension>",
        reading.work_download,
        name="download",
    ),
    path("series/<int:series_id>", reading.series_detail, name="series"),
    path("collections/<slug:name>", reading.collection_detail, name="collection"),
    path("collections/<slug:name>/works", reading.collection_works, name="collection_works"),
]
