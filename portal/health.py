"""Dependency checks behind /healthz: each returns None when usable, or a short error text.

The deep check costs storage writes (paid calls on S3), two processes and connections, and its
errors name hosts and ports: only a caller holding HEALTHZ_TOKEN or on loopback gets it; anyone
else gets the liveness answer.
"""

import hmac
import ipaddress
import shutil
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpRequest

from media_pipeline import processes
from portal.security import client_ip
from questions import outbox


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value just written")
    cache.delete(key)


def check_broker() -> None:
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)


def check_storage() -> None:
    for alias in ("default", "private"):
        storage = storages[alias]
        name = storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        storage.delete(name)


def check_ffmpeg() -> None:
    for binary in (settings.FFMPEG_BINARY, settings.FFPROBE_BINARY):
        path = shutil.which(binary)
        if path is None:
            raise RuntimeError(f"{binary} not found")
        processes.run([path, "-version"], capture_output=True, check=True, timeout=10)


def check_outbox() -> dict[str, int]:
    """E-mails waiting (SMTP down, no worker): fails once the oldest has waited too long."""
    backlog = outbox.outbox_backlog()
    if backlog["oldest_pending_seconds"] > settings.OUTBOX_BACKLOG_ALERT_SECONDS:
        raise RuntimeError(
            f"{backlog['pending']} e-mails waiting, the oldest for "
            f"{backlog['oldest_pending_seconds'] // 60} min"
        )
    return backlog


CHECKS: dict[str, Callable[[], dict | None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "storage": check_storage,
    "ffmpeg": check_ffmpeg,
    "outbox": check_outbox,
}


def run_checks() -> dict[str, dict[str, str]]:
    """Run every check; never raises. {"database": {"status": "ok"}, ...}."""
    report = {}
    for name, check in CHECKS.items():
        try:
            facts = check() or {}
        except Exception as error:  # noqa: BLE001 - a health report names any failure
            report[name] = {"status": "failing", "error": f"{type(error).__name__}: {error}"[:300]}
        else:
            report[name] = {"status": "ok", **facts}
    return report


def may_see_deep_check(request: HttpRequest) -> bool:
    """A `Authorization: Bearer <HEALTHZ_TOKEN>` header, or a request from this machine (the
    real client behind TRUSTED_PROXY_COUNT proxies, so a local proxy does not count)."""
    token = settings.HEALTHZ_TOKEN
    scheme, _sep, offered = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(offered.strip(), token):
        return True
    try:
        return ipaddress.ip_address(client_ip(request)).is_loopback
    except ValueError:
        return False
