"""Nothing lost: with the broker down, a change that sends e-mail still commits at once, and the
e-mail goes out exactly once when the broker is back (the outbox sweep, on a real worker)."""

import email
import email.policy
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse

from portal.celery import app
from portal.tasks import ping
from questions import services
from questions.models import OutboundEmail, Question, QuestionState
from questions.tasks import sweep_outbox
from tests.broker import broker_unreachable
from tests.factories import EventFactory, QuestionFactory, ThemeFactory
from tests.questions.conftest import question_data
from tests.worker import running_worker

pytestmark = pytest.mark.slow


@contextmanager
def publishes_recorded() -> Iterator[list[str]]:
    """The names of the tasks sent to the broker within the block (each would wait on it)."""
    sent: list[str] = []
    original = app.send_task

    def recording(name, *args, **kwargs):
        sent.append(name)
        return original(name, *args, **kwargs)

    with mock.patch.object(app, "send_task", recording):
        yield sent


def mails_to(address: str) -> list[Path]:
    folder = Path(settings.VAR_DIR) / "worker-mail"
    if not folder.exists():
        return []
    return [path for path in folder.iterdir() if address in path.read_text(errors="replace")]


@pytest.mark.django_db(transaction=True)
def test_an_email_queued_while_the_broker_is_down_is_sent_once_when_it_is_back(settings):
    address = f"outage-{uuid.uuid4().hex[:8]}@example.org"
    question = QuestionFactory(state=QuestionState.SELECTED, email=address, language="de")

    with broker_unreachable() as dead_url:
        # Redis is the cache too: it is down as well.
        settings.CACHES = {
            "default": {"BACKEND": "portal.cache.ResilientRedisCache", "LOCATION": dead_url}
        }
        with publishes_recorded() as published:
            services.mark_question_answered(question=question, actor=None)

    # One try at the dead broker (bounded by the settings' connection timeout and publish retry
    # policy), not a loop; the change committed and the e-mail waits in the outbox.
    assert published == ["questions.send_outbound_email"]
    assert Question.objects.get(pk=question.pk).state == QuestionState.ANSWERED
    message = OutboundEmail.objects.get(to=address)
    assert message.sent_at is None and message.attempts == 0
    assert message.language == "de"

    # The broker is back. The sweep (what beat runs every minute) sends what was missed.
    OutboundEmail.objects.filter(pk=message.pk).update(
        created_at=message.created_at - timedelta(minutes=2)
    )
    with running_worker(queues="default", log_name="worker-outage.log"):
        sweep_outbox.delay()
        deadline = time.monotonic() + 60
        while message.sent_at is None:
            assert time.monotonic() < deadline, "the sweep did not send the e-mail"
            time.sleep(0.3)
            message.refresh_from_db()
        # Sweeping again, by the worker or here, sends nothing more.
        sweep_outbox.delay()
        assert ping.delay("after-sweep").get(timeout=30) == "pong:after-sweep"
    assert sweep_outbox.run() == 0
    assert len(mails_to(address)) == 1
    sent = email.message_from_string(mails_to(address)[0].read_text(), policy=email.policy.default)
    assert sent["Subject"].strip() == message.subject and sent["Content-Language"] == "de"


@pytest.mark.django_db(transaction=True)
def test_a_citizen_submits_while_redis_is_down_and_confirms_once_it_is_back(client, settings):
    """Redis (broker and cache) down: the form still stores the question and says so; the
    confirmation e-mail leaves when Redis is back, once, and its link works."""
    event = EventFactory(themes=[ThemeFactory(slug="europe", name="Europe")])
    address = f"panne-{uuid.uuid4().hex[:8]}@example.org"
    with broker_unreachable() as dead_url:
        settings.CACHES = {
            "default": {"BACKEND": "portal.cache.ResilientRedisCache", "LOCATION": dead_url}
        }
        with publishes_recorded() as published:
            response = client.post(
                reverse("events:detail", kwargs={"slug": event.slug}),
                question_data(event, email=address),
            )
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == reverse("questions:check_inbox")
    assert published == [], "the citizen's request waited on the dead broker"
    question = Question.objects.get(email=address)
    assert question.state == QuestionState.UNCONFIRMED
    message = OutboundEmail.objects.get(to=address)
    assert message.sent_at is None

    OutboundEmail.objects.filter(pk=message.pk).update(
        created_at=message.created_at - timedelta(minutes=2)
    )
    with running_worker(queues="default", log_name="worker-outage.log"):
        sweep_outbox.delay()
        sweep_outbox.delay()  # beat fired twice meanwhile: still one e-mail
        assert ping.delay("swept").get(timeout=60) == "pong:swept"
    (sent_file,) = mails_to(address)
    link = re.search(r"https?://[^/\s]+(/fr/questions/confirm/[^/\s]+/)", sent_file.read_text())
    assert link, sent_file.read_text()[:1000]
    assert client.post(link.group(1)).status_code == 200  # the link's page has a button
    question.refresh_from_db()
    assert question.state == QuestionState.SUBMITTED
