"""Bookmarks: a work's, a user's and a tag's lists (works.pages.bookmarks), and the
reader's own bookmark form."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from archive.auth import login_required
from archive.errors import Refused, add_refusal
from archive.models import Pseud
from archive.params import parse_id
from archive.people import person_or_404
from archive.services.moderation import writer_required
from tags.models import Tag
from tags.naming import unescape_tag_name
from works.forms.feedback import BookmarkForm
from works.models import Bookmark
from works.models.visibility import work_secrets
from works.pages.bookmarks import bookmark_list_context, tag_bookmarks_of
from works.pages.navigation import next_url
from works.pages.work import work_or_404
from works.services import feedback

PER_PAGE = 20


def _bookmark_listing(request, bookmarks, *, heading, extra=None):
    context = bookmark_list_context(request, bookmarks, heading=heading, per_page=PER_PAGE)
    context.update(extra or {})
    return render(request, "works/feedback/bookmark_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def work_bookmarks(request, work_id):
    """The work's bookmarks; a POST there is AO3's bookmark call (`_ao3_bookmark_create`)."""
    work = work_or_404(request.user, work_id)
    if work_secrets(work, request.user).mystery:
        raise Http404  # the heading would name an unrevealed work (issue 7 access matrix)
    if request.method == "POST":
        return _ao3_bookmark_create(request, work)
    return _bookmark_listing(
        request,
        Bookmark.objects.visible_to(request.user).filter(work=work),
        heading=_("Bookmarks for %(title)s") % {"title": work.title},
        extra={"work": work},
    )


def user_bookmarks(request, login):
    person = person_or_404(login)
    return _bookmark_listing(
        request,
        Bookmark.objects.visible_to(request.user).filter(user=person),
        heading=_("Bookmarks by %(login)s") % {"login": person.username},
        extra={"person": person},
    )


def tag_bookmarks(request, name):
    """Bookmarks of works found under the tag, or that bookmarkers tagged with it."""
    tag = Tag.objects.select_related("merger").named(unescape_tag_name(name)).first()
    if tag is None:
        raise Http404
    if tag.merger_id:
        return redirect("works:tag_bookmarks", name=tag.merger.url_name)
    return _bookmark_listing(
        request,
        tag_bookmarks_of(tag, request.user),
        heading=_("Bookmarks in %(tag)s") % {"tag": tag.name},
        extra={"tag": tag},
    )


def _own_pseud(user, value):
    """The user's pseud AO3's bookmark[pseud_id] names; None (the default pseud) for any
    other value, as AO3's clients may still send the account's id."""
    pseud_id = parse_id(value)
    return Pseud.objects.filter(user=user, pk=pseud_id).first() if pseud_id else None


@login_required
@writer_required
def _ao3_bookmark_create(request, work):
    """POST /works/<id>/bookmarks with AO3's bookmark[…] fields (ao3-api): 302 to the reader's
    bookmarks, as on AO3; a refusal answers 200 with AO3's div#error.error list."""
    try:
        feedback.bookmark_save(
            user=request.user,
            work=work,
            notes=request.POST.get("bookmark[bookmarker_notes]", ""),
            tag_text=request.POST.get("bookmark[tag_string]", ""),
            private=request.POST.get("bookmark[private]") in ("1", "true"),
            rec=request.POST.get("bookmark[rec]") in ("1", "true"),
            pseud=_own_pseud(request.user, request.POST.get("bookmark[pseud_id]")),
        )
    except Refused as refused:
        body = format_html(
            '<div id="error" class="error"><ul><li>{}</li></ul></div>', refused.message
        )
        return HttpResponse(body)
    messages.success(request, _("Bookmark was successfully saved."))
    return redirect("works:user_bookmarks", login=request.user.username)


@login_required
@writer_required
def bookmark_edit(request, work_id):
    """/works/<id>/bookmarks/new: bookmark the work, or change your bookmark of it."""
    work = work_or_404(request.user, work_id)
    if work_secrets(work, request.user).mystery:
        raise Http404  # the form names the work it bookmarks
    existing = (
        Bookmark.objects.filter(user=request.user, work=work).prefetch_related("tags").first()
    )
    initial = {}
    if existing:
        initial = {
            "notes": existing.notes,
            "tags": ", ".join(t.name for t in existing.tags.all()),
            "private": existing.is_private,
            "rec": existing.is_rec,
        }
    pseud = existing.pseud if existing else None
    form = BookmarkForm(request.POST or None, initial=initial, user=request.user, pseud=pseud)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback.bookmark_save(
                user=request.user,
                work=work,
                notes=data["notes"],
                tag_text=data["tags"],
                private=data["private"],
                rec=data["rec"],
                pseud=data["pseud"],
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, _("Bookmark was successfully saved."))
            return redirect("works:user_bookmarks", login=request.user.username)
    status = 400 if request.method == "POST" else 200
    context = {"work": work, "form": form, "bookmark": existing}
    return render(request, "works/feedback/bookmark_form.html", context, status=status)


@require_POST
@login_required
def bookmark_delete(request, bookmark_id):
    return _delete_own_bookmark(request, bookmark_id)


def _delete_own_bookmark(request, bookmark_id):
    bookmark = get_object_or_404(Bookmark, pk=bookmark_id, user=request.user)
    feedback.bookmark_delete(bookmark=bookmark)
    messages.success(request, _("Bookmark was successfully deleted."))
    return redirect(
        next_url(request, reverse("works:user_bookmarks", args=[request.user.username]))
    )


@require_POST
@login_required
def bookmark_ao3(request, bookmark_id):
    """POST /bookmarks/<id> with `_method=delete`: AO3's address for deleting a bookmark
    (ao3-api's delete_bookmark); 302 as on AO3. Only the reader's own bookmark (404
    otherwise); any other `_method` answers 404 (editing is the bookmark form's)."""
    if request.POST.get("_method") != "delete":
        raise Http404
    return _delete_own_bookmark(request, bookmark_id)
