"""Account exports: asked for with a POST on /users/<login>/export, built on the task queue
as the e-book downloads are (archive/queue.py; works/downloads/store.py), stored in the
"exports" storage, downloadable by their owner for ARCHIVE_EXPORT_DAYS days.

- `export_request(user=)` writes the row and enqueues `account_export_task` in the same
  transaction; a request while an export is being prepared returns that one (a double click
  builds one ZIP).
- `account_export_build(export_id)` builds the ZIP (works/downloads/account.py), stores it
  under a path no one can guess, marks the export ready and emails its owner a link to the
  export page (not to the file: the download needs their log-in). It is idempotent: an
  export already ready is left alone.
- `exports_discard(user=)` deletes a user's files and rows (account deletion), the files
  once the transaction commits. Expired files are deleted by the next build
  (`exports_expire`); the page never offers an expired one.
"""

import datetime
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from archive.queue import enqueue, job
from archive.site import site_url
from works.downloads.account import build_account_zip
from works.models import AccountExport

# A request older than this that is still "being prepared" is taken for lost: a new request
# starts another build.
PREPARING_HOURS = 6


def storage():
    return storages["exports"]


def latest_export(user) -> AccountExport | None:
    return AccountExport.objects.filter(user=user).first()


@transaction.atomic
def export_request(*, user) -> AccountExport:
    since = timezone.now() - datetime.timedelta(hours=PREPARING_HOURS)
    preparing = AccountExport.objects.filter(
        user=user, status=AccountExport.Status.PREPARING, requested_at__gte=since
    ).first()
    if preparing is not None:
        return preparing
    export = AccountExport.objects.create(user=user)
    enqueue(account_export_task, export_id=export.pk)
    return export


def _email(export: AccountExport) -> None:
    user = export.user
    if not user.email:
        return
    with translation.override(user.interface_language or settings.LANGUAGE_CODE):
        subject = _("Your archive export is ready")
        body = _(
            "The export of your account %(login)s is ready. Download it (after logging in) "
            "from %(url)s until %(date)s."
        ) % {
            "login": user.username,
            "url": site_url(reverse("works:user_export", args=[user.username])),
            "date": export.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)


def account_export_build(export_id: int) -> AccountExport | None:
    export = AccountExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != AccountExport.Status.PREPARING:
        return export
    exports_expire()  # each build clears the files of expired exports
    content = build_account_zip(export.user)
    name = f"{export.user.username}_archive_export.zip"
    path = storage().save(
        f"{export.user_id}/{export.pk}-{secrets.token_hex(16)}/{name}", ContentFile(content)
    )
    now = timezone.now()
    export.status = AccountExport.Status.READY
    export.path = path
    export.ready_at = now
    export.expires_at = now + datetime.timedelta(days=settings.ARCHIVE_EXPORT_DAYS)
    export.save(update_fields=["status", "path", "ready_at", "expires_at"])
    _email(export)
    return export


@job()
def account_export_task(*, export_id: int) -> None:
    account_export_build(export_id)


def _delete_files(paths: list[str]) -> None:
    for path in paths:
        if path and storage().exists(path):
            storage().delete(path)


def exports_discard(*, user) -> None:
    """Delete the user's exports: the rows now, the files once the transaction commits."""
    exports = AccountExport.objects.filter(user=user)
    paths = list(exports.values_list("path", flat=True))
    exports.delete()
    transaction.on_commit(lambda: _delete_files(paths))


def exports_expire() -> int:
    """Delete the files of expired exports (kept as rows, without a file)."""
    expired = AccountExport.objects.filter(
        status=AccountExport.Status.READY, expires_at__lte=timezone.now()
    ).exclude(path="")
    paths = list(expired.values_list("path", flat=True))
    count = expired.update(path="")
    _delete_files(paths)
    return count
