"""Nominating tags for a tag set, and its moderators' review (issue 20, part 2).

- `nominations_add`: while the set's nomination window is open, a participant nominates
  fandoms, characters, relationships and additional tags, up to the set's limit for each type
  (a rejected nomination frees its place). Nothing is saved unless all of them can be.
- `nominations_review`: the set's owners and moderators approve or reject pending
  nominations. Several people nominating the same name are one decision: approving resolves
  the name through the tags app (`tag_resolve`: the existing tag, or a new unwrangled one) and
  the tag joins the set (its canonical tag, when it is a synonym); rejecting a fandom also
  rejects the characters and relationships nominated under it (as AO3 does).
- `nomination_notify` (a task): each nominator hears of the decisions in their inbox and by
  email, in their own language.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from archive.errors import Refused
from archive.models import InboxItem
from archive.queue import enqueue, job
from archive.site import site_url
from tags.models import Tag, TagType
from tags.services import squash_spaces, tag_name_problem, tag_resolve
from works.models import TagNomination, TagSet
from works.models.visibility import is_tag_set_staff
from works.services.tag_sets import tags_outside

NOMINATION_TYPES = (TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM)
# Character and relationship nominations may name the fandom they belong to.
TYPES_WITH_FANDOM = (TagType.CHARACTER, TagType.RELATIONSHIP)
PENDING = TagNomination.Status.PENDING
APPROVED = TagNomination.Status.APPROVED
REJECTED = TagNomination.Status.REJECTED


@dataclass(frozen=True)
class Nominee:
    """One tag someone nominates; `field` names the form input it came from."""

    tag_type: str
    name: str
    parent_name: str = ""
    field: str = ""


def nominations_used(tag_set: TagSet, nominator) -> dict[str, int]:
    """How many places of each type the nominator has used (pending and approved ones)."""
    used = dict.fromkeys(NOMINATION_TYPES, 0)
    rows = tag_set.nominations.filter(nominator=nominator).exclude(status=REJECTED)
    for tag_type in rows.values_list("tag_type", flat=True):
        used[tag_type] = used.get(tag_type, 0) + 1
    return used


def _type_label(tag_type: str) -> str:
    return str(TagType(tag_type).label)


def _existing_tag(name: str, tag_type: str) -> Tag | None:
    tag = Tag.objects.named(name).first()
    return tag if tag is not None and tag.type == tag_type else None


def _check_nominee(tag_set: TagSet, nominee: Nominee, already: set) -> None:
    field = nominee.field or None
    if nominee.tag_type not in NOMINATION_TYPES or not tag_set.nomination_limit(nominee.tag_type):
        raise Refused(
            _("This tag set takes no nominations of the type %(type)s.")
            % {"type": _type_label(nominee.tag_type)},
            field=field,
            code="type",
        )
    for name in (nominee.name, nominee.parent_name):
        problem = tag_name_problem(name)
        if problem:
            raise Refused(problem, field=field, code="name")
    key = (nominee.tag_type, nominee.name.lower())
    if key in already:
        raise Refused(
            _("You have already nominated “%(name)s”.") % {"name": nominee.name},
            field=field,
            code="duplicate",
        )
    already.add(key)
    tag = _existing_tag(nominee.name, nominee.tag_type)
    if tag is not None and not tags_outside(tag_set, [tag]):
        raise Refused(
            _("“%(name)s” is already in this tag set.") % {"name": nominee.name},
            field=field,
            code="in_set",
        )


@transaction.atomic
def nominations_add(
    *, tag_set: TagSet, nominator, nominees: Iterable[Nominee], now=None
) -> list[TagNomination]:
    """Save the nominations, all or none. Refused when nominations are closed, for a type the
    set does not take, over the nominator's limit for a type, for a name nominated twice or
    already in the set."""
    tag_set = TagSet.objects.select_for_update().get(pk=tag_set.pk)
    if not tag_set.nominations_open(now):
        raise Refused(
            _("Nominations for “%(title)s” are closed.") % {"title": tag_set.title},
            code="closed",
        )
    nominees = [
        Nominee(n.tag_type, squash_spaces(n.name), squash_spaces(n.parent_name), n.field)
        for n in nominees
        if squash_spaces(n.name)
    ]
    if not nominees:
        raise Refused(_("Enter at least one tag to nominate."), code="empty")
    mine = tag_set.nominations.filter(nominator=nominator)
    already = {(t, name.lower()) for t, name in mine.values_list("tag_type", "name")}
    used = nominations_used(tag_set, nominator)
    for nominee in nominees:
        _check_nominee(tag_set, nominee, already)
        used[nominee.tag_type] += 1
        limit = tag_set.nomination_limit(nominee.tag_type)
        if used[nominee.tag_type] > limit:
            raise Refused(
                _(
                    "Your limit for %(type)s in this tag set is %(limit)d; “%(name)s” would "
                    "be one too many."
                )
                % {"limit": limit, "type": _type_label(nominee.tag_type), "name": nominee.name},
                field=nominee.field or None,
                code="limit",
            )
    created = []
    for nominee in nominees:
        parent = nominee.parent_name if nominee.tag_type in TYPES_WITH_FANDOM else ""
        try:
            with transaction.atomic():
                created.append(
                    TagNomination.objects.create(
                        tag_set=tag_set,
                        nominator=nominator,
                        tag_type=nominee.tag_type,
                        name=nominee.name,
                        parent_name=parent,
                    )
                )
        except IntegrityError as error:  # the same form sent twice at once
            raise Refused(
                _("You have already nominated “%(name)s”.") % {"name": nominee.name},
                field=nominee.field or None,
                code="duplicate",
            ) from error
    return created


@transaction.atomic
def nomination_withdraw(*, nomination: TagNomination, nominator) -> None:
    """A nominator takes back a nomination not yet reviewed, while nominations are open."""
    if nomination.nominator_id != nominator.pk:
        raise Refused(_("You can only withdraw your own nominations."), code="not_yours")
    if nomination.status != PENDING or not nomination.tag_set.nominations_open():
        raise Refused(
            _("“%(name)s” can no longer be withdrawn.") % {"name": nomination.name},
            code="reviewed",
        )
    nomination.delete()


def _same_name(tag_set: TagSet, nomination: TagNomination):
    """The pending nominations of the set that are one decision with `nomination`."""
    return (
        tag_set.nominations.select_for_update()
        .alias(lower_name=Lower("name"))
        .filter(status=PENDING, tag_type=nomination.tag_type, lower_name=nomination.name.lower())
    )


def _approve(tag_set, nomination, moderator, name, now) -> list[int]:
    name = squash_spaces(name) or nomination.name
    problem = tag_name_problem(name)
    if problem:
        raise Refused(problem, field=f"name_{nomination.pk}", code="name")
    tag = tag_resolve(name, nomination.tag_type)
    if tag.merger_id:
        tag = tag.merger  # a synonym: the set lists the canonical tag
    tag_set.tags.add(tag)
    rows = list(_same_name(tag_set, nomination))
    TagNomination.objects.filter(pk__in=[r.pk for r in rows]).update(
        status=APPROVED, tag=tag, reviewed_by=moderator, reviewed_at=now
    )
    return [r.pk for r in rows]


def _reject(tag_set, nomination, moderator, now) -> list[int]:
    rows = list(_same_name(tag_set, nomination))
    if nomination.tag_type == TagType.FANDOM:
        rows += list(
            tag_set.nominations.select_for_update()
            .alias(lower_parent=Lower("parent_name"))
            .filter(
                status=PENDING,
                tag_type__in=TYPES_WITH_FANDOM,
                lower_parent=nomination.name.lower(),
            )
        )
    ids = sorted({r.pk for r in rows})
    TagNomination.objects.filter(pk__in=ids).update(
        status=REJECTED, reviewed_by=moderator, reviewed_at=now
    )
    return ids


@transaction.atomic
def nominations_review(
    *,
    tag_set: TagSet,
    moderator,
    approve: Iterable[TagNomination] = (),
    reject: Iterable[TagNomination] = (),
    names: Mapping[int, str] | None = None,
) -> tuple[int, int]:
    """Approve and reject pending nominations (with every pending one of the same type and
    name); `names` may give an approved nomination's tag another name (by nomination id).
    Returns how many nominations were approved and rejected; their nominators are told."""
    if not is_tag_set_staff(tag_set, moderator):
        raise Refused(
            _("Only the tag set's owners and moderators can review nominations."),
            code="not_staff",
        )
    approve, reject = list(approve), list(reject)
    both = {n.pk for n in approve} & {n.pk for n in reject}
    if both:
        name = next(n.name for n in approve if n.pk in both)
        raise Refused(
            _("Choose either approve or reject for “%(name)s”, not both.") % {"name": name},
            code="both",
        )
    now = timezone.now()
    names = names or {}
    approved, rejected = [], []
    for nomination in approve:
        if nomination.tag_set_id == tag_set.pk and nomination.status == PENDING:
            approved += _approve(tag_set, nomination, moderator, names.get(nomination.pk, ""), now)
    for nomination in reject:
        if nomination.tag_set_id == tag_set.pk:
            rejected += _reject(tag_set, nomination, moderator, now)
    told = sorted(set(approved) | set(rejected))
    if told:
        enqueue(nomination_notify, nomination_ids=told)
    return len(set(approved)), len(set(rejected) - set(approved))


# Telling the nominators -----------------------------------------------------------------------


@job()
def nomination_notify(*, nomination_ids: list[int]) -> None:
    """One inbox item per reviewed nomination (the event `nomination:<id>`: a task run again
    tells no one twice) and one email per nominator listing the decisions, in the nominator's
    interface language."""
    nominations = TagNomination.objects.filter(pk__in=nomination_ids).exclude(status=PENDING)
    nominations = list(nominations.select_related("tag_set", "tag").order_by("tag_set", "pk"))
    with transaction.atomic():
        told = set(
            InboxItem.objects.filter(
                tag_nomination__in=nominations, kind=InboxItem.Kind.TAG_NOMINATION
            ).values_list("tag_nomination_id", flat=True)
        )
        new = [n for n in nominations if n.pk not in told]
        InboxItem.objects.bulk_create(
            InboxItem(
                recipient_id=n.nominator_id,
                kind=InboxItem.Kind.TAG_NOMINATION,
                event=f"nomination:{n.pk}",
                tag_nomination=n,
            )
            for n in new
        )
        by_user: dict[int, list[TagNomination]] = {}
        for nomination in new:
            by_user.setdefault(nomination.nominator_id, []).append(nomination)
        users = get_user_model().objects.filter(pk__in=list(by_user), is_active=True)
        mails = []
        for user in users.exclude(email=""):
            with translation.override(user.interface_language or settings.LANGUAGE_CODE):
                mails.append((user.email, _email_text(by_user[user.pk])))
        transaction.on_commit(lambda: _send(mails))


def _send(mails: list[tuple[str, tuple[str, str]]]) -> None:
    for address, (subject, body) in mails:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)


def _email_text(nominations: list[TagNomination]) -> tuple[str, str]:
    tag_sets = list(dict.fromkeys(n.tag_set for n in nominations))
    subject = _("Your tag nominations for %(title)s were reviewed") % {
        "title": ", ".join(s.title for s in tag_sets)
    }
    lines = []
    for tag_set in tag_sets:
        lines.append(_("Tag set: %(title)s") % {"title": tag_set.title})
        for n in (n for n in nominations if n.tag_set_id == tag_set.pk):
            if n.status == APPROVED:
                shown = n.tag.name if n.tag else n.name
                lines.append(_("Approved: %(name)s") % {"name": shown})
            else:
                lines.append(_("Not approved: %(name)s") % {"name": n.name})
        lines.append(site_url(tag_set.get_absolute_url()))
        lines.append("")
    return subject, "\n".join(lines).strip() + "\n"
