"""Posting, editing and deleting one's own works and chapters (scope `write:works`).

The same shape as the posting pages (works/views/posting.py, chapter_posting.py): the JSON
becomes the data of the pages' own form (WorkForm, ChapterForm), so the checks and the field
messages are the form's; then the same service the page calls (works.services.posting) writes
everything in one transaction. What a field left out of the JSON means is what the page would
show in it: for a new work the form's defaults, for PATCH the work's or chapter's current
values (only the fields sent change, and the merged result is validated as a whole).

Who: only the work's creators (a co-creator too, as on the pages: works.pages.posting.own_work);
anyone else gets 404, a guest 401, a token without `write:works` 403, and an account suspended
or banned 403 for everything the pages' `writer_required` refuses (deleting stays allowed, as
on the pages). A work hidden by a moderator is edited as the edit pages allow: by its creators.
"""

from datetime import date

from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status

from archive.errors import Refused
from archive.params import MAX_ID
from archive.services.moderation import user_active_sanction
from archive.site import site_url
from works.api.auth import Scope, require_scope
from works.api.posting_schemas import (
    ChapterCreateIn,
    ChapterPatch,
    ChapterWritten,
    WorkCreateIn,
    WorkPatch,
    WorkWritten,
)
from works.api.problems import Problem, ProblemOut
from works.forms.chapters import ChapterForm
from works.forms.works import WorkForm
from works.models import Chapter
from works.pages.posting import own_work
from works.services import posting as services

router = Router(tags=["posting"])

ERRORS = {401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut, 429: ProblemOut}
CREATE_ERRORS = {status: out for status, out in ERRORS.items() if status != 404}

# The API's name of a form field, where they differ (errors are keyed by the API's names).
WORK_NAMES = {
    "endnotes": "end_notes",
    "freeforms": "additional_tags",
    "recipients": "gifts",
    "multichapter": "expected_chapters",
    "collection_prompts": "prompts",
}
CHAPTER_NAMES = {"endnotes": "end_notes"}
_FORM_NAMES = {
    "end_notes": "endnotes",
    "additional_tags": "freeforms",
    "gifts": "recipients",
}
# Fields the form reads as names separated by commas, and fields it reads as lists.
_COMMA_FIELDS = {
    "fandoms",
    "relationships",
    "characters",
    "freeforms",
    "prompts",
    "collections",
    "recipients",
    "cocreators",
}
_LIST_FIELDS = {"warnings", "categories", "series_remove"}
# AO3's names of three of WorkForm's fields in a posted form (WorkForm.add_prefix).
_PREFIXED = ("pseud", "recipients", "cocreators")


# What the form is given --------------------------------------------------------------------


def _data_value(value):
    """A value as a submitted form holds it."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    return value


def _initial_data(initial: dict) -> dict:
    """What the page's form shows filled in, as if it were submitted unchanged."""
    return {name: _data_value(value) for name, value in initial.items() if value is not None}


def _form_data(sent: dict, *, work_form: bool = False) -> dict:
    """The JSON's fields as the form's data."""
    data = {}
    for api_name, value in sent.items():
        if api_name == "post":
            continue
        name = _FORM_NAMES.get(api_name, api_name)
        if name in _COMMA_FIELDS and isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        elif name in _LIST_FIELDS:
            value = [] if value is None else value if isinstance(value, list) else [value]
        elif value is None:
            value = ""
        data[name] = value
    if work_form and "expected_chapters" in sent:
        # The form's "This work has multiple chapters" box: ticked unless the total is 1.
        data["multichapter"] = sent["expected_chapters"] != 1
    return data


def _work_form(data: dict, *, user, work=None, initial=None) -> WorkForm:
    form = WorkForm(data, user=user, work=work, **({"initial": initial} if initial else {}))
    for name in _PREFIXED:  # read only when the form is cleaned
        if name in data:
            data[form.add_prefix(name)] = data.pop(name)
    return form


# Who may write -----------------------------------------------------------------------------


def _checked_id(value: int) -> int:
    if not 1 <= value <= MAX_ID:
        raise Http404
    return value


