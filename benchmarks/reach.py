"""Reach counters and statistics: the play beacon under load (no lost counts) and the
statistics page with 100,000 questions and a million play events."""

import subprocess
import tempfile
import time
from io import StringIO
from pathlib import Path

import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from benchmarks.admin import logged_in_session
from benchmarks.load import parse_wrk, percentile, sequential_ms, wrk
from benchmarks.report import Section
from benchmarks.seed import ADMIN_QUESTIONS, BenchData
from portal.roles import COMMUNICATION
from portal.statistics.models import PlayCount
from portal.statistics.play_buffer import flush_plays
from questions.models import Question, QuestionDelay, QuestionState, QuestionTally

PLAY_EVENTS = 1_000_000
BEACON_TARGET_PER_SECOND = 500
CONNECTIONS = 50
PAGE_P50_TARGET_MS = 300.0  # figures kept in the cache (5 min)
FIRST_VIEW_TARGET_MS = 2000.0  # figures computed afresh
COUNT = 20
WARMUP = 3
USERNAME = "bench-communication"
PASSWORD = "bench-communication-password-not-secret"  # noqa: S105 - a throwaway local database

WRK_POST = """wrk.method = "POST"
wrk.body = "question={question}&event=start&lang=fr"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
"""


def beacon_load(base: str, question: Question, seconds: int):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_POST.format(question=question.public_id))
    command = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        script.name,
        f"{base}/reach/plays/",
    ]
    try:
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        Path(script.name).unlink()
    return parse_wrk(f"{base}/reach/plays/", output)


def counted_starts(question: Question) -> int:
    flush_plays()  # what beat's flush-plays does every few seconds
    rows = PlayCount.objects.filter(question=question, day=timezone.localdate(), language="fr")
    return rows.aggregate(total=Sum("started"))["total"] or 0


def communication_session(base: str) -> requests.Session:
    user = get_user_model().objects.create_user(USERNAME, password=PASSWORD, is_staff=True)
    user.groups.set([Group.objects.get(name=COMMUNICATION)])

    class Credentials:
        admin_username, admin_password = USERNAME, PASSWORD

    return logged_in_session(base, Credentials)


def run(base: str, data: BenchData, *, seconds: int) -> Section:
    section = Section(
        title="Reach counters and statistics",
        method=(
            f"Play beacon: wrk, 2 threads, {CONNECTIONS} connections, {seconds} s of "
            "`POST /reach/plays/` (start of a play of one answer, the hottest possible row), "
            "then the plays waiting in Redis are flushed and the day's counter is compared "
            "with the requests the server answered; the trivial view (`benchmarks/urls.py`) is "
            "measured just before, as the floor. "
            f"Statistics: {ADMIN_QUESTIONS:,} questions and `create_synthetic_plays "
            f"{PLAY_EVENTS}` (a million play events in daily counters); a Communication "
            "user's session: the first request after emptying the cache (every figure computed), "
            f"then {COUNT} requests one after the other after {WARMUP} warm-up ones (figures "
            "from the cache, as for five minutes after a first view)."
        ),
        headers=["measure", "value"],
    )
    question = Question.objects.filter(state=QuestionState.ANSWERED).order_by("pk").first()
    trivial = wrk(f"{base}/bench/trivial/", connections=CONNECTIONS, seconds=seconds)
    before = counted_starts(question)
    load = beacon_load(base, question, seconds)
    time.sleep(1)  # requests still in flight when wrk stopped
    counted = counted_starts(question) - before
    answered = load.requests - load.errors
    section.rows += [
        ["trivial view req/s (same run, the floor)", f"{trivial.requests_per_second:.0f}"],
        ["beacon req/s", f"{load.requests_per_second:.0f}"],
        ["beacon / trivial", f"{load.requests_per_second / trivial.requests_per_second:.2f}"],
        ["beacon p50 / p99 ms", f"{load.p50_ms:.1f} / {load.p99_ms:.1f}"],
        ["beacons answered 204 (wrk)", f"{answered:,}"],
        ["plays counted in the database", f"{counted:,}"],
        ["errors", f"{load.errors}"],
    ]
    section.check(
        f"≥ {BEACON_TARGET_PER_SECOND} plays/s on one answer",
        load.requests_per_second >= BEACON_TARGET_PER_SECOND,
    )
    # wrk stops with up to one request in flight per connection: the server may count those.
    section.check(
        "no lost count (counted ≥ answered, at most one in-flight request per connection more)",
        load.errors == 0 and answered <= counted <= answered + CONNECTIONS,
    )

    output = StringIO()
    started = time.monotonic()
    call_command("create_synthetic_plays", PLAY_EVENTS, stdout=output)
    section.notes.append(
        f"Synthetic plays: {output.getvalue().strip()} ({time.monotonic() - started:.0f} s)."
    )
    output = StringIO()
    started = time.monotonic()
    call_command("rebuild_question_tallies", stdout=output)
    section.notes.append(
        f"Question figures from stored aggregates: `rebuild_question_tallies` over "
        f"{ADMIN_QUESTIONS:,} questions: {output.getvalue().strip()} "
        f"({time.monotonic() - started:.1f} s); the page then reads "
        f"{QuestionTally.objects.count():,} tally rows and {QuestionDelay.objects.count():,} "
        "delay rows (the questions were counted as they were inserted; the rebuild is timed "
        "here, not needed)."
    )
    session = communication_session(base)
    pages = [
        ("statistics page, per event", "/fr/staff/statistics/"),
        ("statistics page, per month", "/fr/staff/statistics/?dimension=month"),
        ("chart: questions per theme (SVG)", "/fr/staff/statistics/flow-theme.svg"),
        ("chart: plays per day (SVG)", "/fr/staff/statistics/plays-day.svg"),
        ("CSV: most played answers", "/fr/staff/statistics/plays-answer.csv"),
    ]
    for name, path in pages:
        cache.clear()
        first_started = time.perf_counter()
        response = session.get(base + path, timeout=120)
        first_ms = (time.perf_counter() - first_started) * 1000
        if response.status_code != 200:
            section.notes.append(f"Not measured: {name}: {path} answered {response.status_code}.")
            continue
        timings = sequential_ms(session, base + path, count=COUNT, warmup=WARMUP)
        p50 = percentile(timings, 50)
        section.rows.append(
            [
                f"{name} `{path}`: first view ms; then p50 / p99 ms",
                f"{first_ms:.0f}; {p50:.0f} / {percentile(timings, 99):.0f}",
            ]
        )
        if name.startswith("statistics page"):
            section.check(
                f"{name}: first view ≤ {FIRST_VIEW_TARGET_MS:.0f} ms",
                first_ms <= FIRST_VIEW_TARGET_MS,
            )
            section.check(f"{name}: p50 ≤ {PAGE_P50_TARGET_MS:.0f} ms", p50 <= PAGE_P50_TARGET_MS)
    return section
