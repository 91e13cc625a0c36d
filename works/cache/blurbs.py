"""Listing blurbs rendered once and reused (docs/design.md section 9).

At a million works a listing spends most of its time in Python, not in PostgreSQL: loading
20 works with their tags, creators, series and collections, and rendering about 340 tag
links (/works: 6 ms of SQL in a 67 ms response). A blurb is the same for every reader unless
the work has a secret (an anonymous or unrevealed collection, works.models.visibility), so its HTML
is stored with the versions of works.cache.pages (retired whenever the work, its tags, its
stats or anything site-wide changes) and a later listing loads and renders only the blurbs
it does not find.

A stored blurb is the guest's. It is served to every reader when the work has no secret,
and to guests only when it has one; a reader who may know more (a creator, a collection's
staff) gets the work rendered for them.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from works.cache import pages as page_cache
from works.models.visibility import work_secrets

TEMPLATE = "works/includes/_blurb.html"


@dataclass(frozen=True)
class StoredBlurb:
    """A blurb from the cache, standing in for its work in a listing page."""

    pk: int
    html: SafeString


def _key(work_id: int) -> str:
    """One stored blurb per work and interface language (archive/languages.py)."""
    return f"blurb:{work_id}:{translation.get_language()}"


def _is_guest(user) -> bool:
    return user is None or not user.is_authenticated


def _stored(keys: dict[int, str], user) -> tuple[dict[int, object], dict]:
    """What is stored under `keys` ({work id: key}) that `user` may be shown, and every
    work's current versions: one cache read."""
    if not page_cache.seconds() or not keys:
        return {}, {}
    found, versions = page_cache.read_with_versions(list(keys), keys.values())
    result = {}
    for work_id, key in keys.items():
        entry = found.get(key)
        if entry is None:
            continue
        valid_for, value, has_secrets = entry
        if valid_for != versions[work_id] or (has_secrets and not _is_guest(user)):
            continue
        result[work_id] = value
    return result, versions


def _store(key: str, work, value, user) -> None:
    """Store `value` for `work` under the versions read before it was loaded, when it is the
    same for every guest (and for everyone when the work has no secret)."""
    versions = getattr(work, "blurb_versions", None)
    if versions and work.posted:
        has_secrets = bool(work_secrets(work, None).collections)
        if _is_guest(user) or not has_secrets:
            cache.set(key, (versions, value, has_secrets), page_cache.seconds())


def stored(work_ids: list[int], user) -> tuple[dict[int, StoredBlurb], dict]:
    """The stored blurbs of these works that `user` may be shown, and every work's current
    versions (read before the works are loaded, to store their blurbs under): one cache
    read."""
    found, versions = _stored({work_id: _key(work_id) for work_id in work_ids}, user)
    # Rendered by our template (see render()).
    return {pk: StoredBlurb(pk, mark_safe(html)) for pk, html in found.items()}, versions  # noqa: S308


def _summary_key(work_id: int, host: str) -> str:
    """The API's summary of a work (works/api/work_schemas.py), per language and host (its
    links are absolute)."""
    return f"apiwork:{work_id}:{translation.get_language()}:{host}"


def stored_summaries(work_ids: list[int], user, host: str) -> tuple[dict[int, dict], dict]:
    """The API's stored work summaries `user` may be given, as `stored()` gives blurbs."""
    return _stored({work_id: _summary_key(work_id, host) for work_id in work_ids}, user)


def store_summary(work, summary: dict, user, host: str) -> None:
    _store(_summary_key(work.pk, host), work, summary, user)


def render(work, request) -> SafeString:
    """The blurb of `work` (a Work through for_listing(), or a StoredBlurb) for this reader.
    A work loaded by a listing carries the versions read before it was loaded
    (`blurb_versions`); its blurb is stored when it is the same for every guest."""
    if isinstance(work, StoredBlurb):
        return work.html
    html = render_to_string(TEMPLATE, {"work": work, "request": request})
    _store(_key(work.pk), work, html, getattr(request, "user", None))
    # Rendered by our template, which escapes author text or passes it from works.rendering.
    return mark_safe(html)  # noqa: S308