def _writer(request):
    """The caller's account, if it may post (scope, then suspension as `writer_required`)."""
    who = require_scope(request, Scope.WRITE_WORKS)
    if user_active_sanction(who.user) is not None:
        raise Problem(
            403,
            _("Your account is suspended: you may read the archive, but not post or edit."),
            code="suspended",
        )
    return who.user


def _own_work(request, work_id):
    return own_work(request, _checked_id(work_id))


def _own_chapter(request, work_id, chapter_id):
    work = _own_work(request, work_id)
    chapter = get_object_or_404(Chapter, pk=_checked_id(chapter_id), work=work)
    chapter.work = work
    return work, chapter


# What is answered --------------------------------------------------------------------------


def _work_api_url(work_id) -> str:
    return f"/api/v1/works/{work_id}"


def _work_written(work) -> dict:
    return {
        "id": work.pk,
        "url": site_url(work.get_absolute_url()),
        "api_url": _work_api_url(work.pk),
        "posted": work.posted,
        "title": work.title,
        "chapters": list(
            Chapter.objects.filter(work_id=work.pk)
            .order_by("position", "id")
            .values_list("id", flat=True)
        ),
    }


def _chapter_written(chapter) -> dict:
    return {
        "id": chapter.pk,
        "work_id": chapter.work_id,
        "position": chapter.position,
        "posted": chapter.posted,
        "title": chapter.title,
        "url": site_url(chapter.get_absolute_url()),
        "api_url": f"{_work_api_url(chapter.work_id)}/chapters/{chapter.pk}",
    }


# Works -------------------------------------------------------------------------------------


@router.post(
    "/works",
    response={201: WorkWritten, **CREATE_ERRORS},
    summary="Post a work, or save it as a draft",
)
def work_create(request, payload: WorkCreateIn, response: HttpResponse):
    """A new work with its first chapter: a draft unless `post` is true. The fields and their
    checks are the posting form's (/works/new)."""
    user = _writer(request)
    defaults = {n: f.initial for n, f in WorkForm.base_fields.items() if f.initial is not None}
    data = _initial_data(defaults)
    data.update(_form_data(payload.model_dump(exclude_unset=True), work_form=True))
    form = _work_form(data, user=user)
    if not form.is_valid():
        raise Problem.from_form(form, names=WORK_NAMES)
    series, series_title = form.series_choice()
    try:
        work = services.work_create(
            creator=user,
            fields=form.work_fields(),
            tag_names=form.tag_names(),
            chapter=form.chapter_fields(),
            series=series,
            series_title=series_title,
            collections=form.cleaned_data["collections"],
            post=payload.post,
            pseud=form.cleaned_data.get("pseud"),
            recipients=form.cleaned_data["recipients"],
            cocreators=form.cleaned_data["cocreators"],
        )
    except Refused as refused:  # e.g. a recipient who does not accept gifts
        raise Problem.from_refusal(refused, names=WORK_NAMES) from refused
    response["Location"] = _work_api_url(work.pk)
    return Status(201, _work_written(work))


@router.patch(
    "/works/{work_id}",
    response={200: WorkWritten, **ERRORS},
    summary="Edit a work",
)
def work_update(request, work_id: int, payload: WorkPatch):
    """Change the fields sent; the others keep their values. The first chapter's title and
    text (`chapter_title`, `body`) only while the work has one chapter."""
    user = _writer(request)
    work = _own_work(request, work_id)
    sent = payload.model_dump(exclude_unset=True)
    initial = WorkForm.initial_from_work(work)
    data = _initial_data(initial)
    data.update(_form_data(sent, work_form=True))
    form = _work_form(data, user=user, work=work, initial=initial)
    if not form.has_chapter_fields and {"chapter_title", "body"} & set(sent):
        form.add_error(None, _("This work has several chapters: edit them one by one."))
    if not form.is_valid():
        raise Problem.from_form(form, names=WORK_NAMES)
    series, series_title = form.series_choice()
    try:
        services.work_update(
            work=work,
            fields=form.work_fields(),
            tag_names=form.tag_names(),
            chapter=form.chapter_fields(),
            series=series,
            series_title=series_title,
            collections=form.cleaned_data["collections"],
            editor=user,
            pseud=form.cleaned_data.get("pseud"),
            recipients=form.cleaned_data["recipients"],
            cocreators=form.cleaned_data["cocreators"],
        )
    except Refused as refused:
        raise Problem.from_refusal(refused, names=WORK_NAMES) from refused
    return Status(200, _work_written(work))


