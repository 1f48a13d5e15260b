"""A burst of 10,000 question submissions in 60 s: every accepted question is stored, once."""

import re
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests
from django.urls import reverse
from django.utils import translation

from benchmarks.load import percentile
from benchmarks.report import Section
from benchmarks.seed import BenchData
from questions.models import Question

SUBMISSIONS = 10_000
SECONDS = 60
CLIENTS = 64
GIVE_UP_AFTER = 600  # seconds: the burst stops sending by then whatever happens
FORM_STARTED = re.compile(r'name="form_started" value="([^"]+)"')


class Burst:
    def __init__(self, base: str, data: BenchData) -> None:
        with translation.override("fr"):
            self.url = base + reverse("events:detail", kwargs={"slug": data.burst_event.slug})
        self.event = data.burst_event
        self.theme_id = data.burst_event.themes.first().pk
        self.lock = threading.Lock()
        self.next_index = 0
        self.statuses: Counter[str] = Counter()
        self.latencies: list[float] = []
        self.local = threading.local()

    def prepare(self) -> None:
        """One visit gives the CSRF cookie and a signed form timestamp, shared by all clients."""
        page = requests.get(self.url, timeout=60)
        page.raise_for_status()
        self.csrf = page.cookies["csrftoken"]
        self.form_started = FORM_STARTED.search(page.text).group(1)

    def session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
            self.local.session.cookies.set("csrftoken", self.csrf)
        return self.local.session

    def submit(self, index: int) -> str:
        # Each citizen has an address and a network address of their own, seen through the
        # production reverse proxy (TRUSTED_PROXY_COUNT=1).
        ip = f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"
        data = {
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
        try:
            response = self.session().post(
                self.url,
                data=data,
                headers={"X-Forwarded-For": ip, "Referer": self.url},
                allow_redirects=False,
                timeout=60,
            )
        except requests.RequestException as error:
            return f"client error ({type(error).__name__})"
        if response.status_code == 302 and "/questions/sent/" in response.headers["Location"]:
            return "accepted"
        return f"HTTP {response.status_code}"

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


def run(base: str, data: BenchData) -> Section:
    section = Section(
        title=f"A burst of {SUBMISSIONS:,} question submissions in {SECONDS} s",
        method=(
            f"{CLIENTS} client threads post the event page's question form at a steady pace of "
            f"{SUBMISSIONS / SECONDS:.0f} submissions per second (one every "
            f"{1000 * SECONDS / SUBMISSIONS:.0f} ms) against the same gunicorn, each submission "
            "a different citizen (e-mail address, X-Forwarded-For address behind one trusted "
            "proxy, idempotency token); the form was displayed more than the minimum fill time "
            "before. Accepted = redirected to the “check your inbox” page. Stored = questions "
            "in the database for that event afterwards. No Celery worker runs: confirmation "
            "e-mails wait in the outbox and the Redis queue."
        ),
        headers=["sent", "accepted", "stored", "other answers", "took s", "p50 ms", "p99 ms"],
    )
    burst = Burst(base, data)
    burst.prepare()
    from django.conf import settings

    time.sleep(settings.QUESTION_MIN_FILL_SECONDS + 1)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        for _ in range(CLIENTS):
            pool.submit(burst.run_client, started)
    took = time.monotonic() - started
    stored = Question.objects.filter(event=burst.event).count()
    accepted = burst.statuses["accepted"]
    sent = sum(burst.statuses.values())
    others = ", ".join(f"{n} × {k}" for k, n in burst.statuses.items() if k != "accepted")
    section.rows.append(
        [
            f"{sent:,}",
            f"{accepted:,}",
            f"{stored:,}",
            others or "none",
            f"{took:.1f}",
            f"{percentile(burst.latencies, 50):.0f}",
            f"{percentile(burst.latencies, 99):.0f}",
        ]
    )
    section.check("accepted == stored", accepted == stored)
    section.check(f"all {SUBMISSIONS:,} accepted", accepted == SUBMISSIONS)
    section.check(f"the burst is absorbed within {SECONDS} s (+10 %)", took <= SECONDS * 1.1)
    return section
