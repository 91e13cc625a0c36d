"""Blocking and muting other users (the Block and Mute rows are archive's).

A block keeps someone from commenting on, replying to or leaving kudos on your works; a mute
hides their works, comments and bookmarks from you. The works app reads both rows when it
decides who sees and may write what.
"""

from django.utils.translation import gettext as _

from archive.errors import Refused
from archive.models import Block, Mute


def block_add(*, blocker, blocked) -> None:
    if blocker.pk == blocked.pk:
        raise Refused(_("You can't block yourself."), field="login", code="self")
    Block.objects.get_or_create(blocker=blocker, blocked=blocked)


def block_remove(*, blocker, blocked) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()


def mute_add(*, muter, muted) -> None:
    if muter.pk == muted.pk:
        raise Refused(_("You can't mute yourself."), field="login", code="self")
    Mute.objects.get_or_create(muter=muter, muted=muted)


def mute_remove(*, muter, muted) -> None:
    Mute.objects.filter(muter=muter, muted=muted).delete()
