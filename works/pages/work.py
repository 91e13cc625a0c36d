"""The work page: everything templates/works/work_detail.html needs, for readers and for the
posting preview alike (so the preview shows exactly what readers see), and the queries that
load a work a reader may see (works.models.visibility).

The markup is AO3's (docs/markup.md).
"""

import re
import unicodedata
from urllib.parse import urlencode

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from archive.models import Mute
from archive.replicas import read_connection
from tags.fixed import ADULT_RATINGS
from tags.models import TagType
from works.downloads.formats import available as download_formats
from works.models import Bookmark, Chapter, CollectionItem, SeriesWork, Subscription, Work
from works.models.bylines import byline as creator_byline
from works.models.bylines import chapter_bylines, creators_with_bylines
from works.models.gifts import shown_gifts, with_gifted
from works.models.visibility import work_secrets
from works.pages.blurb import approved_collections, work_stats
from works.pages.prompt_meme import answers_prompts, prompt_responses

# The tag groups of a work header, in AO3's order, with their singular/plural labels.
_TAG_GROUP_LABELS = {
    TagType.RATING: lambda n: ngettext("Rating:", "Ratings:", n),
    TagType.WARNING: lambda n: ngettext("Archive Warning:", "Archive Warnings:", n),
    TagType.CATEGORY: lambda n: ngettext("Category:", "Categories:", n),
    TagType.FANDOM: lambda n: ngettext("Fandom:", "Fandoms:", n),
    TagType.RELATIONSHIP: lambda n: ngettext("Relationship:", "Relationships:", n),
    TagType.CHARACTER: lambda n: ngettext("Character:", "Characters:", n),
    TagType.FREEFORM: lambda n: _("Additional Tags:"),
    TagType.PROMPT: lambda n: ngettext("Prompt:", "Prompts:", n),
}
VIEW_ADULT_COOKIE = "view_adult"
DOWNLOAD_NAME_MAX = 24


def _neighbour(user, *, before: bool):
    """The previous (or next) visible, posted work of the same series, as a subquery."""
    visible = Work.objects.visible_to(user).posted().naming_creators_to(user).values("pk")
    if before:
        place = Q(position__lt=OuterRef("position")) | Q(
            position=OuterRef("position"), pk__lt=OuterRef("pk")
        )
        order = ("-position", "-pk")
    else:
        place = Q(position__gt=OuterRef("position")) | Q(
            position=OuterRef("position"), pk__gt=OuterRef("pk")
        )
        order = ("position", "pk")
    neighbours = SeriesWork.objects.filter(place, series=OuterRef("series"), work__in=visible)
    return Subquery(neighbours.order_by(*order).values("work_id")[:1])


def work_page_queryset(user):
    """Works `user` may see, with everything a work page shows but the chapters and the
    series' neighbours (series_entries()): a fixed number of queries whatever the number of
    tags, series or collections."""
    series_works = SeriesWork.objects.select_related("series")
    # Every item (approved_collections() shows the approved ones; works.models.visibility needs the
    # pending ones too).
    items = CollectionItem.objects.select_related("collection")
    return (
        with_gifted(with_subscription(Work.objects.visible_to(user), user))
        .annotate(answers_prompts=answers_prompts())
        .select_related("stats")
        .prefetch_related(
            "tags",
            creators_with_bylines(),
            Prefetch("series_works", queryset=series_works),
            Prefetch("collection_items", queryset=items),
        )
    )


def visible_chapters(work: Work, *, is_creator: bool, with_text: bool = False) -> list:
    """The chapters a reader sees, in order: posted ones, and drafts too for creators.
    Without `with_text` the chapter bodies are not loaded (navigation, index)."""
    chapters = work.chapters.readable(by_creator=is_creator).order_by("position", "pk")
    if not with_text:
        chapters = chapters.defer("body", "body_html")
    return list(chapters)


