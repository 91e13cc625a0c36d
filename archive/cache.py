"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's RedisCacheClient builds a new `redis.Redis` object for every cache call, and
redis-py 8 fills a table of about 170 response callbacks each time it does: 0.36 ms a call,
more than the round trip to Redis on loopback (measured with cProfile on a cached work
page, which makes three cache calls). A `redis.Redis` object is safe to share between
threads (each command takes a connection from the pool), so one per pool is enough.

`incr` is one round trip instead of Django's two (EXISTS, then INCRBY): a script increments
the key only if it exists, so a missing key still raises ValueError. Hit and visit counting
(works/hits.py) makes two or three increments on every work page read.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import NoScriptError

_INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
return false
"""


class ReusedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._scripts = {}

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        script = self._scripts.get(id(client))
        if script is None:
            script = self._scripts[id(client)] = client.register_script(_INCR_EXISTING)
        value = script(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class ArchiveRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients


def add_incr_get(cache, *, add=(), incr=(), get=()):
    """In one round trip on Redis (a pipeline), in turn: each (key, value, seconds) of `add`
    stored only if absent; each key of `incr` incremented by one if it exists; the keys of
    `get` read. Returns ([whether each of `add` was stored], [new value or None where the key
    was missing], {key: value} of the keys found). Other backends make the same calls one by
    one."""
    backend = getattr(cache, "_cache", None)
    if not isinstance(backend, ReusedClients):
        return _one_by_one(cache, add, incr, get)
    client = backend.get_client(write=True)
    made = [cache.make_and_validate_key(key) for key in get]
    try:
        replies = _pipeline(cache, backend, client, add, incr, made)
    except NoScriptError:  # Redis restarted and forgot the script: load it again, once
        backend._scripts.pop(("sha", id(client)), None)
        replies = _pipeline(cache, backend, client, add, incr, made)
    added = [bool(replies.pop(0)) for _ in add]
    counts = [replies.pop(0) for _ in incr]
    found = {}
    if made:
        for key, value in zip(get, replies.pop(0), strict=True):
            if value is not None:
                found[key] = backend._serializer.loads(value)
    return added, counts, found


def _pipeline(cache, backend, client, add, incr, made) -> list:
    # EVALSHA of a script loaded beforehand: a redis-py Script in a pipeline would ask Redis
    # whether it has the script (SCRIPT EXISTS) before every pipeline, a round trip more.
    sha = backend._scripts.get(("sha", id(client)))
    if sha is None:
        sha = backend._scripts[("sha", id(client))] = client.script_load(_INCR_EXISTING)
    pipe = client.pipeline(transaction=False)
    for key, value, seconds in add:
        value = backend._serializer.dumps(value)
        pipe.set(cache.make_and_validate_key(key), value, nx=True, ex=seconds)
    for key in incr:
        pipe.evalsha(sha, 1, cache.make_and_validate_key(key), 1)
    if made:
        pipe.mget(made)
    return pipe.execute()


def _one_by_one(cache, add, incr, get):
    added = [cache.add(*one) for one in add]
    counts = []
    for key in incr:
        try:
            counts.append(cache.incr(key))
        except ValueError:
            counts.append(None)
    return added, counts, cache.get_many(list(get)) if get else {}
