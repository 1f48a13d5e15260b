"""A burst of 10,000 question submissions in 60 s: every accepted question is stored, once."""

import http.client
import os
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import requests  # the preparing visit only
from django.db import connection
from django.urls import reverse
from django.utils import translation

from benchmarks.load import percentile
from benchmarks.report import Section
from benchmarks.seed import BenchData
from benchmarks.servers import child_pids, web_threads
from questions.models import OutboundEmail, Question

SUBMISSIONS = 10_000
SECONDS = 60
CLIENTS = 64
GIVE_UP_AFTER = 600  # seconds: the burst stops sending by then whatever happens


class Burst:
    def __init__(self, base: str, data: BenchData) -> None:
        with translation.override("fr"):
            self.path = reverse("events:detail", kwargs={"slug": data.burst_event.slug})
        self.url = base + self.path
        self.address = urlsplit(base)
        self.tokens_url = base + reverse("form_tokens")
        self.event = data.burst_event
        self.theme_id = data.burst_event.themes.first().pk
        self.lock = threading.Lock()
        self.next_index = 0
        self.statuses: Counter[str] = Counter()
        self.latencies: list[float] = []
        self.local = threading.local()

    def prepare(self) -> None:
        """One visit, as a browser makes it: the (cached) page, then what forms.js asks for when
        the form is first focused: the CSRF cookie and token and a signed form timestamp, shared
        by all clients."""
        requests.get(self.url, timeout=60).raise_for_status()
        tokens = requests.get(self.tokens_url, headers={"Accept": "application/json"}, timeout=60)
        tokens.raise_for_status()
        self.csrf_cookie = tokens.cookies["csrftoken"]
        self.csrf = tokens.json()["csrf"]
        self.form_started = tokens.json()["form_started"]

    def connection(self) -> http.client.HTTPConnection:
        """The thread's own keep-alive connection (http.client: a fraction of requests' CPU
        per request, and the client shares the server's cores)."""
        if getattr(self.local, "connection", None) is None:
            self.local.connection = http.client.HTTPConnection(
                self.address.hostname, self.address.port, timeout=60
            )
        return self.local.connection

    def submit(self, index: int) -> str:
        # Each citizen has an address and a network address of their own, seen through the
        # production reverse proxy (TRUSTED_PROXY_COUNT=1).
        ip = f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"
        body = urlencode(
            {
                "csrfmiddlewaretoken": self.csrf,
                "theme": self.theme_id,
                "title": f"Question de la rafale n° {index}",
                "text": "Quelle est la position de la France sur ce sujet ? " * 3,
                "display_name": f"Citoyen {index}",
                "email": f"rafale{index}@example.org",
                "region": "IDF",
                "consent": "on",
                "website": "",
                "form_started": self.form_started,
                "submission_token": uuid.uuid4().hex,
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={self.csrf_cookie}",
            "X-Forwarded-For": ip,
            "Referer": self.url,
        }
        try:
            status, location = self.post(body, headers)
        except (OSError, http.client.HTTPException) as error:
            return f"client error ({type(error).__name__})"
        if status == 302 and "/questions/sent/" in location:
            return "accepted"
        return f"HTTP {status}"

    def post(self, body: str, headers: dict[str, str]) -> tuple[int, str]:
        """(status, Location) of the form's POST. Once more on a fresh connection if the server
        had closed the kept one (idle keep-alive): the same idempotency token, so a resent
        submission is stored once."""
        try:
            return self.post_once(body, headers)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            return self.post_once(body, headers)

    def post_once(self, body: str, headers: dict[str, str]) -> tuple[int, str]:
        connection = self.connection()
        try:
            connection.request("POST", self.path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            self.local.connection = None  # the next request opens a fresh one
            raise
        return response.status, response.getheader("Location") or ""

    def run_client(self, started: float) -> None:
        interval = SECONDS / SUBMISSIONS
        while True:
            with self.lock:
                index = self.next_index
                self.next_index += 1
            if index >= SUBMISSIONS or time.monotonic() - started > GIVE_UP_AFTER:
                return
            delay = started + index * interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sent = time.monotonic()
            outcome = self.submit(index)
            elapsed = (time.monotonic() - sent) * 1000
            with self.lock:
                self.statuses[outcome] += 1
                self.latencies.append(elapsed)


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """user + system CPU seconds of each live process (gone ones are left out)."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return used


def database_backends() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def server_cpu(server_pid: int) -> dict[str, dict[int, float]]:
    return {
        "gunicorn": cpu_seconds(child_pids(server_pid)),
        "postgresql": cpu_seconds(database_backends()),
    }


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())


def run(base: str, data: BenchData, *, server_pid: int) -> Section:
    section = Section(
        title=f"A burst of {SUBMISSIONS:,} question submissions in {SECONDS} s",
        method=(
            f"{CLIENTS} client threads, each over one keep-alive connection (http.client: the "
            "client shares the server's cores, and requests cost several times its CPU), post "
            "the event page's question form at a steady pace of "
            f"{SUBMISSIONS / SECONDS:.0f} submissions per second (one every "
            f"{1000 * SECONDS / SUBMISSIONS:.0f} ms) against the same gunicorn ({web_threads()} "
            "threads per worker), each submission "
            "a different citizen (e-mail address, X-Forwarded-For address behind one trusted "
            "proxy, idempotency token); the form was displayed more than the minimum fill time "
            "before. Accepted = redirected to the “check your inbox” page. Stored = questions "
            "in the database for that event afterwards, less those there before (the CPU "
            "section's). No Celery worker runs: confirmation e-mails wait in the outbox (in "
            "production beat's dispatch sends them; the request never calls the broker)."
        ),
        headers=[
            "sent",
            "accepted",
            "stored",
            "e-mails in the outbox",
            "other answers",
            "took s",
            "p50 ms",
            "p99 ms",
        ],
    )
    burst = Burst(base, data)
    burst.prepare()
    # The CPU section posts its own submissions to the same event before: not the burst's.
    stored_before = Question.objects.filter(event=burst.event).count()
    emails_before = OutboundEmail.objects.filter(question__event=burst.event).count()
    from django.conf import settings

    time.sleep(settings.QUESTION_MIN_FILL_SECONDS + 1)
    cpu_before = server_cpu(server_pid)
    client_before = time.process_time()  # this process: the client threads
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        for _ in range(CLIENTS):
            pool.submit(burst.run_client, started)
    took = time.monotonic() - started
    client_cpu = time.process_time() - client_before
    cpu_after = server_cpu(server_pid)
    web_cpu = spent(cpu_before["gunicorn"], cpu_after["gunicorn"])
    database_cpu = spent(cpu_before["postgresql"], cpu_after["postgresql"])
    stored = Question.objects.filter(event=burst.event).count() - stored_before
    emails = OutboundEmail.objects.filter(question__event=burst.event).count() - emails_before
    accepted = burst.statuses["accepted"]
    sent = sum(burst.statuses.values())
    others = ", ".join(f"{n} × {k}" for k, n in burst.statuses.items() if k != "accepted")
    section.rows.append(
        [
            f"{sent:,}",
            f"{accepted:,}",
            f"{stored:,}",
            f"{emails:,}",
            others or "none",
            f"{took:.1f}",
            f"{percentile(burst.latencies, 50):.0f}",
            f"{percentile(burst.latencies, 99):.0f}",
        ]
    )
    per_submission = (web_cpu + database_cpu) / max(1, sent)
    section.notes.append(
        f"Server CPU during the burst (read from /proc, so other processes on the machine do not "
        f"count): gunicorn workers {web_cpu:.1f} s, PostgreSQL backends of the benchmark "
        f"database still connected at the end {database_cpu:.1f} s (a lower bound: connections "
        f"recycled during the burst, CONN_MAX_AGE, are missed), i.e. at least "
        f"{1000 * per_submission:.1f} ms per submission ({1000 * web_cpu / max(1, sent):.1f} + "
        f"{1000 * database_cpu / max(1, sent):.1f}); Redis not included. The client threads "
        f"(this benchmark's process, on the same cores) {client_cpu:.1f} s, "
        f"{1000 * client_cpu / max(1, sent):.1f} ms per submission. "
        f"At that cost the 2 cores of an otherwise idle machine could absorb at most about "
        f"{2 / per_submission:.0f} submissions per second (an estimate from CPU time; the target "
        f"needs {SUBMISSIONS / SECONDS:.0f})."
    )
    section.check("accepted == stored", accepted == stored)
    section.check("one confirmation e-mail in the outbox per stored question", emails == stored)
    section.check(f"all {SUBMISSIONS:,} accepted", accepted == SUBMISSIONS)
    section.check(f"the burst is absorbed within {SECONDS} s (+10 %)", took <= SECONDS * 1.1)
    return section
