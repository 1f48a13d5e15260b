"""One recovery for the media machines' leased jobs (transcodes, speech drafts).

A job holds its worker's lease in `lease_expires_at` (renewed while the worker lives) and a
`processing_deadline` that bounds a live but stuck worker. The sweeper (beat, every
MEDIA_SWEEP_SECONDS) releases and queues again a running job whose worker is presumed dead, fails
one interrupted MEDIA_MAX_ATTEMPTS times, and queues again a waiting job whose message was lost.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.functional import Promise

from core import leases
from media_pipeline.workflow import Action


def lapsed(job: Any, now: datetime | None = None) -> bool:
    """Whether a running job's worker is presumed dead: lease lapsed or deadline passed."""
    now = now or timezone.now()
    return leases.is_expired(job.lease_expires_at, now) or (
        job.processing_deadline is not None and job.processing_deadline < now
    )


@dataclass(frozen=True)
class LeasedJob:
    """What the sweeper needs to know of one kind of job."""

    model: type[Model]
    lock_field: str  # the field its rows are found and locked by
    release: Action  # running → waiting (the dead worker's attempt still counts)
    start: Action  # what a waiting job's queued message does: its sources are "waiting"
    fail: Callable[[Any, str, str], None]  # (locked job, reason for staff, technical log)
    requeue: Callable[[Any], None]  # queue its task again (on commit)
    interrupted: Promise  # reason given when it keeps dying; formatted with %(count)d


def sweep(kind: LeasedJob, keys: Iterable, now: datetime) -> int:
    """Recover the stuck jobs among `keys`, each locked and checked again; how many were."""
    swept = 0
    for key in list(keys):
        with transaction.atomic():
            job = kind.model.objects.select_for_update().filter(**{kind.lock_field: key}).first()
            if job is not None and sweep_one(kind, job, now):
                swept += 1
    return swept


def sweep_one(kind: LeasedJob, job: Any, now: datetime) -> bool:
    """Re-queue (or fail) one locked job if it is still stuck; whether anything was done."""
    if kind.release.allows(job):
        if not lapsed(job, now):
            return False
        if job.attempts >= settings.MEDIA_MAX_ATTEMPTS:
            kind.fail(job, str(kind.interrupted) % {"count": job.attempts}, "")
            return True
        kind.release.apply(job)
        job.processing_deadline = job.lease_expires_at = None
        job.save()
    elif kind.start.allows(job):
        job.save(update_fields=["updated_at"])  # its message was lost: queued again now
    else:
        return False
    kind.requeue(job)
    return True
