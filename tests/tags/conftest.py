import pytest
from django.contrib.auth.models import Group

from tests.factories import make_user


@pytest.fixture
def wrangler(db):
    """A staff member of the "Tag wrangler" group (created by tags/migrations/0003)."""
    user = make_user(username="wrangler", is_staff=True)
    user.groups.add(Group.objects.get(name="Tag wrangler"))
    return user


@pytest.fixture
def wrangler_client(client, wrangler):
    client.force_login(wrangler)
    return client
