import pytest

from tests.factories import PASSWORD, make_user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users need no slow password hashing: the suite creates hundreds of them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache, so rate-limit counters (archive/ratelimit.py)
    never carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def guest_page_cache(settings):
    """The guest work page cache is on in every test (as in production with Redis), so any
    test that changes a work and then reads it as a guest checks that the stored page was
    retired (works/page_cache.py)."""
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def author(db):
    return make_user(username="author")


@pytest.fixture
def reader(db):
    return make_user(username="reader")


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Permission

    user = make_user(username="moderator", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_work"))
    return user


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def password():
    return PASSWORD
