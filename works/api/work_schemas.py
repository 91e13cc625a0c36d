"""What the API says of a work, a chapter and a bookmark, built from the same prefetched rows
and the same derivations as the pages: a blurb's `blurb_data()` (works.templatetags.works_extras,
which applies works.models.visibility's `work_secrets()`), the HTML works.rendering stored on
save, and the work page's own helpers (works.pages.work)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Schema

from tags.models import TagType
from works.models.bylines import byline
from works.templatetags.works_extras import blurb_data, local_date


class TagRef(Schema):
    id: int
    name: str


class CreatorOut(Schema):
    """One name of a byline: AO3's "Pseud (login)", or "Anonymous" (no login, no pseud)."""

    name: str
    login: str | None
    pseud: str | None
    url: str | None


class SeriesPositionOut(Schema):
    id: int
    title: str
    position: int
    url: str


class CollectionRef(Schema):
    name: str
    title: str
    url: str


class WorkSummary(Schema):
    """What a listing's blurb shows. A work an unrevealed collection keeps secret from the
    reader is a "Mystery Work": `mystery` is true and nothing of it but its id and its
    collections is given."""

    id: int
    mystery: bool
    title: str
    url: str
    api_url: str
    anonymous: bool
    creators: list[CreatorOut]
    rating: TagRef | None
    warnings: list[TagRef]
    categories: list[TagRef]
    fandoms: list[TagRef]
    relationships: list[TagRef]
    characters: list[TagRef]
    freeforms: list[TagRef]
    language: str | None
    summary: str
    word_count: int | None
    chapters_posted: int | None
    chapters_expected: int | None
    complete: bool | None
    restricted: bool | None
    draft: bool | None
    published: datetime.date | None
    updated: datetime.date | None
    kudos: int | None
    hits: int | None
    bookmarks: int | None
    comments: int | None
    series: list[SeriesPositionOut]
    collections: list[CollectionRef]


class ChapterListItem(Schema):
    id: int
    position: int
    title: str
    word_count: int
    posted: bool
    published: datetime.date | None
    url: str
    api_url: str


class WorkDetail(WorkSummary):
    """The summary, with the work's notes (sanitized HTML) and the chapters the reader sees."""

    notes: str
    end_notes: str
    chapters: list[ChapterListItem]


class ChapterOut(ChapterListItem):
    """One chapter as the work page shows it: its notes, summary and text as sanitized HTML."""

    summary: str
    notes: str
    end_notes: str
    body: str


class ListedBookmarkOut(Schema):
    id: int
    url: str
    bookmarker: CreatorOut
    notes: str
    tags: list[TagRef]
    rec: bool
    private: bool
    created: datetime.date
    updated: datetime.date
    work: WorkSummary | None


def _tags(tags) -> list[dict]:
    return [{"id": tag.pk, "name": tag.name} for tag in tags]


def creator_out(request, pseud) -> dict:
    return {
        "name": byline(pseud),
        "login": pseud.user.username,
        "pseud": pseud.name,
        "url": request.build_absolute_uri(pseud.get_pseud_url()),
    }


def _api_url(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(f"api-v1:{name}", args=args))


def _collection(request, collection) -> dict:
    return {
        "name": collection.name,
        "title": collection.title,
        "url": request.build_absolute_uri(collection.get_absolute_url()),
    }


def _day(value) -> datetime.date | None:
    return local_date(value) if value else None


def work_summary(request, work, user) -> dict:
    """A blurb as data: `work` went through `for_listing()` (or the work page's queryset);
    what `user` may not know of it stays out, as on the blurb."""
    b = blurb_data(work, user)
    ids = {
        "id": work.pk,
        "url": request.build_absolute_uri(work.get_absolute_url()),
        "api_url": _api_url(request, "work_get", work.pk),
    }
    if b.get("mystery"):
        return {
            **ids,
            "mystery": True,
            "title": _("Mystery Work"),
            "anonymous": True,
            "creators": [],
            "rating": None,
            **{key: [] for key in _TAG_KEYS},
            "language": None,
            "summary": "",
            **dict.fromkeys(_NUMBERS),
            "series": [],
            "collections": [_collection(request, c) for c in b["collections"]],
        }
    groups = work.tags_by_type()
    stats = b["stats"]
    if b["anonymous"]:
        creators = [{"name": _("Anonymous"), "login": None, "pseud": None, "url": None}]
    else:
        creators = [creator_out(request, pseud) for pseud in b["creators"]]
    ratings = groups[TagType.RATING]
    return {
        **ids,
        "mystery": False,
        "title": work.title,
        "anonymous": b["anonymous"],
        "creators": creators,
        "rating": _tags(ratings)[0] if ratings else None,
        "warnings": _tags(b["warnings"]),
        "categories": _tags(groups[TagType.CATEGORY]),
        "fandoms": _tags(b["fandoms"]),
        "relationships": _tags(b["relationships"]),
        "characters": _tags(b["characters"]),
        "freeforms": _tags(b["freeforms"]),
        "language": work.language,
        "summary": work.summary_html or "",
        "word_count": work.word_count,
        "chapters_posted": work.chapter_count,
        "chapters_expected": work.expected_chapters or None,
        "complete": work.is_complete,
        "restricted": work.restricted,
        "draft": not work.posted,
        "published": work.published_at,
        "updated": _day(b["updated"]),
        "kudos": stats.kudos if stats else 0,
        "hits": stats.hits if stats else 0,
        "bookmarks": stats.bookmarks if stats else 0,
        "comments": stats.comments if stats else 0,
        "series": [
            {
                "id": sw.series.pk,
                "title": sw.series.title,
                "position": sw.position,
                "url": request.build_absolute_uri(sw.series.get_absolute_url()),
            }
            for sw in b["series_works"]
        ],
        "collections": [_collection(request, c) for c in b["collections"]],
    }


_TAG_KEYS = ("warnings", "categories", "fandoms", "relationships", "characters", "freeforms")
_NUMBERS = (
    "word_count",
    "chapters_posted",
    "chapters_expected",
    "complete",
    "restricted",
    "draft",
    "published",
    "updated",
    "kudos",
    "hits",
    "bookmarks",
    "comments",
)


def chapter_item(request, work, chapter) -> dict:
    return {
        "id": chapter.pk,
        "position": chapter.position,
        "title": chapter.title,
        "word_count": chapter.word_count,
        "posted": chapter.posted,
        "published": chapter.published_at,
        "url": request.build_absolute_uri(reverse("works:chapter", args=[work.pk, chapter.pk])),
        "api_url": _api_url(request, "chapter_get", work.pk, chapter.pk),
    }


def chapter_out(request, work, chapter) -> dict:
    return {
        **chapter_item(request, work, chapter),
        "summary": chapter.summary_html or "",
        "notes": chapter.notes_html or "",
        "end_notes": chapter.endnotes_html or "",
        "body": chapter.body_html or "",
    }


def bookmark_out(request, bookmark, user) -> dict:
    return {
        "id": bookmark.pk,
        "url": request.build_absolute_uri(
            reverse("works:user_bookmarks", args=[bookmark.user.username])
        )
        + f"#bookmark_{bookmark.pk}",
        "bookmarker": creator_out(request, bookmark.pseud),
        "notes": bookmark.notes_html or "",
        "tags": _tags(bookmark.tags.all()),
        "rec": bookmark.is_rec,
        "private": bookmark.is_private,
        "created": _day(bookmark.created_at),
        "updated": _day(bookmark.updated_at),
        "work": work_summary(request, bookmark.work, user) if bookmark.work else None,
    }
