"""Send invitations from the queue now: what is left of today's ARCHIVE_INVITES_PER_DAY, or
`--count N` to the N oldest requests whatever was sent today. The every-minute tick does the
former on its own (archive.services.invitations.queue_task); this is for cron or by hand."""

from django.core.management.base import BaseCommand

from archive.models import InviteRequest
from archive.services.invitations import invite_requests_send, queue_send_due, waiting


class Command(BaseCommand):
    help = "Send invitations to the oldest requests in the queue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--count",
            type=int,
            default=None,
            help="Send this many now, beyond the daily allowance.",
        )

    def handle(self, *args, count=None, **options):
        if count is None:
            sent = queue_send_due()
        else:
            ids = list(waiting().values_list("pk", flat=True)[: max(count, 0)])
            sent = invite_requests_send(requests=InviteRequest.objects.filter(pk__in=ids))
        self.stdout.write(f"{sent} invitation(s) sent; {waiting().count()} still waiting.")
