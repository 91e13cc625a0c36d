"""The works' side of wrangling: answers to tags.signals, connected in works/apps.py.

The tags app changes only its own tables and says what changed; these receivers keep the
works' tables in step (taggings, filter rows, search documents, counts, cached pages). They
run inside the wrangling service's transaction, so both sides commit or roll back together;
the search documents and tag counts of any number of works are enqueued there as tasks
(works/services/search_reindex.py, tag_counts.py), which run once that transaction commits.
"""

from archive.queue import enqueue
from tags.models import Tag
from tags.signals import tag_deleting, tag_graph_changed, tag_renamed, tags_merged, tags_wrangling
from works.cache import pages as page_cache
from works.models import FilterTagging, TaggedWork
from works.services import filter_rows
from works.services.search_reindex import tag_works_reindex, works_reindex_later
from works.services.tag_counts import tags_recount_task


def on_tags_wrangling(sender, *, tag_ids, **kwargs) -> None:
    page_cache.site_changed()  # work pages show tag names and links


def on_tag_graph_changed(sender, *, scope, filter_tag_ids, **kwargs) -> None:
    filter_rows.works_refresh_filter_tags(filter_rows.works_carrying(scope), filter_tag_ids)


def on_tag_renamed(sender, *, tag_id, **kwargs) -> None:
    enqueue(tag_works_reindex, tag_id=tag_id)  # found by the new name


def on_tags_merged(sender, *, source_id, target_id, filter_tag_ids, **kwargs) -> int:
    """Move the source's works to the target (a work carrying both keeps one tagging)."""
    work_ids = filter_rows.works_carrying([source_id])
    already = TaggedWork.objects.filter(tag_id=target_id).values("content_object_id")
    TaggedWork.objects.filter(tag_id=source_id).exclude(content_object_id__in=already).update(
        tag_id=target_id
    )
    TaggedWork.objects.filter(tag_id=source_id).delete()
    filter_rows.works_refresh_filter_tags(work_ids, filter_tag_ids)
    works_reindex_later(work_ids)
    enqueue(tags_recount_task, tag_ids=[source_id, target_id])
    return len(work_ids)


def on_tag_deleting(sender, *, tag_id, **kwargs) -> None:
    """The tag is out of the graph already: its works drop it and its own filter rows."""
    carriers = filter_rows.works_carrying([tag_id])
    TaggedWork.objects.filter(tag_id=tag_id).delete()
    FilterTagging.objects.filter(tag_id=tag_id).delete()
    works_reindex_later(carriers)


def connect() -> None:
    for signal, receiver in (
        (tags_wrangling, on_tags_wrangling),
        (tag_graph_changed, on_tag_graph_changed),
        (tag_renamed, on_tag_renamed),
        (tags_merged, on_tags_merged),
        (tag_deleting, on_tag_deleting),
    ):
        signal.connect(receiver, sender=Tag, dispatch_uid=f"works_{receiver.__name__}")
