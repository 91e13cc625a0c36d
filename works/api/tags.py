"""Tags and fandoms in the API: GET /tags (search and browse), GET /tags/{tag_id} (a tag with
its synonyms, parents, meta and sub tags, and child tags, as its page shows them) and
GET /fandoms (canonical fandoms with their media, as /media and /media/<name>/fandoms).

Tags are public: every tag shows, wrangled or not, as on its page. Counts next to a tag are the
public ones the index pages show (`Tag.work_count` plus its synonyms', `with_family_count`);
a tag's own answer adds `works_visible`, the number its page links to for this reader (the
works found under it that the reader may list). The works themselves are listed by
GET /works?tag_id=… (works_url).
"""

from datetime import datetime
from typing import Literal

from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from archive.params import MAX_ID
from tags.models import Tag, TagType
from tags.naming import unescape_tag_name
from tags.services import tags_parse
from works.api.auth import reader
from works.api.paging import PageOut, PageQuery, page_of, works_url
from works.api.problems import ProblemOut
from works.models import Work

router = Router(tags=["tags"])

# As the tag page: how many child tags it lists.
TAG_CHILDREN = 500
Q_MAX_LENGTH = 150
UNCATEGORIZED_MEDIA = "Uncategorized Fandoms"
TypeName = Literal[
    "fandom", "relationship", "character", "freeform", "rating", "warning", "category"
]


class TagFields(Schema):
    id: int
    name: str
    type: str = Field(description="One of " + ", ".join(TagType.values) + ".")
    canonical: bool
    url: str = Field(description="The tag's page on the site.")
    api_url: str
    works_count: int = Field(
        description="Works carrying the tag or one of its synonyms, as the fandom and media "
        "pages count them (public works only)."
    )


class TagOut(TagFields):
    """A tag as every list shows it."""

    @staticmethod
    def resolve_url(tag) -> str:
        return tag.get_absolute_url()

    @staticmethod
    def resolve_api_url(tag) -> str:
        return reverse("api-v1:tag_get", args=[tag.pk])

    @staticmethod
    def resolve_works_count(tag) -> int:
        return tag.family_count


class TagPageOut(PageOut):
    results: list[TagOut]


class TagFilters(PageQuery):
    q: str | None = Field(
        None,
        max_length=Q_MAX_LENGTH,
        description="Names starting with this (letter case ignored), as the site's "
        "autocomplete finds them; the most used first.",
    )
    type: TypeName | None = None
    canonical: bool | None = None


class TagDetailOut(TagFields):
    unwrangleable: bool
    synonym_of: TagOut | None = Field(description="The canonical tag this one is a synonym of.")
    synonyms: list[TagOut]
    parents: list[TagOut] = Field(description="Fandoms of a character, media of a fandom…")
    meta_tags: list[TagOut]
    sub_tags: list[TagOut]
    children: list[TagOut] = Field(description=f"Canonical child tags (the first {TAG_CHILDREN}).")
    children_truncated: bool
    works_visible: int = Field(
        description="Works found under the tag (or, for a synonym, its canonical tag) that the "
        "caller may list: the number on the tag's page."
    )
    works_url: str
    created_at: datetime


def _counted():
    return Tag.objects.with_family_count()


def _by_name(tags):
    return tags.order_by(Lower("name"), "pk")


def tag_or_404(tag_id: int) -> Tag:
    if not 1 <= tag_id <= MAX_ID:
        raise Http404
    return get_object_or_404(_counted(), pk=tag_id)


@router.get(
    "/tags",
    response={200: TagPageOut, 422: ProblemOut},
    summary="Search and browse tags",
)
def tags_list(request, filters: Query[TagFilters]):
    """Tags of every type, wrangled or not; `q` finds names starting with it, most used first
    (as the autocomplete), otherwise A–Z."""
    tags = _counted()
    if filters.type:
        tags = tags.filter(type=filters.type)
    if filters.canonical is not None:
        tags = tags.filter(canonical=filters.canonical)
    term = tags_parse(filters.q or "")
    if term:
        tags = tags.search(term[0]).order_by("-work_count", Lower("name"), "pk")
    else:
        tags = _by_name(tags)
    return page_of(tags, filters)


@router.get(
    "/tags/{tag_id}",
    response={200: TagDetailOut, 404: ProblemOut, 422: ProblemOut},
    summary="A tag with its synonyms, parents and child tags",
)
def tag_get(request, tag_id: int):
    tag = tag_or_404(tag_id)
    synonym_of = get_object_or_404(_counted(), pk=tag.merger_id) if tag.merger_id else None
    listed_under = synonym_of or tag
    children = list(
        _counted()
        .filter(parents=tag, canonical=True)
        .order_by("type", Lower("name"), "pk")[:TAG_CHILDREN]
    )
    works = Work.objects.filter(filter_taggings__tag=listed_under).listable_by(reader(request))
    return {
        "id": tag.pk,
        "name": tag.name,
        "type": tag.type,
        "canonical": tag.canonical,
        "unwrangleable": tag.unwrangleable,
        "url": tag.get_absolute_url(),
        "api_url": reverse("api-v1:tag_get", args=[tag.pk]),
        "works_count": tag.family_count,
        "synonym_of": synonym_of,
        "synonyms": list(_by_name(_counted().filter(merger=tag))),
        "parents": list(_counted().filter(children=tag).order_by("type", Lower("name"), "pk")),
        "meta_tags": list(_by_name(_counted().filter(sub_tags=tag))),
        "sub_tags": list(_by_name(_counted().filter(meta_tags=tag))),
        "children": children,
        "children_truncated": len(children) >= TAG_CHILDREN,
        "works_visible": works.count(),
        "works_url": works_url(tag_id=listed_under.pk),
        "created_at": tag.created_at,
    }


# --- fandoms -----------------------------------------------------------------------------


class FandomOut(TagOut):
    media: list[str] = Field(description="The media the fandom is filed under.")

    @staticmethod
    def resolve_media(tag) -> list[str]:
        return [medium.name for medium in tag.media_tags]


class FandomPageOut(PageOut):
    results: list[FandomOut]


class FandomFilters(PageQuery):
    media: str | None = Field(
        None,
        max_length=Q_MAX_LENGTH,
        description="Only fandoms of this medium (its name, as /media/<name>/fandoms; "
        f"“{UNCATEGORIZED_MEDIA}” also lists fandoms in no medium yet).",
    )


@router.get(
    "/fandoms",
    response={200: FandomPageOut, 404: ProblemOut, 422: ProblemOut},
    summary="Canonical fandoms with their media",
)
def fandoms_list(request, filters: Query[FandomFilters]):
    """Canonical fandoms A–Z with their public work counts, as the fandom index shows them;
    an unknown medium answers 404, as its page does."""
    fandoms = _counted().filter(type=TagType.FANDOM, canonical=True)
    if filters.media:
        name = unescape_tag_name(filters.media.strip())
        medium = Tag.objects.filter(type=TagType.MEDIA).named(name).first()
        if medium is None:
            raise Http404
        in_medium = Q(parents=medium)
        if medium.name == UNCATEGORIZED_MEDIA:
            in_medium |= ~Q(parents__type=TagType.MEDIA)
        fandoms = fandoms.filter(in_medium).distinct()
    media = Prefetch(
        "parents", queryset=_by_name(Tag.objects.filter(type=TagType.MEDIA)), to_attr="media_tags"
    )
    return page_of(_by_name(fandoms).prefetch_related(media), filters)
