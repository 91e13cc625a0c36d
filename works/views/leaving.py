"""Giving up works and leaving: orphaning a work, a series or every work; deleting the
account; exporting everything it holds. Every page is its owner's alone (404 to anyone
else); the writes are works/services/orphans.py, leaving.py and exports.py."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from archive.auth import login_required
from archive.errors import Refused, message_refusal
from archive.people import owner_or_404
from works.forms.leaving import ORPHAN, AccountDeleteForm, OrphanForm
from works.models import Series
from works.pages.posting import own_work
from works.services import exports, leaving, orphans

ORPHAN_TEMPLATE = "works/leaving/orphan_confirm.html"


def _orphan_page(request, *, works, run, context):
    """The confirmation page, and on a valid POST the orphaning (`run(keep_name)`)."""
    form = OrphanForm(request.POST or None, pseud=request.user.default_pseud)
    if request.method == "POST" and works and form.is_valid():
        try:
            run(form.keep_name)
        except Refused as refused:
            message_refusal(request, refused)
        else:
            messages.success(request, _("Orphaning was successful."))
        return redirect("works:user_dashboard", request.user.username)
    return render(request, ORPHAN_TEMPLATE, {"form": form, "works": works, **context})


@login_required
@require_http_methods(["GET", "POST"])
def work_orphan(request, work_id):
    """/works/<id>/orphan: one work (a draft cannot be orphaned)."""
    work = own_work(request, work_id)
    works = [work] if work.posted else []
    return _orphan_page(
        request,
        works=works,
        run=lambda keep: orphans.works_orphan(user=request.user, works=works, keep_name=keep),
        context={"work": work, "cancel_url": work.get_absolute_url()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_orphan(request, series_id):
    """/series/<id>/orphan: the series and the user's works in it."""
    series = get_object_or_404(Series.objects.filter(creators=request.user), pk=series_id)
    works = list(
        orphans.orphanable_works(request.user)
        .filter(series_works__series=series)
        .order_by("series_works__position")
    )
    return _orphan_page(
        request,
        works=works or [series],
        run=lambda keep: orphans.series_orphan(user=request.user, series=series, keep_name=keep),
        context={"series": series, "cancel_url": series.get_absolute_url()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_orphan(request, login):
    """/users/<login>/orphan: every posted work of the user."""
    user = owner_or_404(request, login)
    works = list(orphans.orphanable_works(user).order_by("title", "pk"))
    return _orphan_page(
        request,
        works=works,
        run=lambda keep: orphans.all_works_orphan(user=user, keep_name=keep),
        context={"all_works": True, "cancel_url": user.get_absolute_url()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_delete(request, login):
    """/users/<login>/delete: the password, what becomes of the works, then gone."""
    user = owner_or_404(request, login)
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            leaving.account_delete(
                user=user,
                orphan_works=form.cleaned_data["works"] == ORPHAN,
                keep_name=form.cleaned_data["keep_name"],
            )
        except Refused as refused:
            message_refusal(request, refused)
            return redirect("works:user_dashboard", user.username)
        logout(request)
        messages.success(
            request,
            _("Your account has been deleted. Thank you for being part of the archive."),
        )
        return redirect("works:home")
    context = {
        "form": form,
        "work_count": user.works.count(),
        "draft_count": user.works.filter(posted=False).count(),
    }
    return render(request, "works/leaving/account_delete.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def user_export(request, login):
    """/users/<login>/export: ask for an export (POST), see it being prepared, download it."""
    user = owner_or_404(request, login)
    if request.method == "POST":
        exports.export_request(user=user)
        messages.success(request, _("Your export is being prepared."))
        return redirect("works:user_export", user.username)
    export = exports.latest_export(user)
    return render(request, "works/leaving/account_export.html", {"export": export})


@login_required
def user_export_download(request, login):
    """/users/<login>/export/download: the ready ZIP, while it has not expired."""
    user = owner_or_404(request, login)
    export = exports.latest_export(user)
    if export is None or not export.is_downloadable or not exports.storage().exists(export.path):
        raise Http404
    return FileResponse(
        exports.storage().open(export.path, "rb"),
        as_attachment=True,
        filename=f"{user.username}_archive_export.zip",
        content_type="application/zip",
    )
