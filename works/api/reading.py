"""A reader's subscriptions and reading history through the API, as their own pages show
them (works/views/subscriptions.py): only the caller's own, with the read scope to list and
write:feedback to change.

- `GET /subscriptions`, `POST /subscriptions` ({kind: work|series|user, and work_id,
  series_id or login}), `DELETE /subscriptions/{subscription_id}`.
- `GET /history` (?marked_for_later=true: the "Marked for Later" list), `POST
  /works/{work_id}/history` (record a visit, for a reader who keeps a history; mark or
  unmark for later), `DELETE /history` (clear it, as the history page's button does).

Lists leave out works the caller may no longer see or know of, as the pages do.
"""

from datetime import datetime
from typing import Literal

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from archive.people import person_or_404
from works.api.paging import PageOut, PageQuery, page_of
from works.api.params import (
    ID_PATH,
    PAGE_QUERY,
    Id,
    feedback_work,
    feedback_writer,
    own_reader,
)
from works.api.problems import Problem, ProblemOut
from works.models import Reading, Series, Subscription, Work
from works.services import feedback

router = Router(tags=["reading"])

PER_PAGE = 20
READ_ERRORS = {401: ProblemOut, 403: ProblemOut}
WRITE_ERRORS = {401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut}
# The API's names for Subscription.Kind.
KIND_NAMES = {"work": "work", "series": "series", "author": "user"}


# Subscriptions ----------------------------------------------------------------------------


class SubscriptionOut(Schema):
    id: int
    kind: Literal["work", "series", "user"]
    work_id: int | None
    series_id: int | None
    login: str | None
    title: str
    created_at: datetime


class SubscriptionPageOut(PageOut):
    results: list[SubscriptionOut]


class SubscriptionIn(Schema):
    kind: Literal["work", "series", "user"]
    work_id: Id | None = None
    series_id: Id | None = None
    login: str | None = None


def subscription_out(subscription: Subscription) -> dict:
    target = subscription.target
    title = target.username if subscription.author_id else target.title
    return {
        "id": subscription.pk,
        "kind": KIND_NAMES[subscription.kind],
        "work_id": subscription.work_id,
        "series_id": subscription.series_id,
        "login": subscription.author.username if subscription.author_id else None,
        "title": title,
        "created_at": subscription.created_at,
    }


@router.get(
    "/subscriptions", response={200: SubscriptionPageOut, **READ_ERRORS}, summary="Subscriptions"
)
def subscriptions_list(request, page: int = PAGE_QUERY):
    """The caller's subscriptions, newest first, 20 a page: works (those they may still see
    and know of), series and users."""
    user = own_reader(request)
    subscribed = Subscription.objects.filter(user=user)
    shown = (
        Work.objects.filter(pk__in=subscribed.values("work_id"))
        .visible_to(user)
        .without_secrets_from(user)
    )
    subscriptions = subscribed.filter(Q(work__isnull=True) | Q(work__in=shown)).select_related(
        "work", "author", "series"
    )
    found = page_of(subscriptions, PageQuery(page=page, limit=PER_PAGE))
    found["results"] = [subscription_out(s) for s in found["results"]]
    return found


def _target(user, payload: SubscriptionIn) -> dict:
    """The work, series (with a work the caller may see) or person to subscribe to; else 404,
    or 422 when the kind's field is missing."""
    field = {"work": "work_id", "series": "series_id", "user": "login"}[payload.kind]
    value = getattr(payload, field)
    if value is None:
        message = _("This field is required.")
        raise Problem(422, f"{field}: {message}", code="invalid", errors={field: [message]})
    if payload.kind == "work":
        return {"work": feedback_work(user, value)}
    if payload.kind == "series":
        series = get_object_or_404(Series, pk=value)
        visible = Work.objects.visible_to(user).posted().filter(series_works__series=series)
        if not visible.exists():
            raise Http404
        return {"series": series}
    return {"author": person_or_404(value)}