def with_text(chapters: list) -> list:
    """The same chapters, loaded with their text (one query)."""
    loaded = {c.pk: c for c in Chapter.objects.filter(pk__in=[c.pk for c in chapters])}
    return [loaded[c.pk] for c in chapters]


def _rating_names(work: Work) -> list[str]:
    return [t.name for t in work.tags.all() if t.type == TagType.RATING]


def needs_adult_notice(request: HttpRequest, work: Work, *, is_creator: bool) -> bool:
    """Mature, Explicit and Not Rated works (or no rating at all) show the notice first,
    unless the reader said yes (view_adult=true or its cookie), prefers to skip it, or wrote
    the work."""
    if is_creator:
        return False
    if request.GET.get("view_adult") == "true":
        return False
    if request.COOKIES.get(VIEW_ADULT_COOKIE) == "true":
        return False
    if request.user.is_authenticated and getattr(request.user, "view_adult", False):
        return False
    ratings = _rating_names(work)
    return not ratings or any(name in ADULT_RATINGS for name in ratings)


# The work page -------------------------------------------------------------------------


def download_name(work: Work) -> str:
    """A safe ASCII file name from the title: "The_Quiet_Harbour"; "Work_12" when nothing of
    the title survives."""
    ascii_title = unicodedata.normalize("NFKD", work.title).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9]+", "_", ascii_title).strip("_")
    if len(name) > DOWNLOAD_NAME_MAX:
        name = name[:DOWNLOAD_NAME_MAX].rsplit("_", 1)[0] or name[:DOWNLOAD_NAME_MAX]
    return name or f"Work_{work.pk}"


def download_links(work: Work) -> list[dict]:
    """The Download menu: only formats this site can make (works.downloads.formats)."""
    if not work.pk or not work.posted:
        return []
    stamps = [d for d in (work.revised_at, work.updated_at) if d]
    updated_at = int(max(stamps).timestamp()) if stamps else 0
    name = download_name(work)
    return [
        {
            "label": label,
            "url": reverse("works:download", args=[work.pk, name, extension])
            + "?"
            + urlencode({"updated_at": updated_at}),
        }
        for extension, label in ((f.extension, f.label) for f in download_formats())
    ]


def tag_groups(work: Work) -> list[dict]:
    """The header's tag groups in AO3's order, each with its CSS class and label."""
    groups = work.tags_by_type()
    return [
        {
            "css": tag_type.value,
            "label": label(len(groups[tag_type])),
            "tags": groups[tag_type],
        }
        for tag_type, label in _TAG_GROUP_LABELS.items()
        if groups[tag_type]
    ]


def _neighbours(series_works: list, user) -> dict[int, tuple]:
    """{series work id: (previous work id, next work id)} among the works `user` may see,
    in one query. Asked only for a work in a series: building these subqueries costs more
    Python time than the rest of the work page's queries together."""
    if not series_works:
        return {}
    rows = (
        SeriesWork.objects.filter(pk__in=[sw.pk for sw in series_works])
        .annotate(
            previous_work_id=_neighbour(user, before=True),
            next_work_id=_neighbour(user, before=False),
        )
        .values_list("pk", "previous_work_id", "next_work_id")
    )
    return {pk: (previous_id, next_id) for pk, previous_id, next_id in rows}


def series_entries(work: Work, user) -> list[dict]:
    """ "Part N of <series>" with the previous and next visible works of each series."""
    entries = []
    series_works = list(work.series_works.all())
    neighbours = _neighbours(series_works, user) if work.pk else {}
    for series_work in series_works:
        previous_id, next_id = neighbours.get(series_work.pk, (None, None))
        entries.append(
            {
                "series": series_work.series,
                "position": series_work.position,
                "previous_url": reverse("works:detail", args=[previous_id]) if previous_id else "",
                "next_url": reverse("works:detail", args=[next_id]) if next_id else "",
            }
        )
    return entries


