"""Django's Redis cache with one redis-py client per connection pool, made once per process.

Django's Redis backend makes a new redis-py client for every cache call, and redis-py's client
builds its table of response callbacks (some 170 entries) each time it is made: a cost each API
request paid once per cache call (its token, its rate limits, its short lists, its kept total). A
client holds nothing of its own but its pool, from which it takes a connection per command, and is
safe to share between threads, so one per pool serves every call.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(redis.RedisCache):
    """`django.core.cache.backends.redis.RedisCache`, reusing its clients (`RedisCacheClient`)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
