"""The people a user blocked or muted (/users/<login>/blocked, /muted) and their feedback
preferences. Only the owner sees these pages; anyone else gets 404. (The inbox lists comments:
works/views/people.py.)"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from archive.auth import login_required
from archive.errors import Refused, add_refusal
from archive.forms import UserNameForm
from archive.models import Block, Mute
from archive.people import owner_or_404
from archive.services import social


def _people_page(request, login, *, model, field, owner_field, add, remove, page, done):
    """The blocked or muted list: `page` holds its kind (CSS class), title, explanation and
    button labels; one template serves both."""
    person = owner_or_404(request, login)
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
                except Refused as refused:
                    add_refusal(form, refused, default_field="login")
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
        add=lambda me, them: social.block_add(blocker=me, blocked=them),
        remove=lambda me, them: social.block_remove(blocker=me, blocked=them),
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
        add=lambda me, them: social.mute_add(muter=me, muted=them),
        remove=lambda me, them: social.mute_remove(muter=me, muted=them),
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
    """Whether comments on my works and gifts also come by email, whether my history is kept,
    whether others may give me works (works/services/gifts.py), and whether others may invite
    me to co-create their works (or add me without asking)."""
    person = owner_or_404(request, login)
    if request.method == "POST":
        person.comment_emails = request.POST.get("comment_emails") == "on"
        person.history_enabled = request.POST.get("history_enabled") == "on"
        person.gift_emails = request.POST.get("gift_emails") == "on"
        person.disallow_gifts = request.POST.get("disallow_gifts") == "on"
        person.allow_cocreator_invitations = request.POST.get("allow_cocreator_invitations") == "on"
        person.cocreator_without_asking = request.POST.get("cocreator_without_asking") == "on"
        person.save(
            update_fields=[
                "comment_emails",
                "history_enabled",
                "gift_emails",
                "disallow_gifts",
                "allow_cocreator_invitations",
                "cocreator_without_asking",
            ]
        )
        messages.success(request, _("Your preferences were successfully updated."))
        return redirect(request.path)
    return render(request, "archive/feedback_preferences.html", {"person": person})
