"""Start a real Celery worker process on the configured broker (filesystem or Redis)."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from portal.celery import app
from portal.tasks import ping

ROOT = Path(__file__).resolve().parent.parent


def worker_command(
    queues: str, concurrency: int, pool: str, beat_schedule: Path | None = None
) -> list[str]:
    """The worker's command line; with `beat_schedule`, beat runs inside it (`-B`) from a fresh
    schedule file, so periodic jobs (the sweepers) run on their production periods."""
    beat = ["-B", "--schedule", str(beat_schedule)] if beat_schedule else []
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        "-Q",
        queues,
        "--concurrency",
        str(concurrency),
        "--pool",
        pool,
        "-n",
        f"test-{uuid.uuid4().hex[:8]}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-l",
        "INFO",
        *beat,
    ]


def wait_until_consuming(timeout: float = 60) -> None:
    """A ping task answered through the broker proves the worker consumes the default queue."""
    result = ping.delay("ready")
    if result.get(timeout=timeout) != "pong:ready":
        raise RuntimeError("worker answered something else than pong")


@contextmanager
def running_worker(
    queues: str = "default,media",
    concurrency: int = 1,
    pool: str = "prefork",
    env: dict | None = None,
    log_name: str = "worker.log",
    beat_schedule: Path | None = None,
) -> Iterator[subprocess.Popen]:
    """Run a worker for the duration of the block; its log is kept under var/test/. It runs in
    its own session (process group), so that `kill_worker` can SIGKILL it with its children."""
    app.control.purge()
    log_path = Path(settings.VAR_DIR) / log_name
    log_path.parent.mkdir(parents=True, exist_ok=True)
    worker_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "HLM_TEST_WORKER": "1",
        "HLM_VAR_DIR": str(settings.VAR_DIR),
        **(env or {}),
    }
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            worker_command(queues, concurrency, pool, beat_schedule),
            cwd=ROOT,
            env=worker_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        if "default" in queues.split(","):
            wait_until_consuming()
        yield process
    finally:
        stop_worker(process)


def kill_worker(process: subprocess.Popen) -> None:
    """kill -9 a worker with its pool processes and their children, as when a machine dies."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def stop_worker(process: subprocess.Popen, grace: float = 20) -> None:
    if process.poll() is None:
        process.terminate()
        deadline = time.monotonic() + grace
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if process.poll() is None:
            process.kill()
            process.wait()


def processes_in_session(session_id: int) -> dict[int, str]:
    """pid → command name of the processes of a session (the worker, its children, ffmpeg)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[3]) == session_id and fields[0] != "Z":
            found[int(stat.parent.name)] = name
    return found


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
