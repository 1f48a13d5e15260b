"""Anonymous pages against a trivial Django view, under wrk, in the same run."""

import requests
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from benchmarks.load import LoadResult, wrk
from benchmarks.report import Section
from benchmarks.seed import EVENT_QUESTIONS, BenchData

CONNECTIONS = 50
RATIO_TARGET = 0.60
P99_TARGET_MS = 50.0
WARMUP_SECONDS = 2


def page_paths(data: BenchData) -> list[tuple[str, str | None, str]]:
    """(name, path or None, why it is missing)."""
    with translation.override("fr"):
        paths = [("home", reverse("home"), "")]
        try:
            event_path = reverse("events:detail", kwargs={"slug": data.event.slug})
            paths.append((f"event ({EVENT_QUESTIONS} public questions)", event_path, ""))
        except NoReverseMatch:
            paths.append(("event", None, "the event page (events:detail) does not exist yet"))
        paths.append(("question", data.question.get_absolute_url(), ""))
    return paths


def measure(base: str, path: str, seconds: int) -> LoadResult:
    wrk(base + path, connections=CONNECTIONS, seconds=WARMUP_SECONDS)
    return wrk(base + path, connections=CONNECTIONS, seconds=seconds)


def run(base: str, data: BenchData, *, seconds: int, workers: int) -> Section:
    section = Section(
        title="Public pages (anonymous)",
        method=(
            f"wrk, 2 threads, {CONNECTIONS} connections, {seconds} s per measurement after a "
            f"{WARMUP_SECONDS} s warm-up, `Accept-Encoding: gzip`, against gunicorn "
            f"({workers} gthread workers × 4 threads, as in the Procfile) on 127.0.0.1 with "
            "DEBUG off. Each page "
            "is measured right after the trivial view (`benchmarks/urls.py`: same middleware, no "
            "database, no template), so each ratio compares neighbouring measurements. wrk and "
            "the server share the machine's cores."
        ),
        headers=["page", "bytes", "req/s", "p50 ms", "p99 ms", "trivial req/s", "ratio"],
    )
    trivial_path = "/bench/trivial/"
    for name, path, missing in page_paths(data):
        if path is None:
            section.notes.append(f"Not measured: {name}: {missing}.")
            continue
        response = requests.get(base + path, timeout=30)
        if response.status_code != 200:
            section.notes.append(f"Not measured: {name}: {path} answered {response.status_code}.")
            continue
        trivial = measure(base, trivial_path, seconds)
        page = measure(base, path, seconds)
        ratio = page.requests_per_second / trivial.requests_per_second
        section.rows.append(
            [
                f"{name} `{path}`",
                f"{len(response.content):,}",
                f"{page.requests_per_second:.0f}",
                f"{page.p50_ms:.1f}",
                f"{page.p99_ms:.1f}",
                f"{trivial.requests_per_second:.0f} (p99 {trivial.p99_ms:.1f} ms)",
                f"{ratio:.0%}",
            ]
        )
        for result in (trivial, page):
            if not result.ok:
                section.notes.append(f"{result.url}: {result.errors} errors during the run.")
        section.check(f"{name}: ≥ {RATIO_TARGET:.0%} of the trivial view's req/s", ratio >= 0.6)
        section.check(f"{name}: p99 ≤ {P99_TARGET_MS:.0f} ms", page.p99_ms <= P99_TARGET_MS)
    return section
