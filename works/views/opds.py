"""/opds: the OPDS 1.2 catalogue (works/pages/opds.py builds the feeds).

E-reader apps cannot fill in a log-in form: a reader's own shelves (bookmarks, Marked for
Later) take HTTP Basic credentials (the account's login and password, over HTTPS in
production) or the site session; without either they answer 401 with a Basic challenge.
Restricted works appear only to a reader who logged in one of these ways.
"""

import base64
import binascii
import functools

from django.contrib.auth import authenticate
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tags.models import Tag, TagType
from works.models import Series, Work
from works.pages import opds

OPDS_TYPE = "application/atom+xml; charset=utf-8"


def _basic_user(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        login, _sep, password = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user = authenticate(request, username=login, password=password)
    return user if user is not None and user.is_active else None


def opds_reader(view):
    """The reader: the session's user, or the one named by valid Basic credentials."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            user = _basic_user(request)
            if user is not None:
                request.user = user
        return view(request, *args, **kwargs)

    return require_GET(wrapper)


def _challenge():
    response = HttpResponse(_("Log in to see your shelves."), status=401)
    response["WWW-Authenticate"] = 'Basic realm="Fanfiction Archive OPDS", charset="UTF-8"'
    return response


def _feed(request, *, title, path, entries, kind, links=()):
    self_url = opds.absolute(path, **{k: request.GET.getlist(k) for k in request.GET})
    context = {
        "id": self_url,
        "title": title,
        "updated": opds.now(),
        "self_url": self_url,
        "self_type": opds.NAVIGATION if kind == "navigation" else opds.ACQUISITION,
        "start_url": opds.absolute(reverse("works:opds")),
        "search_url": opds.absolute(reverse("works:opds_opensearch")),
        "entries": entries,
        "links": list(links),
    }
    body = render_to_string("opds/feed.xml", context, request=request)
    return HttpResponse(body, content_type=OPDS_TYPE)


def _works_feed(request, works, *, title, path, within_tag=None):
    entries, has_next, page = opds.work_page(request, works, within_tag=within_tag)
    return _feed(
        request,
        title=title,
        path=path,
        entries=entries,
        kind="acquisition",
        links=opds.page_links(request, path, page, has_next),
    )


@opds_reader
def opds_root(request):
    """The root navigation feed."""
    entries = [
        opds.navigation_entry(
            _("New works"),
            reverse("works:opds_new"),
            _("The most recently updated works."),
            kind=opds.ACQUISITION,
        ),
        opds.navigation_entry(
            _("Fandoms"), reverse("works:opds_fandoms"), _("Every fandom, A to Z.")
        ),
        opds.navigation_entry(
            _("My bookmarks"),
            reverse("works:opds_bookmarks"),
            _("The works you bookmarked (log in)."),
            kind=opds.ACQUISITION,
        ),
        opds.navigation_entry(
            _("Marked for Later"),
            reverse("works:opds_later"),
            _("The works you marked to read later (log in)."),
            kind=opds.ACQUISITION,
        ),
    ]
    return _feed(
        request,
        title=_("Fanfiction Archive"),
        path=reverse("works:opds"),
        entries=entries,
        kind="navigation",
    )


@opds_reader
def opds_new(request):
    return _works_feed(
        request, Work.objects.all(), title=_("New works"), path=reverse("works:opds_new")
    )


@opds_reader
def opds_fandoms(request):
    fandoms = Tag.objects.filter(type=TagType.FANDOM, canonical=True).order_by("name")
    entries = [
        opds.navigation_entry(
            tag.name,
            reverse("works:opds_tag"),
            _("Works in %(fandom)s") % {"fandom": tag.name},
            kind=opds.ACQUISITION,
            tag=tag.name,
        )
        for tag in fandoms[:2000]
    ]
    return _feed(
        request,
        title=_("Fandoms"),
        path=reverse("works:opds_fandoms"),
        entries=entries,
        kind="navigation",
    )


@opds_reader
def opds_tag(request):
    """A tag's works (?tag=<name>), with the listing's filters and sort."""
    name = request.GET.get("tag", "")[:150]
    tag = Tag.objects.filter(name=name).first()
    if tag is None:
        raise Http404
    tag = tag.merger if tag.merger_id else tag
    return _works_feed(
        request,
        Work.objects.all(),
        title=_("%(tag)s works") % {"tag": tag.name},
        path=reverse("works:opds_tag"),
        within_tag=tag,
    )


@opds_reader
def opds_series(request, series_id):
    series = get_object_or_404(Series, pk=series_id)
    works = Work.objects.filter(series_works__series=series).naming_creators_to(request.user)
    entries, has_next, page = opds.work_page(
        request, works, ordering=["series_works__position", "pk"]
    )
    if not entries and page == 1:
        raise Http404
    path = reverse("works:opds_series", args=[series.pk])
    return _feed(
        request,
        title=series.title,
        path=path,
        entries=entries,
        kind="acquisition",
        links=opds.page_links(request, path, page, has_next),
    )


@opds_reader
def opds_search(request):
    """Search (OpenSearch's {searchTerms} arrive as ?q=)."""
    query = request.GET.copy()
    query["work_search[query]"] = request.GET.get("q", "")[:200]
    request.GET = query
    return _works_feed(
        request, Work.objects.all(), title=_("Search results"), path=reverse("works:opds_search")
    )


@opds_reader
def opds_bookmarks(request):
    if not request.user.is_authenticated:
        return _challenge()
    works = Work.objects.filter(bookmarks__user=request.user)
    return _works_feed(
        request, works, title=_("My bookmarks"), path=reverse("works:opds_bookmarks")
    )


@opds_reader
def opds_later(request):
    if not request.user.is_authenticated:
        return _challenge()
    works = Work.objects.filter(readings__user=request.user, readings__marked_for_later=True)
    return _works_feed(
        request, works, title=_("Marked for Later"), path=reverse("works:opds_later")
    )


@require_GET
def opds_opensearch(request):
    """The OpenSearch description e-reader apps use to search the catalogue."""
    body = render_to_string(
        "opds/opensearch.xml",
        {"template": opds.absolute(reverse("works:opds_search")) + "?q={searchTerms}"},
        request=request,
    )
    return HttpResponse(body, content_type="application/opensearchdescription+xml")
