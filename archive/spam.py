"""Spam checks for guest-submitted forms (guest comments first of all).

Use it in three steps:

1. Mix `SpamFieldsMixin` into the guest form (before forms.Form / ModelForm), or call
   `add_spam_fields(form)` in __init__ and `check_spam(form, texts)` in clean() when only
   some users (guests) are checked. It adds two fields: `website` (a honeypot: hidden from
   people, bots fill it) and `form_started` (a signed timestamp set when the form is shown).
2. Render them with `{% include "archive/_spam_fields.html" %}` inside the <form> (the form
   must be called `form` in the context). The honeypot sits in a `hidden` block: no CSS or
   script needed.
3. In `clean()`, the mixin (or check_spam) rejects the post (a non-field error, the typed
   text kept) when the honeypot is filled, the form came back too fast (less than
   ARCHIVE_SPAM_MIN_SECONDS, default 3) or too late / tampered, or the text fields named in
   `spam_text_fields` hold more than ARCHIVE_SPAM_MAX_LINKS links (default 2). Rate limits
   are separate: wrap the view in `archive.ratelimit.rate_limit("comment")`.

`spam_problem(...)` is the same check as a plain function, for code outside forms;
`spam_post_data()` gives what a person's browser would send (tests, load test).
"""

import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HONEYPOT_FIELD = "website"
STARTED_FIELD = "form_started"
SIGNER_SALT = "archive.spam.form_started"
MAX_AGE_SECONDS = 24 * 3600
LINK_PATTERN = re.compile(r"https?://|www\.|<a\s", re.IGNORECASE)


def min_seconds() -> float:
    return float(getattr(settings, "ARCHIVE_SPAM_MIN_SECONDS", 3))


def max_links() -> int:
    return int(getattr(settings, "ARCHIVE_SPAM_MAX_LINKS", 2))


def form_started_token(now: float | None = None) -> str:
    """A signed timestamp of when the form was shown."""
    now = time.time() if now is None else now
    return signing.dumps(f"{now:.3f}", salt=SIGNER_SALT)


def link_count(text: str) -> int:
    return len(LINK_PATTERN.findall(text or ""))


def spam_problem(*, honeypot: str, started: str, texts=(), now: float | None = None) -> str | None:
    """Why a guest post looks like spam, or None when it passes."""
    if honeypot:
        return "honeypot"
    now = time.time() if now is None else now
    try:
        shown_at = float(signing.loads(started or "", salt=SIGNER_SALT, max_age=MAX_AGE_SECONDS))
    except (signing.BadSignature, ValueError, TypeError):
        return "timestamp"
    if now - shown_at < min_seconds():
        return "too_fast"
    if sum(link_count(text) for text in texts) > max_links():
        return "links"
    return None


MESSAGES = {
    "honeypot": gettext_lazy("Sorry, this comment looks like spam and was not posted."),
    "timestamp": gettext_lazy(
        "This form is too old or was changed. Please send it again (your text is kept)."
    ),
    "too_fast": gettext_lazy(
        "That was very quick. Please check your comment and send it again (your text is kept)."
    ),
    "links": gettext_lazy("Guest comments may contain at most %(count)d links."),
}


def add_spam_fields(form) -> None:
    """Add the honeypot and the signed timestamp to a form instance (e.g. only for guests)."""
    form.fields[HONEYPOT_FIELD] = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form.fields[STARTED_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)
    if not form.is_bound:
        form.initial[STARTED_FIELD] = form_started_token()


def check_spam(form, texts=()) -> None:
    """Raise a ValidationError (a non-field error; the typed text stays) for a spammy post.
    Call from the form's clean() after add_spam_fields()."""
    problem = spam_problem(
        honeypot=form.data.get(HONEYPOT_FIELD, ""),
        started=form.data.get(STARTED_FIELD, ""),
        texts=texts,
    )
    if problem is None:
        return
    message = MESSAGES[problem]
    if problem == "links":
        message = _("Guest comments may contain at most %(count)d links.") % {"count": max_links()}
    # A fresh timestamp, so sending again after reading the message can pass.
    form.data = form.data.copy()
    form.data[STARTED_FIELD] = form_started_token(time.time() - min_seconds())
    raise forms.ValidationError(message, code=f"spam_{problem}")


def spam_post_data(now: float | None = None) -> dict:
    """What a person's browser sends in the spam fields (for tests and the load test)."""
    now = time.time() if now is None else now
    return {HONEYPOT_FIELD: "", STARTED_FIELD: form_started_token(now - 60)}


class SpamFieldsMixin:
    """Honeypot + minimum time on the page + link count, for a guest-only form."""

    spam_text_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_spam_fields(self)

    def clean(self):
        data = super().clean()
        check_spam(self, texts=[str(data.get(name) or "") for name in self.spam_text_fields])
        return data
