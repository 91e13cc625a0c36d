"""Series pages: /series/<id> for readers, and its edit and manage pages for its creators.

A series shows the works the reader may see, in part order, through the shared listing. It is
restricted as soon as one of its works is: a guest is sent to log in. Works whose creators are
kept secret by an anonymous or unrevealed collection are left out for other readers (the
series names its creators).
"""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import FieldError
from django.db.models import OuterRef, Subquery, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from archive.auth import login_redirect, login_required
from works.forms.collections import SeriesForm, SeriesOrderForm
from works.listing.pages import work_list_response
from works.models import Series, SeriesWork, Work
from works.pages.pseuds import series_bylines
from works.services import series as services_series

# Names the subscription feature may give its "subscribe to a series" URL.
SUBSCRIBE_URL_NAMES = ("works:subscribe_series", "works:series_subscribe", "subscribe_series")


def _is_series_creator(series, user, creators=None) -> bool:
    if not user.is_authenticated:
        return False
    creators = creators if creators is not None else list(series.creators.all())
    return any(c.pk == user.pk for c in creators)


def series_works_for(series, user):
    """The series' works `user` may see listed there (before ordering)."""
    works = Work.objects.filter(series_works__series=series)
    return works.listable_by(user).naming_creators_to(user)


def subscribe_url(series) -> str:
    """The subscription feature's URL for this series, or "" while it does not exist."""
    for name in SUBSCRIBE_URL_NAMES:
        try:
            return reverse(name, args=[series.pk])
        except NoReverseMatch:
            continue
    return ""


def unsubscribe_url(series, user) -> str:
    """The URL that ends `user`'s subscription to the series, or "" (not subscribed, or no
    subscription feature)."""
    try:
        subscription_model = apps.get_model("works", "Subscription")
        subscription = subscription_model.objects.filter(user=user, series=series).first()
        if subscription is None:
            return ""
        # AO3's address (ao3-api reads the subscription's id from the form's action).
        return reverse("works:subscription_ao3", args=[user.username, subscription.pk])
    except (LookupError, NoReverseMatch, FieldError):
        return ""


def _series_stats(visible_works) -> dict:
    rows = list(
        visible_works.order_by().values_list("published_at", "revised_at", "word_count", "pk")
    )
    published = [p for p, _r, _w, _pk in rows if p]
    revised = [r for _p, r, _w, _pk in rows if r]
    bookmarks = Work.objects.filter(pk__in=[pk for *_rest, pk in rows]).aggregate(
        n=Sum("stats__bookmarks")
    )["n"]
    return {
        "begun": min(published) if published else None,
        "updated": max(revised) if revised else None,
        "words": sum(w for _p, _r, w, _pk in rows),
        "works": len(rows),
        "bookmarks": bookmarks or 0,
    }


def series_detail(request, series_id):
    """/series/<id>: the series and its visible works in part order. A series with nothing
    the reader may see answers 404, unless the reader is one of its creators."""
    series = get_object_or_404(Series.objects.prefetch_related("creators"), pk=series_id)
    creators = list(series.creators.all())
    is_creator = _is_series_creator(series, request.user, creators)
    if (
        not request.user.is_authenticated
        and Work.objects.behind_login().filter(series_works__series=series).exists()
    ):
        return login_redirect(request)
    visible = series_works_for(series, request.user)
    if not is_creator and not visible.exists():
        raise Http404
    position = SeriesWork.objects.filter(series=series, work=OuterRef("pk")).values("position")
    works = visible.annotate(series_position=Subquery(position[:1]))
    return work_list_response(
        request,
        works=works,
        template="works/series/series_detail.html",
        ordering=["series_position", "pk"],
        extra_context={
            "series": series,
            "series_creators": series_bylines(creators, visible),
            "series_stats": _series_stats(visible),
            "is_series_creator": is_creator,
            "subscribe_url": subscribe_url(series) if request.user.is_authenticated else "",
            "unsubscribe_url": (
                unsubscribe_url(series, request.user) if request.user.is_authenticated else ""
            ),
        },
    )


def _own_series(request, series_id) -> Series:
    series = get_object_or_404(Series, pk=series_id)
    if not _is_series_creator(series, request.user):
        raise Http404
    return series


@login_required
@require_http_methods(["GET", "POST"])
def series_edit(request, series_id):
    """/series/<id>/edit: title, description, notes and the complete flag."""
    series = _own_series(request, series_id)
    initial = {
        "title": series.title,
        "description": series.description,
        "notes": series.notes,
        "is_complete": series.is_complete,
    }
    form = SeriesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services_series.series_update(series=series, fields=form.cleaned_data)
        messages.success(request, _("Series was successfully updated."))
        return redirect(series)
    return render(request, "works/series/series_edit.html", {"series": series, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def series_manage(request, series_id):
    """/series/<id>/manage: number the parts to reorder them (no JavaScript needed)."""
    series = _own_series(request, series_id)
    series_works = series.series_works.select_related("work").order_by("position", "id")
    form = SeriesOrderForm(request.POST or None, series_works=series_works)
    if request.method == "POST" and form.is_valid():
        services_series.series_reorder(series=series, work_ids=form.work_ids())
        messages.success(request, _("The order of the series was saved."))
        return redirect("works:series_manage", series.pk)
    return render(request, "works/series/series_manage.html", {"series": series, "form": form})


@login_required
@require_POST
def series_remove_work(request, series_id, work_id):
    """Take one work out of the series (series creators, or the work's creators)."""
    series = get_object_or_404(Series, pk=series_id)
    series_work = get_object_or_404(SeriesWork, series=series, work_id=work_id)
    if not (_is_series_creator(series, request.user) or series_work.work.is_creator(request.user)):
        raise Http404
    services_series.series_remove_work(series=series, work=series_work.work)
    messages.success(request, _("The work was taken out of the series."))
    if Series.objects.filter(pk=series.pk).exists():
        return redirect("works:series_manage", series.pk)
    return redirect("works:user_dashboard", request.user.username)
