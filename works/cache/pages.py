"""Whole work pages for guests, served from the cache (docs/design.md section 9).

A guest (no session cookie, no pending message) reading a work or chapter page sees the same
page as every other guest: only the CSRF token of its kudos and comment forms is theirs. So
the work and chapter views store that page once, rendered with a placeholder for the token,
and later guests get it from one cache read and a string replace, without a database query.

Freshness rests on versions, never on deleting entries:

- every page key holds the work's version and the site's version;
- anything saved or deleted that a work page shows bumps a version (signals below, and
  explicit `work_changed()` / `site_changed()` calls where a service writes with
  `QuerySet.update()`): rows that belong to one work (the work, its chapters, tags, kudos,
  comments, series and collection entries) bump that work's version, anything else (a tag, a
  user, a series, a collection) bumps the site's version, which retires every stored page;
- a version is bumped at once and again when the transaction commits, so a request that
  read the database before the commit cannot store its stale page under the new version;
- a missing version key (never set, or evicted) gets a fresh random value, so an evicted
  version can never bring an old page back.

Hit counts on a stored page may lag by up to PAGE_CACHE_SECONDS (hits are buffered anyway);
the hit itself is still recorded for every view (works.hits).

The versions live in the cache, so every process must share it: the cache is on by default
only with Redis (`REDIS_URL`); with local memory `ARCHIVE_PAGE_CACHE_SECONDS` turns it on
for a single process (the test suite, `make run`).
"""

import hashlib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from archive.skins import guest_skin

# Stands in for the reader's CSRF token in a stored page; `csrf_token` in the template
# context takes precedence over the context processor's lazy token.
TOKEN_PLACEHOLDER = "csrf-token-placeholder-7f3a9c"
SITE_KEY = "workpage:site"
# Query parameters a guest's work page may carry and still be served from the cache.
CACHEABLE_PARAMS = frozenset({"view_adult", "view_full_work"})
# What a guest's work page shows, by model. Saving one of these rows retires the pages of
# its work ("work") or every page ("site"); a new site-wide row (a new tag, user, series or
# collection) is on no page yet, so only changes count, unless marked "new". Deleting one is
# watched only for the models marked "delete": a delete receiver on a child table would stop
# Django from deleting its rows in bulk (a cascade would load each tagging), so services
# that delete child rows call work_changed() themselves.
WATCHED = {
    "works.Work": ("work", "delete"),
    "works.Chapter": ("work",),
    "works.WorkCreator": ("work",),
    "works.WorkStats": ("work",),
    "works.TaggedWork": ("work",),
    "works.Kudos": ("work",),
    "works.Comment": ("work",),
    "works.Bookmark": ("work",),
    "works.CollectionItem": ("work",),
    # "For <name>" follows a gift given, taken back or refused.
    "works.Gift": ("work", "delete"),
    # "In response to a prompt by ..." follows a claim filled by the work (prompt memes).
    "works.Claim": ("work", "delete"),
    # A new part changes the previous and next links of the series' other works.
    "works.SeriesWork": ("site", "new"),
    "works.Series": ("site", "delete"),
    "works.Collection": ("site", "delete"),
    "tags.Tag": ("site", "delete"),
    "archive.User": ("site", "delete"),
    # A renamed pseud changes every byline that names it.
    "archive.Pseud": ("site", "delete"),
}


def seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


def work_key(work_id: int) -> str:
    return f"workpage:work:{work_id}"


def _fresh() -> str:
    return uuid.uuid4().hex[:12]


def read_with_versions(work_ids, keys=()) -> tuple[dict, dict[int, tuple[str, str]]]:
    """One cache read of `keys` together with the site's and these works' versions; a
    version never set (or evicted) gets a fresh random value, so an old entry can never
    match again. Returns (found entries, {work id: (site version, work version)})."""
    version_keys = [SITE_KEY, *(work_key(work_id) for work_id in work_ids)]
    found = cache.get_many([*version_keys, *keys])
    for version_key in version_keys:
        if version_key not in found:
            cache.add(version_key, _fresh(), None)
            found[version_key] = cache.get(version_key)
    site = found[SITE_KEY]
    return found, {work_id: (site, found[work_key(work_id)]) for work_id in work_ids}


def _bump(key: str) -> None:
    cache.set(key, _fresh(), None)
    transaction.on_commit(lambda: cache.set(key, _fresh(), None))


def work_changed(*work_ids: int) -> None:
    """Retire the stored pages of these works (call after a QuerySet.update())."""
    for work_id in work_ids:
        if work_id:
            _bump(work_key(work_id))


