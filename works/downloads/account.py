"""The ZIP of everything an account holds (/users/<login>/export; works/services/exports.py
builds it on the task queue and stores it).

- `works/`: each work the user creates, posted or draft, as EPUB and HTML, built as the
  e-book downloads are (works.downloads.document, .epub) but as its creator sees it, draft
  chapters included (`build_creator_document`);
- JSON files, one per kind of data, described in README.txt (templates/works/export/): the
  user's works, bookmarks, comments, kudos, reading history, subscriptions, preferences.

Other people's data never goes in: the user's own rows only, and another person's work
appears by id, title and address only, and only while the user may still see it
(works.models.visibility); a bookmark of a work they can no longer see keeps its id and
the user's own notes.
"""

import io
import json
import zipfile

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from archive.site import site_url
from works.downloads.document import build_creator_document
from works.downloads.epub import write_epub
from works.models import Bookmark, Comment, ExcludedTag, Kudos, Reading, Subscription, Work
from works.pages.work import work_page_queryset

README_TEMPLATE = "works/export/README.txt"
# What README.txt says of each file.
FILES = [
    (
        "works/",
        _(
            "Each of your works, posted or draft, as an EPUB e-book and as one HTML page. "
            "Drafts and draft chapters are included."
        ),
    ),
    (
        "works.json",
        _(
            "A list of your works: id, title, address, whether posted, dates, words, chapters "
            "and the two file names."
        ),
    ),
    (
        "bookmarks.json",
        _(
            "Your bookmarks: the work's id, title and address (title and address only when you "
            "can still see the work), your notes, your tags, private and rec, dates."
        ),
    ),
    (
        "comments.json",
        _(
            "Your comments: the work's id and title, the chapter, the address, your text, its "
            "status and dates."
        ),
    ),
    ("kudos.json", _("The works you left kudos on: id, title and address, and when.")),
    (
        "history.json",
        _(
            "Your reading history: the work, first and last visit, visits, chapters read, "
            "marked for later."
        ),
    ),
    (
        "subscriptions.json",
        _("What you subscribe to: a work, a creator or a series, its name and address."),
    ),
    (
        "preferences.json",
        _(
            "Your account and preferences: login, email, date joined, reading and email "
            "settings, skin, language, excluded tags, and the users you block or mute."
        ),
    ),
]
WORK_TEMPLATE = "works/work_download.html"


def _time(value) -> str | None:
    return value.isoformat() if value else None


class _Works:
    """Titles and addresses of the works a user may see, read once per export."""

    def __init__(self, user, work_ids):
        visible = Work.objects.visible_to(user).filter(pk__in=set(work_ids))
        self.titles = dict(visible.values_list("pk", "title"))

    def describe(self, work_id) -> dict:
        title = self.titles.get(work_id)
        if title is None:
            return {"work_id": work_id, "title": None, "url": None}
        return {"work_id": work_id, "title": title, "url": site_url(f"/works/{work_id}")}


def _works(user, archive: zipfile.ZipFile) -> list[dict]:
    entries = []
    works = work_page_queryset(user).filter(work_creators__user=user).order_by("pk")
    for work in works:
        document = build_creator_document(work, user)
        base = f"works/{work.pk}_{document.name}"
        archive.writestr(f"{base}.epub", write_epub(document))
        archive.writestr(f"{base}.html", document.render(WORK_TEMPLATE))
        entries.append(
            {
                "id": work.pk,
                "title": work.title,
                "url": site_url(work.get_absolute_url()),
                "posted": work.posted,
                "published": _time(work.published_at),
                "updated": _time(work.revised_at or work.updated_at),
                "words": work.word_count,
                "chapters": len(document.chapters),
                "files": [f"{base}.epub", f"{base}.html"],
            }
        )
    return entries


def _bookmarks(user) -> list[dict]:
    rows = list(Bookmark.objects.filter(user=user).prefetch_related("tags").order_by("pk"))
    works = _Works(user, [b.work_id for b in rows])
    return [
        {
            **works.describe(b.work_id),
            "notes": b.notes,
            "tags": sorted(tag.name for tag in b.tags.all()),
            "private": b.is_private,
            "rec": b.is_rec,
            "created": _time(b.created_at),
            "updated": _time(b.updated_at),
        }
        for b in rows
    ]


