"""Writes on pseuds, the profile's bio and the login (AO3's pseuds and "Change User Name").

A pseud is one of the names an account posts and bookmarks under (archive/models/pseuds.py).
Its description and the account's bio are author text, rendered here by works/rendering.py
when saved (archive may not import the renderer). Deleting a pseud moves its works and
bookmarks to the default pseud, which itself cannot be deleted. A login changes at most once
every LOGIN_CHANGE_DAYS days, with the password; the old login is remembered so that
/users/<old>/... keeps working (archive/middleware.py), and a default pseud named as the old
login follows the new one. Every rename retires cached pages and blurbs (works/cache/pages.py
watches Pseud and User) and rewrites the search documents that hold the names.
"""

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from archive.errors import Refused
from archive.forms import LOGIN_MAX_LENGTH, LOGIN_MIN_LENGTH, LOGIN_PATTERN, RESERVED_LOGINS
from archive.models import FormerLogin, Pseud
from archive.models.pseuds import PSEUD_NAME_MAX_LENGTH
from works.cache import pages as page_cache
from works.models import Bookmark, CreatorshipInvitation, Gift, WorkCreator
from works.rendering import render_markdown, render_summary
from works.services.search_reindex import works_recredit_later

LOGIN_CHANGE_DAYS = 7
# Letters, digits, spaces, underscores and hyphens, beginning and ending with a letter or
# digit (as AO3's pseuds).
PSEUD_PATTERN = re.compile(r"^[^\W_](?:[\w \-]*[^\W_])?$")
# /users/<login>/pseuds/new is the form for a new pseud.
RESERVED_PSEUDS = {"new"}


def pseud_name_problem(name: str) -> str | None:
    if not 1 <= len(name) <= PSEUD_NAME_MAX_LENGTH:
        return _("Pseuds must be 1 to %(max)d characters long.") % {"max": PSEUD_NAME_MAX_LENGTH}
    if not PSEUD_PATTERN.match(name):
        return _(
            "Pseuds can contain only letters, numbers, spaces, underscores and hyphens, and "
            "must begin and end with a letter or number."
        )
    if name.lower() in RESERVED_PSEUDS:
        return _("That pseud name is reserved.")
    return None


def _check_name(user, name: str, pseud: Pseud | None = None) -> str:
    name = " ".join(name.split())
    problem = pseud_name_problem(name)
    if problem:
        raise Refused(problem, field="name", code="name")
    taken = Pseud.objects.filter(user=user, name__iexact=name)
    if pseud is not None:
        taken = taken.exclude(pk=pseud.pk)
    if taken.exists():
        raise Refused(_("You already have a pseud with that name."), field="name", code="taken")
    return name


def _works_of(pseuds) -> list[int]:
    return list(WorkCreator.objects.filter(pseud__in=pseuds).values_list("work_id", flat=True))


def _save(pseud: Pseud) -> None:
    try:
        with transaction.atomic():
            pseud.save()
    except IntegrityError:  # the same name typed twice at once
        raise Refused(
            _("You already have a pseud with that name."), field="name", code="taken"
        ) from None


@transaction.atomic
def pseud_create(*, user, name: str, description: str = "", is_default: bool = False) -> Pseud:
    pseud = Pseud(user=user, name=_check_name(user, name))
    pseud.description = description.strip()
    pseud.description_html = render_summary(pseud.description)
    _save(pseud)
    if is_default:
        pseud_make_default(pseud=pseud)
    return pseud


@transaction.atomic
def pseud_update(
    *, pseud: Pseud, name: str, description: str = "", is_default: bool = False
) -> Pseud:
    """Rename a pseud, change its description, or make it the default."""
    renamed = _check_name(pseud.user, name, pseud)
    was = pseud.name
    pseud.name = renamed
    pseud.description = description.strip()
    pseud.description_html = render_summary(pseud.description)
    _save(pseud)
    if is_default and not pseud.is_default:
        pseud_make_default(pseud=pseud)
    if renamed != was:
        pseud_works_renamed(pseud)
    return pseud


def pseud_works_renamed(pseud: Pseud) -> None:
    """A pseud's name changed: its works' search documents name it anew (cached pages and
    blurbs follow by themselves: works/cache/pages.py watches Pseud)."""
    works_recredit_later(_works_of([pseud]))


@transaction.atomic
def pseud_make_default(*, pseud: Pseud) -> Pseud:
    """Exactly one default pseud per account: the old default gives way first."""
    Pseud.objects.filter(user_id=pseud.user_id, is_default=True).exclude(pk=pseud.pk).update(
        is_default=False
    )
    Pseud.objects.filter(pk=pseud.pk).update(is_default=True)
    pseud.is_default = True
    page_cache.site_changed()
    return pseud


