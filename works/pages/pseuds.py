"""Pseud pages and bylines that name pseuds: finding a pseud by its URL, what its page shows
(works, series, bookmarks), and the pseuds a series' byline names.

A pseud's works are the works posted under it that the reader may see and may know the
creator of (works.models.visibility: `naming_creators_to`), as on the user's own pages.
"""

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from archive.models import FormerLogin, Pseud
from works.models import Bookmark, Series, Work

PSEUD_WORKS = 20
PSEUD_BOOKMARKS = 10


def pseud_or_404(person, name: str) -> Pseud:
    """The person's pseud of that name (letter case ignored). A name that is the login, or a
    login the person had before, finds the default pseud too, so /users/<login>/pseuds/<login>
    (the link of comments, and of bylines from before a rename) always reaches it."""
    pseuds = Pseud.objects.filter(user=person)
    pseud = pseuds.filter(name__iexact=name).first()
    if pseud is None and (
        name.lower() == person.username.lower()
        or FormerLogin.objects.filter(user=person, login__iexact=name).exists()
    ):
        pseud = pseuds.filter(is_default=True).first()
    if pseud is None:
        raise Http404
    pseud.user = person
    return pseud


def pseud_works(pseud, user):
    """The posted works under `pseud` that `user` may see listed under its name."""
    return (
        Work.objects.visible_to(user)
        .posted()
        .naming_creators_to(user)
        .filter(work_creators__pseud=pseud)
    )


def pseud_page_context(pseud, user) -> dict:
    works = pseud_works(pseud, user)
    series = (
        Series.objects.filter(
            creators=pseud.user,
            series_works__work__in=works.values("pk"),
        )
        .distinct()
        .order_by("title")
    )
    bookmarks = (
        Bookmark.objects.visible_to(user)
        .filter(pseud=pseud)
        .select_related("work")
        .order_by("-created_at", "-id")
    )
    return {
        "person": pseud.user,
        "pseud": pseud,
        "works": works.for_listing().order_by("-revised_at", "-id")[:PSEUD_WORKS],
        "work_count": works.count(),
        "series": series,
        "bookmarks": bookmarks[:PSEUD_BOOKMARKS],
        "bookmark_count": bookmarks.count(),
    }


def series_bylines(creators, works) -> list[Pseud]:
    """The pseuds a series' byline names: for each of its creators, the pseuds they posted
    the series' `works` (those the reader may see) under, or else their default pseud."""
    pseuds = (
        Pseud.objects.filter(user__in=creators, creatorships__work__in=works.values("pk"))
        .select_related("user")
        .distinct()
    )
    by_user: dict[int, list[Pseud]] = {}
    for pseud in pseuds:
        by_user.setdefault(pseud.user_id, []).append(pseud)
    missing = [c.pk for c in creators if c.pk not in by_user]
    if missing:
        for pseud in Pseud.objects.filter(user__in=missing, is_default=True).select_related("user"):
            by_user[pseud.user_id] = [pseud]
    return [pseud for creator in creators for pseud in by_user.get(creator.pk, [])]


# The profile's links: (URL name, label). Pages another part of the archive may not have
# yet (a person's series, collections and gifts) are linked only once their URL exists.
PROFILE_LINKS = (
    ("works:user_works", _("Works")),
    ("works:user_series", _("Series")),
    ("works:user_bookmarks", _("Bookmarks")),
    ("works:user_collections", _("Collections")),
    ("works:user_gifts", _("Gifts")),
)


def profile_links(person) -> list[tuple[str, str]]:
    links = []
    for name, label in PROFILE_LINKS:
        try:
            links.append((reverse(name, args=[person.username]), label))
        except NoReverseMatch:
            continue
    return links
