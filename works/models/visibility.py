"""Who sees what: the one place that decides it (docs/design.md section 6).

Every page, feed, search, listing, count, download and email asks here:

- `Work.objects.visible_to(user)`: drafts only for their creators; works hidden by moderators
  only for creators and moderators; restricted works only for logged-in readers;
- `.posted()`, `.published()` (posted and not hidden), `.behind_login()` (what a guest would
  see after logging in);
- `.without_secrets_from(user)`: without the unrevealed works `user` may not know of (lists of
  works in general: /works, tags, search, feeds, history);
- `.naming_creators_to(user)`: without the anonymous or unrevealed works whose creators `user`
  may not know (lists that name the creator: user and pseud pages, series);
- `.without_excluded_for(user)`: without works under the reader's excluded tags or by users
  they muted;
- `.listable_by(user, ...)`: all of these composed, for listings;
- `Comment.objects.visible_to(user)`, `Bookmark.objects.visible_to(user)`;
- `work_secrets(work, user)` for one work already loaded (work page, blurb, download, emails).

The guest rule is data (GUEST: {work field: value}); the PostgreSQL presort path builds its SQL
from the same dictionary (works.listing.tagsets.rule_sql), so the two cannot drift apart.

A work keeps a secret while it sits in a collection (the author agreed; the collection has not
rejected it) that is anonymous (its creators show as "Anonymous") or unrevealed (the whole work
shows as "Mystery Work"). The secret is kept from every reader but the work's creators and the
collection's owner and moderators, until the collection is revealed.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import (
    Case,
    CharField,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Lower

from works.models.bylines import creators_with_bylines
from works.models.gifts import gifts_shown

# What a listing may show of a work at all (moderators see hidden works, creators drafts).
POSTED = {"posted": True}
PUBLISHED = {**POSTED, "hidden_by_moderator": False}
# What a guest sees: published and not restricted to logged-in readers.
GUEST = {**PUBLISHED, "restricted": False}

APPROVED = "approved"  # CollectionItem.Approval values
REJECTED = "rejected"


def _model(name: str):
    """A model of the works app, looked up when a query is built (the models import this
    module to define their managers)."""
    return apps.get_model("works", name)


def _authenticated(user) -> bool:
    return user is not None and user.is_authenticated


def rule_q(rule: dict, prefix: str = "") -> Q:
    """A rule ({work field: value}) as a filter, for works reached through `prefix`
    (e.g. "content_object__" from a tagging)."""
    return Q(**{f"{prefix}{field}": value for field, value in rule.items()})


def meets(work, rule: dict) -> bool:
    """Whether one loaded work meets a rule (no query)."""
    return all(getattr(work, field) == value for field, value in rule.items())


def is_published(work) -> bool:
    """Posted and not hidden: a work subscribers may hear of and hits may count."""
    return meets(work, PUBLISHED)


def user_is_moderator(user) -> bool:
    """Moderators may see hidden works. Superusers, and staff with the works permission."""
    if not _authenticated(user):
        return False
    return user.is_superuser or user.has_perm("works.change_work")


def is_creator(user, work_ref="pk"):
    """EXISTS: `user` is one of the creators of the work at `work_ref` of the outer query."""
    return Exists(_model("WorkCreator").objects.filter(work=OuterRef(work_ref), user=user))


def muted_users(user):
    """The ids of the users `user` muted, as a subquery."""
    return apps.get_model("archive", "Mute").objects.filter(muter=user).values("muted_id")


def muters_of(user_ids) -> set[int]:
    """The ids of the users who muted any of `user_ids` (they hear nothing of them)."""
    mutes = apps.get_model("archive", "Mute").objects.filter(muted__in=user_ids)
    return set(mutes.values_list("muter_id", flat=True))


def works_by(users):
    """The ids of the works any of `users` (a subquery of user ids) created, as a subquery."""
    return _model("WorkCreator").objects.filter(user__in=users).values("work_id")


# Secrets of works in anonymous and unrevealed collections ----------------------------------


def _binding_items():
    """Collection items that make a collection's secrets the work's: agreed by the author and
    not rejected by the collection (pending items keep the secret already)."""
    return (
        _model("CollectionItem")
        .objects.filter(author_approval=APPROVED)
        .exclude(collection_approval=REJECTED)
    )


def _secret_items(flag: str, user):
    items = _binding_items().filter(work=OuterRef("pk"), **{f"collection__{flag}": True})
    if _authenticated(user):
        items = items.exclude(collection__owner=user).exclude(collection__moderators=user)
    return Exists(items)


def guest_listing_rule():
    """`Work.objects.listable_by(guest)` in two parts, for a table that copies the work fields
    (works.listing.presort reads a guest's listing from works_worktagset alone): the rule of
    work fields (GUEST, posted included) and a subquery of the ids of the works to leave out
    (kept a secret by an unrevealed collection: `without_secrets_from(guest)`). A guest has
    no excluded tags or mutes. tests/works/test_presort.py holds the two spellings equal."""
    unrevealed = _binding_items().filter(collection__is_unrevealed=True)
    return GUEST, unrevealed.values("work_id")


def secret_work_ids() -> set[int]:
    """Ids of every work an anonymous or unrevealed collection keeps a secret of (for pages
    that meet works one by one, e.g. comments in an inbox: one query for the whole page)."""
    items = _binding_items().filter(
        Q(collection__is_anonymous=True) | Q(collection__is_unrevealed=True)
    )
    return set(items.values_list("work_id", flat=True))


@dataclass(frozen=True)
class Secrets:
    anonymous: bool = False
    mystery: bool = False
    collections: tuple = ()  # the collections keeping the secrets (for "Mystery Work in ...")


NO_SECRETS = Secrets()


def _is_collection_staff(collection, user) -> bool:
    """Owner or moderator; asked once per collection and request (memoised on the user), so a
    page of blurbs from one collection costs one query at most."""
    if collection.owner_id == user.pk:
        return True
    known = user.__dict__.setdefault("_collection_staff", {})
    if collection.pk not in known:
        known[collection.pk] = collection.moderators.filter(pk=user.pk).exists()
    return known[collection.pk]


def work_secrets(work, user=None) -> Secrets:
    """What `user` (default: a guest) may not know of `work`. Reads `work.collection_items`
    (prefetch them with their collection: a work with no secret costs no query) and
    `work.pseuds` (creators_with_bylines())."""
    keeping = [
        item.collection
        for item in work.collection_items.all()
        if item.author_approval == APPROVED
        and item.collection_approval != REJECTED
        and (item.collection.is_anonymous or item.collection.is_unrevealed)
    ]
    if not keeping:
        return NO_SECRETS
    if _authenticated(user):
        if work.is_creator(user):
            return NO_SECRETS
        keeping = [c for c in keeping if not _is_collection_staff(c, user)]
    return Secrets(
        anonymous=any(c.is_anonymous for c in keeping),
        mystery=any(c.is_unrevealed for c in keeping),
        collections=tuple(keeping),
    )


def is_anonymous(work, user=None) -> bool:
    """Whether `user` (default: a guest) sees the work's creators as "Anonymous"."""
    return work_secrets(work, user).anonymous


def is_unrevealed(work, user=None) -> bool:
    """Whether `user` (default: a guest) sees the work as a "Mystery Work"."""
    return work_secrets(work, user).mystery


# Querysets -----------------------------------------------------------------------------------


class WorkQuerySet(models.QuerySet):
    def posted(self):
        """Not drafts."""
        return self.filter(**POSTED)

    def published(self):
        """Posted and not hidden: what any reader may find in a listing."""
        return self.filter(**PUBLISHED)

    def behind_login(self):
        """Published works restricted to logged-in readers (a guest is sent to log in)."""
        return self.published().filter(restricted=True)

    def drafts_of(self, user):
        """`user`'s drafts: for their own dashboard, never anyone else's page."""
        return self.exclude(**POSTED).filter(work_creators__user=user)

    def visible_to(self, user):
        """Drafts only for their creators; works hidden by moderators only for creators and
        moderators; restricted works only for logged-in readers."""
        if not _authenticated(user):
            return self.filter(**GUEST)
        if user_is_moderator(user):
            return self.filter(rule_q(POSTED) | is_creator(user))
        return self.filter(rule_q(PUBLISHED) | is_creator(user))

    def _keeping(self, hidden, user):
        if _authenticated(user):
            return self.filter(~hidden | is_creator(user))
        return self.filter(~hidden)

    def without_secrets_from(self, user):
        """Without the unrevealed works `user` may not know of."""
        return self._keeping(_secret_items("is_unrevealed", user), user)

    def naming_creators_to(self, user):
        """Without the anonymous or unrevealed works whose creators `user` may not know (for
        pages that name the creator: user pages, pseud pages, series pages)."""
        hidden = _secret_items("is_unrevealed", user) | _secret_items("is_anonymous", user)
        return self._keeping(hidden, user)

    def with_creator_sort_name(self, user):
        """Annotate `creator_sort_name`: the first creator's pseud in lower case, or
        "anonymous" where `user` may not know who wrote the work (AO3 sorts those works by
        creator as "Anonymous" rather than leaving them out)."""
        hidden = _secret_items("is_unrevealed", user) | _secret_items("is_anonymous", user)
        if _authenticated(user):
            hidden = hidden & ~is_creator(user)
        first = (
            _model("WorkCreator")
            .objects.filter(work=OuterRef("pk"))
            .order_by("position", "id")
            .values("pseud__name")[:1]
        )
        return self.annotate(
            creator_sort_name=Case(
                When(hidden, then=Value("anonymous")),
                default=Lower(Subquery(first)),
                output_field=CharField(),
            )
        )

    def without_excluded_for(self, user):
        """Leave out works the reader never wants to see: found under a tag they excluded
        (with its synonyms and sub tags, through the filter rows) or by a user they muted.
        Part of the same query, so counts stay true."""
        if not _authenticated(user):
            return self
        excluded_tags = _model("ExcludedTag").objects.filter(user=user).values("tag_id")
        under_excluded = _model("FilterTagging").objects.filter(
            work=OuterRef("pk"), tag_id__in=excluded_tags
        )
        by_muted = _model("WorkCreator").objects.filter(
            work=OuterRef("pk"), user_id__in=muted_users(user)
        )
        return self.exclude(Exists(under_excluded)).exclude(Exists(by_muted))

    def listable_by(self, user, *, include_drafts: bool = False, include_mystery: bool = False):
        """What `user` may see in a list, without the works they excluded. Drafts belong on
        their creator's dashboard, never in a public list, unless the caller asks for them.
        Unrevealed works are left out unless the caller shows them as "Mystery Work"
        (`include_mystery`: the collection's own pages)."""
        works = self.visible_to(user).without_excluded_for(user)
        if not include_mystery:
            works = works.without_secrets_from(user)
        if not include_drafts:
            works = works.posted()
        return works

    def for_listing(self):
        """What a blurb shows, in a fixed number of queries."""
        return self.select_related("stats").prefetch_related(
            "tags",
            creators_with_bylines(),
            gifts_shown(),
            "series_works__series",
            "collection_items__collection",
        )


class ChapterQuerySet(models.QuerySet):
    def posted(self):
        return self.filter(**POSTED)

    def readable(self, *, by_creator: bool):
        """The chapters a reader sees: posted ones, and drafts too for the work's creators."""
        return self if by_creator else self.posted()


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """Comments shown on the work: approved by its creators where they moderate comments."""
        return self.filter(status=self.model.Status.APPROVED)

    def visible_to(self, user):
        """Approved comments on works `user` may see, without those of users they muted."""
        comments = self.filter(
            status=self.model.Status.APPROVED,
            work__in=_model("Work").objects.visible_to(user).values("pk"),
        )
        if _authenticated(user):
            comments = comments.exclude(user__in=muted_users(user))
        return comments


class BookmarkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Bookmarks `user` may see in a list: public ones of posted works they may see (and
        their own private ones), without those of users they muted or works by them."""
        works = _model("Work").objects.visible_to(user).posted()
        bookmarks = self.filter(work__in=works)
        if not _authenticated(user):
            return bookmarks.filter(is_private=False)
        muted = muted_users(user)
        return (
            bookmarks.filter(Q(is_private=False) | Q(user=user))
            .exclude(user__in=muted)
            .exclude(work__in=works_by(muted))
        )


# Challenges, part 1 (signups) ----------------------------------------------------------------
#
# A sign-up (its requests, offers and pseud) is private to its owner and the challenge's
# collection's owner and moderators; everyone else gets 404. The requests summary shows the
# requests without their requesters, to the moderators, and to everyone once the owner made
# it visible.


def is_challenge_staff(challenge, user) -> bool:
    """The challenge collection's owner or one of its moderators."""
    return _authenticated(user) and _is_collection_staff(challenge.collection, user)


def may_see_signup(signup, user) -> bool:
    """The sign-up's own participant, and the challenge's staff."""
    if not _authenticated(user):
        return False
    return signup.user_id == user.pk or is_challenge_staff(signup.challenge, user)


def may_list_signups(challenge, user) -> bool:
    """/collections/<name>/signups and the moderators' audit: staff only."""
    return is_challenge_staff(challenge, user)


def may_see_requests_summary(challenge, user) -> bool:
    """/collections/<name>/requests: staff, or anyone when the owner made it visible."""
    return challenge.requests_summary_visible or is_challenge_staff(challenge, user)


def signups_visible_to(challenge, user):
    """The challenge's sign-ups `user` may see: all of them for its staff, their own for a
    participant, none for anyone else."""
    signups = _model("Signup").objects.filter(challenge=challenge)
    if is_challenge_staff(challenge, user):
        return signups
    if not _authenticated(user):
        return signups.none()
    return signups.filter(user=user)


# Challenges, part 3 (matching) ---------------------------------------------------------------
#
# A gift exchange's potential matches and its assignments before they are sent name who
# gives to whom: its staff alone see them (/collections/<name>/potential_matches); everyone
# else, site moderators and participants too, gets 404.


def may_review_matches(challenge, user) -> bool:
    """The matching pages: a gift exchange's staff only."""
    return challenge.is_gift_exchange and is_challenge_staff(challenge, user)


# Tag sets (issue 20, part 2: tagsets) ---------------------------------------------------------
#
# A tag set's page and its tags are public (the sign-up forms of challenges that use it link
# there). Its owners run it (settings, owners and moderators); its owners and moderators edit
# its tags and review nominations; a nominator sees their own nominations, nobody else's.


def is_tag_set_owner(tag_set, user) -> bool:
    if not _authenticated(user):
        return False
    known = user.__dict__.setdefault("_tag_set_owner", {})
    if tag_set.pk not in known:
        known[tag_set.pk] = tag_set.owners.filter(pk=user.pk).exists()
    return known[tag_set.pk]


def is_tag_set_staff(tag_set, user) -> bool:
    """The set's owners and moderators: they edit its tags and review its nominations."""
    if not _authenticated(user):
        return False
    if is_tag_set_owner(tag_set, user):
        return True
    known = user.__dict__.setdefault("_tag_set_moderator", {})
    if tag_set.pk not in known:
        known[tag_set.pk] = tag_set.moderators.filter(pk=user.pk).exists()
    return known[tag_set.pk]


def nominations_visible_to(tag_set, user):
    """The set's nominations `user` may see: all of them for its staff, their own for a
    nominator, none for anyone else."""
    nominations = tag_set.nominations.all()
    if is_tag_set_staff(tag_set, user):
        return nominations
    if not _authenticated(user):
        return nominations.none()
    return nominations.filter(nominator=user)


# Prompt memes (issue 20, part 5: promptmeme) -------------------------------------------------
#
# A prompt meme's prompts are public; an anonymous prompt hides who posted it from everyone
# but its poster and the collection's owner and moderators. Claimants are named unless the
# collection keeps its creators secret (anonymous or unrevealed: who claimed what says who is
# writing what), again except to the staff and to the claimant. A fill counts for a reader
# when its work is posted and visible to them (a mystery work counts: the collection's pages
# show it as such).


def prompter_named_to(prompt, collection, user) -> bool:
    """Whether `user` may know who posted `prompt` (reads `prompt.signup.user_id`)."""
    if not prompt.anonymous:
        return True
    if not _authenticated(user):
        return False
    return prompt.signup.user_id == user.pk or _is_collection_staff(collection, user)


def claimants_named_to(collection, user) -> bool:
    """Whether `user` may see who claimed the prompts of `collection` (their own claims they
    always see)."""
    if not (collection.is_anonymous or collection.is_unrevealed):
        return True
    return _authenticated(user) and _is_collection_staff(collection, user)


def fill_works(user):
    """The works that count as fills for `user`: posted and visible to them."""
    return _model("Work").objects.visible_to(user).posted()


# Challenge assignments (issue 20, part 4: assignments) ----------------------------------------


def assignments_of(user):
    """The assignments `user` is to write, once sent: their own until they default, and the
    pinch hits given to them. Nobody else's: a giver never learns who writes for them."""
    if not _authenticated(user):
        return _model("Assignment").objects.none()
    own = Q(giver__user=user, defaulted_at__isnull=True, sent_at__isnull=False)
    return _model("Assignment").objects.filter(own | Q(pinch_hitter=user))
