"""A program's view: the client openapi-python-client generates from the schema works against
the API as it is served."""

import pytest

from tests.api.conftest import token_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_generated_client_calls_the_api(generated, api_client):
    from out.api.account import me

    as_guest = me.sync(client=api_client())
    assert as_guest.login is None and as_guest.authenticated_by == "guest"
    reader = make_user(username="generatedcaller")
    as_reader = me.sync(client=api_client(token_for(reader, "read")))
    assert as_reader.login == "generatedcaller" and as_reader.scopes == ["read"]
    refused = me.sync_detailed(client=api_client("fa_not-a-token"))
    assert refused.status_code == 401
