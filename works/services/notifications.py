"""Telling people what happened: inbox items, and emails to those who want them.

A comment tells the work's creators and the replied-to commenter; a new chapter tells the
work's subscribers; a new work tells its authors' and its series' subscribers. The services
call `notify_*`, which only enqueue a task (archive/queue.py): the fan-out to thousands of
subscribers runs on a worker, in batches of NOTIFY_BATCH recipients.

Safe to retry: each inbox item carries the event it tells of (`comment:<id>`, `chapter:<id>`,
`work:<id>`) and the database keeps one per (recipient, event). A batch creates the missing
items and emails exactly those recipients once its transaction commits, so a task that
crashed half-way and runs again skips everyone already told: no duplicate email. (A crash
between a batch's commit and its emails loses those emails rather than doubling them.)
Links are absolute (archive.site); each email is in its recipient's language.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from archive.models import InboxItem
from archive.queue import enqueue, job
from archive.site import site_url
from works.models import Chapter, Comment, Gift, Series, Subscription, Work
from works.models.visibility import is_published, muters_of, work_secrets

NOTIFY_BATCH = 500


def notify_comment(comment: Comment, creator_ids: set[int], *, tell_parent: bool) -> None:
    enqueue(
        comment_notify,
        comment_id=comment.pk,
        creator_ids=sorted(creator_ids),
        tell_parent=tell_parent,
    )


def notify_reply(comment: Comment) -> None:
    """A held reply was approved: now its parent's commenter hears of it."""
    enqueue(comment_notify, comment_id=comment.pk, creator_ids=[], tell_parent=True)


@job()
def comment_notify(*, comment_id: int, creator_ids: list[int], tell_parent: bool) -> None:
    comment = Comment.objects.select_related("work", "parent", "user").filter(pk=comment_id)
    comment = comment.first()
    if comment is None:
        return
    commenter = comment.user_id
    recipients: dict[int, str] = {
        pk: InboxItem.Kind.COMMENT for pk in creator_ids if pk != commenter
    }
    if tell_parent and comment.parent_id and comment.parent.user_id:
        replyee = comment.parent.user_id
        if replyee != commenter:
            recipients[replyee] = InboxItem.Kind.REPLY
    deliver(recipients, event=f"comment:{comment.pk}", comment=comment)


def _send_batch(mails: list[tuple[str, tuple[str, str]]]) -> None:
    for address, (subject, body) in mails:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)


def deliver(
    recipients: dict[int, str], *, event: str, comment=None, work=None, chapter=None, series=None
) -> int:
    """Inbox items for each recipient not yet told of `event`, and emails to those of them
    who want them (after each batch commits). Returns how many were newly told."""
    told = 0
    ids = sorted(recipients)
    for start in range(0, len(ids), NOTIFY_BATCH):
        told += _deliver_batch(
            {pk: recipients[pk] for pk in ids[start : start + NOTIFY_BATCH]},
            event=event,
            comment=comment,
            work=work,
            chapter=chapter,
            series=series,
        )
    return told


@transaction.atomic
def _deliver_batch(recipients: dict[int, str], *, event, comment, work, chapter, series) -> int:
    already = set(
        InboxItem.objects.filter(event=event, recipient_id__in=list(recipients)).values_list(
            "recipient_id", flat=True
        )
    )
    new = {pk: kind for pk, kind in recipients.items() if pk not in already}
    if not new:
        return 0
    InboxItem.objects.bulk_create(
        InboxItem(
            recipient_id=pk,
            kind=kind,
            event=event,
            comment=comment,
            work=work or (comment.work if comment else None),
            chapter=chapter or (comment.chapter if comment else None),
            series=series,
        )
        for pk, kind in new.items()
    )
    users = get_user_model().objects.filter(pk__in=list(new), is_active=True)
    if comment is not None:
        users = users.filter(comment_emails=True)
    gifted = [pk for pk, kind in new.items() if kind == InboxItem.Kind.GIFT]
    if gifted:
        users = users.exclude(pk__in=gifted, gift_emails=False)
    mails = []
    for u in users:  # each email in its recipient's interface language
        with translation.override(u.interface_language or settings.LANGUAGE_CODE):
            mails.append((u.email, _email_text(new[u.pk], comment, work, chapter, series)))
    transaction.on_commit(lambda: _send_batch(mails))
    return len(new)


