"""Tag.work_count: how many works carry a tag directly, for browse pages.

What counts: works that are posted and not hidden by a moderator, carrying the tag directly
(not through a synonym or sub tag). Restricted works (logged-in readers only) DO count: they
are visible to every registered reader, a number reveals nothing of their text, and AO3's
fandom pages count them too. Drafts and hidden works do not count.

Counts are kept current incrementally: whenever a work's tags change, or a work is posted,
hidden, unhidden or deleted, the services recount only the tags of that work
(`work_tags_recount`), with one aggregate query and one bulk update. `manage.py recount_tags`
recomputes every tag in one statement, for repair.
"""

from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from tags.models import Tag

BATCH_SIZE = 500


def _counted_taggings():
    from works.models import TaggedWork
    from works.models.visibility import PUBLISHED, rule_q

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
        tags = list(Tag.objects.filter(pk__in=batch).only("pk", "work_count"))
        changed = []
        for tag in tags:
            count = counts.get(tag.pk, 0)
            if tag.work_count != count:
                tag.work_count = count
                changed.append(tag)
        if changed:
            Tag.objects.bulk_update(changed, ["work_count"])


def work_tags_recount(work_ids: Iterable[int], *, also: Iterable[int] = ()) -> None:
    """Recount the tags of these works (plus the tag ids in `also`, e.g. tags just removed).

    Call it after a work is posted, hidden, unhidden or has its tags changed; before deleting
    a work, collect its tag ids with `work_tag_ids()` and recount them afterwards.
    """
    tags_recount(set(work_tag_ids(work_ids)) | set(also))


def work_tag_ids(work_ids: Iterable[int]) -> list[int]:
    from works.models import TaggedWork

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
    return Tag.objects.update(
        work_count=Coalesce(Subquery(per_tag, output_field=IntegerField()), 0)
    )