def _stats_view(work: Work, chapters: list, *, preview: bool) -> dict:
    """The stats as readers will see them. A preview counts the chapters it shows that are
    not posted yet, as they will be once posted."""
    words, count = work.word_count, work.chapter_count
    if preview:
        pending = [c for c in chapters if not c.posted]
        words += sum(c.word_count or 0 for c in pending)
        count += len(pending)
    expected = work.expected_chapters
    is_complete = work.is_complete if not preview else bool(expected and count >= expected)
    today = timezone.localdate()
    updated = timezone.localtime(work.revised_at).date() if work.revised_at else today
    return {
        "published": work.published_at or today,
        "show_status": work.is_multichapter,
        "is_complete": is_complete,
        "updated": updated,
        "words": words,
        "chapters": f"{count}/{expected if expected else '?'}",
        "counters": work_stats(work),
    }


def _is_oneshot(work: Work, all_chapters: list) -> bool:
    """AO3's one-shot layout (h3 "Work Text:" + div.userstuff) for a single-chapter work
    whose chapter carries nothing of its own."""
    if len(all_chapters) != 1 or work.is_multichapter:
        return False
    chapter = all_chapters[0]
    return not (chapter.title or chapter.summary or chapter.notes or chapter.endnotes)


def work_page_context(
    request: HttpRequest,
    work: Work,
    chapters,
    *,
    preview: bool = False,
    all_chapters=None,
    full_view: bool | None = None,
) -> dict:
    """Everything templates/works/work_detail.html needs.

    `chapters` are the chapters shown, with their text; `all_chapters` the ones the reader
    can navigate (default: the shown ones). `preview=True` (the posting preview) hides the
    reader-only actions: navigation, downloads, creator links, feedback.
    """
    chapters = list(chapters)
    all_chapters = list(all_chapters) if all_chapters is not None else chapters
    if full_view is None:
        full_view = len(all_chapters) > 1 and len(chapters) == len(all_chapters)
    creators = list(work.pseuds.all()) if work.pk else []
    is_creator = request.user.is_authenticated and any(
        c.user_id == request.user.pk for c in creators
    )
    # An anonymous work names no creator and no series (its series would name them).
    anonymous = work_secrets(work, request.user).anonymous if work.pk else False
    if anonymous:
        creators = []
    chapter_bylines(chapters, creators)  # none for an anonymous work
    shown_ids = {c.pk for c in chapters}
    first, last = (all_chapters[0], all_chapters[-1]) if all_chapters else (None, None)

    previous_chapter = next_chapter = None
    single = len(chapters) == 1 and len(all_chapters) > 1 and not full_view
    if single:
        index = next(i for i, c in enumerate(all_chapters) if c.pk == chapters[0].pk)
        previous_chapter = all_chapters[index - 1] if index > 0 else None
        next_chapter = all_chapters[index + 1] if index + 1 < len(all_chapters) else None

    shows_start = preview or first is None or first.pk in shown_ids
    shows_end = preview or last is None or last.pk in shown_ids
    endnotes_url = "#work_endnotes"
    if not shows_end and last is not None and last.pk:
        endnotes_url = f"{last.get_absolute_url()}#work_endnotes"

    fandoms = [t.name for t in work.tags.all() if t.type == TagType.FANDOM]
    title_parts = [work.title]
    if single:
        title_parts.append(_("Chapter %(number)s") % {"number": chapters[0].position})
    byline = _("Anonymous") if anonymous else ", ".join(creator_byline(c) for c in creators)
    title_parts += [byline, ", ".join(fandoms)]

    return {
        "work": work,
        "preview": preview,
        "is_creator": is_creator,
        "creators": creators,
        "anonymous": anonymous,
        # "For <name>" under the byline: the gifts not refused (an anonymous work's gifts
        # name only their recipients).
        "gifts": shown_gifts(work),
        # "In response to a prompt by ..." (prompt memes; no query for a work answering none).
        "prompt_responses": prompt_responses(work),
        # Comments by these users are bylined "Anonymous Creator" (works_extras).
        "secret_creator_ids": {c.user_id for c in work.pseuds.all()} if anonymous else set(),
        "chapters": chapters,
        "all_chapters": all_chapters,
        "chapter_count": len(all_chapters),
        "current_chapter": chapters[0] if single else None,
        "previous_chapter": previous_chapter,
        "next_chapter": next_chapter,
        "first_chapter": first,
        "full_view": full_view,
        "chapter_view": single,
        "oneshot": _is_oneshot(work, all_chapters),
        "show_work_notes": shows_start,
        "show_afterword": shows_end,
        "endnotes_url": endnotes_url,
        "tag_groups": tag_groups(work),
        "series_entries": [] if anonymous else series_entries(work, request.user),
        "collections": approved_collections(work),
        "stats": _stats_view(work, chapters, preview=preview),
        "downloads": [] if preview else download_links(work),
        "show_draft_notice": not work.posted and not preview,
        "show_hidden_notice": work.hidden_by_moderator,
        "page_title": " - ".join(part for part in title_parts if part),
    }