@transaction.atomic
def pseud_delete(*, pseud: Pseud) -> Pseud:
    """Delete a pseud that is not the default; its works, bookmarks, gifts and co-creator
    invitations move to the default pseud (a work its default pseud already co-creates keeps
    that one creatorship). Returns the default pseud."""
    pseud = Pseud.objects.select_for_update().get(pk=pseud.pk)
    if pseud.is_default:
        raise Refused(_("You cannot delete your default pseud."), code="default")
    default = Pseud.objects.get(user_id=pseud.user_id, is_default=True)
    work_ids = _works_of([pseud])
    WorkCreator.objects.filter(pseud=pseud).update(pseud=default)
    Bookmark.objects.filter(pseud=pseud).update(pseud=default)
    # Gifts to it go to the default pseud too (one already given to both stays once).
    gifts = Gift.objects.filter(pseud=pseud)
    gifted = list(gifts.values_list("work_id", flat=True))
    gifts.exclude(work__gifts__pseud=default).update(pseud=default)
    CreatorshipInvitation.objects.filter(pseud=pseud).update(pseud=default)
    pseud.delete()
    page_cache.work_changed(*work_ids, *gifted)
    works_recredit_later(work_ids)
    return default


def creator_pseud(user, pseud: Pseud | None) -> Pseud:
    """The pseud `user` posts or bookmarks under: `pseud` when it is one of theirs, their
    default pseud when none is given; refuses a pseud of someone else's."""
    if pseud is None:
        return Pseud.objects.get(user=user, is_default=True)
    if pseud.user_id != user.pk:
        raise Refused(_("Choose one of your own pseuds."), field="pseud", code="pseud")
    return pseud


@transaction.atomic
def profile_update(*, user, bio: str) -> None:
    user.bio = bio.strip()
    user.bio_html = render_markdown(user.bio)
    user.save(update_fields=["bio", "bio_html"])


def login_problem(login: str, user) -> str | None:
    if not LOGIN_MIN_LENGTH <= len(login) <= LOGIN_MAX_LENGTH:
        return _("User names must be %(min)d to %(max)d characters long.") % {
            "min": LOGIN_MIN_LENGTH,
            "max": LOGIN_MAX_LENGTH,
        }
    if not LOGIN_PATTERN.match(login):
        return _(
            "User names can contain only letters, numbers and underscores, and must "
            "begin and end with a letter or number."
        )
    taken = get_user_model().objects.filter(username__iexact=login).exclude(pk=user.pk)
    if taken.exists() or login.lower() in RESERVED_LOGINS:
        return _("That user name is already taken.")
    return None


def login_change_allowed_at(user) -> dt.datetime | None:
    """When the user may next change their login (None: now)."""
    last = FormerLogin.objects.filter(user=user).order_by("-changed_at").first()
    if last is None:
        return None
    allowed = last.changed_at + dt.timedelta(days=LOGIN_CHANGE_DAYS)
    return allowed if allowed > timezone.now() else None


@transaction.atomic
def login_change(*, user, login: str, password: str) -> None:
    """Change the account's login (the password confirms it), remember the old one, and
    rename the default pseud with it when it bore the old login."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not user.check_password(password):
        raise Refused(_("Your password was incorrect."), field="password", code="password")
    login = login.strip()
    old = user.username
    if login == old:
        raise Refused(_("That is already your user name."), field="login", code="same")
    problem = login_problem(login, user)
    if problem:
        raise Refused(problem, field="login", code="login")
    allowed_at = login_change_allowed_at(user)
    if allowed_at is not None and login.lower() != old.lower():
        raise Refused(
            _(
                "You can change your user name only once every %(days)d days. You may change "
                "it again after %(date)s."
            )
            % {
                "days": LOGIN_CHANGE_DAYS,
                "date": date_format(timezone.localtime(allowed_at), "Y-m-d H:i"),
            },
            field="login",
            code="too_soon",
        )
    if login.lower() != old.lower():  # a change of letter case only is no new name
        FormerLogin.objects.create(user=user, login=old)
    FormerLogin.objects.filter(user=user, login__iexact=login).delete()
    user.username = login
    user.save(update_fields=["username"])  # the pseud named as `old` follows (archive)
    works_recredit_later(_works_of(Pseud.objects.filter(user=user)))
    page_cache.site_changed()
