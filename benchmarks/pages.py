"""Anonymous pages against a trivial Django view, under wrk, in the same run: from the page cache
(hit), rendered for each request (miss), and the question page at 200 connections; the CPU time
of one render in-process; the bytes Chromium transfers to show each page (benchmarks/weight.py)."""

import requests
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from benchmarks.cpu import MISS_CPU_TARGET_MS, RUNS, page_misses
from benchmarks.load import LoadResult, wrk
from benchmarks.report import Section
from benchmarks.seed import EVENT_QUESTIONS, BenchData
from benchmarks.servers import web_threads

CONNECTIONS = 50
MANY_CONNECTIONS = 200
RATIO_TARGET = 0.60
P99_RATIO_TARGET = 1.5
WARMUP_SECONDS = 2
# A session cookie makes the portal render the page for this request (as for staff): a miss.
MISS_HEADERS = ("Cookie: sessionid=bench-miss",)


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


def measure(
    base: str, path: str, seconds: int, connections: int = CONNECTIONS, headers=()
) -> LoadResult:
    wrk(base + path, connections=connections, seconds=WARMUP_SECONDS, headers=headers)
    return wrk(base + path, connections=connections, seconds=seconds, headers=headers)


def row(name: str, kind: str, path: str, page: LoadResult, trivial: LoadResult) -> list[str]:
    return [
        f"{name} `{path}`",
        kind,
        f"{page.requests_per_second:.0f}",
        f"{page.p50_ms:.1f}",
        f"{page.p99_ms:.1f}",
        f"{trivial.requests_per_second:.0f} (p99 {trivial.p99_ms:.1f} ms)",
        f"{page.requests_per_second / trivial.requests_per_second:.0%}",
        f"{page.p99_ms / trivial.p99_ms:.1f}×",
    ]


def measure_hit_and_miss(
    section: Section, base: str, name: str, path: str, trivial_path: str, seconds: int
) -> bool:
    """A cached URL's hit and miss, each right after the trivial view, with the targets checked
    on the hit; False (with a note) if the URL does not answer 200."""
    response = requests.get(base + path, timeout=30)
    if response.status_code != 200:
        section.notes.append(f"Not measured: {name}: {path} answered {response.status_code}.")
        return False
    trivial = measure(base, trivial_path, seconds)
    hit = measure(base, path, seconds)
    trivial_again = measure(base, trivial_path, seconds)
    miss = measure(base, path, seconds, headers=MISS_HEADERS)
    section.rows.append(row(name, "hit", path, hit, trivial))
    section.rows.append(row(name, "miss", path, miss, trivial_again))
    for result in (trivial, hit, trivial_again, miss):
        if not result.ok:
            section.notes.append(f"{result.url}: {result.errors} errors during the run.")
    ratio = hit.requests_per_second / trivial.requests_per_second
    section.check(
        f"{name} (hit): ≥ {RATIO_TARGET:.0%} of the trivial view's req/s", ratio >= RATIO_TARGET
    )
    section.check(
        f"{name} (hit): p99 ≤ {P99_RATIO_TARGET} × the trivial view's p99",
        hit.p99_ms <= P99_RATIO_TARGET * trivial.p99_ms,
    )
    return True


def run(base: str, data: BenchData, *, seconds: int, workers: int) -> Section:
    section = Section(
        title="Public pages (anonymous)",
        method=(
            f"wrk, 2 threads, {CONNECTIONS} connections, {seconds} s per measurement after a "
            f"{WARMUP_SECONDS} s warm-up, `Accept-Encoding: gzip`, against gunicorn "
            f"({workers} gthread workers × {web_threads()} threads) on 127.0.0.1 with "
            "DEBUG off and the page cache in Redis. Each page is measured right after the "
            "trivial view (`benchmarks/urls.py`: same middleware, no database, no template), so "
            "each ratio compares neighbouring measurements. *hit*: the page from the page cache "
            "(one Redis read, no query); *miss*: the page rendered for every request (wrk sends "
            "a session cookie, which makes the portal skip the cache, as for staff; the session "
            "lookup adds one query). *render CPU*: median process CPU time of an anonymous miss "
            "(no entry for the page: rendered for the cache, compressed, stored), in the "
            f"benchmark process (benchmarks/cpu.py, median of {RUNS}; `--only cpu` reports it "
            "alone, with other kinds of misses and a submission). "
            "wrk and the server share the machine's cores."
        ),
        headers=[
            "page",
            "kind",
            "req/s",
            "p50 ms",
            "p99 ms",
            "trivial req/s",
            "ratio",
            "p99 / trivial p99",
        ],
    )
    trivial_path = "/bench/trivial/"
    cpu_rows = []
    for name, path, missing in page_paths(data):
        if path is None:
            section.notes.append(f"Not measured: {name}: {missing}.")
            continue
        if not measure_hit_and_miss(section, base, name, path, trivial_path, seconds):
            continue
        cpu_rows.append((name, path, page_misses(path)["anonymous miss"][1]))
    question_path = data.question.get_absolute_url()
    trivial = measure(base, trivial_path, seconds, MANY_CONNECTIONS)
    many = measure(base, question_path, seconds, MANY_CONNECTIONS)
    section.rows.append(
        row(f"question, {MANY_CONNECTIONS} connections", "hit", question_path, many, trivial)
    )
    for result in (trivial, many):
        if not result.ok:
            section.notes.append(
                f"{result.url} ({MANY_CONNECTIONS} connections): {result.errors} errors."
            )
    section.notes.append(
        "Render CPU of one miss (ms): "
        + "; ".join(f"{name} {cpu:.1f}" for name, _path, cpu in cpu_rows)
        + "."
    )
    for name, _path, cpu in cpu_rows:
        if name.startswith("event"):
            section.check(
                f"{name}: a miss renders in < {MISS_CPU_TARGET_MS:.0f} ms CPU",
                cpu < MISS_CPU_TARGET_MS,
            )
    return section