def with_subscription(works, user):
    """Works annotated with `my_subscription_id` and `my_bookmark_id` (the reader's
    subscription to each and bookmark of it, or None): the work page's Subscribe/Unsubscribe
    button and its bookmark's delete form without a query of their own."""
    if not user.is_authenticated:
        return works
    mine = Subscription.objects.filter(user=user, work=OuterRef("pk")).values("pk")[:1]
    bookmark = Bookmark.objects.filter(user=user, work=OuterRef("pk")).values("pk")[:1]
    return works.annotate(my_subscription_id=Subquery(mine), my_bookmark_id=Subquery(bookmark))


def reader_state(user, work_id: int, *, muted_among=()) -> dict:
    """One query for what is the reader's own on a work page served from a shared shell
    (works.cache.member_pages): their subscription to the work and bookmark of it (ids or
    None), whether they muted anyone at all, and anyone of `muted_among` (user ids).

    Written as SQL: on the busiest page of the archive, building the same query with the ORM
    cost more than running it."""
    among = [int(pk) for pk in muted_among] or [0]
    sql = _READER_STATE_SQL.format(
        subscription=Subscription._meta.db_table,
        bookmark=Bookmark._meta.db_table,
        mute=Mute._meta.db_table,
        among=", ".join(["%s"] * len(among)),
    )
    params = [user.pk, work_id, user.pk, work_id, user.pk, user.pk, *among]
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        subscription_id, bookmark_id, mutes_anyone, mutes_a_commenter = cursor.fetchone()
    return {
        "subscription_id": subscription_id,
        "bookmark_id": bookmark_id,
        "mutes_anyone": bool(mutes_anyone),
        "mutes_a_commenter": bool(mutes_a_commenter),
    }


_READER_STATE_SQL = """
SELECT
    (SELECT id FROM {subscription} WHERE user_id = %s AND work_id = %s LIMIT 1),
    (SELECT id FROM {bookmark} WHERE user_id = %s AND work_id = %s LIMIT 1),
    EXISTS (SELECT 1 FROM {mute} WHERE muter_id = %s),
    EXISTS (SELECT 1 FROM {mute} WHERE muter_id = %s AND muted_id IN ({among}))
"""


def work_or_404(user, work_id, *, posted: bool = True) -> Work:
    """The work `user` may see (posted unless `posted` is False), with its stats; else 404."""
    works = Work.objects.visible_to(user).select_related("stats")
    if posted:
        works = works.posted()
    work = works.filter(pk=work_id).first()
    if work is None:
        raise Http404
    return work


def restricted_for_guest(user, works) -> bool:
    """Whether `works` hold a posted, restricted work that a guest could read after logging in."""
    return not user.is_authenticated and works.behind_login().exists()