def _comments(user) -> list[dict]:
    rows = list(Comment.objects.filter(user=user).select_related("chapter").order_by("pk"))
    works = _Works(user, [c.work_id for c in rows])
    return [
        {
            **works.describe(c.work_id),
            "comment_url": site_url(c.get_absolute_url()) if works.titles.get(c.work_id) else None,
            "chapter": c.chapter.position,
            "reply_to": c.parent_id,
            "text": "" if c.is_deleted else c.content,
            "status": "deleted" if c.is_deleted else c.status,
            "created": _time(c.created_at),
            "edited": _time(c.edited_at),
        }
        for c in rows
    ]


def _kudos(user) -> list[dict]:
    rows = list(Kudos.objects.filter(user=user).order_by("pk"))
    works = _Works(user, [k.work_id for k in rows])
    return [{**works.describe(k.work_id), "created": _time(k.created_at)} for k in rows]


def _history(user) -> list[dict]:
    rows = list(Reading.objects.filter(user=user).order_by("pk"))
    works = _Works(user, [r.work_id for r in rows])
    return [
        {
            **works.describe(r.work_id),
            "first_visited": _time(r.first_visited_at),
            "last_visited": _time(r.last_visited_at),
            "visits": r.visit_count,
            "chapters_read": r.chapters_seen,
            "marked_for_later": r.marked_for_later,
        }
        for r in rows
    ]


def _subscriptions(user) -> list[dict]:
    rows = list(
        Subscription.objects.filter(user=user).select_related("author", "series").order_by("pk")
    )
    works = _Works(user, [s.work_id for s in rows if s.work_id])
    entries = []
    for s in rows:
        entry = {"kind": s.kind, "created": _time(s.created_at)}
        if s.kind == Subscription.Kind.WORK:
            entry.update(works.describe(s.work_id))
        elif s.kind == Subscription.Kind.AUTHOR:
            entry.update(name=s.author.username, url=site_url(s.author.get_absolute_url()))
        else:
            entry.update(name=s.series.title, url=site_url(s.series.get_absolute_url()))
        entries.append(entry)
    return entries


def _preferences(user) -> dict:
    return {
        "login": user.username,
        "email": user.email,
        "date_joined": _time(user.date_joined),
        "view_adult": user.view_adult,
        "comment_emails": user.comment_emails,
        "gift_emails": user.gift_emails,
        "disallow_gifts": user.disallow_gifts,
        "history_enabled": user.history_enabled,
        "allow_cocreator_invitations": user.allow_cocreator_invitations,
        "cocreator_without_asking": user.cocreator_without_asking,
        "skin": user.skin,
        "text_size": user.text_size,
        "line_width": user.line_width,
        "hide_creator_styling": user.hide_creator_styling,
        "interface_language": user.interface_language,
        "excluded_tags": sorted(
            ExcludedTag.objects.filter(user=user).values_list("tag__name", flat=True)
        ),
        "blocked_users": sorted(user.blocks.values_list("blocked__username", flat=True)),
        "muted_users": sorted(user.mutes.values_list("muted__username", flat=True)),
    }


def _json(archive: zipfile.ZipFile, name: str, data) -> None:
    archive.writestr(name, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def build_account_zip(user) -> bytes:
    """The ZIP's bytes (README.txt in the user's interface language)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _json(archive, "works.json", _works(user, archive))
        _json(archive, "bookmarks.json", _bookmarks(user))
        _json(archive, "comments.json", _comments(user))
        _json(archive, "kudos.json", _kudos(user))
        _json(archive, "history.json", _history(user))
        _json(archive, "subscriptions.json", _subscriptions(user))
        _json(archive, "preferences.json", _preferences(user))
        language = user.interface_language or settings.LANGUAGE_CODE
        with translation.override(language):
            readme = render_to_string(
                README_TEMPLATE,
                {
                    "login": user.username,
                    "site_url": site_url("/"),
                    "created_at": timezone.now().strftime("%Y-%m-%d %H:%M"),
                    "files": FILES,
                },
            )
        archive.writestr("README.txt", readme)
    return out.getvalue()
