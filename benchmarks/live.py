"""The tour day: how many phones and big screens polling an event's live state one machine
holds. 1,000 connections ask for `/live/<id>/state.json` as fast as the server answers (each
sends back the ETag it last saw, as browsers do: mostly 304), while a moderator acts every 2 s
(each action bumps the version and empties the cached state: the next poll rebuilds it)."""

import os
import subprocess
import tempfile
import threading
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from benchmarks.load import parse_wrk
from benchmarks.machine import load_average
from benchmarks.report import Section
from events.models import Event, Theme
from questions.live import services
from questions.models import Question, QuestionState

CONNECTIONS = 1000
POLL_SECONDS = 2
QUESTIONS = 300
# 1,000 clients each polling every 2 s.
TARGET_PER_SECOND = CONNECTIONS / POLL_SECONDS
P99_TARGET_MS = 1000.0

WRK_THREADS = 2
PACED_SECONDS = 30
# Each connection is one phone: it waits 2 s (± 0.1 s) after each answer, as live.js does. wrk
# asks for a delay before a connection's first request too; a thread's first calls (one per
# connection) return 0: each phone polls as soon as it is connected, as a browser (or the
# reverse proxy in front of gunicorn) sends its request at once. Waiting first left at most 4
# polls per phone in a 10 s run (400 req/s, whatever the server did), and a connection that
# waits before its first request holds one of gunicorn's threads meanwhile, which no browser
# does. The run lasts PACED_SECONDS, so the 1,000 first polls at once are a small part of it.
PACED = f"""local first_polls = {CONNECTIONS // WRK_THREADS}
delay = function()
  if first_polls > 0 then
    first_polls = first_polls - 1
    return 0
  end
  return 1900 + math.random(200)
end
"""
CONDITIONAL = """local etag = nil
request = function()
  local headers = {["Accept-Encoding"] = "gzip"}
  if etag then headers["If-None-Match"] = etag end
  return wrk.format("GET", nil, headers)
end
response = function(status, headers, body)
  if headers["ETag"] then etag = headers["ETag"] end
end
"""


def live_event() -> Event:
    theme, _created = Theme.objects.get_or_create(slug="bench-live", defaults={"name": "Europe"})
    now = timezone.now()
    event = Event.objects.create(
        title="Rencontre citoyenne en direct",
        slug="bench-live",
        city="Lyon",
        region="ARA",
        venue="Hôtel de Région",
        starts_at=now,
        ends_at=now + timedelta(hours=3),
        questions_open_at=now - timedelta(days=7),
        questions_close_at=now + timedelta(hours=3),
        is_published=True,
    )
    event.themes.set([theme])
    Question.objects.bulk_create(
        Question(
            event=event,
            theme=theme,
            title=f"Question de la salle numéro {n} sur la politique étrangère ?",
            slug=f"question-{n}",
            text="Texte de la question.",
            display_name=f"Citoyen {n}",
            region="ARA",
            language="fr",
            state=QuestionState.APPROVED,
            support_count=(n * 37) % 500,
            approved_at=now,
        )
        for n in range(QUESTIONS)
    )
    return event


def moderator_acting(event: Event, stop: threading.Event, every: float, actions: list) -> None:
    """A moderator marks the next question "now answering" every `every` seconds."""
    actor, _created = get_user_model().objects.get_or_create(
        username="bench-moderator", defaults={"is_staff": True}
    )
    try:
        while not stop.wait(every):
            question = (
                Question.objects.filter(event=event, state=QuestionState.APPROVED)
                .order_by("-support_count", "pk")
                .first()
            )
            services.start_answering(question=question, actor=actor)
            actions.append(question.pk)
    finally:
        connection.close()


def poll_load(url: str, seconds: int, *, conditional: bool, paced: bool):
    script = ""
    if conditional or paced:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
            file.write((CONDITIONAL if conditional else "") + (PACED if paced else ""))
        script = file.name
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    command += ["-s", script] if script else ["-H", "Accept-Encoding: gzip"]
    try:
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    finally:
        if script:
            Path(script).unlink()
    return parse_wrk(url, output.stdout)


def run(base: str, *, seconds: int) -> Section:
    seconds = max(seconds, 10)
    section = Section(
        title="Tour day: 1,000 clients polling the live state",
        method=(
            f"An event live with {QUESTIONS} approved questions. wrk, 2 threads, "
            f"{CONNECTIONS} open connections on `/live/<id>/state.json`. "
            f"First as phones, for {PACED_SECONDS} s: each polls as soon as connected (all "
            f"1,000 at once), then every {POLL_SECONDS} s (± 0.1 s) after its last answer, with "
            f"the ETag of its last answer. Then at saturation, for {seconds} s each, "
            "each connection asking again as soon as answered (far more often than the pages "
            "poll): first with the ETag of its last answer (`If-None-Match`, as the browsers' "
            "`fetch(..., {cache: 'no-cache'})` does: 304 while nothing changed), then without "
            '(every answer the full JSON). Meanwhile a moderator marks a new question "now '
            f'answering" every {POLL_SECONDS} s through the live service (the version bumps, '
            "the cached state is deleted, the next poll rebuilds it with 3 queries). One "
            "machine holds (saturation req/s) × 2 clients polling every 2 s."
        ),
        headers=["run", "req/s", "clients at one poll / 2 s", "p50 ms", "p99 ms", "errors"],
    )
    event = live_event()
    services.set_live(event=event, actor=None, is_live=True)
    url = f"{base}/live/{event.pk}/state.json"
    section.notes.append(f"Load average before the runs: {load_average()}.")
    results = {}
    runs = (
        ("1,000 phones, one poll every 2 s, with ETag", True, True),
        ("saturation, with ETag (304s)", True, False),
        ("saturation, without ETag (200s)", False, False),
    )
    for name, conditional, paced in runs:
        stop = threading.Event()
        acted: list[int] = []
        mover = threading.Thread(target=moderator_acting, args=(event, stop, POLL_SECONDS, acted))
        mover.start()
        try:
            duration = PACED_SECONDS if paced else seconds
            result = poll_load(url, duration, conditional=conditional, paced=paced)
        finally:
            stop.set()
            mover.join()
        results[name] = result
        section.rows.append(
            [
                name,
                f"{result.requests_per_second:.0f}",
                f"{result.requests_per_second * POLL_SECONDS:,.0f}",
                f"{result.p50_ms:.1f}",
                f"{result.p99_ms:.1f}",
                f"{result.errors}",
            ]
        )
        section.notes.append(
            f"{name}: {len(acted)} moderator actions during the run; "
            f"load average after it: {load_average()}."
        )
    paced = results[runs[0][0]]
    section.check(
        f"1,000 phones polling every 2 s: answered (≥ {0.9 * TARGET_PER_SECOND:.0f} req/s), "
        f"p99 < {P99_TARGET_MS:.0f} ms, no error",
        paced.requests_per_second >= 0.9 * TARGET_PER_SECOND
        and paced.p99_ms < P99_TARGET_MS
        and paced.errors == 0,
    )
    for name, _conditional, _paced in runs[1:]:
        section.check(
            f"{name}: ≥ {TARGET_PER_SECOND:.0f} req/s (room for 1,000 clients every 2 s)",
            results[name].requests_per_second >= TARGET_PER_SECOND and not results[name].errors,
        )
    section.notes.append(
        f"gunicorn: {os.environ.get('WEB_CONCURRENCY', '4')} gthread workers × "
        f"{os.environ.get('WEB_THREADS', '4')} threads, on the same 2 cores as wrk, "
        "PostgreSQL and Redis."
    )
    return section
