"""The reader's parts of a shared work page, rendered once per language and state as a *form*
with blanks where each reader's own values go (docs/performance.md, "Logged-in readers").

A member served a stored shell (works.cache.member_pages) needs the header and footer with
their login, the subscribe, bookmark and Mark for Later actions for their state, the comment
form's pseud, and this page's path in the forms' `next` fields. Rendering those five small
templates cost about 1 ms a request, more than the rest of the page together. What differs
between two members of the same interface language, skin and state (subscribed or not,
bookmarked or not) is only a few values. So the parts are rendered once in each process for
every such combination with sentinel values (a login, ids, paths no real request has), and
each request fills the sentinels in with its own values, escaped as the template would have
escaped them.

Filling in is exact only where the template's escaping of a value is the identity, so
`fill()` answers None (render the parts the usual way) for a login or path it cannot put in
as is: a login with characters that a URL or HTML would escape, a path longer than the
header's 400-character limit. tests/works/test_member_page_cache.py renders both ways for
every language and state and compares them.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.template import RequestContext, engines
from django.utils import translation
from django.utils.html import escape

from archive.appearance import reading_for, skin_for
from works.cache import pages as page_cache

# Sentinels: values no real request or account has, each kept apart from the others.
LOGIN = "readerformlogin"
USER_ID = 9100000001
WORK_ID = 9100000002
SUBSCRIPTION_ID = 9100000003
BOOKMARK_ID = 9100000004
FULL_PATH = "/reader-form-full-path?q=1"
PATH = "/reader-form-path"
# What a login may hold to be filled in as is: neither reverse() nor HTML escaping changes it.
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.@+-")
_PATH_LIMIT = 400  # the header's `next`: the full path up to this length, else the path

_forms: dict[tuple, dict[str, str]] = {}


@dataclass(frozen=True)
class WorkRef:
    """What the reader's parts need of the work (they never load it): its id, posted."""

    pk: int
    posted: bool = True


class _Reader:
    """The real member but for their login and id, which are sentinels. (Anything else a part
    reads of them, such as their skin, is in the form's key.)"""

    pk = id = USER_ID
    username = LOGIN

    def __init__(self, user):
        self._user = user

    def get_username(self):
        return LOGIN

    def __str__(self):
        return LOGIN

    def __getattr__(self, name):
        return getattr(self._user, name)


class _Request:
    """The real request but for the reader and the paths, which are sentinels."""

    def __init__(self, request):
        self._request = request
        self.user = _Reader(request.user)
        self.path = PATH

    def get_full_path(self, force_append_slash=False):
        return FULL_PATH

    def __getattr__(self, name):
        return getattr(self._request, name)


def _render(request, names: list[str], subscribed: bool, bookmarked: bool) -> dict[str, str]:
    proxy = _Request(request)
    context = RequestContext(
        proxy,
        {
            "work": WorkRef(WORK_ID),
            "is_creator": False,
            "preview": False,
            "subscription_id": SUBSCRIPTION_ID if subscribed else None,
            "bookmark_id": BOOKMARK_ID if bookmarked else None,
        },
    )
    engine = engines["django"].engine
    templates = {name: engine.get_template(name) for name in names}
    with context.bind_template(next(iter(templates.values()))):
        # Above the context processors' values (Django's csrf processor gives a real token).
        context["csrf_token"] = page_cache.TOKEN_PLACEHOLDER
        return {name: template.render(context) for name, template in templates.items()}


def fill(request, names: list[str], work_id: int, state: dict) -> dict[str, str] | None:
    """{template name: this reader's part} from the form for their language, skin and state,
    or None when their values cannot be filled in as is (render the parts instead)."""
    user = request.user
    login = user.get_username()
    full_path, path = request.get_full_path(), request.path
    if not names or not set(login) <= _PLAIN or len(full_path) > _PATH_LIMIT:
        return None
    subscription_id, bookmark_id = state["subscription_id"], state["bookmark_id"]
    key = (
        tuple(sorted(names)),
        translation.get_language() or "",
        skin_for(request),
        reading_for(request).classes,
        bool(subscription_id),
        bool(bookmark_id),
    )
    form = _forms.get(key)
    if form is None:
        form = _forms[key] = _render(request, list(key[0]), key[4], key[5])
    values = {
        LOGIN: login,
        str(USER_ID): str(user.pk),
        str(WORK_ID): str(work_id),
        str(SUBSCRIPTION_ID): str(subscription_id),
        str(BOOKMARK_ID): str(bookmark_id),
        escape(FULL_PATH): escape(full_path),
        quote(PATH, safe=""): quote(path, safe=""),
        escape(PATH): escape(path),
    }
    parts = {}
    for name, text in form.items():
        for sentinel, value in values.items():
            text = text.replace(sentinel, value)
        parts[name] = text
    return parts
