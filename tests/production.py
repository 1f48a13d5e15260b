"""Run the portal as production runs it: DEBUG off, gunicorn, collected static files, JSON logs."""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "hlm.test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(var_dir: Path, **overrides: str) -> dict[str, str]:
    """The variables a deployment sets (README, "Deploying"), on a throwaway SQLite database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "HLM_", "AWS_", "S3_", "CELERY_", "PYTEST"))
        and key not in {"DATABASE_URL", "REDIS_URL", "CACHE_KEY_PREFIX"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "HLM_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'db.sqlite3'}",
        "LOG_FORMAT": "json",
        "EMAIL_URL": "smtp+tls://portal:secret@smtp.hlm.test:587",
    }
    return env | overrides


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass
class Site:
    port: int
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        *,
        https: bool = True,
        headers: dict[str, str] | None = None,
        body: str | None = None,
    ) -> http.client.HTTPResponse:
        """One request as the TLS proxy would forward it (X-Forwarded-Proto: https)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        all_headers = {"Host": HOST}
        if https:
            all_headers["X-Forwarded-Proto"] = "https"
        all_headers |= headers or {}
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        connection.close()
        return response

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(errors="replace").splitlines()


def procfile_command(process: str) -> str:
    """The command line of one process of the Procfile."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process:
            return command.strip()
    raise KeyError(process)


@contextmanager
def running_gunicorn(env: dict[str, str], log_path: Path) -> Iterator[Site]:
    """The Procfile's `web` process (gunicorn, one worker), until the block ends."""
    port = free_port()
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            ["bash", "-c", f"exec {procfile_command('web')}"],
            cwd=ROOT,
            env=env
            | {
                "PORT": str(port),
                "BIND_HOST": "127.0.0.1",
                "WEB_CONCURRENCY": "1",
                # The Procfile's `gunicorn` and `python`: this virtualenv's.
                "PATH": f"{Path(sys.executable).parent}:{env.get('PATH', '')}",
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    site = Site(port=port, log_path=log_path, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                site.request("GET", "/healthz", https=False)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log_path.read_text(errors="replace")[-3000:]) from None
                time.sleep(0.2)
        yield site
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
