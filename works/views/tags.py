"""Tag pages that list works: a tag's page, its works, its feed, and the wranglers' bin of
unwrangled tags on a fandom's works.

Tag names travel in URLs with AO3's escapes (tags.naming). A synonym's page and works listing
redirect (302: wrangling can change) to its canonical tag.
"""

from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from tags.models import Tag, TagType
from tags.naming import unescape_tag_name
from works.feeds import TagWorksFeed
from works.listing.pages import work_list_response
from works.listing.querying import default_ordering
from works.models import Work

TAG_PAGE_WORKS = 20
TAG_PAGE_CHILDREN = 500
UNWRANGLED_PER_PAGE = 100
FEED_TYPES = frozenset({TagType.FANDOM, TagType.RELATIONSHIP, TagType.CHARACTER})


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
        extra_context={"feed_tag": tag if tag.type in FEED_TYPES else None},
    )


@require_GET
def tag_feed(request, tag_id):
    """An Atom feed of the newest works found under a fandom, relationship or character."""
    tag = get_object_or_404(Tag.objects.select_related("merger"), pk=tag_id)
    if tag.type not in FEED_TYPES:
        raise Http404
    if tag.merger_id:
        return redirect("works:tag_feed", tag_id=tag.merger_id)
    return TagWorksFeed()(request, tag=tag)


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
