"""JSON logs: a worker's log lines carry the id of the web request that queued the task."""

import json
import logging
import time
from pathlib import Path

import pytest
from django.conf import settings

from portal import logs
from portal.logs import JsonFormatter
from questions.tasks import send_outbound_email
from tests.worker import running_worker


def test_a_record_becomes_one_json_line_with_context_and_extra_fields():
    token = logs.request_id_var.set("req-42")
    try:
        record = logging.LogRecord(
            "portal.test", logging.ERROR, __file__, 1, "hello %s", ("Camille",), None
        )
        logs.ContextFilter().filter(record)
        record.video_id = 7
        line = JsonFormatter().format(record)
    finally:
        logs.request_id_var.reset(token)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "hello Camille"
    assert entry["level"] == "ERROR" and entry["logger"] == "portal.test"
    assert entry["request_id"] == "req-42" and entry["video_id"] == 7


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_task_logs_with_the_request_id_of_the_request_that_queued_it():
    log_name = f"worker-json-{time.monotonic_ns()}.log"
    with running_worker(queues="default", env={"LOG_FORMAT": "json"}, log_name=log_name):
        token = logs.request_id_var.set("req-trace-0123456789")
        try:
            # A message id that does not exist: the task runs, logs, and does nothing.
            send_outbound_email.delay(987654321)
        finally:
            logs.request_id_var.reset(token)
        log_path = Path(settings.VAR_DIR) / log_name
        deadline = time.monotonic() + 30
        traced = []
        while not traced and time.monotonic() < deadline:
            time.sleep(0.3)
            entries = [
                json.loads(line)
                for line in log_path.read_text().splitlines()
                if line.startswith("{")
            ]
            traced = [
                e
                for e in entries
                if e.get("request_id") == "req-trace-0123456789"
                and e.get("task_name") == "questions.send_outbound_email"
            ]
    assert traced, log_path.read_text()[-2000:]
