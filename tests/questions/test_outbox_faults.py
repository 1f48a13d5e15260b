"""The outbox under faults, on a real worker and a real SMTP server (aiosmtpd): the server down
for a while then up, and the worker killed while it drains a backlog."""

import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from questions import outbox
from questions.models import OutboundEmail
from questions.tasks import sweep_outbox
from tests.production import free_port
from tests.smtp import smtp_server
from tests.worker import kill_worker, running_worker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def queue_backlog(count: int) -> list[OutboundEmail]:
    """`count` e-mails queued a minute ago (so the sweep takes them): one outage's backlog."""
    with transaction.atomic():
        rows = [
            OutboundEmail.objects.create(
                to=f"citoyen-{uuid.uuid4().hex[:8]}@example.org",
                subject=f"Votre question {n}",
                body_text="Bonjour",
                language="fr",
                kind="question_answered",
                expires_at=timezone.now() + timedelta(hours=48),
            )
            for n in range(count)
        ]
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    return rows


def sweep_until(condition, timeout: float, what: str) -> None:
    """Run the sweep on the worker every half second (as beat would, faster) until `condition`."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        sweep_outbox.delay()
        time.sleep(0.5)


def test_smtp_down_for_a_while_then_up_sends_every_email_once():
    port = free_port()  # the SMTP server's port, closed for now
    env = {
        "HLM_TEST_SMTP_PORT": str(port),
        "OUTBOX_RETRY_BASE_SECONDS": "1",
        "OUTBOX_RETRY_MAX_SECONDS": "1",
    }
    rows = queue_backlog(10)

    def attempts_each() -> int:
        return min(OutboundEmail.objects.values_list("attempts", flat=True))

    with running_worker(queues="default", env=env, log_name="worker-smtp-down.log"):
        # A sweep stops at the server's first failure: one attempt per sweep while it is down.
        sweep_until(lambda: attempts_each() >= 2, timeout=120, what="two failed attempts each")
        # As after ten minutes of outage: past the ten attempts that used to be the end.
        OutboundEmail.objects.update(attempts=F("attempts") + 10)
        sweep_until(lambda: attempts_each() >= 13, timeout=120, what="more failed attempts")
        assert not OutboundEmail.objects.filter(abandoned_at__isnull=False).exists()
        assert outbox.outbox_backlog()["pending"] == 10
        assert "ConnectionRefusedError" in OutboundEmail.objects.first().last_error
        with smtp_server(port=port) as (inbox, _port):  # the server is back
            sweep_until(
                lambda: not outbox.pending().exists(), timeout=60, what="the backlog to drain"
            )
            sweep_outbox.delay()
            time.sleep(1)
    assert sorted(message["To"] for message in inbox.messages) == sorted(row.to for row in rows)
    assert len(set(inbox.message_ids())) == 10  # once each
    assert outbox.outbox_backlog()["pending"] == 0


def test_a_worker_killed_while_draining_a_backlog_sends_at_most_one_email_twice():
    env = {"OUTBOX_SENDING_TIMEOUT_SECONDS": "3"}
    queue_backlog(200)
    with smtp_server(delay=0.02) as (inbox, port):
        env["HLM_TEST_SMTP_PORT"] = str(port)
        with running_worker(queues="default", env=env, log_name="worker-drain.log") as doomed:
            sweep_outbox.delay()
            deadline = time.monotonic() + 60
            while len(inbox.messages) < 60:
                assert time.monotonic() < deadline, "the worker did not start draining"
                time.sleep(0.02)
            kill_worker(doomed)  # mid-drain, perhaps right after the server accepted one
        sent_before_the_kill = len(inbox.messages)
        assert sent_before_the_kill < 200
        with running_worker(queues="default", env=env, log_name="worker-drain.log"):
            sweep_until(
                lambda: not outbox.pending().exists(), timeout=120, what="the backlog to drain"
            )
    received = Counter(inbox.message_ids())
    assert set(received) == set(
        OutboundEmail.objects.values_list("message_id", flat=True)
    )  # every one sent
    twice = [message_id for message_id, count in received.items() if count > 1]
    assert len(twice) <= 1, twice  # one crash: at most one e-mail twice, with the same Message-ID
    assert max(received.values()) <= 2
