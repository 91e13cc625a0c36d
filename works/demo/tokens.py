"""A personal access token for the demo author (issue 21), made afresh each time load_demo
runs (the last one revoked), so the console always shows one that works."""

from archive.models import AccessToken
from archive.services.tokens import token_create, token_revoke

NAME = "Demo token (made by make run)"


def demo_token(user) -> str:
    for old in AccessToken.objects.filter(user=user, name=NAME, revoked_at=None):
        token_revoke(old)
    _token, secret = token_create(user, name=NAME, scopes=AccessToken.Scope.values)
    return secret
