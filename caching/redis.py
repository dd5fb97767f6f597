"""
Django's Redis cache, with one client per connection pool.

Django's client builds a new `redis.Redis` for every command, and each
builds its table of reply handlers afresh: about a quarter of a
millisecond, more than the round trip to a Redis on the same machine, and
paid twice by every kept page served. A `redis.Redis` is safe to share (it
takes a connection from its pool for each command), so one is kept per
pool.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
