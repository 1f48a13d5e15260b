"""The open-data API (/api/v1/questions/) under the public pages' load method (benchmarks/pages):
list pages with filters and a cursor, each next to the trivial view, from the page cache (hit)
and rendered for each request (miss)."""

from urllib.parse import urlsplit

import requests
from django.db import connection
from django.urls import reverse

from benchmarks.pages import CONNECTIONS, WARMUP_SECONDS, measure_hit_and_miss
from benchmarks.report import Section
from benchmarks.seed import BenchData
from benchmarks.servers import web_threads
from questions.models import Question

TRIVIAL = "/bench/trivial/"


def api_paths(base: str, data: BenchData) -> list[tuple[str, str]]:
    """(name, path); an empty path when there is no second page to ask for."""
    api = reverse("opendata:api_questions")
    event, theme = data.event.slug, data.event.themes.order_by("pk").first().slug
    first_page = requests.get(f"{base}{api}?event={event}&limit=50", timeout=30).json()
    next_url = urlsplit(first_page["next"] or "")
    second = f"{next_url.path}?{next_url.query}" if next_url.path else ""  # on SITE_URL
    record = Question.objects.filter(event=data.event).order_by("pk").first()
    return [
        ("API list, 50 records", f"{api}?limit=50"),
        ("API list, event + theme + state", f"{api}?event={event}&theme={theme}&state=approved"),
        ("API list, event, page 2 (cursor)", second),
        ("API list, published since, 100", f"{api}?published_since=2020-01-01&limit=100"),
        ("API record", reverse("opendata:api_question", kwargs={"public_id": record.public_id})),
    ]


def run(base: str, data: BenchData, *, seconds: int, workers: int) -> Section:
    section = Section(
        title="Open-data API",
        method=(
            f"As the public pages: wrk, 2 threads, {CONNECTIONS} connections, {seconds} s per "
            f"measurement after a {WARMUP_SECONDS} s warm-up, `Accept-Encoding: gzip`, gunicorn "
            f"({workers} gthread workers × {web_threads()} threads), each measurement right after "
            "the trivial "
            "view. *hit*: the JSON from the page cache (the API is served like the public pages: "
            "one Redis read, ETag, gzip/Brotli); *miss*: rendered for each request (a session "
            "cookie makes the portal skip the cache; the session lookup adds one query). The "
            "200 public questions of the benchmark event among 100,000 questions."
        ),
        headers=[
            "request",
            "kind",
            "req/s",
            "p50 ms",
            "p99 ms",
            "trivial req/s",
            "ratio",
            "p99 / trivial p99",
        ],
    )
    # The rows were just bulk-inserted: give PostgreSQL the statistics autovacuum would have
    # gathered by then, or it plans the unfiltered lists for 651 public questions, not 50,000.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE questions_question")
    section.notes.append("`ANALYZE questions_question` before measuring (as autovacuum would).")
    for name, path in api_paths(base, data):
        if not path:
            section.notes.append(f"Not measured: {name}: the event has no second page.")
            continue
        measure_hit_and_miss(section, base, name, path, TRIVIAL, seconds)
    return section
