"""Reading works through the API: the listing with its whole filter set, one work, its
chapters, and a person's works and bookmarks.

Lists are the pages' own listing (works.listing.pages.listing_results: the same filter, the
same visibility for `reader(request)`, the same order and count), paged by cursor
(works.api.cursors). Each API parameter maps onto one of the filter form's names in
`FILTER_PARAMS`, so the API filters exactly as /works does. Works are described from the
listing's prefetched rows (works.api.work_schemas), in a fixed number of queries.
"""

import datetime
from typing import Annotated, Literal

from django.db.models import Prefetch
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from archive.params import MAX_ID
from archive.people import person_or_404
from tags.models import Tag
from works.api import cursors
from works.api.auth import reader
from works.api.problems import Problem, ProblemOut
from works.api.work_schemas import (
    ChapterListItem,
    ChapterOut,
    ListedBookmarkOut,
    WorkDetail,
    WorkSummary,
    bookmark_out,
    chapter_item,
    chapter_out,
    work_summary,
)
from works.cache import blurbs
from works.listing import options
from works.listing.filters import WorkFilter
from works.listing.options import EXCLUDE, INCLUDE, MAX_NUMBER, MAX_TAGS, MAX_TEXT, SEARCH
from works.listing.pages import Listing, OrderedWorks, listing_results
from works.models import Bookmark, Work
from works.models.visibility import work_secrets
from works.pages.work import visible_chapters, work_page_queryset

router = Router(tags=["works"])

