"""/users/<login>/gifts: the works given to a person, and refusing one.

The list is the shared work listing (works.listing.pages) over the works given to any of the
person's pseuds and not refused, so only what the reader may see is listed and an anonymous
gift's blurb names no creator. The owner sees a "Refuse Gift" action on each, and with
`?refused=true` (AO3's) the gifts they refused. Refusing asks first (GET), then acts (POST).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from archive.auth import login_required
from archive.errors import Refused, message_refusal
from archive.people import owner_or_404, person_or_404
from works.listing.pages import work_list_response
from works.models import Gift, Work
from works.services import gifts as gift_services


def user_gifts(request, login):
    person = person_or_404(login)
    is_owner = request.user.is_authenticated and request.user.pk == person.pk
    show_refused = is_owner and request.GET.get("refused") == "true"
    given = Gift.objects.filter(pseud__user=person, refused=show_refused).values("work_id")
    return work_list_response(
        request,
        works=Work.objects.filter(pk__in=given),
        heading_by=person.username,
        heading_by_url=person.get_absolute_url(),
        template="works/gifts/gift_list.html",
        extra_context={
            "person": person,
            "is_owner": is_owner,
            "show_refused": show_refused,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def gift_refuse(request, login, work_id):
    person = owner_or_404(request, login)
    gifts = Gift.objects.filter(pseud__user=person, refused=False, work_id=work_id)
    works = Work.objects.visible_to(request.user).without_secrets_from(request.user)
    work = works.filter(pk__in=gifts.values("work_id")).first()
    if work is None:
        raise Http404
    if request.method == "POST":
        try:
            gift_services.gift_refuse(user=person, work=work)
        except Refused as refused:
            message_refusal(request, refused)
        else:
            messages.success(request, _("This work will no longer be listed among your gifts."))
        return redirect("works:user_gifts", person.username)
    return render(request, "works/gifts/gift_confirm_refuse.html", {"work": work, "person": person})
