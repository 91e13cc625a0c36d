"""Telling people what happened: inbox items, and emails to those who want them.

A comment tells the work's creators and the replied-to commenter; a new chapter tells the
work's subscribers; a new work tells its authors' and its series' subscribers. Emails leave
only once the transaction that caused them commits, with absolute links (archive.site).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from archive.models import InboxItem
from archive.site import site_url
from works.models import Chapter, Comment, Series, Subscription, Work
from works.models.visibility import is_published, muters_of, work_secrets


def notify_comment(comment: Comment, creator_ids: set[int], *, tell_parent: bool) -> None:
    commenter = comment.user_id
    recipients: dict[int, str] = {
        pk: InboxItem.Kind.COMMENT for pk in creator_ids if pk != commenter
    }
    if tell_parent and comment.parent_id and comment.parent.user_id:
        replyee = comment.parent.user_id
        if replyee != commenter:
            recipients[replyee] = InboxItem.Kind.REPLY
    deliver(recipients, comment=comment)


def deliver(recipients: dict[int, str], *, comment=None, work=None, chapter=None, series=None):
    """Inbox items for each recipient, and emails to those who want them (after commit)."""
    if not recipients:
        return
    InboxItem.objects.bulk_create(
        InboxItem(
            recipient_id=pk,
            kind=kind,
            comment=comment,
            work=work or (comment.work if comment else None),
            chapter=chapter or (comment.chapter if comment else None),
            series=series,
        )
        for pk, kind in recipients.items()
    )
    users = get_user_model().objects.filter(pk__in=recipients, is_active=True)
    if comment is not None:
        users = users.filter(comment_emails=True)
    mails = []
    for u in users:  # each email in its recipient's interface language
        with translation.override(u.interface_language or settings.LANGUAGE_CODE):
            mails.append((u.email, _email_text(recipients[u.pk], comment, work, chapter, series)))

    def send():
        for address, (subject, body) in mails:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)

    transaction.on_commit(send)


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
        subject = _("New work: %(title)s") % {"title": work.title}
        url = work.get_absolute_url()
    return subject, _("%(subject)s\n\n%(url)s") % {"subject": subject, "url": site_url(url)}


def notify_chapter_posted(*, work: Work, chapter: Chapter) -> None:
    """Subscribers of the work hear of its new chapter."""
    if not is_published(work):
        return
    creators = work.creator_ids()
    subscribers = set(Subscription.objects.filter(work=work).values_list("user_id", flat=True))
    subscribers -= creators | muters_of(creators)
    deliver({pk: InboxItem.Kind.CHAPTER for pk in subscribers}, work=work, chapter=chapter)


def notify_work_posted(*, work: Work) -> None:
    """Subscribers of its authors hear of a new work; subscribers of its series, of a new
    part (a reader subscribed to both hears once)."""
    if not is_published(work):
        return
    secrets = work_secrets(work)
    if secrets.anonymous or secrets.mystery:
        # Telling an author's or a series' subscribers would give away who wrote it.
        return
    creators = work.creator_ids()
    skip = creators | muters_of(creators)
    for series in Series.objects.filter(series_works__work=work):
        subscribers = set(
            Subscription.objects.filter(series=series).values_list("user_id", flat=True)
        )
        subscribers -= skip
        deliver({pk: InboxItem.Kind.PART for pk in subscribers}, work=work, series=series)
        skip |= subscribers
    subscribers = set(
        Subscription.objects.filter(author__in=creators).values_list("user_id", flat=True)
    )
    subscribers -= skip
    deliver({pk: InboxItem.Kind.WORK for pk in subscribers}, work=work)
