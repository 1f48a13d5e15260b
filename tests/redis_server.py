"""A real Redis for the tests that need one: the configured REDIS_URL (CI, production-like runs),
else a throwaway `redis-server` from Debian's package, on a free loopback port, keeping nothing
on disk — so that `make test` on the embedded defaults tests the Redis paths for real too."""

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings

from tests.production import free_port


def wait_for_pong(url: str, seconds: float = 10) -> None:
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + seconds
    while True:
        try:
            client.ping()
            return
        except redis.ConnectionError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def start_redis_server(folder: Path, port: int) -> subprocess.Popen:
    """A redis-server of the tests' own on loopback, keeping nothing on disk (as after a crash,
    a restart on the same port starts empty)."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: scripts/system-deps.sh test installs it"
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", str(folder), "--logfile", str(folder / "redis.log")],
        stdout=subprocess.DEVNULL,
    )
    wait_for_pong(f"redis://127.0.0.1:{port}/0")
    return server


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    if settings.REDIS_URL:
        yield settings.REDIS_URL
        return
    port = free_port()
    server = start_redis_server(tmp_path_factory.mktemp("redis"), port)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)
