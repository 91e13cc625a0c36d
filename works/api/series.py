"""GET /series/{series_id}: a series as its page shows it to the caller.

The same rules as works/views/series.py: the series' works the reader may list and may know
the creators of (`listable_by(...).naming_creators_to(...)`), in part order; a guest is asked
to log in (401) when one of its works is for logged-in readers only, as the page sends them to
log in; a series with nothing the reader may see is a 404, except to its creators. The byline
names the pseuds its creators posted those works under (works.pages.pseuds.series_bylines).
Description and notes are the HTML the page shows, rendered once by works/rendering.py.
"""

from datetime import datetime

from django.db.models import OuterRef, Subquery, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from archive.params import MAX_ID
from works.api.auth import reader
from works.api.paging import api_path, works_url
from works.api.problems import Problem, ProblemOut
from works.models import Series, SeriesWork, Work
from works.pages.pseuds import series_bylines

router = Router(tags=["series"])


class BylineOut(Schema):
    name: str
    login: str
    byline: str = Field(description="“Pseud (login)”, or the login alone.")
    url: str

    @staticmethod
    def resolve_login(pseud) -> str:
        return pseud.user.username

    @staticmethod
    def resolve_url(pseud) -> str:
        return pseud.get_absolute_url()


class SeriesPartOut(Schema):
    position: int
    id: int
    title: str
    api_url: str


class SeriesOut(Schema):
    id: int
    title: str
    url: str
    creators: list[BylineOut]
    description_html: str
    notes_html: str
    is_complete: bool
    word_count: int
    works_count: int
    bookmarks_count: int
    begun_at: datetime | None = Field(description="When its first visible work was published.")
    updated_at: datetime | None = Field(description="When its visible works were last updated.")
    created_at: datetime
    works: list[SeriesPartOut] = Field(description="The works the caller may see, in order.")
    works_url: str


def series_works_for(series, user):
    """The series' works `user` may see listed there (as the series page)."""
    works = Work.objects.filter(series_works__series=series)
    return works.listable_by(user).naming_creators_to(user)


@router.get(
    "/series/{series_id}",
    response={200: SeriesOut, 401: ProblemOut, 404: ProblemOut, 422: ProblemOut},
    summary="A series and its works in order",
)
def series_get(request, series_id: int):
    if not 1 <= series_id <= MAX_ID:
        raise Http404
    user = reader(request)
    series = get_object_or_404(Series.objects.prefetch_related("creators"), pk=series_id)
    creators = list(series.creators.all())
    is_creator = user.is_authenticated and any(c.pk == user.pk for c in creators)
    if (
        not user.is_authenticated
        and Work.objects.behind_login().filter(series_works__series=series).exists()
    ):
        raise Problem(
            401, _("Log in, or send a personal access token, to do this."), code="login_required"
        )
    visible = series_works_for(series, user)
    position = SeriesWork.objects.filter(series=series, work=OuterRef("pk")).values("position")
    parts = list(
        visible.annotate(series_position=Subquery(position[:1]))
        .order_by("series_position", "pk")
        .values_list("series_position", "pk", "title", "word_count", "published_at", "revised_at")
    )
    if not is_creator and not parts:
        raise Http404
    bookmarks = Work.objects.filter(pk__in=[part[1] for part in parts]).aggregate(
        n=Sum("stats__bookmarks")
    )["n"]
    published = [part[4] for part in parts if part[4]]
    revised = [part[5] for part in parts if part[5]]
    return {
        "id": series.pk,
        "title": series.title,
        "url": series.get_absolute_url(),
        "creators": series_bylines(creators, visible),
        "description_html": series.description_html,
        "notes_html": series.notes_html,
        "is_complete": series.is_complete,
        "word_count": sum(part[3] for part in parts),
        "works_count": len(parts),
        "bookmarks_count": bookmarks or 0,
        "begun_at": min(published) if published else None,
        "updated_at": max(revised) if revised else None,
        "created_at": series.created_at,
        "works": [
            {
                "position": pos,
                "id": pk,
                "title": title,
                "api_url": api_path(f"works/{pk}"),
            }
            for pos, pk, title, *_rest in parts
        ],
        "works_url": works_url(series_id=series.pk),
    }
