"""Work pages for logged-in readers: the part every reader shares from the cache, the
reader's own parts rendered for each request (docs/performance.md, "Logged-in readers").

Most of a work page is the same for every member who is not its creator: the work, its
tags, stats, kudos and comments. What is theirs is small: the header and footer (their name,
log-out form, preference links), the subscribe buttons, the bookmark and Mark for Later
actions, the pseud of the comment form, the CSRF token. So the first member to read a page
stores a *shell*: the page rendered with a marker where each of those parts goes
(`{% reader_part %}`, archive/templatetags/reader_parts.py) and a placeholder for the token.
Every member after them gets the shell from one cache read, their parts rendered from small
templates, and one query for their own state: their subscription and bookmark of the work,
and whether they muted anyone who commented on the page.

The shell lives under the same versions as the guest page cache (works.cache.pages), so any
change a page shows retires it. It is stored and served only where the page really is the
same for every member:

- the work is published (drafts and hidden works are for creators and moderators) and no
  anonymous or unrevealed collection keeps a secret of it (collection staff see more);
- the reader is not one of its creators (they get edit links) and did not comment on the
  chapters shown (their comments carry Edit and Delete); the reader who stores a shell has
  muted nobody, and a reader served one muted none of its commenters;
- no message is waiting for the reader, and the URL carries no other parameter than a guest
  page may (works.cache.pages.CACHEABLE_PARAMS).

Anything else renders the whole page, as before.
"""

import re
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import RequestContext, engines
from django.utils import translation

from archive.appearance import reading_for, skin_for
from works.cache import pages as page_cache
from works.cache import reader_forms
from works.cache.reader_forms import WorkRef
from works.models.visibility import NO_SECRETS, is_published, work_secrets
from works.pages.work import VIEW_ADULT_COOKIE, reader_state

# `{% reader_part "template" %}` leaves this marker in a shell; each is filled per request.
PART = re.compile(r"<!--reader-part:([\w/.-]+)-->")


@dataclass(frozen=True)
class Shell:
    """A stored shell: the versions it is valid for, the page, its headers, and who may not
    be served it (the work's creators, the commenters of the chapters shown)."""

    versions: tuple[str, str]
    content: str
    headers: dict
    work_id: int
    creator_ids: frozenset
    commenter_ids: frozenset


def _wants_adult(request) -> bool:
    user = request.user
    return (
        request.GET.get("view_adult") == "true"
        or request.COOKIES.get(VIEW_ADULT_COOKIE) == "true"
        or bool(getattr(user, "view_adult", False))
    )


def _slot_key(request, work_id: int) -> str | None:
    """Where this member's shell is stored, or None when their page must be rendered whole."""
    if not page_cache.cacheable(request) or not request.user.is_authenticated:
        return None
    if "messages" in request.COOKIES or "_messages" in request.session:
        return None
    return page_cache.slot_key(
        "memberpage",
        work_id,
        request.get_full_path(),
        str(int(_wants_adult(request))),
        translation.get_language() or "",
        skin_for(request),
        reading_for(request).classes,
    )


def fetch(request, work_id: int) -> HttpResponse | None:
    """This member's page from a stored shell, or None (then `request.member_page` says
    where _render_work() may store the shell it renders)."""
    request.member_page = None
    key = _slot_key(request, work_id)
    if key is None:
        return None
    found, versions = page_cache.read_with_versions([work_id], [key])
    shell = found.get(key)
    if isinstance(shell, Shell) and shell.versions == versions[work_id]:
        user = request.user
        if user.pk not in shell.creator_ids and user.pk not in shell.commenter_ids:
            state = reader_state(user, work_id, muted_among=shell.commenter_ids)
            if not state["mutes_a_commenter"]:
                return _compose(request, shell, state)
            return None  # their page leaves out comments; render it whole, store nothing
    request.member_page = page_cache.Slot(key, versions[work_id])
    return None


def shareable(request, work, context) -> bool:
    """Whether the page rendered for this reader may be stored as every member's shell."""
    if getattr(request, "member_page", None) is None or context["is_creator"]:
        return False
    if not is_published(work) or work_secrets(work) is not NO_SECRETS:
        return False
    user = request.user
    if user.pk in _commenter_ids(context):
        return False
    return not reader_state(user, work.pk)["mutes_anyone"]


def store(request, response, work, context, *, keep_headers=()) -> HttpResponse:
    """Store the shell `response` (rendered with `reader_slots`) and answer this reader."""
    slot = request.member_page
    headers = {"Content-Type": response["Content-Type"]}
    headers.update({name: response[name] for name in keep_headers if name in response})
    shell = Shell(
        versions=slot.versions,
        content=response.content.decode(),
        headers=headers,
        work_id=work.pk,
        creator_ids=frozenset(pseud.user_id for pseud in work.pseuds.all()),
        commenter_ids=_commenter_ids(context),
    )
    cache.set(slot.key, shell, page_cache.seconds())
    state = {
        "subscription_id": context.get("subscription_id"),
        "bookmark_id": context.get("bookmark_id"),
    }
    return _compose(request, shell, state)


def _commenter_ids(context) -> frozenset:
    return frozenset(
        comment.user_id
        for kind, comment in context.get("comment_rows", ())
        if kind == "comment" and comment.user_id
    )


def _compose(request, shell: Shell, state: dict) -> HttpResponse:
    """The shell with this reader's parts and CSRF token in place."""
    names = list(dict.fromkeys(PART.findall(shell.content)))
    parts = reader_forms.fill(request, names, shell.work_id, state)
    if parts is None:
        parts = _render_parts(request, names, shell.work_id, state)
    content = PART.sub(lambda match: parts[match.group(1)], shell.content)
    response = HttpResponse(content.replace(page_cache.TOKEN_PLACEHOLDER, get_token(request)))
    for name, value in shell.headers.items():
        response[name] = value
    return response


def _render_parts(request, names: list[str], work_id: int, state: dict) -> dict[str, str]:
    """The reader's parts rendered from their templates (where reader_forms cannot fill)."""
    if not names:
        return {}
    context = RequestContext(
        request,
        {
            "work": WorkRef(work_id),
            "is_creator": False,
            "preview": False,
            "subscription_id": state["subscription_id"],
            "bookmark_id": state["bookmark_id"],
        },
    )
    engine = engines["django"].engine
    templates = {name: engine.get_template(name) for name in names}
    # Bound once: the context processors run once for all the parts.
    with context.bind_template(next(iter(templates.values()))):
        return {name: template.render(context) for name, template in templates.items()}
