"""The site-wide models: users, invitations, moderation, mutes, blocks and the inbox; import
them from here."""

from .deletions import (
    AccountDeletion,
)
from .invitations import (
    Invitation,
    InviteRequest,
)
from .moderation import (
    AbuseReport,
    ModeratorAction,
    Notification,
    UserSanction,
)
from .mutes import (
    Mute,
)
from .pseuds import (
    FormerLogin,
    Pseud,
)
from .social import (
    Block,
    InboxItem,
)
from .tasks import (
    FailedTask,
)
from .tokens import (
    AccessToken,
)
from .users import (
    User,
)

__all__ = [
    "User",
    "Pseud",
    "FormerLogin",
    "AbuseReport",
    "ModeratorAction",
    "UserSanction",
    "Notification",
    "Mute",
    "Block",
    "InboxItem",
    "FailedTask",
    "Invitation",
    "InviteRequest",
    "AccountDeletion",
    "AccessToken",
]
