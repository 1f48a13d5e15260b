"""A burst of submissions while Redis (the cache, the rate limits, the broker) crashes and comes
back empty: every question the portal accepted is stored once, and each citizen gets one
confirmation e-mail."""

import os
import signal
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from questions import outbox
from questions.models import OutboundEmail, Question, QuestionState
from tests.factories import EventFactory, ThemeFactory
from tests.production import free_port
from tests.questions.conftest import question_data
from tests.questions.test_broker_outage import publishes_recorded
from tests.redis_server import start_redis_server

pytestmark = pytest.mark.slow

SUBMISSIONS = 90
CRASH_AFTER, BACK_AFTER = 30, 60  # Redis is killed after the 30th answer, back after the 60th


@pytest.fixture
def crashing_redis(settings, tmp_path):
    """The portal's cache on a Redis of this test's own, which the test may kill and restart."""
    port = free_port()
    servers = [start_redis_server(tmp_path, port)]
    settings.CACHES = {
        "default": {
            **settings.CACHES.get("default", {}),
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }

    def crash() -> None:
        os.kill(servers[-1].pid, signal.SIGKILL)  # no shutdown, no save
        servers[-1].wait(10)

    def restart() -> None:
        servers.append(start_redis_server(tmp_path, port))

    yield crash, restart
    for server in servers:
        if server.poll() is None:
            server.terminate()
            server.wait(10)


@pytest.mark.django_db(transaction=True)
def test_a_burst_survives_a_redis_crash_and_restart(crashing_redis, caplog):
    crash, restart = crashing_redis
    event = EventFactory(themes=[ThemeFactory(slug="europe", name="Europe")])
    url = reverse("events:detail", kwargs={"slug": event.slug})
    answered = []
    lock = threading.Lock()

    def submit(number: int) -> tuple[str, int, str]:
        address = f"rafale-{number}-{uuid.uuid4().hex[:6]}@example.org"
        client = Client(REMOTE_ADDR=f"10.9.{number // 200}.{number % 200 + 1}")
        data = question_data(
            event, email=address, title=f"Question n° {number}", submission_token=uuid.uuid4().hex
        )
        response = client.post(url, data)
        with lock:  # Redis goes down and comes back while other submissions are in flight
            answered.append(number)
            if len(answered) == CRASH_AFTER:
                crash()
            elif len(answered) == BACK_AFTER:
                restart()
        connection.close()
        return address, response.status_code, response.get("Location", "")

    # Several at once where the database takes concurrent writers; SQLite serialises them.
    threads = 4 if connection.vendor == "postgresql" else 1
    with publishes_recorded() as published, ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(submit, range(SUBMISSIONS)))

    assert published == [], "a submission waited on the broker"
    assert "cache unavailable" in caplog.text  # submissions did meet the dead Redis
    accepted = [address for address, status, location in results if status == 302]
    refused = [(status, location) for _, status, location in results if status != 302]
    assert not refused, refused  # Redis down: rate limits and once-only claims fail open
    assert {location for *_, location in results} == {reverse("questions:check_inbox")}
    stored = Question.objects.filter(event=event)
    assert stored.count() == len(accepted) == SUBMISSIONS
    assert set(stored.values_list("email", flat=True)) == set(accepted)
    assert set(stored.values_list("state", flat=True)) == {QuestionState.UNCONFIRMED}

    # Each waiting confirmation e-mail leaves once, whoever dispatches it.
    assert OutboundEmail.objects.filter(to__in=accepted).count() == SUBMISSIONS
    outbox.dispatch_outbox(budget_seconds=60)
    outbox.dispatch_outbox(budget_seconds=60)
    received = sorted(address for message in mail.outbox for address in message.to)
    assert received == sorted(accepted)
