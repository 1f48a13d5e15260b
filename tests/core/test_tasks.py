"""Tasks queued by name leave only once the transaction commits, and a real worker runs them."""

import pytest
from celery.result import AsyncResult
from celery.signals import after_task_publish
from django.db import transaction

from core.tasks import queue_task_on_commit
from tests.worker import running_worker


@pytest.fixture
def published():
    sent: list[dict] = []

    def record(sender=None, headers=None, body=None, **kwargs):
        sent.append({"task": sender, "id": headers["id"], "kwargs": body[1]})

    after_task_publish.connect(record, weak=False)
    yield sent
    after_task_publish.disconnect(record)


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_if_the_transaction_rolls_back(published):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_task_on_commit("portal.ping", value="lost")
        raise RuntimeError
    assert published == []


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_task_leaves_after_commit_and_a_worker_runs_it(published):
    with running_worker(queues="default"):
        published.clear()  # the worker's own readiness ping
        with transaction.atomic():
            queue_task_on_commit("portal.ping", value="by-name")
            assert published == []
        assert [(sent["task"], sent["kwargs"]) for sent in published] == [
            ("portal.ping", {"value": "by-name"})
        ]
        assert AsyncResult(published[0]["id"]).get(timeout=30) == "pong:by-name"
