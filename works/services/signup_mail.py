"""Emails about a challenge sign-up (issue 20, part 1): confirmed when a participant signs
up; changed or removed when one of the challenge's moderators changed or removed it.

`notify` only enqueues `signup_mail_task` (archive/queue.py), once the transaction commits;
the task writes the email in the recipient's interface language. A removed sign-up is gone
by then, so the task is given what it needs (the collection, the participant) rather than
the sign-up's id alone. Never the sign-up's text: the email links to the page instead.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from archive.queue import enqueue, job
from archive.site import site_url
from works.models import Collection

CONFIRMED, CHANGED, REMOVED = "confirmed", "changed", "removed"


def notify(*, signup, event: str) -> None:
    """Tell the sign-up's participant of `event`, after the transaction commits."""
    kwargs = {
        "user_id": signup.user_id,
        "collection_id": signup.challenge.collection_id,
        "signup_id": signup.pk,
        "event": event,
    }
    transaction.on_commit(lambda: enqueue(signup_mail_task, **kwargs))


def _text(event: str, collection: Collection, url: str) -> tuple[str, str]:
    title = collection.title
    if event == CONFIRMED:
        subject = _("[%(collection)s] Your sign-up is confirmed") % {"collection": title}
        body = _("You signed up for %(collection)s. Your sign-up:\n%(url)s")
    elif event == CHANGED:
        subject = _("[%(collection)s] A moderator changed your sign-up") % {"collection": title}
        body = _("A moderator of %(collection)s changed your sign-up. Your sign-up:\n%(url)s")
    else:
        subject = _("[%(collection)s] A moderator removed your sign-up") % {"collection": title}
        body = _("A moderator of %(collection)s removed your sign-up. The challenge:\n%(url)s")
    return subject, body % {"collection": title, "url": url}


@job()
def signup_mail_task(*, user_id: int, collection_id: int, signup_id: int, event: str) -> None:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    collection = Collection.objects.filter(pk=collection_id).first()
    if user is None or collection is None or not user.email:
        return
    if event == REMOVED:
        url = site_url(collection.get_absolute_url())
    else:
        url = site_url(reverse("works:signup", args=[collection.name, signup_id]))
    with translation.override(user.interface_language or settings.LANGUAGE_CODE):
        subject, body = _text(event, collection, url)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)
