"""Search documents after a tag rename, merge or deletion, or a creator's rename, on the task
queue (archive/queue.py).

`works_search_retag` (works/listing/search.py) rewrites a thousand documents a statement;
these tasks feed it REINDEX_BATCH works at a time, so a tag on a million works costs a chain
of short tasks instead of one request that would run into the server's time limit.
Resumable and safe to retry: each batch names its works (by id range or by list) and
rewrites their documents from the current tags, so running a batch twice changes nothing.
"""

from collections.abc import Iterable

from archive.queue import enqueue, job
from works.listing.search import works_search_recredit, works_search_retag
from works.models import TaggedWork

REINDEX_BATCH = 2000


@job()
def tag_works_reindex(*, tag_id: int, after: int = 0) -> int:
    """The next REINDEX_BATCH works carrying `tag_id` with an id above `after`; enqueues the
    batch after it, so a crash resumes at the batch it was in."""
    ids = list(
        TaggedWork.objects.filter(tag_id=tag_id, content_object_id__gt=after)
        .order_by("content_object_id")
        .values_list("content_object_id", flat=True)[:REINDEX_BATCH]
    )
    works_search_retag(ids)
    if len(ids) == REINDEX_BATCH:
        enqueue(tag_works_reindex, tag_id=tag_id, after=ids[-1])
    return len(ids)


@job()
def works_reindex(*, work_ids: list[int]) -> int:
    works_search_retag(work_ids)
    return len(work_ids)


@job()
def works_recredit(*, work_ids: list[int]) -> int:
    works_search_recredit(work_ids)
    return len(work_ids)


def works_recredit_later(work_ids: Iterable[int]) -> None:
    """Enqueue the creators' names of these works' documents (a pseud or login renamed)."""
    ids = sorted(set(work_ids))
    for start in range(0, len(ids), REINDEX_BATCH):
        enqueue(works_recredit, work_ids=ids[start : start + REINDEX_BATCH])


def works_reindex_later(work_ids: Iterable[int]) -> None:
    """Enqueue the documents of these works (e.g. the works of a deleted tag, which can no
    longer be found by the tag), REINDEX_BATCH works a task."""
    ids = sorted(set(work_ids))
    for start in range(0, len(ids), REINDEX_BATCH):
        enqueue(works_reindex, work_ids=ids[start : start + REINDEX_BATCH])
