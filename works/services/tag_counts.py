"""What Tag.work_count counts, computed from the works and stored through tags.counts.

What counts: works that are posted and not hidden by a moderator, carrying the tag directly
(not through a synonym or sub tag). Restricted works (logged-in readers only) DO count: they
are visible to every registered reader, a number reveals nothing of their text, and AO3's
fandom pages count them too. Drafts and hidden works do not count.

Counts are kept current incrementally: whenever a work's tags change, or a work is posted,
hidden, unhidden or deleted, the services recount only the tags of that work
(`work_tags_recount`), with one aggregate query and one bulk update. A merge enqueues
`tags_recount_task`; `manage.py recount_tags` recomputes every tag in one statement, for
repair (`--queue` hands that to a worker as `tags_recount_all_task`). Both recompute counts
from the works, never add to them, so a task that runs twice leaves the same numbers.
"""

from collections.abc import Iterable

from django.db.models import Count, OuterRef

from archive.queue import job
from tags.counts import BATCH_SIZE, tags_store_all_work_counts, tags_store_work_counts
from works.models import TaggedWork
from works.models.visibility import PUBLISHED, rule_q


def _counted_taggings():
    return TaggedWork.objects.filter(rule_q(PUBLISHED, prefix="content_object__"))


def tags_recount(tag_ids: Iterable[int]) -> None:
    """Recompute work_count for these tags only."""
    tag_ids = sorted(set(tag_ids))
    for start in range(0, len(tag_ids), BATCH_SIZE):
        batch = tag_ids[start : start + BATCH_SIZE]
        counts = dict(
            _counted_taggings()
            .filter(tag_id__in=batch)
            .order_by()
            .values_list("tag_id")
            .annotate(n=Count("pk"))
        )
        tags_store_work_counts(tag_ids=batch, counts=counts)


def work_tags_recount(work_ids: Iterable[int], *, also: Iterable[int] = ()) -> None:
    """Recount the tags of these works (plus the tag ids in `also`, e.g. tags just removed).

    Call it after a work is posted, hidden, unhidden or has its tags changed; before deleting
    a work, collect its tag ids with `work_tag_ids()` and recount them afterwards.
    """
    tags_recount(set(work_tag_ids(work_ids)) | set(also))


def work_tag_ids(work_ids: Iterable[int]) -> list[int]:
    return list(
        TaggedWork.objects.filter(content_object_id__in=list(work_ids))
        .order_by()
        .values_list("tag_id", flat=True)
        .distinct()
    )


def tags_recount_all() -> int:
    """Recompute every tag's work_count in one UPDATE. Returns the number of tags."""
    per_tag = (
        _counted_taggings()
        .filter(tag_id=OuterRef("pk"))
        .order_by()
        .values("tag_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return tags_store_all_work_counts(per_tag=per_tag)


@job()
def tags_recount_task(*, tag_ids: list[int]) -> None:
    tags_recount(tag_ids)


@job()
def tags_recount_all_task() -> int:
    return tags_recount_all()
