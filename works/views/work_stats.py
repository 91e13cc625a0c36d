"""A work's statistics for its creators: /works/<id>/stats (charts) and /works/<id>/stats.csv
(the daily rows). Everyone but the work's creators (co-creators who accepted included) gets
404, whatever the work; a guest is sent to log in first, for any id alike."""

import csv

from django.http import HttpResponse
from django.shortcuts import render

from archive.auth import login_required
from works.models import DailyStat
from works.pages.posting import own_work
from works.pages.work import visible_chapters
from works.pages.work_stats import work_stats_context
from works.stats.daily import FIELDS


@login_required
def work_stats(request, work_id):
    work = own_work(request, work_id)
    chapters = visible_chapters(work, is_creator=False)  # readers read posted chapters only
    context = work_stats_context(work, chapters, request.GET.get("range", "30"))
    return render(request, "works/stats/work_stats.html", context)


@login_required
def work_stats_csv(request, work_id):
    work = own_work(request, work_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="work-{work.pk}-stats.csv"'
    writer = csv.writer(response)
    # Stable column names, the same in every language, for spreadsheets and scripts.
    writer.writerow(["date", "period", "chapter", *FIELDS])
    rows = (
        DailyStat.objects.filter(work=work)
        .values_list("day", "period", "chapter__position", *FIELDS)
        .order_by("day", "period", "chapter__position")
    )
    for day, period, position, *counts in rows:
        writer.writerow(
            [day.isoformat(), "week" if period == "w" else "day", position or "", *counts]
        )
    return response
