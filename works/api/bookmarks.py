"""Bookmarks through the API, as the bookmark pages make and show them
(works/views/bookmarks.py): `GET /bookmarks/{bookmark_id}` (a public bookmark, or one's own
private one), `POST /works/{work_id}/bookmarks` (bookmark a work, or change one's bookmark of
it), `PATCH` and `DELETE /bookmarks/{bookmark_id}` (one's own). Validation is the bookmark
form's (works.forms.feedback.BookmarkForm) and the writes are works.services.feedback's.
A user's list of public bookmarks is `GET /users/{login}/bookmarks`, with the listings.
"""

from datetime import datetime

from django.http import Http404
from ninja import Router, Schema, Status

from archive.errors import Refused
from archive.models import Pseud
from works.api.auth import reader
from works.api.params import ID_PATH, feedback_work, feedback_writer
from works.api.problems import Problem, ProblemOut
from works.forms.feedback import BookmarkForm
from works.models import Bookmark
from works.models.visibility import work_secrets
from works.services import feedback

router = Router(tags=["bookmarks"])

WRITE_ERRORS = {401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut}
# The bookmark form's field names that differ in the API.
BOOKMARK_FIELDS = {"bookmark[pseud_id]": "pseud"}


class BookmarkOut(Schema):
    id: int
    work_id: int
    work_title: str
    bookmarker: str
    pseud: str
    notes_html: str
    tags: list[str]
    private: bool
    rec: bool
    created_at: datetime
    updated_at: datetime


class BookmarkIn(Schema):
    notes: str = ""
    tags: list[str] = []
    private: bool = False
    rec: bool = False
    pseud: str | None = None


class BookmarkChangeIn(Schema):
    """Only the fields sent change."""

    notes: str | None = None
    tags: list[str] | None = None
    private: bool | None = None
    rec: bool | None = None
    pseud: str | None = None


def bookmark_out(bookmark: Bookmark) -> dict:
    return {
        "id": bookmark.pk,
        "work_id": bookmark.work_id,
        "work_title": bookmark.work.title,
        "bookmarker": bookmark.user.username,
        "pseud": bookmark.pseud.name,
        "notes_html": bookmark.notes_html,
        "tags": [tag.name for tag in bookmark.tags.all()],
        "private": bookmark.is_private,
        "rec": bookmark.is_rec,
        "created_at": bookmark.created_at,
        "updated_at": bookmark.updated_at,
    }


def _loaded(bookmarks):
    return bookmarks.select_related("user", "pseud", "work").prefetch_related(
        "tags", "work__collection_items__collection"
    )


@router.get("/bookmarks/{bookmark_id}", response={200: BookmarkOut, 404: ProblemOut})
def bookmark_get(request, bookmark_id: int = ID_PATH):
    """A bookmark the reader may see in the bookmark lists: a public one of a work they may
    see, or their own private one; never one of a work they may not know of."""
    user = reader(request)
    bookmark = _loaded(Bookmark.objects.visible_to(user)).filter(pk=bookmark_id).first()
    if bookmark is None or work_secrets(bookmark.work, user).mystery:
        raise Http404
    return bookmark_out(bookmark)


def _pseud_value(user, name):
    """The form's bookmark[pseud_id] for a pseud's name: its id when it is one of the
    user's; else a value the form refuses with its own message."""
    if name is None:
        return ""
    found = Pseud.objects.filter(user=user, name__iexact=name.strip()).first()
    return str(found.pk) if found else "0"


def _save(user, work, *, notes, tags, private, rec, pseud, current_pseud=None):
    """Validate through the bookmark form, then save through the service; 422 with the
    form's messages (or the service's refusal) under the API's field names."""
    data = {
        "notes": notes,
        "tags": ", ".join(tags),
        "bookmark[pseud_id]": _pseud_value(user, pseud),
    }
    if private:
        data["private"] = "on"
    if rec:
        data["rec"] = "on"
    form = BookmarkForm(data, user=user, pseud=current_pseud)
    if not form.is_valid():
        raise Problem.from_form(form, names=BOOKMARK_FIELDS)
    cleaned = form.cleaned_data
    try:
        bookmark = feedback.bookmark_save(
            user=user,
            work=work,
            notes=cleaned["notes"],
            tag_text=cleaned["tags"],
            private=cleaned["private"],
            rec=cleaned["rec"],
            pseud=cleaned["pseud"] if pseud is not None else None,
        )
    except Refused as refused:
        raise Problem.from_refusal(refused, names=BOOKMARK_FIELDS) from None
    return _loaded(Bookmark.objects.filter(pk=bookmark.pk)).get()


@router.post(
    "/works/{work_id}/bookmarks",
    response={201: BookmarkOut, 200: BookmarkOut, **WRITE_ERRORS},
    summary="Bookmark a work",
)
def bookmark_create(request, payload: BookmarkIn, work_id: int = ID_PATH):
    """Bookmark the work (201), or change one's bookmark of it (200): notes, one's own tags,
    private, rec, and the pseud to bookmark under (a name; default: the default pseud)."""
    user = feedback_writer(request)
    work = feedback_work(user, work_id)
    existed = Bookmark.objects.filter(user=user, work=work).exists()
    bookmark = _save(user, work, **payload.dict())
    return Status(200 if existed else 201, bookmark_out(bookmark))


def _own_bookmark(user, bookmark_id: int) -> Bookmark:
    bookmark = _loaded(Bookmark.objects.filter(user=user)).filter(pk=bookmark_id).first()
    if bookmark is None:
        raise Http404
    return bookmark


@router.patch("/bookmarks/{bookmark_id}", response={200: BookmarkOut, **WRITE_ERRORS})
def bookmark_update(request, payload: BookmarkChangeIn, bookmark_id: int = ID_PATH):
    """Change one's own bookmark (404 for anyone else's); fields left out keep their value."""
    user = feedback_writer(request)
    bookmark = _own_bookmark(user, bookmark_id)
    work = feedback_work(user, bookmark.work_id)
    sent = payload.dict(exclude_none=True)
    current = {
        "notes": bookmark.notes,
        "tags": [tag.name for tag in bookmark.tags.all()],
        "private": bookmark.is_private,
        "rec": bookmark.is_rec,
        "pseud": None,
    }
    saved = _save(user, work, **{**current, **sent}, current_pseud=bookmark.pseud)
    return bookmark_out(saved)


@router.delete("/bookmarks/{bookmark_id}", response={204: None, **WRITE_ERRORS})
def bookmark_delete(request, bookmark_id: int = ID_PATH):
    """Delete one's own bookmark (404 for anyone else's)."""
    user = feedback_writer(request, sanctioned=True)
    feedback.bookmark_delete(bookmark=_own_bookmark(user, bookmark_id))
    return Status(204, None)
