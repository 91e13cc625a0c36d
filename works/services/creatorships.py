"""Co-creators, with consent (AO3's "Add co-creators?", "Co-Creator Requests").

A creator names other people's pseuds on the posting or edit form (`cocreators_invite`). Each
named person is, by their preferences (User.allow_cocreator_invitations,
User.cocreator_without_asking): refused (with a message naming them, and nothing is saved:
the form comes back as typed), added at once, or invited. An invitation
(works.models.CreatorshipInvitation) shows nowhere but to the invitee, in their inbox and at
/users/<login>/creatorships, until they accept it (`creatorship_accept`: they become a
creator, named on the work from then on) or decline it (`creatorship_decline`).

Every creator may edit the work and add chapters (the posting pages admit any WorkCreator)
and may leave it (`creator_remove`), as long as one creator stays.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from archive.errors import Refused
from archive.models import Block, InboxItem, Pseud
from works.cache import pages as page_cache
from works.models import CreatorshipInvitation, Work, WorkCreator
from works.services.orphans import ORPHAN_LOGIN
from works.services.search_reindex import works_recredit_later


def _credited(work: Work) -> None:
    """The work names other creators: retire its cached pages and its search document."""
    page_cache.work_changed(work.pk)
    works_recredit_later([work.pk])


def _add(work: Work, pseud: Pseud) -> None:
    last = WorkCreator.objects.filter(work=work).aggregate(m=Max("position"))["m"]
    WorkCreator.objects.create(
        work=work, user_id=pseud.user_id, pseud=pseud, position=(last or 0) + 1
    )


@transaction.atomic
def cocreators_invite(*, work: Work, inviter, pseuds: Iterable[Pseud]) -> list[Pseud]:
    """Invite (or, by their preference, add) the people of `pseuds` as co-creators of
    `work`. People already creators or already invited are left as they are. Refuses, saving
    nothing, when one of them does not accept invitations. Returns the pseuds invited."""
    pseuds = list(pseuds)
    creators = set(WorkCreator.objects.filter(work=work).values_list("user_id", flat=True))
    invited = set(CreatorshipInvitation.objects.filter(work=work).values_list("user_id", flat=True))
    blockers = set()
    if inviter is not None:
        blockers = set(Block.objects.filter(blocked=inviter).values_list("blocker_id", flat=True))
    new = []
    for pseud in pseuds:
        if pseud.user_id in creators or pseud.user_id in invited:
            continue
        if pseud.user_id in {p.user_id for p in new}:
            continue
        if (
            not pseud.user.is_active
            or not pseud.user.allow_cocreator_invitations
            or pseud.user_id in blockers  # said as a refusal of all, not to give a block away
        ):
            raise Refused(
                _("%(name)s does not allow others to invite them to be a co-creator.")
                % {"name": pseud.byline},
                field="cocreators",
                code="not_allowed",
            )
        new.append(pseud)
    asked = []
    for pseud in new:
        if pseud.user.cocreator_without_asking:
            _add(work, pseud)
            continue
        invitation = CreatorshipInvitation.objects.create(
            work=work, pseud=pseud, user_id=pseud.user_id, invited_by=inviter
        )
        InboxItem.objects.create(
            recipient_id=pseud.user_id,
            kind=InboxItem.Kind.CREATORSHIP,
            event=f"creatorship:{invitation.pk}",
            work=work,
        )
        asked.append(pseud)
    if len(asked) < len(new):
        _credited(work)
    return asked


def _forget_inbox(invitation: CreatorshipInvitation) -> None:
    InboxItem.objects.filter(
        recipient_id=invitation.user_id, event=f"creatorship:{invitation.pk}"
    ).delete()


@transaction.atomic
def creatorship_accept(*, invitation: CreatorshipInvitation) -> Work:
    """The invitee becomes a creator of the work, under the pseud they were invited as."""
    invitation = (
        CreatorshipInvitation.objects.select_for_update()
        .select_related("work", "pseud")
        .get(pk=invitation.pk)
    )
    work = invitation.work
    if not WorkCreator.objects.filter(work=work, user_id=invitation.user_id).exists():
        _add(work, invitation.pseud)
    _forget_inbox(invitation)
    invitation.delete()
    _credited(work)
    return work


@transaction.atomic
def creatorship_decline(*, invitation: CreatorshipInvitation) -> None:
    _forget_inbox(invitation)
    invitation.delete()


@transaction.atomic
def creator_remove(*, work: Work, user) -> None:
    """`user` stops being a creator of `work` (AO3's "Remove Me As Co-Creator"); the work
    keeps its other creators, and must keep one."""
    creatorships = WorkCreator.objects.select_for_update().filter(work=work)
    mine = [c for c in creatorships if c.user_id == user.pk]
    if not mine:
        raise Refused(_("You are not a creator of this work."), code="not_creator")
    if len(creatorships) == len(mine):
        raise Refused(
            _(
                "You are the only creator of this work. A work must keep one creator: "
                "delete or orphan it instead."
            ),
            code="last_creator",
        )
    WorkCreator.objects.filter(pk__in=[c.pk for c in mine]).delete()
    _credited(work)


def cocreator_candidates():
    """The pseuds one may name as co-creators: of active accounts, not orphan_account's (its
    pseuds keep the names of people who left their works)."""
    return Pseud.objects.filter(user__is_active=True).exclude(user__username=ORPHAN_LOGIN)


def pseuds_from_bylines(names: Iterable[str]) -> tuple[list[Pseud], list[str]]:
    """The pseuds named by `names` (each a pseud name, a login, or "Pseud (login)"), and the
    problems with the names that name no one or more than one person."""
    found, problems = [], []
    for name in names:
        name = " ".join(name.split())
        pseud, problem = _pseud_named(name)
        if problem:
            problems.append(problem)
        elif pseud not in found:
            found.append(pseud)
    return found, problems


def _pseud_named(name: str) -> tuple[Pseud | None, str | None]:
    pseuds = cocreator_candidates().select_related("user")
    if name.endswith(")") and " (" in name:
        pseud_name, login = name[:-1].rsplit(" (", 1)
        pseud = pseuds.filter(name__iexact=pseud_name, user__username__iexact=login).first()
        if pseud is not None:
            return pseud, None
    by_login = pseuds.filter(user__username__iexact=name, is_default=True).first()
    if by_login is not None:
        return by_login, None
    named = list(pseuds.filter(name__iexact=name)[:2])
    if len(named) == 1:
        return named[0], None
    if named:
        return None, _(
            "More than one person writes as “%(name)s”: write it as “Pseud (login)”."
        ) % {"name": name}
    return None, _("There is no pseud or user called “%(name)s”.") % {"name": name}


def chapter_set_creators(*, chapter, creatorships: Iterable[WorkCreator] | None) -> None:
    """AO3's chapter co-creators: the chapter is by these of its work's creatorships; none, or
    all of them, means the whole work's creators (no chapter byline). None leaves it as is."""
    if creatorships is None:
        return
    chosen = {c.pk for c in creatorships if c.work_id == chapter.work_id}
    every = set(WorkCreator.objects.filter(work_id=chapter.work_id).values_list("pk", flat=True))
    if chosen == every:
        chosen = set()
    if chosen != set(chapter.creatorships.values_list("pk", flat=True)):
        chapter.creatorships.set(chosen)
        page_cache.work_changed(chapter.work_id)
