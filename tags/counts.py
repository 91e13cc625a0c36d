"""Tag.work_count: how many works carry a tag directly, for browse pages and autocomplete.

The works app decides what counts and computes the numbers (works/services/tag_counts.py);
this module only stores them on the tags, writing only the rows whose count changed.
"""

from collections.abc import Iterable, Mapping

from django.db.models import IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tags.models import Tag

BATCH_SIZE = 500


def tags_store_work_counts(*, tag_ids: Iterable[int], counts: Mapping[int, int]) -> None:
    """Set work_count of these tags to `counts[tag id]` (0 for a tag missing from it)."""
    tag_ids = sorted(set(tag_ids))
    for start in range(0, len(tag_ids), BATCH_SIZE):
        batch = tag_ids[start : start + BATCH_SIZE]
        changed = []
        for tag in Tag.objects.filter(pk__in=batch).only("pk", "work_count"):
            count = counts.get(tag.pk, 0)
            if tag.work_count != count:
                tag.work_count = count
                changed.append(tag)
        if changed:
            Tag.objects.bulk_update(changed, ["work_count"])


def tags_store_all_work_counts(*, per_tag: QuerySet) -> int:
    """Set every tag's work_count in one UPDATE from `per_tag`, a queryset whose single value
    is the count for the tag `OuterRef("pk")` (no row: 0). Returns the number of tags."""
    return Tag.objects.update(
        work_count=Coalesce(Subquery(per_tag, output_field=IntegerField()), 0)
    )
