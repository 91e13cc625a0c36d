"""The archive's Redis cache backend (archive/cache.py) against the real Redis: `incr` in one
round trip keeps Django's meaning (a missing key raises, an existing one keeps its expiry),
so hit and visit counts come out exact."""

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from archive.cache import ArchiveRedisCache

REDIS_URL = "redis://127.0.0.1:6379/12"


@pytest.fixture
def redis_cache():
    redis.Redis.from_url(REDIS_URL).flushdb()
    yield ArchiveRedisCache(REDIS_URL, {})
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_incr_of_a_missing_key_raises_and_creates_nothing(redis_cache):
    with pytest.raises(ValueError):
        redis_cache.incr("pending:7")
    assert redis_cache.get("pending:7") is None


def test_incr_and_decr_count_exactly_and_keep_the_expiry(redis_cache):
    redis_cache.set("pending:7", 5, 300)
    assert redis_cache.incr("pending:7", 3) == 8
    assert redis_cache.decr("pending:7", 2) == 6
    assert redis_cache.get("pending:7") == 6
    ttl = redis.Redis.from_url(REDIS_URL).ttl(redis_cache.make_key("pending:7"))
    assert 290 <= ttl <= 300


def test_one_round_trip_where_djangos_backend_makes_two(redis_cache, monkeypatch):
    redis_cache.set("pending:7", 1)
    redis_cache.incr("pending:7")  # loads the script into Redis once
    django_cache = RedisCache(REDIS_URL, {})
    sent = []
    original = redis.Redis.execute_command

    def counted(self, *args, **kwargs):
        sent.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    django_cache.incr("pending:7")
    assert len(sent) == 2
    sent.clear()
    redis_cache.incr("pending:7")
    assert sent == ["EVALSHA"]
    assert redis_cache.get("pending:7") == 4
