"""Subscriptions, history and Marked for Later: the reader's own lists and buttons."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from archive.auth import login_redirect, login_required, redirect_to_login
from archive.errors import Refused, message_refusal
from archive.params import parse_id
from archive.people import person_or_404
from works.listing.pagination import paginate
from works.models import Reading, Series, Subscription, Work
from works.pages.navigation import next_url
from works.pages.work import work_or_404
from works.services import feedback

PER_PAGE = 20


# Subscriptions ----------------------------------------------------------------------------


def _owner(request, login):
    """The /users/<login>/... pages only their owner sees (404 for anyone else)."""
    if not request.user.is_authenticated:
        return None
    person = person_or_404(login)
    if person.pk != request.user.pk:
        raise Http404
    return person


def _subscribe(request, *, default_url, **target):
    if not request.user.is_authenticated:
        return redirect_to_login(default_url)  # a fixed path: never too long
    try:
        feedback.subscription_add(user=request.user, **target)
    except Refused as refused:
        message_refusal(request, refused)
    else:
        messages.success(request, _("You are now subscribed."))
    return redirect(next_url(request, default_url))


@require_POST
def subscribe_work(request, work_id):
    work = work_or_404(request.user, work_id)
    return _subscribe(request, default_url=work.get_absolute_url(), work=work)


@require_POST
def subscribe_series(request, series_id):
    series = get_object_or_404(Series, pk=series_id)
    visible = Work.objects.visible_to(request.user).posted().filter(series_works__series=series)
    if not visible.exists():
        raise Http404
    return _subscribe(request, default_url=series.get_absolute_url(), series=series)


@require_POST
def subscribe_user(request, login):
    person = person_or_404(login)
    return _subscribe(request, default_url=person.get_absolute_url(), author=person)


@require_POST
@login_required
def subscription_delete(request, subscription_id):
    subscription = get_object_or_404(Subscription, pk=subscription_id, user=request.user)
    feedback.subscription_delete(subscription=subscription)
    messages.success(request, _("You have unsubscribed."))
    return redirect(
        next_url(request, reverse("works:user_subscriptions", args=[request.user.username]))
    )


@require_http_methods(["GET", "HEAD", "POST"])
def user_subscriptions(request, login):
    """The reader's subscriptions; a POST there is AO3's subscribe call (subscriptions_ao3)."""
    if request.method == "POST":
        return subscriptions_ao3(request, login)
    person = _owner(request, login)
    if person is None:
        return login_redirect(request)
    # A subscription to a work since hidden, or now unrevealed in a collection, would name it:
    # only the reader's own subscribed works are checked, never the whole archive.
    subscribed = Subscription.objects.filter(user=person)
    shown = (
        Work.objects.filter(pk__in=subscribed.values("work_id"))
        .visible_to(request.user)
        .without_secrets_from(request.user)
    )
    subscriptions = subscribed.filter(Q(work__isnull=True) | Q(work__in=shown)).select_related(
        "work", "author", "series"
    )
    page, pagination = paginate(request, subscriptions, PER_PAGE)
    context = {"person": person, "subscriptions": page.object_list, "pagination": pagination}
    return render(request, "works/feedback/subscription_list.html", context)


_SUBSCRIBABLE = {"Work": "work", "Series": "series", "User": "author"}


@require_POST
@login_required
def subscriptions_ao3(request, login, subscription_id=None):
    """POST /users/<login>/subscriptions (subscription[subscribable_type] and _id) subscribes;
    POST /users/<login>/subscriptions/<id> with _method=delete unsubscribes. Both 302, as
    on AO3. Only the reader's own list."""
    _owner(request, login)
    back = next_url(request, reverse("works:user_subscriptions", args=[request.user.username]))
    if subscription_id is not None:
        if request.POST.get("_method") != "delete":
            raise Http404
        subscription = get_object_or_404(Subscription, pk=subscription_id, user=request.user)
        feedback.subscription_delete(subscription=subscription)
        messages.success(request, _("You have unsubscribed."))
        return redirect(back)
    kind = _SUBSCRIBABLE.get(request.POST.get("subscription[subscribable_type]", ""))
    target_id = parse_id(request.POST.get("subscription[subscribable_id]", ""))
    if kind is None or target_id is None:
        raise Http404
    target = _subscribable(request.user, kind, target_id)
    return _subscribe(request, default_url=back, **{kind: target})


def _subscribable(user, kind, target_id):
    """The work, series (with a work the reader may see) or person to subscribe to; else 404."""
    if kind == "work":
        return work_or_404(user, target_id)
    if kind == "series":
        series = get_object_or_404(Series, pk=target_id)
        visible = Work.objects.visible_to(user).posted().filter(series_works__series=series)
        if not visible.exists():
            raise Http404
        return series
    return get_object_or_404(get_user_model(), pk=target_id, is_active=True)


# History and Marked for Later -------------------------------------------------------------


def user_readings(request, login):
    """/users/<login>/readings: last visited, visits, "Update available"; ?show=to-read
    lists the works marked for later."""
    person = _owner(request, login)
    if person is None:
        return login_redirect(request)
    visible = Work.objects.visible_to(request.user).posted().without_secrets_from(request.user)
    readings = Reading.objects.filter(user=person, work__in=visible).select_related("work")
    to_read = request.GET.get("show") == "to-read"
    if to_read:
        readings = readings.filter(marked_for_later=True)
    page, pagination = paginate(request, readings, PER_PAGE, single_page=to_read)
    context = {
        "person": person,
        "readings": page.object_list,
        "pagination": pagination,
        "to_read": to_read,
    }
    return render(request, "works/feedback/reading_list.html", context)


@require_POST
@login_required
def mark_for_later(request, work_id):
    work = work_or_404(request.user, work_id)
    marked = request.POST.get("marked", "true") != "false"
    feedback.reading_mark_for_later(user=request.user, work=work, marked=marked)
    if marked:
        messages.success(request, _("This work was added to your Marked for Later list."))
    else:
        messages.success(request, _("This work was removed from your Marked for Later list."))
    return redirect(next_url(request, work.get_absolute_url()))


@require_POST
@login_required
def readings_clear(request, login):
    if _owner(request, login) is None:
        raise Http404
    feedback.readings_clear(user=request.user)
    messages.success(request, _("Your history is now cleared."))
    return redirect("works:user_readings", login=request.user.username)