def site_changed() -> None:
    """Retire every stored work page (a tag, user, series or collection changed)."""
    _bump(SITE_KEY)


# Serving ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """Where a guest's page is stored, and the versions it is valid for (read before the
    database, so a page rendered from data that changed meanwhile is never served)."""

    key: str
    versions: tuple[str, str]


def cacheable(request) -> bool:
    """Whether a work page request may be served from (or stored in) a cache at all: the
    cache is on, a GET, and no query parameter but those a stored page may carry."""
    return bool(
        seconds() and request.method == "GET" and CACHEABLE_PARAMS.issuperset(request.GET.keys())
    )


def slot_key(prefix: str, work_id: int, *place: str) -> str:
    """A stored page's key: its work and a digest of everything it differs by (`place`: the
    full path, the adult consent, the language, the skin...)."""
    digest = hashlib.blake2b("|".join(place).encode(), digest_size=12).hexdigest()
    return f"{prefix}:{work_id}:{digest}"


def _slot_key(request, work_id: int) -> str | None:
    """None when this request's page must be rendered: not a guest (a session cookie, which
    may hold a login or messages), a message cookie, an unknown query parameter, or the
    cache is off."""
    cookies = request.COOKIES
    if not cacheable(request):
        return None
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return None
    adult = cookies.get("view_adult") == "true"
    return slot_key(
        "workpage",
        work_id,
        request.get_full_path(),
        str(int(adult)),
        translation.get_language() or "",
        guest_skin(request),
    )


def fetch(request, work_id: int) -> HttpResponse | None:
    """The stored page for this guest, with their own CSRF token: one cache read for the
    versions and the page together. On a miss, `request.guest_page` says where store() puts
    the page the view renders."""
    request.guest_page = None
    key = _slot_key(request, work_id)
    if key is None:
        return None
    found, versions = read_with_versions([work_id], [key])
    versions = versions[work_id]
    stored = found.get(key)
    if stored is not None and stored[0] == versions:
        _valid_for, content, headers = stored
        response = HttpResponse(content.replace(TOKEN_PLACEHOLDER, get_token(request)))
        for name, value in headers.items():
            response[name] = value
        return response
    request.guest_page = Slot(key, versions)
    return None


def store(request, response, *, keep_headers=()) -> None:
    """Store a guest page rendered with the token placeholder (see fetch()), and put this
    guest's own token into the response they get."""
    slot = getattr(request, "guest_page", None)
    if slot is None or response.status_code != 200:
        return
    content = response.content.decode()
    headers = {"Content-Type": response["Content-Type"]}
    headers.update({name: response[name] for name in keep_headers if name in response})
    cache.set(slot.key, (slot.versions, content, headers), seconds())
    response.content = content.replace(TOKEN_PLACEHOLDER, get_token(request))


# Invalidation ----------------------------------------------------------------------------


def _work_id(instance) -> int | None:
    if instance._meta.label_lower == "works.work":
        return instance.pk
    # A tagging names its work content_object (django-taggit).
    return getattr(instance, "work_id", None) or getattr(instance, "content_object_id", None)


def _receiver(scope: str, *, new_matters: bool):
    def changed(sender, instance, created=False, update_fields=None, **kwargs) -> None:
        if not seconds() or (created and not new_matters):
            return
        if update_fields and set(update_fields) <= {"last_login"}:
            return  # a user logging in
        if scope == "work":
            work_changed(_work_id(instance))
        else:
            site_changed()

    return changed


def _tags_changed(sender, instance, action, **kwargs) -> None:
    """A work's tags set through the tag manager (taggings written in bulk)."""
    if action.startswith("post_") and seconds():
        if instance._meta.label_lower == "works.work":
            work_changed(instance.pk)
        else:
            site_changed()


def connect() -> None:
    from django.apps import apps

    for label, (scope, *watch) in WATCHED.items():
        model = apps.get_model(label)
        receiver = _receiver(scope, new_matters=scope == "work" or "new" in watch)
        post_save.connect(
            receiver, sender=model, weak=False, dispatch_uid=f"page_cache_save_{label}"
        )
        if "delete" in watch:
            post_delete.connect(
                receiver, sender=model, weak=False, dispatch_uid=f"page_cache_del_{label}"
            )
    through = apps.get_model("works.Work").tags.through
    m2m_changed.connect(_tags_changed, sender=through, dispatch_uid="page_cache_tags")