TagId = Annotated[int, Field(ge=1, le=MAX_NUMBER)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
TagIds = Annotated[list[TagId], Field(max_length=MAX_TAGS)]

# The API's sort names and the listing's sort columns (works.listing.options.SORTS).
SORT_COLUMNS = {
    "updated": "revised_at",
    "posted": "created_at",
    "title": "title_to_sort_on",
    "creator": "authors_to_sort_on",
    "words": "word_count",
    "hits": "hits",
    "kudos": "kudos_count",
    "comments": "comments_count",
    "bookmarks": "bookmarks_count",
    "relevance": "_score",
}
# The tag-id lists: API suffix -> the filter's key (include_work_search[<key>][]).
TAG_ID_KEYS = {
    "rating_ids": "rating_ids",
    "warning_ids": "archive_warning_ids",
    "category_ids": "category_ids",
    "fandom_ids": "fandom_ids",
    "relationship_ids": "relationship_ids",
    "character_ids": "character_ids",
    "freeform_ids": "freeform_ids",
}
# Every other parameter: API name -> the filter's name (work_search[<name>]).
FILTER_PARAMS = {
    "sort": "sort_column",
    "direction": "sort_direction",
    "tags": "other_tag_names",
    "fandom_names": "fandom_names",
    "relationship_names": "relationship_names",
    "character_names": "character_names",
    "freeform_names": "freeform_names",
    "excluded_tags": "excluded_tag_names",
    "language": "language_id",
    "complete": "complete",
    "crossovers": "crossover",
    "single_chapter": "single_chapter",
    "words_min": "words_from",
    "words_max": "words_to",
    "words": "word_count",
    "hits": "hits",
    "kudos": "kudos_count",
    "comments": "comments_count",
    "bookmarks": "bookmarks_count",
    "date_from": "date_from",
    "date_to": "date_to",
    "updated": "revised_at",
    "q": "query",
    "title": "title",
    "creators": "creators",
}
API_NAMES = {name: api for api, name in FILTER_PARAMS.items()}


class Paging(Schema):
    limit: int = Field(
        cursors.DEFAULT_LIMIT, ge=1, le=cursors.MAX_LIMIT, description="Items a page (1-100)."
    )
    cursor: str | None = Field(None, max_length=2000, description="`next` of the previous page.")


class WorkFilters(Paging):
    """The /works listing's filters, each named for programs (FILTER_PARAMS maps them)."""

    sort: Literal[tuple(SORT_COLUMNS)] | None = Field(
        None, description="Sort order; default updated (newest first)."
    )
    direction: Literal["asc", "desc"] | None = Field(None, description="Default: the sort's own.")
    include_rating_ids: TagIds = Field([], description="Only works with one of these ratings.")
    include_warning_ids: TagIds = Field([], description="Works with every one of these warnings.")
    include_category_ids: TagIds = Field([], description="Works in every one of these categories.")
    include_fandom_ids: TagIds = Field([], description="Works under every one of these fandoms.")
    include_relationship_ids: TagIds = Field([], description="Works with every one of these.")
    include_character_ids: TagIds = Field([], description="Works with every one of these.")
    include_freeform_ids: TagIds = Field([], description="Works with every one of these tags.")
    exclude_rating_ids: TagIds = Field([], description="Leave out works with these tags.")
    exclude_warning_ids: TagIds = Field([], description="Leave out works with these tags.")
    exclude_category_ids: TagIds = Field([], description="Leave out works with these tags.")
    exclude_fandom_ids: TagIds = Field([], description="Leave out works with these tags.")
    exclude_relationship_ids: TagIds = Field([], description="Leave out works with these tags.")
    exclude_character_ids: TagIds = Field([], description="Leave out works with these tags.")
    exclude_freeform_ids: TagIds = Field([], description="Leave out works with these tags.")
    tag_id: TagId | None = Field(
        None, description="Works found under this tag (a tag's works page)."
    )
    tags: Text | None = Field(None, description="Tag names to include, comma separated.")
    fandom_names: Text | None = Field(None, description="Fandom names to include.")
    relationship_names: Text | None = Field(None, description="Relationship names to include.")
    character_names: Text | None = Field(None, description="Character names to include.")
    freeform_names: Text | None = Field(None, description="Additional tag names to include.")
    excluded_tags: Text | None = Field(None, description="Tag names to leave out.")
    language: Annotated[str, Field(max_length=8)] | None = Field(
        None, description="Language code, e.g. en."
    )
    complete: bool | None = Field(None, description="true: complete works; false: in progress.")
    crossovers: bool | None = Field(None, description="true: only crossovers; false: none.")
    single_chapter: bool | None = Field(None, description="true: one-chapter works only.")
    words_min: Annotated[int, Field(ge=0, le=MAX_NUMBER)] | None = None
    words_max: Annotated[int, Field(ge=0, le=MAX_NUMBER)] | None = None
    words: Text | None = Field(None, description='Word count: "1000-5000", ">100", "<5".')
    hits: Text | None = Field(None, description="Hits, as words.")
    kudos: Text | None = Field(None, description="Kudos, as words.")
    comments: Text | None = Field(None, description="Comments, as words.")
    bookmarks: Text | None = Field(None, description="Bookmarks, as words.")
    date_from: datetime.date | None = Field(None, description="Updated on or after (YYYY-MM-DD).")
    date_to: datetime.date | None = Field(None, description="Updated on or before (YYYY-MM-DD).")
    updated: Text | None = Field(
        None, description='Updated: "< 2 weeks", "1-3 months", "2 weeks ago".'
    )
    q: Text | None = Field(
        None, description="Search text, as the search page reads it (words>1000, sort:kudos…)."
    )
    title: Text | None = Field(None, description="Words of the title.")
    creators: Text | None = Field(None, description="Creators' names.")


class WorkPage(Schema):
    items: list[WorkSummary]
    next: str | None
    count: int = Field(description="How many works the listing has (see count_capped).")
    count_capped: bool = Field(
        description="A text search stopped counting at `count` (the page says 10,000+)."
    )


class BookmarkPage(Schema):
    items: list[ListedBookmarkOut]
    next: str | None
    count: int


def filter_query(params: WorkFilters) -> QueryDict:
    """The API's parameters as the filter form's query (FILTER_PARAMS, TAG_ID_KEYS)."""
    query = QueryDict(mutable=True)
    for mode, prefix in (("include", INCLUDE), ("exclude", EXCLUDE)):
        for suffix, key in TAG_ID_KEYS.items():
            ids = getattr(params, f"{mode}_{suffix}")
            if ids:
                query.setlist(f"{prefix}[{key}][]", [str(i) for i in ids])
    for api_name, name in FILTER_PARAMS.items():
        value = getattr(params, api_name)
        if value is None:
            continue
        if api_name == "sort":
            value = SORT_COLUMNS[value]
        elif isinstance(value, bool):
            value = "T" if value else "F"
        query[f"{SEARCH}[{name}]"] = str(value)
    return query


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        named = {API_NAMES.get(name, name): [str(message)] for name, message in errors.items()}
        field, messages = next(iter(named.items()))
        raise Problem(422, f"{field}: {messages[0]}", code="invalid", errors=named)


def _check_id(value: int) -> None:
    """Ids beyond what the database holds are simply not found (no overflow)."""
    if not 1 <= value <= MAX_ID:
        raise Http404


def _next_ids(found: Listing, cursor, limit: int) -> list[int]:
    """Up to `limit` + 1 ids after the cursor's last work."""
    known = found.ids or []
    # A text search's count stops at a cap; its date-ordered pages go on past it by keyset,
    # but a best-match ranking is of its first candidates only (works.listing.counting).
    work_filter = found.work_filter
    ranked = work_filter.sort_column == "_score" and bool(work_filter.query)
    complete = len(known) >= found.total and (found.cap is None or ranked)
    if cursor.last_id in known:
        start = known.index(cursor.last_id) + 1
        ids = known[start : start + limit + 1]
        if len(ids) > limit or complete:
            return ids
    presorted = found.presorted if found.total <= options.EXACT_LIMIT else None
    if presorted is not None:
        stop = cursor.position + limit + 1
        first = presorted.first(stop)
        if cursor.last_id in first:
            start = first.index(cursor.last_id) + 1
            ids = first[start : start + limit + 1]
            if len(ids) > limit or len(first) < stop:
                return ids
    return cursors.after_ids(found.ordered, cursor.key, limit + 1)


def _within(tag_id: int | None) -> int | None:
    """The listing's own tag, as /tags/<tag>/works takes it: a synonym stands for its
    canonical tag; a tag that does not exist answers 422."""
    if tag_id is None:
        return None
    tag = Tag.objects.filter(pk=tag_id).only("pk", "merger_id").first()
    if tag is None:
        _refuse({"tag_id": _("Some tags you filtered on do not exist; ignored.")})
    return tag.merger_id or tag.pk


def _summaries(request, ordered, ids: list[int], user) -> list[dict]:
    """The works' summaries in `ids` order: those stored earlier (works.cache.blurbs, under
    the same versions as the blurbs) and the others loaded, made and stored."""
    host = request.get_host()
    summaries, versions = blurbs.stored_summaries(ids, user, host)
    missing = [pk for pk in ids if pk not in summaries]
    if missing:
        for work in ordered.filter(pk__in=missing).for_listing():
            work.blurb_versions = versions.get(work.pk)
            summaries[work.pk] = work_summary(request, work, user)
            blurbs.store_summary(work, summaries[work.pk], user, host)
    return [summaries[pk] for pk in ids if pk in summaries]


def _work_page(request, params: WorkFilters, works, *, user, path: str) -> dict:
    work_filter = WorkFilter.from_query(filter_query(params))
    _refuse(work_filter.errors)
    digest = cursors.filters_digest(path, params.dict())
    cursor = cursors.decode(params.cursor, digest)
    found = listing_results(
        user, work_filter, works=works, within_tag_id=_within(params.tag_id), facets=False
    )
    _refuse(work_filter.errors)  # tag names that name no tag
    if cursor is None:
        listed = OrderedWorks(found.ordered, found.ids, found.total, presorted=found.presorted)
        position, ids = 0, listed.page_ids(0, params.limit + 1)
    else:
        position, ids = cursor.position, _next_ids(found, cursor, params.limit)
    following = None
    if len(ids) > params.limit:
        ids = ids[: params.limit]
        key = cursors.sort_key(found.ordered, ids[-1])
        following = cursors.encode(cursors.Cursor(position + len(ids), ids[-1], key), digest)
    items = _summaries(request, found.ordered, ids, user)
    return {
        "items": items,
        "next": following,
        "count": found.total,
        "count_capped": found.cap is not None,
    }


@router.get(
    "/works",
    response={200: WorkPage, 422: ProblemOut},
    summary="List works",
    url_name="works_list",
)
def works_list(request, filters: Query[WorkFilters]):
    """Works the caller may see, filtered and sorted as on /works; `next` is the cursor of
    the following page (null on the last)."""
    return _work_page(request, filters, Work.objects.all(), user=reader(request), path="works")


@router.get(
    "/users/{login}/works",
    response={200: WorkPage, 404: ProblemOut, 422: ProblemOut},
    summary="A person's works",
    url_name="user_works_list",
)
def user_works_list(request, login: str, filters: Query[WorkFilters]):
    """A person's posted works, as /users/<login>/works lists them (those an anonymous or
    unrevealed collection keeps secret are not listed under their creator)."""
    person = person_or_404(login)
    user = reader(request)
    works = Work.objects.naming_creators_to(user).filter(work_creators__user=person)
    return _work_page(request, filters, works, user=user, path=f"users/{person.pk}/works")


@router.get(
    "/users/{login}/bookmarks",
    response={200: BookmarkPage, 404: ProblemOut, 422: ProblemOut},
    summary="A person's bookmarks",
    url_name="user_bookmarks_list",
)
def user_bookmarks_list(request, login: str, paging: Query[Paging]):
    """The bookmarks /users/<login>/bookmarks shows the caller, newest first."""
    person = person_or_404(login)
    user = reader(request)
    digest = cursors.filters_digest(f"users/{person.pk}/bookmarks", {})
    cursor = cursors.decode(paging.cursor, digest)
    bookmarks = Bookmark.objects.visible_to(user).filter(user=person).order_by("-created_at", "-id")
    if cursor:
        ids = cursors.after_ids(bookmarks, cursor.key, paging.limit + 1)
    else:
        ids = list(bookmarks.values_list("pk", flat=True)[: paging.limit + 1])
    following = None
    if len(ids) > paging.limit:
        ids = ids[: paging.limit]
        key = cursors.sort_key(bookmarks, ids[-1])
        position = (cursor.position if cursor else 0) + len(ids)
        following = cursors.encode(cursors.Cursor(position, ids[-1], key), digest)
    loaded = Bookmark.objects.filter(pk__in=ids).select_related("user", "pseud__user")
    loaded = loaded.prefetch_related("tags", Prefetch("work", queryset=Work.objects.for_listing()))
    by_id = {bookmark.pk: bookmark for bookmark in loaded}
    items = [bookmark_out(request, by_id[pk], user) for pk in ids if pk in by_id]
    return {"items": items, "next": following, "count": bookmarks.count()}


def _readable_work(request, work_id: int):
    """The work as its page loads it for the caller (works.pages.work: visibility and all),
    and whether they are its creator; 404 for anything they may not see."""
    _check_id(work_id)
    user = reader(request)
    work = work_page_queryset(user).filter(pk=work_id).first()
    if work is None:
        raise Http404
    return work, user


@router.get(
    "/works/{work_id}",
    response={200: WorkDetail, 404: ProblemOut},
    summary="One work",
    url_name="work_get",
)
def work_get(request, work_id: int):
    """The work with its notes and the chapters the caller may read; drafts for their
    creators only. An unrevealed work is a "Mystery Work": nothing of it but its collections."""
    work, user = _readable_work(request, work_id)
    summary = work_summary(request, work, user)
    if summary["mystery"]:
        return {**summary, "notes": "", "end_notes": "", "chapters": []}
    chapters = visible_chapters(work, is_creator=work.is_creator(user))
    return {
        **summary,
        "notes": work.notes_html or "",
        "end_notes": work.endnotes_html or "",
        "chapters": [chapter_item(request, work, chapter) for chapter in chapters],
    }


def _readable_chapters(request, work_id: int, *, text: bool):
    work, user = _readable_work(request, work_id)
    if work_secrets(work, user).mystery:
        raise Http404  # nothing of an unrevealed work's text
    return work, visible_chapters(work, is_creator=work.is_creator(user), with_text=text)


@router.get(
    "/works/{work_id}/chapters",
    response={200: list[ChapterListItem], 404: ProblemOut},
    summary="A work's chapters",
    url_name="chapters_list",
)
def chapters_list(request, work_id: int):
    work, chapters = _readable_chapters(request, work_id, text=False)
    return [chapter_item(request, work, chapter) for chapter in chapters]


@router.get(
    "/works/{work_id}/chapters/{chapter_id}",
    response={200: ChapterOut, 404: ProblemOut},
    summary="One chapter, with its text",
    url_name="chapter_get",
)
def chapter_get(request, work_id: int, chapter_id: int):
    """The chapter as the work page shows it: text, summary and notes as sanitized HTML."""
    _check_id(chapter_id)
    work, chapters = _readable_chapters(request, work_id, text=False)
    chapter = next((c for c in chapters if c.pk == chapter_id), None)
    if chapter is None:
        raise Http404
    chapter = work.chapters.get(pk=chapter.pk)
    return chapter_out(request, work, chapter)
