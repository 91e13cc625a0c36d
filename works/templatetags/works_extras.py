"""Template tags for works: blurbs and what they derive from a work's prefetched rows."""

import datetime
import re

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from tags.models import TagType
from works.cache import blurbs
from works.models import Work
from works.models.bylines import byline as creator_byline
from works.models.bylines import creators_with_bylines
from works.models.gifts import shown_gifts
from works.models.visibility import secret_work_ids, work_secrets
from works.pages.blurb import approved_collections, required_tag_symbols, work_stats

register = template.Library()


@register.simple_tag
def blurb_data(work, user=None):
    """Everything a listing blurb shows, computed from rows prefetched by for_listing().

    What `user` may not know of the work stays out (works.models.visibility): an anonymous work has
    no creators and no series; a mystery work shows nothing but that it is one."""
    secrets = work_secrets(work, user)
    if secrets.mystery:
        return {"mystery": True, "collections": list(secrets.collections)}
    groups = work.tags_by_type()
    return {
        "anonymous": secrets.anonymous,
        "creators": [] if secrets.anonymous else list(work.pseuds.all()),
        "gifts": shown_gifts(work),
        "fandoms": groups[TagType.FANDOM],
        "warnings": groups[TagType.WARNING],
        "relationships": groups[TagType.RELATIONSHIP],
        "characters": groups[TagType.CHARACTER],
        "freeforms": groups[TagType.FREEFORM],
        "prompts": groups[TagType.PROMPT],
        "symbols": required_tag_symbols(work, groups),
        "series_works": [] if secrets.anonymous else list(work.series_works.all()),
        "collections": approved_collections(work),
        "stats": work_stats(work),
        "updated": work.revised_at or work.published_at,
    }


@register.filter
def byline(creator) -> str:
    """`{{ creator|byline }}`: the creator's name in a work's byline (works.models.bylines)."""
    return creator_byline(creator)


@register.simple_tag(takes_context=True)
def comment_by_hidden_creator(context, comment):
    """Whether the comment was left by a creator of its work whom the reader may not know
    (the work is anonymous to them): its byline then reads "Anonymous Creator". On the work
    page the answer is in the context; elsewhere it is asked once per work and request."""
    if not comment.user_id:
        return False
    work = context.get("work")
    hidden = context.get("secret_creator_ids")
    if hidden is not None and work is not None and work.pk == comment.work_id:
        return comment.user_id in hidden
    request = context.get("request")
    user = getattr(request, "user", None)
    memo = user.__dict__ if user is not None else {}
    if "_secret_work_ids" not in memo:
        # One query per request: the works any anonymous or unrevealed collection holds.
        memo["_secret_work_ids"] = secret_work_ids()
    if comment.work_id not in memo["_secret_work_ids"]:
        return False
    known = memo.setdefault("_secret_creators", {})
    if comment.work_id not in known:
        secret_work = (
            Work.objects.prefetch_related(creators_with_bylines(), "collection_items__collection")
            .filter(pk=comment.work_id)
            .first()
        )
        secrets = work_secrets(secret_work, user) if secret_work else None
        known[comment.work_id] = (
            {p.user_id for p in secret_work.pseuds.all()}
            if secrets and (secrets.anonymous or secrets.mystery)
            else set()
        )
    return comment.user_id in known[comment.work_id]


@register.simple_tag(takes_context=True)
def work_blurb(context, work):
    """`{% work_blurb work %}`: one li.work.blurb (the work went through for_listing(), or is
    a blurb a listing found stored: works.cache.blurbs)."""
    return blurbs.render(work, context.get("request"))


_OUTER_LI = re.compile(r"^\s*<li\b[^>]*>(?P<inner>.*)</li>\s*$", re.DOTALL)


@register.simple_tag(takes_context=True)
def work_blurb_content(context, work):
    """`{% work_blurb_content work %}`: what a work's li.work.blurb holds, without the li, for
    a list item of another kind that shows the work (AO3's li.bookmark.blurb: one article per
    bookmark, so AO3 clients do not read each bookmarked work twice)."""
    html = str(work_blurb(context, work))
    match = _OUTER_LI.match(html)
    return mark_safe(match.group("inner") if match else html)  # noqa: S308 - our own blurb


@register.simple_tag
def filter_options(group, mode):
    """The sidebar's checkboxes of one tag group, `mode` "include" or "exclude": built in one
    pass (a template loop spent about 10 ms a listing localizing the ~700 numbers of the 140
    checkboxes, and format_html 3 ms escaping values that are ours). Only the tag's name is
    text from outside: it alone is escaped; the mode, the group's key and the numbers are
    the code's own."""
    if mode not in ("include", "exclude"):
        raise ValueError(f"filter_options: unknown mode {mode!r}")
    key, rows = group.key, []
    for option in group.options:
        checked = option.included if mode == "include" else option.excluded
        count = f" ({int(option.count)})" if option.count is not None else ""
        tag_id = int(option.tag_id)
        field = f"{mode}_{key}_{tag_id}"
        rows.append(
            f'<li><input type="checkbox" name="{mode}_work_search[{key}][]" id="{field}"'
            f' value="{tag_id}"{" checked" if checked else ""}>\n'
            f'              <label for="{field}">{escape(option.name)}{count}</label></li>'
        )
    return mark_safe("\n            ".join(rows))  # noqa: S308 - the name escaped, the rest ours


def local_date(value) -> datetime.date:
    """The day `value` (a date, or a datetime shown in the site's time zone) falls on."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return value


@register.filter
def ymd(value):
    """A date as AO3 writes it in markup: YYYY-MM-DD (in the site's time zone)."""
    return local_date(value).isoformat() if value else ""
