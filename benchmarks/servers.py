"""The services a benchmark runs against: a fresh PostgreSQL database, Redis, gunicorn."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import redis
import requests

ROOT = Path(__file__).resolve().parent.parent


def recreate_database(database_url: str) -> str:
    """Drop and create the benchmark database; returns the server's version."""
    url = urlparse(database_url)
    name = url.path.lstrip("/")
    if not name.startswith("hlm_bench"):
        raise SystemExit(f"refusing to drop {name!r}: benchmark databases are named hlm_bench*")
    admin_url = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
        return connection.execute("SHOW server_version").fetchone()[0]


def flush_redis(redis_url: str) -> str:
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    return client.info("server")["redis_version"]


@dataclass
class Server:
    base: str
    pid: int

    def worker_pids(self) -> list[int]:
        return child_pids(self.pid)


def web_threads() -> int:
    """Threads per gunicorn worker: WEB_THREADS, as the Procfile reads it, with its default."""
    return int(os.environ.get("WEB_THREADS", "4"))


@contextmanager
def gunicorn(port: int, env: dict[str, str], workers: int, log: Path) -> Iterator[Server]:
    """Serve the portal as the Procfile's `web` line does (gthread workers), on loopback."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "portal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(web_threads()),
        "--timeout",
        "120",
        "--backlog",
        "2048",
    ]
    with open(log, "ab") as log_file:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/bench/trivial/", process)
        yield Server(base=base, pid=process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:  # starting: refused or slow
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def memory_bytes(pid: int, field: str) -> int:
    """`VmRSS` (resident now) or `VmHWM` (resident peak) of a process, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    return 0


def child_pids(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def environment(**overrides: str) -> dict[str, str]:
    return {**os.environ, **overrides}
