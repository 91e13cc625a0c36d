"""Gifts: giving a work to people ("Gift this work to") and refusing a gift.

`work_set_gifts` is called by the posting service (works/services/posting.py) inside its
transaction, so a refused recipient leaves the work as it was and the form keeps what was
typed. A name given resolves to a pseud ("Pseud (login)", a login, or a pseud name only one
account has); anything else is a plain name, for someone without an account. Recipients who
do not allow gifts, or who blocked a creator of the work, refuse it (AO3's rule and wording).
Recipients are told once the work is published (works/services/notifications.py,
`gift_notify`); an anonymous work's gift never names its creators.
"""

import re
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.errors import Refused
from archive.models import Block, Pseud
from works.cache import pages as page_cache
from works.models import RECIPIENT_NAME_MAX_LENGTH, Gift, Work, WorkCreator
from works.services import notifications
from works.services.assignments import is_assigned_to

_PSEUD_AND_LOGIN = re.compile(r"^(?P<pseud>.+?)\s*\((?P<login>[^()]+)\)$")


def recipient_pseud(name: str) -> Pseud | None:
    """The pseud a typed name means, or None for a plain name."""
    pseuds = Pseud.objects.select_related("user").filter(user__is_active=True)
    match = _PSEUD_AND_LOGIN.match(name)
    if match:
        found = pseuds.filter(
            name__iexact=match["pseud"], user__username__iexact=match["login"]
        ).first()
        if found:
            return found
    by_login = get_user_model().objects.filter(username__iexact=name, is_active=True).first()
    if by_login is not None:
        return pseuds.filter(user=by_login, is_default=True).first()
    named = list(pseuds.filter(name__iexact=name)[:2])
    if len(named) > 1:
        raise Refused(
            _("More than one person writes as %(name)s: write it as Pseud (login).")
            % {"name": name},
            field="recipients",
            code="gift_ambiguous",
        )
    return named[0] if named else None


def _check_allowed(pseud: Pseud, giver_ids: set[int], giver) -> None:
    # A gift exchange's participant accepts gifts from whoever is assigned to them (AO3's rule).
    if pseud.user.disallow_gifts and not is_assigned_to(pseud.user_id, giver_ids):
        raise Refused(
            _("%(byline)s does not accept gifts.") % {"byline": pseud.byline},
            field="recipients",
            code="gifts_disallowed",
        )
    blocked = set(
        Block.objects.filter(blocker=pseud.user, blocked_id__in=giver_ids).values_list(
            "blocked_id", flat=True
        )
    )
    if blocked:
        message = (
            _("%(byline)s does not accept gifts from you.")
            if giver is not None and giver.pk in blocked
            else _("%(byline)s does not accept gifts.")
        )
        raise Refused(message % {"byline": pseud.byline}, field="recipients", code="gifts_blocked")


@transaction.atomic
def work_set_gifts(*, work: Work, names: Sequence[str], giver=None) -> None:
    """Give the work to exactly these names (a gift left out is taken back; a refused gift
    stays refused, whatever is typed)."""
    giver_ids = set(WorkCreator.objects.filter(work=work).values_list("user_id", flat=True))
    if giver is not None:
        giver_ids.add(giver.pk)
    existing = list(work.gifts.select_related("pseud__user"))
    by_pseud = {g.pseud_id: g for g in existing if g.pseud_id}
    by_name = {g.recipient_name.lower(): g for g in existing if not g.pseud_id}
    kept: set[int] = set()
    for name in names:
        if len(name) > RECIPIENT_NAME_MAX_LENGTH:
            raise Refused(
                _("A recipient's name must be at most %(limit)d characters.")
                % {"limit": RECIPIENT_NAME_MAX_LENGTH},
                field="recipients",
                code="gift_name_too_long",
            )
        name = " ".join(name.split())
        if not name:
            continue
        pseud = recipient_pseud(name)
        gift = by_pseud.get(pseud.pk) if pseud else by_name.get(name.lower())
        if gift is None:
            if pseud is not None:
                _check_allowed(pseud, giver_ids, giver)
            gift = Gift.objects.create(work=work, pseud=pseud, recipient_name="" if pseud else name)
            if pseud is not None:
                by_pseud[pseud.pk] = gift
            else:
                by_name[name.lower()] = gift
        kept.add(gift.pk)
    gone = [g.pk for g in existing if g.pk not in kept and not g.refused]
    if gone:
        Gift.objects.filter(pk__in=gone).delete()
    page_cache.work_changed(work.pk)
    notifications.notify_gifts(work=work)


@transaction.atomic
def gift_refuse(*, user, work: Work) -> int:
    """`user` refuses the work given to any of their pseuds: it no longer names them."""
    refused = Gift.objects.filter(work=work, pseud__user=user, refused=False).update(
        refused=True, refused_at=timezone.now()
    )
    if not refused:
        raise Refused(_("This work is not a gift to you."), code="not_a_gift")
    page_cache.work_changed(work.pk)
    return refused
