"""CPU time of one request, in this process (`make bench BENCH_ARGS='--only cpu'`): a page's
cache miss and one question submission, through every middleware (Django's test client).

Process CPU time (`time.process_time`), not wall time: other processes on a shared machine do
not add to it (contention still inflates it somewhat: caches, frequency), so the figures say
what a request costs the server, whatever the load. No wrk, no gunicorn: cheap to run.
"""

import time
import uuid
from statistics import median
from unittest import mock
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from benchmarks.report import Section
from benchmarks.seed import EVENT_QUESTIONS, BenchData
from core import cached_pages
from core.page_cache import page_cache, supports_changed
from questions.tokens import make_form_started

RUNS = 60
MISS_CPU_TARGET_MS = 25.0
SUBMISSION_CSRF = "b" * 32  # a CSRF secret the client sends as cookie and field


def per_request_ms(request, before=lambda: None, runs: int = RUNS) -> tuple[float, float]:
    """(mean, median) CPU milliseconds of `request()` after 3 warm-up calls; `before()` runs
    before each call, outside the measure."""
    for _ in range(3):
        before()
        request()
    spent = []
    for _ in range(runs):
        before()
        started = time.process_time()
        request()
        spent.append((time.process_time() - started) * 1000)
    return sum(spent) / runs, median(spent)


def page_misses(path: str, event_slug: str = "") -> dict[str, tuple[float, float]]:
    """The ways a page is answered: from the cache (a hit), an anonymous miss (no entry for the
    page: it is rendered for the cache, compressed and stored; the blank question form comes
    from its own fragment), the same after a support of the event (its generation bumped), and
    a visitor with a session (staff), whose page is never shared (the form rendered with its
    tokens)."""
    client = Client()
    lookups = []
    real_start = cached_pages.Lookup.start

    def recording_start(*args, **kwargs):
        lookups.append(real_start(*args, **kwargs))
        return lookups[-1]

    def forget_entry():
        if lookups:
            page_cache().delete_many([lookups[-1].key(name) for name in cached_pages.ENCODINGS])

    def get():
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, (path, response.status_code)

    figures = {}
    with override_settings(ALLOWED_HOSTS=["*"]):
        figures["anonymous hit"] = per_request_ms(get)
        with mock.patch.object(cached_pages.Lookup, "start", recording_start):
            figures["anonymous miss"] = per_request_ms(get, forget_entry)
            if event_slug:
                figures["after a support"] = per_request_ms(
                    get, lambda: supports_changed(question_public_id="-", event_slug=event_slug)
                )
        client.cookies["sessionid"] = "bench-miss"  # no such session: an anonymous render
        figures["with a session (never cached)"] = per_request_ms(get)
    return figures


def trivial_view() -> tuple[float, float]:
    """The floor: the same middleware and test client, no database, no template."""
    client = Client()

    def get():
        assert client.get("/bench/trivial/").status_code == 200

    with override_settings(ALLOWED_HOSTS=["*"]):
        return per_request_ms(get)


def submission_cpu(data: BenchData) -> tuple[tuple[float, float], int, int]:
    """((mean, median) CPU ms, queries, stored) of posting the question form as the burst does
    (form-urlencoded, a citizen of their own each time, behind the trusted proxy)."""
    with translation.override("fr"):
        path = reverse("events:detail", kwargs={"slug": data.burst_event.slug})
    theme = data.burst_event.themes.first().pk
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = SUBMISSION_CSRF
    form_started = make_form_started()
    time.sleep(settings.QUESTION_MIN_FILL_SECONDS + 1)
    sent = [0]

    def post():
        number = sent[0] = sent[0] + 1
        response = client.post(
            path,
            urlencode(
                {
                    "csrfmiddlewaretoken": SUBMISSION_CSRF,
                    "theme": theme,
                    "title": f"Question mesurée n° {number}",
                    "text": "Quelle est la position de la France sur ce sujet ? " * 3,
                    "display_name": f"Citoyen {number}",
                    "email": f"cpu{number}-{uuid.uuid4().hex[:8]}@example.org",
                    "region": "IDF",
                    "consent": "on",
                    "website": "",
                    "form_started": form_started,
                    "submission_token": uuid.uuid4().hex,
                }
            ),
            content_type="application/x-www-form-urlencoded",
            HTTP_X_FORWARDED_FOR=f"10.77.{number // 256 % 256}.{number % 256}",
        )
        assert response.status_code == 302, response.status_code
        assert "/questions/sent/" in response["Location"]

    from questions.models import Question

    stored_before = Question.objects.filter(event=data.burst_event).count()
    with override_settings(ALLOWED_HOSTS=["*"]):
        figures = per_request_ms(post)
        with CaptureQueriesContext(connection) as queries:
            post()
    stored = Question.objects.filter(event=data.burst_event).count() - stored_before
    return figures, len(queries), stored - sent[0]


def run(data: BenchData) -> Section:
    section = Section(
        title="CPU time per request (in-process)",
        method=(
            "Process CPU time (`time.process_time`) of one request through every middleware "
            f"(Django's test client, in the benchmark process; mean and median of {RUNS} after 3 "
            "warm-up ones), with PostgreSQL and Redis as in production. Other processes on the "
            "machine do not count in it, so it stays meaningful on a shared machine where req/s "
            "does not (contention still inflates it somewhat). *anonymous miss*: no cache entry "
            "for the page (rendered for the cache, compressed, stored); *anonymous hit*: the page "
            "from the cache; *trivial view*: the same stack with no database and no template, "
            "the floor a hit is compared with; *after a support*: the "
            "event's generation bumped before each request; *with a session*: a page never "
            "shared (staff). *submission*: the event page's question form posted as the burst "
            "posts it (form-urlencoded, a new citizen, address and token each time)."
        ),
        headers=["request", "kind", "mean CPU ms", "median CPU ms"],
    )
    with translation.override("fr"):
        event_path = reverse("events:detail", kwargs={"slug": data.event.slug})
        pages = [
            ("home", reverse("home"), ""),
            (f"event ({EVENT_QUESTIONS} public questions)", event_path, data.event.slug),
            ("question", data.question.get_absolute_url(), ""),
        ]
    mean, middle = trivial_view()
    section.rows.append(
        ["trivial view `/bench/trivial/`", "the floor", f"{mean:.2f}", f"{middle:.2f}"]
    )
    event_miss = None
    for name, path, slug in pages:
        for kind, (mean, middle) in page_misses(path, slug).items():
            section.rows.append([f"{name} `{path}`", kind, f"{mean:.2f}", f"{middle:.2f}"])
            if slug and kind == "anonymous miss":
                event_miss = middle
    (mean, middle), queries, lost = submission_cpu(data)
    section.rows.append(["question form (POST)", "submission", f"{mean:.2f}", f"{middle:.2f}"])
    section.notes.append(
        f"One submission: {queries} SQL statements (BEGIN and COMMIT included); "
        f"stored minus sent: {lost} (must be 0)."
    )
    if event_miss is not None:
        section.check(
            f"event ({EVENT_QUESTIONS} public questions): an anonymous miss renders in "
            f"< {MISS_CPU_TARGET_MS:.0f} ms CPU (median)",
            event_miss < MISS_CPU_TARGET_MS,
        )
    section.check("every accepted submission stored", lost == 0)
    return section
