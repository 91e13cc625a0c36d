"""What readers see of works: the work page, chapters, the chapter index, downloads, the
/works listing.

Every read goes through Work.objects.visible_to(user) (works.models.visibility): anything a
reader may not see answers 404 with none of its text; a restricted work sends a guest to the
log-in page instead. The pages themselves are built in works.pages.work (the work page) and
works.pages.comments (its feedback region).
"""

import functools

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from archive.auth import login_redirect
from works import hits
from works.cache import member_pages
from works.cache import pages as page_cache
from works.downloads import formats as downloads
from works.downloads import store as download_store
from works.listing.pages import work_list_response
from works.models import Work
from works.models.visibility import work_secrets
from works.pages.comments import feedback_context
from works.pages.work import (
    VIEW_ADULT_COOKIE,
    needs_adult_notice,
    restricted_for_guest,
    visible_chapters,
    with_text,
    work_page_context,
    work_page_queryset,
)

# Views ---------------------------------------------------------------------------------


def _with_adult_cookie(request, response):
    """`view_adult=true` answers the notice once for the whole visit (AO3's cookie)."""
    if request.GET.get("view_adult") == "true":
        response.set_cookie(
            VIEW_ADULT_COOKIE,
            "true",
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    return response


# How long a reader is asked to wait for a download being built (Calibre's formats).
PREPARING_RETRY_SECONDS = 5


def work_reader(view):
    """Loads the work the URL names through visible_to(): 404 when it may not be seen (and
    nothing of it is shown), the log-in page for a guest at a restricted work."""

    @functools.wraps(view)
    def wrapper(request, work_id, *args, **kwargs):
        work = work_page_queryset(request.user).filter(pk=work_id).first()
        if work is None:
            if restricted_for_guest(request.user, Work.objects.filter(pk=work_id)):
                return login_redirect(request, for_restricted_work=True)
            raise Http404
        secrets = work_secrets(work, request.user)
        if secrets.mystery:
            # An unrevealed work: nothing of it but that it is a mystery; no download at all.
            if view.__name__ == "work_download":
                raise Http404
            return mystery_work_response(request, work, secrets)
        return _finish(request, view(request, work, *args, **kwargs))

    return wrapper


def _finish(request, response):
    response = _with_adult_cookie(request, response)
    # The same URL shows the notice or the work depending on the view_adult cookie.
    patch_vary_headers(response, ["Cookie"])
    return response


def cached_pages(view):
    """A guest's work or chapter page from the cache when it is there (works.cache.pages), a
    member's from a shared shell (works.cache.member_pages); otherwise the view runs and
    _render_work() stores what it renders."""

    @functools.wraps(view)
    def wrapper(request, work_id, *args, **kwargs):
        response = page_cache.fetch(request, work_id) or member_pages.fetch(request, work_id)
        if response is not None:
            return _finish(request, response)
        return view(request, work_id, *args, **kwargs)

    return wrapper


def mystery_work_response(request, work, secrets):
    context = {"work": work, "collections": secrets.collections}
    return render(request, "works/collections/mystery_work.html", context)


def _query_with(request: HttpRequest, **params) -> str:
    query = request.GET.copy()
    for key, value in params.items():
        query[key] = value
    return f"{request.path}?{query.urlencode()}"


def _adult_notice(request: HttpRequest, work: Work):
    referer = request.headers.get("referer", "")
    back_url = (
        referer
        if referer
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and referer != request.build_absolute_uri()
        else reverse("works:list")
    )
    context = {
        "work": work,
        "continue_url": _query_with(request, view_adult="true"),
        "back_url": back_url,
    }
    return render(request, "works/adult_notice.html", context)


def _render_work(request, work, shown, all_chapters, *, full_view, chapter_page=False):
    context = work_page_context(
        request, work, with_text(shown), all_chapters=all_chapters, full_view=full_view
    )
    if chapter_page:
        # A chapter's own URL always has the chapter layout (div.userstuff.module), one-shots'
        # too, as on AO3: FanFicFare reads a one-shot's text from its chapter URL.
        context["oneshot"] = False
    # Kudos, comments and subscription state (div#feedback), and the hit (works/hits.py).
    is_creator = context["is_creator"]
    # The chapter the page opens with is the one read, for readers per chapter: the entire
    # work's view counts its first chapter (how far a reader scrolls is not known).
    opened = shown[0] if shown else None
    context.update(feedback_context(request, work, context["chapters"], is_creator=is_creator))
    if getattr(request, "guest_page", None):  # every guest's page but the CSRF token: store it
        context["csrf_token"] = page_cache.TOKEN_PLACEHOLDER
    elif member_pages.shareable(request, work, context):  # every member's but their parts
        context.update(csrf_token=page_cache.TOKEN_PLACEHOLDER, reader_slots=True)
        shell = render(request, "works/work_detail.html", context)
        shell = hits.mark_response(shell, work=work, is_creator=is_creator, chapter=opened)
        return member_pages.store(request, shell, work, context, keep_headers=hits.HEADERS)
    response = render(request, "works/work_detail.html", context)
    response = hits.mark_response(response, work=work, is_creator=is_creator, chapter=opened)
    page_cache.store(request, response, keep_headers=hits.HEADERS)
    return response


@cached_pages
@work_reader
def work_detail(request, work):
    """/works/<id>: a one-shot whole; a chaptered work shows its first chapter with chapter
    navigation, or every chapter with ?view_full_work=true."""
    is_creator = work.is_creator(request.user)
    if needs_adult_notice(request, work, is_creator=is_creator):
        return _adult_notice(request, work)
    chapters = visible_chapters(work, is_creator=is_creator)
    full_view = request.GET.get("view_full_work") == "true" and len(chapters) > 1
    shown = chapters if full_view else chapters[:1]
    return _render_work(request, work, shown, chapters, full_view=full_view)


@cached_pages
@work_reader
def chapter_detail(request, work, chapter_id):
    is_creator = work.is_creator(request.user)
    chapters = visible_chapters(work, is_creator=is_creator)
    chapter = next((c for c in chapters if c.pk == chapter_id), None)
    if chapter is None:
        raise Http404
    if needs_adult_notice(request, work, is_creator=is_creator):
        return _adult_notice(request, work)
    return _render_work(request, work, [chapter], chapters, full_view=False, chapter_page=True)


@work_reader
def work_navigate(request, work):
    """The chapter index: never behind the adult notice."""
    is_creator = work.is_creator(request.user)
    anonymous = work_secrets(work, request.user).anonymous
    context = {
        "work": work,
        "creators": [] if anonymous else list(work.pseuds.all()),
        "anonymous": anonymous,
        "chapters": visible_chapters(work, is_creator=is_creator),
        "is_creator": is_creator,
    }
    return render(request, "works/work_navigate.html", context)


@work_reader
def work_download(request, work, filename, extension):
    """/downloads/<id>/<name>.<ext>: the work's file in that format, built once per version
    of the work and served from storage. A Calibre format not built yet is built outside the
    request: the reader is asked to try again in a few seconds (503 with Retry-After)."""
    download_format = downloads.FORMATS.get(extension)
    if download_format not in downloads.available() or not work.posted:
        raise Http404
    place = download_store.stored(work, extension)
    if place is None and download_format.calibre:
        download_store.enqueue_build(work, extension)
        # A worker may have built it at once (the immediate backend of `make run` without
        # a worker thread, or a fast worker).
        place = download_store.stored(work, extension)
    if place is None and download_format.calibre:
        response = render(
            request,
            "works/download_preparing.html",
            {"work": work, "format": download_format, "retry_url": request.get_full_path()},
            status=503,
        )
        response["Retry-After"] = str(PREPARING_RETRY_SECONDS)
        return response
    if place is None:
        place = download_store.build_download(work.pk, extension)
    response = FileResponse(
        download_store.storage().open(place.path, "rb"),
        as_attachment=True,
        filename=place.name,
        content_type=download_format.media_type,
    )
    return response


def work_list(request):
    """/works: every work the reader may see, most recently updated first."""
    return work_list_response(request, works=Work.objects.all())
