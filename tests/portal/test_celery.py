"""A task really runs through a real worker process on the configured broker."""

import pytest
from django.conf import settings

from portal.celery import app
from portal.tasks import ping
from tests.worker import running_worker


def test_reliability_settings_are_applied():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.accept_content == ["json"]
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.task_soft_time_limit < conf.task_time_limit


def test_transcodes_go_to_the_media_queue_and_the_rest_to_default():
    router = app.amqp.router
    assert router.route({}, "media_pipeline.tasks.transcode_video")["queue"].name == "media"
    assert router.route({}, "questions.tasks.send_outbox")["queue"].name == "default"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_on_the_configured_broker():
    with running_worker(queues="default"):
        result = ping.delay("hello")
        assert result.get(timeout=30) == "pong:hello"
    expected = "redis" if settings.REDIS_URL else "filesystem"
    assert app.conf.broker_url.startswith(expected)
