"""What the feedback endpoints share: ids in paths and bodies, page numbers, one page of a
list, the work a caller may give feedback on, and the check that a caller may write feedback.

- `Id`: a database id, 1 to archive.params.MAX_ID (a bigger one is a 422 problem, never a
  PostgreSQL overflow); `ID_PATH` is the same for path parameters.
- `feedback_work(user, work_id)`: the posted work `user` may see and may know of (an
  unrevealed "Mystery Work" is 404 here: every answer of these endpoints names the work).
- `feedback_writer(request, guests=, sanctioned=)`: the account writing feedback (scope
  write:feedback, not suspended or banned), or AnonymousUser where guests may too, as on
  the pages; `own_reader(request)`: the account reading its own lists (scope read).
"""

from typing import Annotated

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path, Query
from pydantic import Field

from archive.params import MAX_ID, MAX_INT
from archive.services.moderation import user_can_write
from works.api.auth import Scope, caller, require_scope
from works.api.problems import Problem
from works.models.visibility import work_secrets
from works.pages.work import work_or_404

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
ID_PATH = Path(..., ge=1, le=MAX_ID)
PAGE_QUERY = Query(1, ge=1, le=MAX_INT, description="The page, from 1.")


def feedback_work(user, work_id: int):
    """The posted work `user` may see, unless it is an unrevealed work they may not know of."""
    work = work_or_404(user, work_id)
    if work_secrets(work, user).mystery:
        raise Http404
    return work


def feedback_writer(request, *, guests: bool = False, sanctioned: bool = False):
    """Who writes: a guest where `guests` (kudos, comments where the work allows them); else
    an account with the write:feedback scope (401 for a guest, 403 for a token without it),
    and 403 while the account is suspended or banned, as the pages' writer_required (unless
    `sanctioned`: deleting one's own things, subscriptions and history, as on the pages)."""
    if guests and caller(request).is_guest:
        return AnonymousUser()
    user = require_scope(request, Scope.WRITE_FEEDBACK).user
    if not sanctioned and not user_can_write(user):
        raise Problem(
            403,
            _(
                "Your account is suspended or banned: you may read, but not comment, leave "
                "kudos or bookmark."
            ),
            code="suspended",
        )
    return user


def own_reader(request):
    """The account whose own lists are read (subscriptions, history): the read scope."""
    return require_scope(request, Scope.READ).user