@router.post(
    "/works/{work_id}/post",
    response={200: WorkWritten, **ERRORS},
    summary="Post a draft work",
)
def work_post(request, work_id: int):
    """Post a draft and its first chapter (a posted work is answered as it is)."""
    _writer(request)
    work = _own_work(request, work_id)
    if not work.posted:
        services.work_post(work=work)
    return Status(200, _work_written(work))


@router.delete(
    "/works/{work_id}",
    response={204: None, **ERRORS},
    summary="Delete a work",
)
def work_delete(request, work_id: int):
    """Delete the work, its chapters and everything on it, as its Delete page does."""
    require_scope(request, Scope.WRITE_WORKS)
    work = _own_work(request, work_id)
    services.work_delete(work=work)
    return Status(204, None)


# Chapters ----------------------------------------------------------------------------------


def _chapter_form(sent: dict, *, work, chapter=None) -> ChapterForm:
    """The chapter form, filled in as its page shows it (for a new chapter: the expected total
    it suggests), then with what was sent."""
    data = {}
    form = ChapterForm(data, work=work, chapter=chapter)
    data.update(_initial_data(form.initial))
    data.update(_form_data(sent))
    return form


@router.post(
    "/works/{work_id}/chapters",
    response={201: ChapterWritten, **ERRORS},
    summary="Add a chapter, or save it as a draft",
)
def chapter_create(request, work_id: int, payload: ChapterCreateIn, response: HttpResponse):
    """A new chapter at the end of the work: a draft unless `post` is true (the chapter form's
    fields and checks, /works/<id>/chapters/new)."""
    _writer(request)
    work = _own_work(request, work_id)
    form = _chapter_form(payload.model_dump(exclude_unset=True), work=work)
    if not form.is_valid():
        raise Problem.from_form(form, names=CHAPTER_NAMES)
    chapter = services.chapter_add(
        work=work,
        fields=form.chapter_fields(),
        post=payload.post,
        expected_chapters=form.cleaned_data["expected_chapters"],
    )
    written = _chapter_written(chapter)
    response["Location"] = written["api_url"]
    return Status(201, written)


@router.patch(
    "/works/{work_id}/chapters/{chapter_id}",
    response={200: ChapterWritten, **ERRORS},
    summary="Edit a chapter, or post a draft chapter",
)
def chapter_update(request, work_id: int, chapter_id: int, payload: ChapterPatch):
    """Change the fields sent; `post: true` posts a draft chapter."""
    _writer(request)
    work, chapter = _own_chapter(request, work_id, chapter_id)
    form = _chapter_form(payload.model_dump(exclude_unset=True), work=work, chapter=chapter)
    if not form.is_valid():
        raise Problem.from_form(form, names=CHAPTER_NAMES)
    services.chapter_update(
        chapter=chapter,
        fields=form.chapter_fields(),
        expected_chapters=form.cleaned_data["expected_chapters"],
        post=payload.post or None,
    )
    return Status(200, _chapter_written(chapter))


@router.delete(
    "/works/{work_id}/chapters/{chapter_id}",
    response={204: None, **ERRORS},
    summary="Delete a chapter",
)
def chapter_delete(request, work_id: int, chapter_id: int):
    """Delete a chapter; a work's only chapter (or a posted work's only posted one) stays,
    refused with 422 as its Delete page refuses it."""
    require_scope(request, Scope.WRITE_WORKS)
    _work, chapter = _own_chapter(request, work_id, chapter_id)
    services.chapter_delete(chapter=chapter)
    return Status(204, None)
