"""What every download holds, as a guest sees the work: rendered once per build."""

import hashlib
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import translation

from archive.site import site_url
from works.models import Work
from works.models.bylines import byline
from works.pages.work import download_name, work_page_context
from works.rendering import RENDER_VERSION

# Bumped when what a file holds changes for the same work (templates, EPUB layout).
FORMAT_VERSION = 1
# The reader every file is built for: a guest, so creators an anonymous collection hides are
# hidden in every copy, whoever asked for it first.
_GUEST = SimpleNamespace(user=AnonymousUser())


@dataclass
class Document:
    work: Work
    context: dict
    name: str  # the file name without extension: "The_Quiet_Harbour"

    @property
    def chapters(self):
        return self.context["chapters"]

    @property
    def creators(self) -> list[str]:
        """The byline's names, or "Anonymous"."""
        if self.context["anonymous"]:
            return [translation.gettext("Anonymous")]
        return [byline(creator) for creator in self.context["creators"]]

    def render(self, template: str, **extra) -> str:
        return render_to_string(template, {**self.context, **extra})


def build_document(work: Work) -> Document:
    """The download's content for `work` (posted chapters only), in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        chapters = list(work.chapters.posted().order_by("position", "pk"))
        context = work_page_context(_GUEST, work, chapters, full_view=len(chapters) > 1)
        context["work_url"] = site_url(work.get_absolute_url())
        context["site_root"] = site_url("/").rstrip("/")
    return Document(work=work, context=context, name=download_name(work))


def build_creator_document(work: Work, creator) -> Document:
    """The work as one of its creators sees it, drafts and draft chapters included: what an
    account export (works/downloads/account.py) holds, which the download view never
    builds."""
    with translation.override(settings.LANGUAGE_CODE):
        chapters = list(work.chapters.order_by("position", "pk"))
        reader = SimpleNamespace(user=creator)
        context = work_page_context(reader, work, chapters, full_view=len(chapters) > 1)
        context["work_url"] = site_url(work.get_absolute_url())
        context["site_root"] = site_url("/").rstrip("/")
    return Document(work=work, context=context, name=download_name(work))


def version(document: Document) -> str:
    """A fingerprint of everything a file shows but the counters: the work and its chapters'
    times, its tags' names, creators, series and collections. A change to any of them gives
    a new version, so the next request builds a new file."""
    work, context = document.work, document.context
    parts = [
        FORMAT_VERSION,
        RENDER_VERSION,
        work.pk,
        work.title,
        work.language,
        work.updated_at.isoformat() if work.updated_at else "",
        work.revised_at.isoformat() if work.revised_at else "",
        [(c.pk, c.updated_at.isoformat() if c.updated_at else "") for c in document.chapters],
        [(group["label"], [t.name for t in group["tags"]]) for group in context["tag_groups"]],
        document.creators,
        [gift.name for gift in context["gifts"]],
        [(e["series"].pk, e["series"].title, e["position"]) for e in context["series_entries"]],
        [(c.pk, c.title) for c in context["collections"]],
        settings.ARCHIVE_SITE_URL,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]
