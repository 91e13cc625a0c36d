"""/users/<login>/tokens: a member makes a token (shown once), sees its scopes and last use,
and revokes it; nobody else sees the page."""

import re

import pytest

from archive.models import AccessToken
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _secret(response) -> str:
    found = re.search(rb'id="token-secret">(fa_[A-Za-z0-9_-]+)<', response.content)
    assert found, "the new token is shown on the page that made it"
    return found.group(1).decode()


def test_a_token_is_made_shown_once_and_works(client, api):
    owner = make_user(username="tokenmaker")
    client.force_login(owner)
    response = client.post(
        "/users/tokenmaker/tokens", {"name": "My e-reader sync", "scopes": ["read"]}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain == [("/users/tokenmaker/tokens", 302)]
    assert response["Cache-Control"] == "no-store"
    secret = _secret(response)
    token = AccessToken.objects.get(user=owner)
    assert token.scopes == ["read"] and token.digest != secret and secret not in token.digest
    # The list shows its name, prefix and "Never" used; never the secret again.
    listing = client.get("/users/tokenmaker/tokens")
    assert b"My e-reader sync" in listing.content and b"Never" in listing.content
    assert secret.encode() not in listing.content
    assert token.prefix.encode() in listing.content
    # It works, and its use is dated.
    me = api.get("/api/v1/me", token=secret)
    assert me.json() == {"login": "tokenmaker", "authenticated_by": "token", "scopes": ["read"]}
    token.refresh_from_db()
    assert token.last_used_on is not None
    assert b"Never" not in client.get("/users/tokenmaker/tokens").content


def test_revoking_stops_the_token_at_once(client, api):
    owner = make_user(username="tokenrevoker")
    client.force_login(owner)
    made = client.post(
        "/users/tokenrevoker/tokens", {"name": "Old", "scopes": ["read"]}, follow=True
    )
    secret = _secret(made)
    token = AccessToken.objects.get(user=owner)
    assert api.get("/api/v1/me", token=secret).status_code == 200
    response = client.post(f"/users/tokenrevoker/tokens/{token.pk}/revoke", follow=True)
    assert "is revoked" in response.content.decode()
    assert "Revoked on" in response.content.decode()
    refused = api.get("/api/v1/me", token=secret)
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"


def test_bad_input_keeps_what_was_typed(client):
    owner = make_user(username="tokentypist")
    client.force_login(owner)
    response = client.post("/users/tokentypist/tokens", {"name": "Kept name", "scopes": []})
    assert response.status_code == 400
    assert b"Choose at least one scope." in response.content
    assert b'value="Kept name"' in response.content
    assert not AccessToken.objects.exists()
    response = client.post("/users/tokentypist/tokens", {"name": "", "scopes": ["read"]})
    assert response.status_code == 400
    assert b'value="read" id="id_scopes_0" checked' in response.content


@pytest.mark.parametrize("viewer", ["guest", "other", "moderator"])
def test_only_the_owner_sees_or_revokes_tokens(client, viewer):
    owner = make_user(username="tokenowner")
    token_secret_name = "Secret program name"
    from archive.services.tokens import token_create

    token, _secret_text = token_create(owner, name=token_secret_name, scopes=["read"])
    if viewer != "guest":
        other = make_user(username=f"token{viewer}", is_staff=viewer == "moderator")
        client.force_login(other)
    page = client.get("/users/tokenowner/tokens")
    assert token_secret_name.encode() not in page.content
    assert page.status_code == (302 if viewer == "guest" else 404)
    revoke = client.post(f"/users/tokenowner/tokens/{token.pk}/revoke")
    assert revoke.status_code in (302, 404)
    token.refresh_from_db()
    assert token.revoked_at is None
