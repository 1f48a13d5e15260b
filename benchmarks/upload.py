"""A 2 GB resumable (tus) upload through the staff endpoint: the web worker's memory stays flat."""

import os
import time

import requests
from django.urls import reverse
from django.utils import translation

from benchmarks import servers
from benchmarks.admin import logged_in_session
from benchmarks.report import Section
from benchmarks.seed import BenchData
from questions.models import Question
from questions.workflow import ANSWER

UPLOAD_BYTES = 2 * 1024**3
CHUNK = 8 * 1024 * 1024  # what static/media_pipeline/staff.js sends per PATCH
TARGET_MB = 100


def selected_question_without_video() -> Question:
    question = (
        Question.objects.filter(state__in=ANSWER.sources, answer_video__isnull=True)
        .order_by("pk")
        .first()
    )
    if question is None:
        raise RuntimeError("no selected question without a video in the benchmark data")
    return question


def upload(session: requests.Session, base: str, public_id: str) -> float:
    """Create the upload, send every piece in order; return the seconds it took."""
    import base64

    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    with translation.override("fr"):
        upload_path = reverse("media_pipeline:upload_create")
    headers = {"Tus-Resumable": "1.0.0", "X-CSRFToken": session.cookies["csrftoken"]}
    started = time.monotonic()
    created = session.post(
        base + upload_path,
        headers={
            **headers,
            "Upload-Length": str(UPLOAD_BYTES),
            "Upload-Metadata": f"question {b64(public_id)},filename {b64('answer.mp4')},"
            f"filetype {b64('video/mp4')}",
        },
        timeout=60,
    )
    if created.status_code != 201:
        raise RuntimeError(f"upload creation answered {created.status_code}: {created.text}")
    location = created.headers["Location"]
    piece = os.urandom(CHUNK)
    offset = 0
    while offset < UPLOAD_BYTES:
        body = piece[: min(CHUNK, UPLOAD_BYTES - offset)]
        response = session.patch(
            location,
            data=body,
            headers={
                **headers,
                "Content-Type": "application/offset+octet-stream",
                "Upload-Offset": str(offset),
            },
            timeout=600,
        )
        if response.status_code != 204:
            raise RuntimeError(f"PATCH at {offset} answered {response.status_code}")
        offset = int(response.headers["Upload-Offset"])
    return time.monotonic() - started


def run(port: int, log, data: BenchData) -> Section:
    section = Section(
        title="A 2 GB resumable upload",
        method=(
            "A separate gunicorn with **one** worker process (gthread, as in the Procfile; every "
            "piece goes through that process), warmed up with a few requests. A staff session "
            "creates a tus upload of "
            f"{UPLOAD_BYTES / 1024**3:.0f} GiB and sends it in {CHUNK // 1024**2} MiB PATCH "
            "requests, as the staff page's uploader does; the last one moves the file to private "
            "storage (local disk) and queues processing. Memory: the worker's resident peak "
            "(`VmHWM`) after the upload minus its resident size (`VmRSS`) before."
        ),
        headers=["upload", "time s", "throughput MB/s", "worker RSS before MB", "peak MB", "above"],
    )
    question = selected_question_without_video()
    with translation.override("fr"):
        staff_path = reverse("media_pipeline:staff")
    with servers.gunicorn(port, dict(os.environ), 1, log) as server:
        session = logged_in_session(server.base, data)
        for _ in range(5):
            session.get(server.base + staff_path, timeout=60).raise_for_status()
        (worker,) = server.worker_pids()
        idle = servers.memory_bytes(worker, "VmRSS")
        seconds = upload(session, server.base, question.public_id)
        peak = servers.memory_bytes(worker, "VmHWM")
        if server.worker_pids() != [worker]:
            raise RuntimeError("the gunicorn worker was replaced during the upload")
    above = (peak - idle) / 1024**2
    section.rows.append(
        [
            f"{UPLOAD_BYTES / 1024**3:.0f} GiB in {UPLOAD_BYTES // CHUNK} pieces",
            f"{seconds:.1f}",
            f"{UPLOAD_BYTES / 1024**2 / seconds:.0f}",
            f"{idle / 1024**2:.0f}",
            f"{peak / 1024**2:.0f}",
            f"{above:.1f} MB",
        ]
    )
    section.check(f"worker peak memory above idle < {TARGET_MB} MB", above < TARGET_MB)
    return section
