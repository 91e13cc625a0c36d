"""Co-creators: the invitations a user holds (/users/<login>/creatorships, accept or
decline), leaving a work one co-creates (/works/<id>/remove_creator), and the pseud
autocomplete of the posting form's "Add co-creators?" (/autocomplete/pseud?term=)."""

from django.contrib import messages
from django.db.models.functions import Lower
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from archive.auth import login_required, return_path
from archive.errors import Refused, message_refusal
from archive.params import parse_id
from archive.people import owner_or_404
from works.models import CreatorshipInvitation
from works.pages.posting import own_work
from works.services import creatorships

AUTOCOMPLETE_TERM_MAX = 100
AUTOCOMPLETE_LIMIT = 10


@login_required
@require_http_methods(["GET", "POST"])
def creatorship_list(request, login):
    """The invitations to co-create works that the user has not answered yet."""
    person = owner_or_404(request, login)
    invitations = CreatorshipInvitation.objects.filter(user=person).select_related(
        "work", "pseud", "invited_by"
    )
    if request.method == "POST":
        work_id = parse_id(request.POST.get("work"))
        invitation = invitations.filter(work_id=work_id).first() if work_id else None
        if invitation is None:
            raise Http404
        title = invitation.work.title
        if request.POST.get("action") == "accept":
            work = creatorships.creatorship_accept(invitation=invitation)
            messages.success(
                request, _("You are now a co-creator of “%(title)s”.") % {"title": title}
            )
            return redirect(work)
        elif request.POST.get("action") == "decline":
            creatorships.creatorship_decline(invitation=invitation)
            messages.success(
                request,
                _("You declined to be a co-creator of “%(title)s”.") % {"title": title},
            )
        else:
            raise Http404
        if request.POST.get("next") == "inbox":
            return redirect("works:user_inbox", person.username)
        return redirect(return_path(request))
    context = {"person": person, "invitations": list(invitations)}
    return render(request, "works/creatorships/creatorship_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def creator_remove(request, work_id):
    """A creator leaves a work they co-create (after confirming)."""
    work = own_work(request, work_id)
    if request.method == "POST":
        try:
            creatorships.creator_remove(work=work, user=request.user)
        except Refused as refused:
            message_refusal(request, refused)
            return redirect("works:edit", work.pk)
        messages.success(
            request,
            _("You have been removed as a creator of “%(title)s”.") % {"title": work.title},
        )
        return redirect("works:user_dashboard", request.user.username)
    sole = work.work_creators.exclude(user=request.user).count() == 0
    context = {"work": work, "sole_creator": sole}
    return render(request, "works/creatorships/creator_remove.html", context)


@login_required
def pseud_autocomplete(request):
    """JSON list of bylines ("Pseud (login)") whose pseud name starts with `term`."""
    term = " ".join(request.GET.get("term", "")[:AUTOCOMPLETE_TERM_MAX].split(","))
    term = " ".join(term.split())
    if not term:
        return JsonResponse([], safe=False)
    pseuds = (
        creatorships.cocreator_candidates()
        .filter(name__istartswith=term)
        .exclude(user=request.user)
        .select_related("user")
        .order_by(Lower("name"), "id")[:AUTOCOMPLETE_LIMIT]
    )
    names = [p.byline for p in pseuds]
    return JsonResponse([{"id": name, "name": name} for name in names], safe=False)


creator_remove_post = require_POST(creator_remove)
