"""Writes on series: details, part order, taking a work out. Adding a work to a series is
works.services.posting.work_set_series (the posting form)."""

from collections.abc import Mapping, Sequence

from django.db import transaction

from works.cache import pages as page_cache
from works.models import Series, SeriesWork

SERIES_FIELDS = ("title", "description", "notes", "is_complete")


@transaction.atomic
def series_update(*, series: Series, fields: Mapping) -> Series:
    """Change a series' title, description, notes or complete flag."""
    for name, value in fields.items():
        if name not in SERIES_FIELDS:
            raise ValueError(f"Series field {name!r} cannot be changed here")
        setattr(series, name, value)
    series.save()
    return series


def _renumber(series: Series) -> None:
    for position, series_work in enumerate(series.series_works.order_by("position", "id"), 1):
        if series_work.position != position:
            SeriesWork.objects.filter(pk=series_work.pk).update(position=position)
    page_cache.site_changed()  # "Part N of" and the previous and next links


@transaction.atomic
def series_reorder(*, series: Series, work_ids: Sequence[int]) -> None:
    """Put the series' works in this order (parts 1, 2, 3...). Works of the series left out
    keep their relative order after the ones named."""
    rows = {sw.work_id: sw for sw in series.series_works.select_for_update()}
    order = [work_id for work_id in work_ids if work_id in rows]
    rest = sorted(
        (sw for work_id, sw in rows.items() if work_id not in set(order)),
        key=lambda sw: (sw.position, sw.pk),
    )
    for position, series_work in enumerate([rows[i] for i in order] + rest, start=1):
        if series_work.position != position:
            SeriesWork.objects.filter(pk=series_work.pk).update(position=position)
    page_cache.site_changed()  # "Part N of" and the previous and next links


@transaction.atomic
def series_remove_work(*, series: Series, work) -> None:
    """Take a work out of a series; the parts after it move up. An empty series is deleted."""
    SeriesWork.objects.filter(series=series, work=work).delete()
    page_cache.site_changed()
    if not series.series_works.exists():
        series.delete()
        return
    _renumber(series)
