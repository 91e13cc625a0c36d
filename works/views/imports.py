"""The import page (/works/import): upload AO3-style HTML or EPUB downloads, give the
addresses of works, or paste a story's text; choose to post them or keep them as drafts and
whether they are the user's own or credit their original creator; then see each imported
work with what changed, and each source not imported with why.

Downloads and addresses are imported at once. Story text (a .txt file or pasted text) is
guessed at (works/importing/ffn_text.py), so it goes to a review step first: the page shows
what was understood as a form (works/forms/import_review.py) the author corrects and sends
with `step=review`; only then is it imported. The review keeps its state in the form itself.

The forms validate (works/forms/imports.py); works/services/imports.py reads and posts each
source in its own transaction.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from archive.auth import login_required
from archive.errors import Refused
from archive.services.moderation import writer_required
from works.forms.import_review import ImportReview, dump_state, load_state
from works.forms.imports import ImportChoices, ImportForm
from works.importing.parsed import SourceUnreadable
from works.importing.sources import parse_story_upload
from works.services.imports import ImportOutcome, import_uploads, import_urls, import_work

REVIEW_STEP = "review"
CHOICES = ("pseud", "post", "credit")


@login_required
@writer_required
@require_http_methods(["GET", "POST"])
def work_import(request):
    if request.method == "POST" and request.POST.get("step") == REVIEW_STEP:
        return _review_sent(request)
    if request.method != "POST":
        return _page(request, ImportForm(user=request.user))
    form = ImportForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _page(request, form)
    choices = form.choices()
    outcomes = import_uploads(form.sources(), user=request.user, **choices)
    outcomes += import_urls(form.addresses(), user=request.user, **choices)
    review, kept_text = None, ""
    for name, data in form.story_texts():
        try:
            review = ImportReview(parsed=parse_story_upload(data))
        except SourceUnreadable as problem:
            outcomes.append(ImportOutcome(name=name or _("Pasted story text"), error=str(problem)))
            kept_text = "" if name else data
    if review is not None:
        return _review_page(request, review, _choices_form(form, request.user), outcomes)
    # What was not imported stays in the form, to fix and send again.
    failed_urls = [o.name for o in outcomes if o.work is None and o.name in form.addresses()]
    initial = {key: form.cleaned_data.get(key) for key in CHOICES}
    again = ImportForm(
        user=request.user,
        initial={**initial, "urls": "\n".join(failed_urls), "text": kept_text},
    )
    return _page(request, again, outcomes)


def _choices_form(form, user) -> ImportChoices:
    """The choices made, asked again (unchanged unless changed) on the review page."""
    return ImportChoices(
        user=user,
        initial={key: form.cleaned_data.get(key) for key in CHOICES},
    )


def _review_sent(request):
    """The corrected story: imported with the choices made, or the review again with why."""
    parsed = load_state(request.POST.get("state", ""))
    if parsed is None:
        form = ImportForm(user=request.user)
        outcome = ImportOutcome(
            name=_("Story text"),
            error=_("This review is too old or was changed: paste or upload the story again."),
        )
        return _page(request, form, [outcome])
    review = ImportReview(request.POST, parsed=parsed)
    choices = ImportChoices(request.POST, user=request.user)
    if review.is_valid() and choices.is_valid():
        try:
            work = import_work(review.to_parsed(), user=request.user, **choices.choices())
        except Refused as refused:
            review.form.add_error(None, refused.message)
        else:
            outcome = ImportOutcome(name=work.title, work=work, warnings=list(work.import_warnings))
            initial = {key: choices.cleaned_data.get(key) for key in CHOICES}
            return _page(request, ImportForm(user=request.user, initial=initial), [outcome])
    return _review_page(request, review, choices, [])


def _review_page(request, review, choices, outcomes):
    context = {
        "review": review,
        "choices": choices,
        "state": dump_state(review.parsed),
        "imported": [o for o in outcomes if o.work is not None],
        "failed": [o for o in outcomes if o.work is None],
    }
    return render(request, "works/import/review.html", context)


def _page(request, form, outcomes=()):
    context = {
        "form": form,
        "imported": [o for o in outcomes if o.work is not None],
        "failed": [o for o in outcomes if o.work is None],
    }
    return render(request, "works/import/work_import.html", context)
