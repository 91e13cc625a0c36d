"""Personal access tokens (issue 21): made, found and revoked here only.

- `token_create(user, name=, scopes=)` → (AccessToken, secret): the secret is returned once and
  never stored; the page shows it on the response that made it.
- `token_for_secret(secret)` → the active token and its owner (one query), or None; it notes
  the day the token was last used (at most one UPDATE a day per token).
- `token_revoke(token)`: a revoked token stops working at once; the row stays for the record.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.errors import Refused
from archive.models import AccessToken

SECRET_PREFIX = "fa_"
SHOWN_PREFIX_LENGTH = 8  # "fa_" and five characters of the secret, for the owner's list


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def max_tokens() -> int:
    return getattr(settings, "ARCHIVE_API_MAX_TOKENS", 50)


@transaction.atomic
def token_create(user, *, name: str, scopes) -> tuple[AccessToken, str]:
    name = (name or "").strip()
    if not name:
        raise Refused(_("Give the token a name, so you can tell it apart later."), field="name")
    chosen = [scope for scope in AccessToken.Scope.values if scope in set(scopes or ())]
    if not chosen:
        raise Refused(_("Choose at least one scope."), field="scopes")
    active = AccessToken.objects.select_for_update().filter(user=user, revoked_at=None)
    if len(active) >= max_tokens():
        raise Refused(
            _("You have %(count)s active tokens, the most allowed; revoke one first.")
            % {"count": max_tokens()},
            code="too_many_tokens",
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(30)
    token = AccessToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        digest=digest(secret),
        scopes=chosen,
    )
    return token, secret


def token_for_secret(secret: str) -> AccessToken | None:
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 100:
        return None
    token = (
        AccessToken.objects.select_related("user")
        .filter(digest=digest(secret), revoked_at=None, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    today = timezone.localdate()
    if token.last_used_on != today:
        AccessToken.objects.filter(pk=token.pk).update(last_used_on=today)
        token.last_used_on = today
    return token


def token_revoke(token: AccessToken) -> None:
    if token.revoked_at is None:
        AccessToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now())
        token.refresh_from_db(fields=["revoked_at"])