def _email_text(kind, comment, work, chapter, series) -> tuple[str, str]:
    if comment is not None:
        subject = (
            _("Reply to your comment on %(title)s")
            if kind == InboxItem.Kind.REPLY
            else _("Comment on %(title)s")
        ) % {"title": comment.work.title}
        who = comment.author_name
        if comment.user_id and comment.work.is_creator(comment.user):
            if work_secrets(comment.work).anonymous:
                who = _("Anonymous Creator")  # a reply must not give the creator away
        body = _("%(who)s left a comment:\n\n%(text)s\n\n%(url)s") % {
            "who": who,
            "text": comment.content,
            "url": site_url(comment.get_absolute_url()),
        }
        return subject, body
    if kind == InboxItem.Kind.GIFT:
        # Never names the creators: an anonymous gift must not give them away, and the
        # work's page names them when it may.
        subject = _("A gift for you: %(title)s") % {"title": work.title}
        body = _("A work was given to you:\n\n%(title)s\n%(url)s") % {
            "title": work.title,
            "url": site_url(work.get_absolute_url()),
        }
        return subject, body
    if kind == InboxItem.Kind.CHAPTER:
        subject = _("New chapter of %(title)s") % {"title": work.title}
        url = chapter.get_absolute_url()
    elif kind == InboxItem.Kind.PART:
        subject = _("New part of %(series)s: %(title)s") % {
            "series": series.title,
            "title": work.title,
        }
        url = work.get_absolute_url()
    else:
        # Only sent for works that name their creators (notify_work_posted).
        bylines = ", ".join(p.byline for p in work.pseuds.select_related("user"))
        subject = _("New work by %(creators)s: %(title)s") % {
            "creators": bylines,
            "title": work.title,
        }
        url = work.get_absolute_url()
    return subject, _("%(subject)s\n\n%(url)s") % {"subject": subject, "url": site_url(url)}


def notify_chapter_posted(*, work: Work, chapter: Chapter) -> None:
    """Subscribers of the work hear of its new chapter (on a worker)."""
    if is_published(work):
        enqueue(chapter_notify, chapter_id=chapter.pk)


@job()
def chapter_notify(*, chapter_id: int) -> None:
    chapter = Chapter.objects.select_related("work").filter(pk=chapter_id).first()
    if chapter is None or not is_published(chapter.work):
        return
    work = chapter.work
    creators = work.creator_ids()
    subscribers = set(Subscription.objects.filter(work=work).values_list("user_id", flat=True))
    subscribers -= creators | muters_of(creators)
    deliver(
        {pk: InboxItem.Kind.CHAPTER for pk in subscribers},
        event=f"chapter:{chapter.pk}",
        work=work,
        chapter=chapter,
    )


def notify_work_posted(*, work: Work) -> None:
    """Subscribers of its authors hear of a new work; subscribers of its series, of a new
    part; the people it is given to, of their gift (on a worker)."""
    if is_published(work):
        enqueue(work_notify, work_id=work.pk)
        notify_gifts(work=work)


def notify_gifts(*, work: Work) -> None:
    """The recipients of a published work's gifts hear of them (a draft's, once posted)."""
    if is_published(work):
        enqueue(gift_notify, work_id=work.pk)


@job()
def gift_notify(*, work_id: int) -> None:
    """Each recipient hears once of each work given to them (the event `gift:<id>`), unless
    they refused it meanwhile. Never while the work is a mystery (an unrevealed collection):
    works.services.collections.collection_reveal tells them then."""
    work = Work.objects.filter(pk=work_id).first()
    if work is None or not is_published(work) or work_secrets(work).mystery:
        return  # an unrevealed collection's gifts are told when it reveals its works
    recipients = set(
        Gift.objects.filter(work=work, refused=False, pseud__isnull=False).values_list(
            "pseud__user_id", flat=True
        )
    )
    deliver({pk: InboxItem.Kind.GIFT for pk in recipients}, event=f"gift:{work.pk}", work=work)


@job()
def work_notify(*, work_id: int) -> None:
    """A reader subscribed to several of them hears once: every item is the event
    `work:<id>`, one per recipient."""
    work = Work.objects.filter(pk=work_id).first()
    if work is None or not is_published(work):
        return
    secrets = work_secrets(work)
    if secrets.anonymous or secrets.mystery:
        # Telling an author's or a series' subscribers would give away who wrote it.
        return
    creators = work.creator_ids()
    skip = creators | muters_of(creators)
    event = f"work:{work.pk}"
    for series in Series.objects.filter(series_works__work=work).order_by("pk"):
        subscribers = set(
            Subscription.objects.filter(series=series).values_list("user_id", flat=True)
        )
        subscribers -= skip
        deliver(
            {pk: InboxItem.Kind.PART for pk in subscribers}, event=event, work=work, series=series
        )
        skip |= subscribers
    subscribers = set(
        Subscription.objects.filter(author__in=creators).values_list("user_id", flat=True)
    )
    subscribers -= skip
    deliver({pk: InboxItem.Kind.WORK for pk in subscribers}, event=event, work=work)
