"""Tag pages of the tags alone: media and fandom indexes (with the stored work counts) and
autocomplete. The pages that list works under a tag are works' (works/views/tags.py).
"""

import unicodedata
from collections import defaultdict
from itertools import groupby

from django.db.models import F, Q, Window
from django.db.models.functions import Lower, RowNumber
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from tags.models import USER_TAG_TYPES, Tag, TagType
from tags.naming import escape_tag_name, unescape_tag_name
from tags.services import tags_parse

MEDIA_INDEX_FANDOMS = 5
AUTOCOMPLETE_LIMIT = 15
AUTOCOMPLETE_TERM_MAX = 150
UNCATEGORIZED_MEDIA = "Uncategorized Fandoms"


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
