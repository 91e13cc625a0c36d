"""A gift exchange's assignments (issue 20, part 4).

- /users/<login>/assignments: the owner's assignments (404 to anyone else).
- /collections/<name>/assignments/<id>/default: a giver defaults, after confirming (GET asks,
  POST acts); the moderators are told.
- /collections/<name>/assignments: the moderators' page (404 to anyone else): defaulted,
  pinch hits, open and complete assignments; they default, undefault and give pinch hits.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from archive.auth import login_required
from archive.errors import Refused, message_refusal
from archive.people import owner_or_404
from works.forms.assignments import AssignmentsModerationForm
from works.pages.assignments import (
    collection_assignments_context,
    exchange_or_404,
    own_assignment_or_404,
    user_assignments_context,
)
from works.services import assignments as services


@login_required
def user_assignments(request, login):
    person = owner_or_404(request, login)
    return render(
        request,
        "works/challenges/assignments/user_assignments.html",
        user_assignments_context(request, person),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_default(request, name, assignment_id):
    assignment = own_assignment_or_404(request.user, name, assignment_id)
    if request.method == "POST":
        try:
            services.assignment_default(assignment=assignment, user=request.user)
        except Refused as refused:
            message_refusal(request, refused)
        else:
            messages.success(
                request,
                _(
                    "We have notified the collection maintainers that you had to default on "
                    "your assignment."
                ),
            )
        return redirect("works:user_assignments", request.user.username)
    return render(
        request,
        "works/challenges/assignments/assignment_confirm_default.html",
        {"assignment": assignment},
    )


def _apply(request, assignment, action, value) -> None:
    if action == "default":
        services.assignment_default_by_moderator(assignment=assignment, moderator=request.user)
    elif action == "undefault":
        services.assignment_undefault(assignment=assignment, moderator=request.user)
    else:
        services.assignment_cover(
            assignment=assignment,
            moderator=request.user,
            volunteer=services.pinch_hitter_find(value),
        )


@login_required
@require_http_methods(["GET", "POST"])
def collection_assignments(request, name):
    collection, challenge = exchange_or_404(request.user, name)
    context = collection_assignments_context(request, collection, challenge)
    data = request.POST if request.method == "POST" else None
    form = AssignmentsModerationForm(data, assignments=context["page_assignments"])
    if form.is_bound and form.is_valid():
        refusals = 0
        for assignment, action, value in form.changes():
            try:
                _apply(request, assignment, action, value)
            except Refused as refused:
                message_refusal(request, refused)
                refusals += 1
        if not refusals:
            messages.success(request, _("Assignment updates complete!"))
        return redirect(request.get_full_path())
    context["form"] = form
    return render(request, "works/challenges/assignments/collection_assignments.html", context)
