"""Tag pages: a tag, its works, media and fandom indexes, autocomplete, feeds, unwrangled bins.

Tag names travel in URLs with AO3's escapes (tags.naming). A synonym's page and works listing
redirect (302: wrangling can change) to its canonical tag.
"""

import unicodedata
from collections import defaultdict
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Window
from django.db.models.functions import Lower, RowNumber
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from tags.feeds import TagWorksFeed
from tags.models import USER_TAG_TYPES, Tag, TagType
from tags.naming import escape_tag_name, unescape_tag_name
from tags.services import tags_parse
from works.listing.pages import work_list_response
from works.listing.querying import default_ordering
from works.models import Work

TAG_PAGE_WORKS = 20
TAG_PAGE_CHILDREN = 500
MEDIA_INDEX_FANDOMS = 5
AUTOCOMPLETE_LIMIT = 15
AUTOCOMPLETE_TERM_MAX = 150
UNWRANGLED_PER_PAGE = 100
FEED_TYPES = frozenset({TagType.FANDOM, TagType.RELATIONSHIP, TagType.CHARACTER})
UNCATEGORIZED_MEDIA = "Uncategorized Fandoms"


def _tag_from_url(name: str) -> Tag:
    """The tag an escaped URL segment names (ignoring case), or 404."""
    tag = Tag.objects.select_related("merger").named(unescape_tag_name(name)).first()
    if tag is None:
        raise Http404
    return tag


def _with_query(request, url: str) -> str:
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


def works_under(tag: Tag):
    """Works found under a tag: its filter rows (itself, its synonyms, its sub tags...)."""
    return Work.objects.filter(filter_taggings__tag=tag)


@require_GET
def tag_detail(request, name):
    tag = _tag_from_url(name)
    if tag.merger_id:
        return redirect(tag.merger.get_absolute_url())
    if tag.url_name != name:
        return redirect(tag.get_absolute_url())
    works = works_under(tag).listable_by(request.user)
    children = list(
        tag.children.filter(canonical=True).order_by("type", Lower("name"))[:TAG_PAGE_CHILDREN]
    )
    children_by_type = [
        (TagType(tag_type).label, list(group))
        for tag_type, group in groupby(children, key=lambda child: child.type)
    ]
    context = {
        "tag": tag,
        "tag_type": TagType(tag.type).label,
        "synonyms": list(tag.synonyms.order_by(Lower("name"))),
        "parents": list(tag.parents.order_by("type", Lower("name"))),
        "meta_tags": list(tag.meta_tags.order_by(Lower("name"))),
        "sub_tags": list(tag.sub_tags.order_by(Lower("name"))),
        "children_by_type": children_by_type,
        "children_truncated": len(children) >= TAG_PAGE_CHILDREN,
        "works": list(works.order_by(*default_ordering()).for_listing()[:TAG_PAGE_WORKS]),
        "works_count": works.count(),
        "has_feed": tag.type in FEED_TYPES,
        "can_wrangle": request.user.has_perm("tags.change_tag"),
    }
    return render(request, "tags/tag_detail.html", context)


@require_GET
def tag_works(request, name):
    tag = _tag_from_url(name)
    if tag.merger_id:
        return redirect(_with_query(request, tag.merger.get_works_url()))
    if tag.url_name != name:
        return redirect(_with_query(request, tag.get_works_url()))
    return work_list_response(
        request,
        works=Work.objects.all(),
        within_tag_id=tag.pk,
        heading_in=tag.name,
        heading_in_url=tag.get_absolute_url(),
    )


@require_GET
def tag_feed(request, tag_id):
    """An Atom feed of the newest works found under a fandom, relationship or character."""
    tag = get_object_or_404(Tag.objects.select_related("merger"), pk=tag_id)
    if tag.type not in FEED_TYPES:
        raise Http404
    if tag.merger_id:
        return redirect("tags:feed", tag_id=tag.merger_id)
    return TagWorksFeed()(request, tag=tag)


# --- media and fandoms -------------------------------------------------------------------


def _initial(name: str) -> str:
    """The letter a name is filed under: its first letter without accents, else "#"."""
    first = unicodedata.normalize("NFKD", name[:1])[:1].upper()
    return first if first.isalpha() else "#"


def _by_initial(tags):
    """[(letter, [tags])], "#" first, then letters; names A–Z within a letter."""
    keyed = sorted(
        tags, key=lambda t: (_initial(t.name) != "#", _initial(t.name), t.name.casefold())
    )
    return [
        (letter, list(group)) for letter, group in groupby(keyed, key=lambda t: _initial(t.name))
    ]


def _canonical_fandoms():
    return Tag.objects.filter(type=TagType.FANDOM, canonical=True).with_family_count()


