"""Redis as a cache, not a single point of failure: the shared cache (REDIS_URL) wrapped so that a Redis that is
down, restarting or unreachable makes every read a miss and every write a no-op — the pages work on, slower (the
dashboard counts in the visit, sessions are read from the database). After a failure Redis is left alone for
RETRY_SECONDS, so a page does not wait on it call after call; each outage is logged once, and its return too.
`cache_available()` says which it is (for /healthz)."""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
RETRY_SECONDS = 5.0
_MISSING = object()


class SafeRedisCache(RedisCache):
    _down_until = 0.0  # shared by every instance of the process: one Redis

    def _guard(self, call, default):
        if time.monotonic() < SafeRedisCache._down_until:
            return default
        try:
            result = call()
        except (RedisError, OSError) as error:
            if not SafeRedisCache._down_until:
                logger.warning("cache (Redis) unavailable, going on without it: %s", error)
            SafeRedisCache._down_until = time.monotonic() + RETRY_SECONDS
            return default
        if SafeRedisCache._down_until:
            logger.warning("cache (Redis) available again")
            SafeRedisCache._down_until = 0.0
        return result

    def get(self, key, default=None, version=None):
        return self._guard(lambda: super(SafeRedisCache, self).get(key, default, version), default)

    def get_many(self, keys, version=None):
        return self._guard(lambda: super(SafeRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guard(lambda: super(SafeRedisCache, self).has_key(key, version), False)

    def set(self, key, value, timeout=_MISSING, version=None):
        args = (key, value) if timeout is _MISSING else (key, value, timeout)
        return self._guard(lambda: super(SafeRedisCache, self).set(*args, version=version), None)

    def set_many(self, data, timeout=_MISSING, version=None):
        args = (data,) if timeout is _MISSING else (data, timeout)
        return self._guard(lambda: super(SafeRedisCache, self).set_many(*args, version=version), list(data))

    def add(self, key, value, timeout=_MISSING, version=None):
        args = (key, value) if timeout is _MISSING else (key, value, timeout)
        return self._guard(lambda: super(SafeRedisCache, self).add(*args, version=version), False)

    def touch(self, key, timeout=_MISSING, version=None):
        args = (key,) if timeout is _MISSING else (key, timeout)
        return self._guard(lambda: super(SafeRedisCache, self).touch(*args, version=version), False)

    def delete(self, key, version=None):
        return self._guard(lambda: super(SafeRedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        return self._guard(lambda: super(SafeRedisCache, self).delete_many(keys, version), None)

    def incr(self, key, delta=1, version=None):
        return self._guard(lambda: super(SafeRedisCache, self).incr(key, delta, version), delta)

    def clear(self):
        return self._guard(lambda: super(SafeRedisCache, self).clear(), False)


def cache_available() -> bool:
    """Whether the shared cache answers now (a write and a read of a probe key); True for a local memory cache."""
    from django.core.cache import caches

    cache = caches["default"]
    if not isinstance(cache, SafeRedisCache):
        return True
    SafeRedisCache._down_until = 0.0  # ask Redis itself, not the memory of its last failure
    probe = f"healthz:{time.monotonic()}"
    cache.set(probe, 1, 10)
    return cache.get(probe) == 1
