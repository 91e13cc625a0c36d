"""A user's inbox, and the people they blocked or muted (/users/<login>/inbox, /blocked,
/muted). Only the owner sees these pages; anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from archive.auth import login_required, return_path
from archive.models import Block, InboxItem, Mute
from archive.params import MAX_ID, parse_int, parse_ints
from works.forms.feedback import CommentForm, UserNameForm
from works.listing.pagination import pagination_links
from works.services import feedback

PER_PAGE = 20


def _owner(request, login):
    if login.lower() != request.user.username.lower():
        raise Http404
    return request.user


@login_required
def inbox(request, login):
    """Notifications, newest first: comments and replies (with reply and approve forms),
    new chapters, works and series parts. ?filter=unread shows only unread ones."""
    person = _owner(request, login)
    if request.method == "POST":
        ids, _bad = parse_ints(request.POST.getlist("items"), minimum=1, maximum=MAX_ID)
        read = request.POST.get("action") != "unread"
        feedback.inbox_mark(user=person, item_ids=ids, read=read)
        messages.success(request, _("Inbox updated."))
        return redirect(return_path(request))
    items = InboxItem.objects.filter(recipient=person).select_related(
        "comment", "comment__user", "comment__parent", "work", "chapter", "series"
    )
    unread_only = request.GET.get("filter") == "unread"
    if unread_only:
        items = items.filter(is_read=False)
    page = Paginator(items, PER_PAGE).get_page(parse_int(request.GET.get("page"), minimum=1))
    context = {
        "person": person,
        "items": page.object_list,
        "pagination": pagination_links(request, page),
        "unread_only": unread_only,
        "unread_count": InboxItem.objects.filter(recipient=person, is_read=False).count(),
        "reply_form": CommentForm(),
    }
    return render(request, "archive/inbox.html", context)


def _people_page(request, login, *, model, field, owner_field, add, remove, page, done):
    """The blocked or muted list: `page` holds its kind (CSS class), title, explanation and
    button labels; one template serves both."""
    person = _owner(request, login)
    form = UserNameForm(request.POST or None)
    if request.method == "POST":
        target_login = request.POST.get("remove")
        adding = target_login is None
        if adding and form.is_valid():
            target_login = form.cleaned_data["login"]
        if target_login:
            target = get_user_model().objects.filter(username__iexact=target_login).first()
            if target is None:
                form.add_error("login", _("We couldn't find a user with that name."))
            else:
                try:
                    (add if adding else remove)(person, target)
                except feedback.FeedbackRefused as refusal:
                    form.add_error("login", str(refusal))
                else:
                    messages.success(request, done[adding] % {"login": target.username})
                    return redirect(request.path)
    people = (
        model.objects.filter(**{owner_field: person})
        .select_related(field)
        .order_by(f"{field}__username")
    )
    context = {
        "person": person,
        "people": [getattr(row, field) for row in people],
        "form": form,
        "page": page,
    }
    return render(request, "archive/people_list.html", context, status=400 if form.errors else 200)


@login_required
def blocked(request, login):
    return _people_page(
        request,
        login,
        model=Block,
        field="blocked",
        owner_field="blocker",
        add=lambda me, them: feedback.block_add(blocker=me, blocked=them),
        remove=lambda me, them: feedback.block_remove(blocker=me, blocked=them),
        page={
            "kind": "blocked",
            "title": _("Blocked Users"),
            "about": _("Blocked users can't comment on, reply to, or leave kudos on your works."),
            "add": _("Block"),
            "remove": _("Unblock"),
        },
        done={True: _("You have blocked %(login)s."), False: _("You have unblocked %(login)s.")},
    )


@login_required
def muted(request, login):
    return _people_page(
        request,
        login,
        model=Mute,
        field="muted",
        owner_field="muter",
        add=lambda me, them: feedback.mute_add(muter=me, muted=them),
        remove=lambda me, them: feedback.mute_remove(muter=me, muted=them),
        page={
            "kind": "muted",
            "title": _("Muted Users"),
            "about": _("You won't see works, comments or bookmarks by muted users."),
            "add": _("Mute"),
            "remove": _("Unmute"),
        },
        done={True: _("You have muted %(login)s."), False: _("You have unmuted %(login)s.")},
    )


@login_required
def feedback_preferences(request, login):
    """Whether comments on my works also come by email, and whether my history is kept."""
    person = _owner(request, login)
    if request.method == "POST":
        person.comment_emails = request.POST.get("comment_emails") == "on"
        person.history_enabled = request.POST.get("history_enabled") == "on"
        person.save(update_fields=["comment_emails", "history_enabled"])
        messages.success(request, _("Your preferences were successfully updated."))
        return redirect(request.path)
    return render(request, "archive/feedback_preferences.html", {"person": person})
