"""Creating an account: the sign-up form validates, this writes.

`account_create` records when and which version of the Terms the new member accepted
(ARCHIVE_TOS_VERSION), and, on an archive that signs up by invitation, spends the invitation
in the same transaction: a code raced by two sign-ups opens one account only.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.errors import Refused
from archive.models import Invitation
from archive.services.invitations import invitation_usable


def invitations_required() -> bool:
    return settings.ARCHIVE_SIGNUP == "invite"


@transaction.atomic
def account_create(*, username: str, email: str, password: str, invitation_code: str = ""):
    """A new account that has accepted today's Terms; refuses a missing or spent invitation
    when the archive signs up by invitation."""
    invitation = None
    if invitations_required():
        found = invitation_usable(invitation_code)
        invitation = Invitation.objects.select_for_update().get(pk=found.pk)
        if invitation.is_used:
            raise Refused(
                _("That invitation has already been used to create an account."),
                field="invitation_code",
                code="used",
            )
    now = timezone.now()
    user = get_user_model().objects.create_user(
        username=username,
        email=email,
        password=password,
        terms_accepted_at=now,
        terms_version=settings.ARCHIVE_TOS_VERSION,
    )
    if invitation is not None:
        invitation.used_by = user
        invitation.used_at = now
        invitation.save(update_fields=["used_by", "used_at"])
    return user