@require_GET
def media_index(request):
    """Every medium with its most used fandoms."""
    media = list(Tag.objects.filter(type=TagType.MEDIA).order_by(Lower("name")))
    through = Tag.parents.through
    top = (
        through.objects.filter(
            to_tag__type=TagType.MEDIA, from_tag__type=TagType.FANDOM, from_tag__canonical=True
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("to_tag_id"),
                order_by=[F("from_tag__work_count").desc(), Lower("from_tag__name").asc()],
            )
        )
        .filter(rank__lte=MEDIA_INDEX_FANDOMS)
        .values_list("to_tag_id", "from_tag_id")
    )
    fandom_ids_by_media = defaultdict(list)
    for media_id, fandom_id in top:
        fandom_ids_by_media[media_id].append(fandom_id)
    fandoms = _canonical_fandoms().in_bulk(
        {pk for ids in fandom_ids_by_media.values() for pk in ids}
    )
    rows = []
    for medium in media:
        top_fandoms = sorted(
            (fandoms[pk] for pk in fandom_ids_by_media.get(medium.pk, ())),
            key=lambda t: (-t.family_count, t.name.casefold()),
        )
        rows.append((medium, top_fandoms))
    return render(request, "tags/media_index.html", {"media_rows": rows})


@require_GET
def media_fandoms(request, media_name):
    """Canonical fandoms of one medium, A–Z, with their work counts."""
    medium = Tag.objects.filter(type=TagType.MEDIA).named(unescape_tag_name(media_name)).first()
    if medium is None:
        raise Http404
    if escape_tag_name(medium.name) != media_name:
        return redirect("tags:media_fandoms", media_name=escape_tag_name(medium.name))
    in_medium = Q(parents=medium)
    if medium.name == UNCATEGORIZED_MEDIA:
        # As on AO3, canonical fandoms nobody has placed in a medium yet are filed here.
        in_medium |= ~Q(parents__type=TagType.MEDIA)
    fandoms = _canonical_fandoms().filter(in_medium).distinct()
    return render(
        request,
        "tags/fandom_index.html",
        {"medium": medium, "letters": _by_initial(fandoms), "heading_name": medium.name},
    )


@require_GET
def fandom_index(request):
    """Every canonical fandom, A–Z, with its work count."""
    return render(
        request,
        "tags/fandom_index.html",
        {"medium": None, "letters": _by_initial(_canonical_fandoms())},
    )


# --- autocomplete ------------------------------------------------------------------------


@require_GET
def autocomplete(request, tag_type):
    """JSON list of canonical tags of one type whose name starts with `term` (any case).

    For characters and relationships, those whose parent fandoms are among the `fandoms`
    already entered (comma-separated names) come first; then the most used.
    """
    if tag_type not in USER_TAG_TYPES:
        raise Http404
    term = tags_parse(request.GET.get("term", "")[:AUTOCOMPLETE_TERM_MAX])
    if not term:
        return JsonResponse([], safe=False)
    tags = Tag.objects.filter(type=tag_type, canonical=True).search(term[0])
    ordering = ["-work_count", Lower("name")]
    fandom_names = tags_parse(request.GET.get("fandoms", "")[:2000])[:20]
    if tag_type in (TagType.CHARACTER, TagType.RELATIONSHIP) and fandom_names:
        fandom_ids = set()
        for pk, merger_id in (
            Tag.objects.filter(type=TagType.FANDOM)
            .alias(lower_name=Lower("name"))
            .filter(lower_name__in=[name.lower() for name in fandom_names])
            .values_list("pk", "merger_id")
        ):
            fandom_ids.add(merger_id or pk)
        if fandom_ids:
            tags = tags.with_parent_among(fandom_ids)
            ordering = ["-in_parents", *ordering]
    names = list(tags.order_by(*ordering).values_list("name", flat=True)[:AUTOCOMPLETE_LIMIT])
    return JsonResponse([{"id": name, "name": name} for name in names], safe=False)


# --- wranglers ---------------------------------------------------------------------------


@require_GET
def fandom_unwrangled(request, name):
    """Wranglers' bin: non-canonical tags on works in this fandom with no synonym yet and
    not marked unwrangleable, most used first. Anyone else gets a 404."""
    if not (request.user.is_staff and request.user.has_perm("tags.change_tag")):
        raise Http404
    fandom = _tag_from_url(name)
    if fandom.type != TagType.FANDOM or not fandom.canonical:
        raise Http404
    tags = (
        Tag.objects.unwrangled()
        .filter(
            type__in=[TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM],
            tagged_works__content_object__filter_taggings__tag=fandom,
        )
        .annotate(uses=Count("tagged_works"))
        .order_by("-uses", Lower("name"))
    )
    page = Paginator(tags, UNWRANGLED_PER_PAGE).get_page(request.GET.get("page"))
    admin_list = reverse("admin:tags_tag_changelist")
    return render(
        request,
        "tags/fandom_unwrangled.html",
        {"fandom": fandom, "page_obj": page, "admin_list": admin_list},
    )
