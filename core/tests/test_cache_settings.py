"""CLAIMDESK_CACHE_URL: several app processes share one cache, so throttles count across them."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache.backends.redis import RedisCache

ROOT = Path(__file__).resolve().parents[2]
SHOW_CACHE = "import config.settings as s; print(s.CACHES['default']['BACKEND'] if hasattr(s, 'CACHES') else 'unset')"


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CLAIMDESK_"))}
    return subprocess.run(  # noqa: S603 - this interpreter, a fixed snippet
        [sys.executable, "-c", SHOW_CACHE],
        cwd=ROOT,
        env={**clean, "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_uses_each_processs_memory_without_a_cache_url():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "unset"  # Django's default: LocMemCache, one per process


def test_it_shares_a_redis_cache_when_given_one():
    result = load_settings(CLAIMDESK_CACHE_URL="redis://cache.internal:6379/0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_it_refuses_another_kind_of_url_without_echoing_it():
    result = load_settings(CLAIMDESK_CACHE_URL="memcached://:s3cret@cache.internal:11211")
    assert result.returncode != 0
    assert "CLAIMDESK_CACHE_URL must be a redis://" in result.stderr
    assert "s3cret" not in result.stderr


def redis_answers(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_answers(), reason="needs Redis on 127.0.0.1:6379")
def test_two_processes_count_in_the_same_redis():
    # Two cache objects with their own connections, as two gunicorn workers have: a throttle
    # counted through one is seen through the other.
    key = f"test-throttle-{uuid.uuid4().hex}"
    first, second = (RedisCache("redis://127.0.0.1:6379/15", {}) for _ in range(2))
    try:
        first.set(key, 1, timeout=30)
        second.incr(key)
        assert first.get(key) == 2
    finally:
        first.delete(key)
