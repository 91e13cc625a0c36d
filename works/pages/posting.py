"""The posting pages' shared steps: keeping a form across an expired log-in, loading the
author's own work, and rendering a page as it would be after a change that is then undone."""

from functools import wraps

from django.contrib import messages
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from archive.auth import login_redirect
from works.forms.fields import EDIT, POST, PREVIEW, SAVE
from works.models import Work
from works.pages.work import work_page_queryset

PENDING_KEY = "posting_pending_form"
_BUTTONS = (POST, PREVIEW, SAVE, EDIT)


def login_keeping_text(view):
    """login_required that keeps a POSTed form in the session for after the login."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            data = {
                key: values
                for key, values in request.POST.lists()
                if key != "csrfmiddlewaretoken" and key not in _BUTTONS
            }
            request.session[PENDING_KEY] = {"path": request.path, "data": data}
            messages.warning(
                request,
                _(
                    "Your login had expired. Log in again: what you typed has been kept and "
                    "will be back in the form."
                ),
            )
        return login_redirect(request)

    return wrapped


def pending_data(request) -> QueryDict | None:
    """What the author typed before their login expired, if it was typed on this page."""
    pending = request.session.get(PENDING_KEY)
    if not pending or pending.get("path") != request.path:
        return None
    del request.session[PENDING_KEY]
    data = QueryDict(mutable=True)
    for key, values in pending["data"].items():
        data.setlist(key, values)
    messages.info(
        request,
        _("Here is what you typed before your login expired. Nothing was saved yet."),
    )
    return data


def own_work(request, work_id) -> Work:
    """The work, if the user is one of its creators; 404 for everyone else."""
    works = Work.objects.filter(work_creators__user=request.user).prefetch_related("tags")
    return get_object_or_404(works, pk=work_id)


def render_rolled_back(request, apply, template, context_builder):
    """Render a page as it would be after `apply()`, then undo `apply()`."""
    with transaction.atomic():
        apply()
        response = render(request, template, context_builder())
        transaction.set_rollback(True)
    return response


def reader_work(request, work) -> Work:
    """The work loaded as the work page loads it (tags, series, collections, stats)."""
    return work_page_queryset(request.user).get(pk=work.pk)
