"""Work handed to Celery by task name once the transaction commits (as Zulip's
`queue_event_on_commit`): a service never imports its tasks, so tasks may import services."""

from celery import current_app
from django.db import transaction


def send_task(name: str, /, **kwargs) -> None:
    """Send the registered task `name` now, with keyword arguments (routes apply by name)."""
    current_app.send_task(name, kwargs=kwargs)


def queue_task_on_commit(name: str, /, **kwargs) -> None:
    """Send the task `name` once the current transaction commits (at once outside one);
    nothing is sent if it rolls back."""
    transaction.on_commit(lambda: send_task(name, **kwargs))
