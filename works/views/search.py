"""/works/search (AO3's advanced work search and the header's quick search) and the page
where a reader manages the tags they never want to see."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from archive.auth import login_required
from archive.errors import Refused
from archive.params import parse_id
from archive.ratelimit import ip_ident, rate_limit
from tags.models import Tag, TagType
from works.languages import LANGUAGES
from works.listing.filters import WorkFilter
from works.listing.options import SEARCH, SORTS
from works.listing.pages import work_list_context
from works.models import ExcludedTag, Work
from works.services.preferences import excluded_tag_add, excluded_tag_remove


def _has_search(request) -> bool:
    return any(
        key.startswith((f"{SEARCH}[", "include_work_search[", "exclude_work_search["))
        for key in request.GET
    )


def _searching_client(request):
    """Rate-limit identity for a search (the bare form page is not counted)."""
    return ip_ident(request) if _has_search(request) else None


@require_GET
@rate_limit("search", key=_searching_client, methods=("GET",))
def work_search(request):
    """The advanced search form; with search parameters, the results (same blurbs and
    pagination as every listing, best match first when there is a query)."""
    fixed = Tag.objects.filter(
        type__in=[TagType.RATING, TagType.WARNING, TagType.CATEGORY], canonical=True
    ).order_by("pk")
    fixed_by_type = {TagType.RATING: [], TagType.WARNING: [], TagType.CATEGORY: []}
    for tag in fixed:
        fixed_by_type[tag.type].append(tag)
    searched = _has_search(request) or len(request.META.get("QUERY_STRING", "")) > 0
    context = (
        work_list_context(request, works=Work.objects.all(), facets=False, search=True)
        if searched
        else {}
    )
    context.update(
        {
            "searched": searched,
            "ratings": fixed_by_type[TagType.RATING],
            "warnings": fixed_by_type[TagType.WARNING],
            "categories": fixed_by_type[TagType.CATEGORY],
        }
    )
    if not searched:
        context.update(
            {
                "work_filter": WorkFilter(),
                "sort_choices": [(key, sort.label) for key, sort in SORTS.items()],
                "languages": LANGUAGES,
            }
        )
    return render(request, "works/search.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def excluded_tags(request, login):
    """/users/<login>/preferences/excluded_tags: only the reader's own page."""
    if request.user.username.lower() != login.lower():
        raise Http404
    error, typed = "", ""
    if request.method == "POST":
        if "remove" in request.POST:
            tag_id = parse_id(request.POST.get("remove", ""))
            if tag_id is not None:
                excluded_tag_remove(user=request.user, tag_id=tag_id)
                messages.success(request, _("The tag is no longer excluded."))
            return redirect("works:excluded_tags", login=request.user.username)
        typed = request.POST.get("tag_name", "")[:500]
        try:
            excluded = excluded_tag_add(user=request.user, name=typed)
        except Refused as refused:
            error = refused.message
        else:
            messages.success(
                request,
                _("Works tagged “%(name)s” will no longer be shown to you.")
                % {"name": excluded.tag.name},
            )
            return redirect("works:excluded_tags", login=request.user.username)
    excluded = ExcludedTag.objects.filter(user=request.user).select_related("tag")
    context = {
        "excluded": list(excluded.order_by("tag__name")),
        "error": error,
        "typed": typed,
    }
    return render(request, "works/excluded_tags.html", context, status=200)