@router.post("/subscriptions", response={201: SubscriptionOut, **WRITE_ERRORS}, summary="Subscribe")
def subscription_create(request, payload: SubscriptionIn):
    """Subscribe to a work, a series or a user. Subscribing again answers the same
    subscription; subscribing to oneself is refused (422)."""
    user = feedback_writer(request, sanctioned=True)
    subscription = feedback.subscription_add(user=user, **_target(user, payload))
    found = Subscription.objects.select_related("work", "author", "series")
    return Status(201, subscription_out(found.get(pk=subscription.pk)))


@router.delete("/subscriptions/{subscription_id}", response={204: None, **WRITE_ERRORS})
def subscription_delete(request, subscription_id: int = ID_PATH):
    """Unsubscribe (404 for anyone else's subscription)."""
    user = feedback_writer(request, sanctioned=True)
    subscription = get_object_or_404(Subscription, pk=subscription_id, user=user)
    feedback.subscription_delete(subscription=subscription)
    return Status(204, None)


# Reading history ----------------------------------------------------------------------------


class HistoryOut(Schema):
    work_id: int
    work_title: str
    first_visited_at: datetime
    last_visited_at: datetime | None
    visit_count: int
    chapters_seen: int
    update_available: bool
    marked_for_later: bool


class HistoryPageOut(PageOut):
    results: list[HistoryOut]


class HistoryIn(Schema):
    visit: bool = True
    marked_for_later: bool | None = None


def reading_out(reading: Reading) -> dict:
    work = reading.work
    return {
        "work_id": reading.work_id,
        "work_title": work.title,
        "first_visited_at": reading.first_visited_at,
        "last_visited_at": reading.last_visited_at,
        "visit_count": reading.visit_count,
        "chapters_seen": reading.chapters_seen,
        "update_available": bool(
            reading.visit_count and work.chapter_count > reading.chapters_seen
        ),
        "marked_for_later": reading.marked_for_later,
    }


@router.get("/history", response={200: HistoryPageOut, **READ_ERRORS}, summary="Reading history")
def history_list(request, marked_for_later: bool = False, page: int = PAGE_QUERY):
    """The caller's history, last visited first, 20 a page; `marked_for_later=true`: only
    the works marked for later. Works they may no longer see or know of are left out."""
    user = own_reader(request)
    visible = Work.objects.visible_to(user).posted().without_secrets_from(user)
    readings = Reading.objects.filter(user=user, work__in=visible).select_related("work")
    if marked_for_later:
        readings = readings.filter(marked_for_later=True)
    found = page_of(readings, PageQuery(page=page, limit=PER_PAGE))
    found["results"] = [reading_out(r) for r in found["results"]]
    return found


@router.post(
    "/works/{work_id}/history", response={200: HistoryOut, **WRITE_ERRORS}, summary="Record"
)
def history_record(request, payload: HistoryIn, work_id: int = ID_PATH):
    """Record a visit to the work (`visit`, only for a reader who keeps a history, as the
    pages count visits), and mark it for later or unmark it (`marked_for_later`)."""
    user = feedback_writer(request, sanctioned=True)
    work = feedback_work(user, work_id)
    if payload.visit and user.history_enabled:
        feedback.reading_record(user_id=user.pk, work_id=work.pk)
    if payload.marked_for_later is not None:
        feedback.reading_mark_for_later(user=user, work=work, marked=payload.marked_for_later)
    reading = Reading.objects.filter(user=user, work=work).first()
    if reading is None:
        raise Problem(
            422,
            _("Your history is turned off in your preferences."),
            code="history_off",
        )
    reading.work = work
    return reading_out(reading)


@router.delete("/history", response={204: None, **READ_ERRORS}, summary="Clear history")
def history_clear(request):
    """Clear the caller's whole history, as the history page's button does."""
    user = feedback_writer(request, sanctioned=True)
    feedback.readings_clear(user=user)
    return Status(204, None)
