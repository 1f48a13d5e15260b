"""The Celery application. Its configuration: the CELERY_* names in portal/settings/queues.py."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

from portal import logs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _make_filesystem_broker_folders() -> None:
    """kombu's filesystem transport expects its folders to exist."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    result_backend = app.conf.result_backend or ""
    if result_backend.startswith("file://"):
        Path(result_backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _prepare_broker(sender: Celery, **kwargs) -> None:
    _make_filesystem_broker_folders()


# --- Request ids across the broker (portal.logs): a task logs with the id of the request that
# queued it, carried in a message header.
_context_tokens: dict[str, tuple] = {}


@before_task_publish.connect
def _add_request_id_header(headers: dict | None = None, **kwargs) -> None:
    request_id = logs.current_request_id()
    if headers is not None and not headers.get("request_id") and request_id != "-":
        headers["request_id"] = request_id


@task_prerun.connect
def _enter_task_context(task_id: str = "", task=None, **kwargs) -> None:
    request_id = getattr(task.request, "request_id", None) or logs.new_request_id()
    _context_tokens[task_id] = (
        logs.request_id_var.set(request_id),
        logs.task_var.set({"id": task_id, "name": task.name}),
    )


@task_postrun.connect
def _leave_task_context(task_id: str = "", **kwargs) -> None:
    tokens = _context_tokens.pop(task_id, None)
    if tokens:
        logs.request_id_var.reset(tokens[0])
        logs.task_var.reset(tokens[1])
