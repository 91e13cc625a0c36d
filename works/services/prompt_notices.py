"""Telling a prompter of their prompt's claims and fills (prompt memes, issue 20, part 5).

As works/services/notifications.py: the services call `notify_*`, which only enqueue a task
(archive/queue.py); the task makes one inbox item per event (`claim:<id>`, `fill:<id>`), so
a retried task tells no one twice, and emails the prompter in their language once the item
is committed.

What the messages never say: who claimed, when the collection keeps its creators secret
(works.models.visibility.claimants_named_to), and who wrote the fill (an anonymous
collection's work must not give its creators away). A fill that is still a mystery work is
told when its collection reveals its works (collection_reveal calls `notify_work_fills`).
Only the prompter is ever told, so an anonymous prompt's poster is named to no one.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from archive.models import InboxItem
from archive.queue import enqueue, job
from archive.site import site_url
from works.models import Claim, Work
from works.models.visibility import claimants_named_to, is_published, muters_of, work_secrets


def notify_claim(*, claim: Claim) -> None:
    enqueue(claim_notify, claim_id=claim.pk)


def notify_fill(*, claim: Claim) -> None:
    enqueue(fill_notify, claim_id=claim.pk)


def notify_work_fills(*, work: Work) -> None:
    """A work's fills not told yet (it was a mystery) are told now."""
    for claim_id in Claim.objects.filter(work=work, fulfilled_at__isnull=False).values_list(
        "pk", flat=True
    ):
        enqueue(fill_notify, claim_id=claim_id)


def _claim(claim_id: int):
    return (
        Claim.objects.select_related(
            "prompt__signup__user", "challenge__collection", "pseud__user", "work"
        )
        .filter(pk=claim_id)
        .first()
    )


@transaction.atomic
def _tell(recipient, *, kind: str, event: str, claim: Claim, work=None, text) -> bool:
    """One inbox item for `recipient` and `event`, and an email in their language."""
    if InboxItem.objects.filter(recipient=recipient, event=event).exists():
        return False
    InboxItem.objects.create(
        recipient=recipient, kind=kind, event=event, prompt=claim.prompt, work=work
    )
    if recipient.is_active and recipient.email:
        with translation.override(recipient.interface_language or settings.LANGUAGE_CODE):
            subject, body = text()
        address = recipient.email
        transaction.on_commit(
            lambda: send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True
            )
        )
    return True


@job()
def claim_notify(*, claim_id: int) -> None:
    claim = _claim(claim_id)
    if claim is None:
        return
    prompter = claim.prompt.signup.user
    if prompter.pk == claim.user_id or prompter.pk in muters_of([claim.user_id]):
        return
    collection = claim.challenge.collection
    url = site_url(reverse("works:collection_prompt", args=[collection.name, claim.prompt_id]))

    def text():
        subject = _("Your prompt in %(collection)s was claimed") % {"collection": collection.title}
        if claimants_named_to(collection, prompter):
            body = _("%(who)s claimed your prompt in %(collection)s:\n\n%(url)s") % {
                "who": claim.pseud.byline,
                "collection": collection.title,
                "url": url,
            }
        else:
            body = _("Someone claimed your prompt in %(collection)s:\n\n%(url)s") % {
                "collection": collection.title,
                "url": url,
            }
        return subject, body

    _tell(prompter, kind=InboxItem.Kind.CLAIM, event=f"claim:{claim.pk}", claim=claim, text=text)


@job()
def fill_notify(*, claim_id: int) -> None:
    claim = _claim(claim_id)
    if claim is None or claim.work is None or claim.fulfilled_at is None:
        return
    work = claim.work
    if not is_published(work) or work_secrets(work).mystery:
        return  # a mystery work's fill is told when its collection reveals it
    prompter = claim.prompt.signup.user
    if work.is_creator(prompter) or prompter.pk in muters_of(work.creator_ids()):
        return
    collection = claim.challenge.collection
    url = site_url(reverse("works:collection_prompt", args=[collection.name, claim.prompt_id]))

    def text():
        # Never names the work's creators: an anonymous collection's work must not give
        # them away; the work's page names them when it may.
        subject = _("A response to your prompt")
        body = _(
            "A response to your prompt has been posted in %(collection)s:\n\n"
            "%(title)s\n%(work_url)s\n\nYour prompt: %(url)s"
        ) % {
            "collection": collection.title,
            "title": work.title,
            "work_url": site_url(work.get_absolute_url()),
            "url": url,
        }
        return subject, body

    _tell(
        prompter,
        kind=InboxItem.Kind.FILL,
        event=f"fill:{claim.pk}",
        claim=claim,
        work=work,
        text=text,
    )
