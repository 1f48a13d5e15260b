"""Leases: a worker's hold on a row that lasts only while the worker keeps renewing it.

A long job (a transcode, a speech-to-text draft) claims its row by writing a new holding (e.g. an
attempt number and a start time) and an expiry. While it runs, the expiry is pushed forward by
the job's progress writes (`lease.renew(progress=...)`) and by a small heartbeat thread that covers
the phases without progress (download, probe, upload, an engine's one long call). A worker that
dies (SIGKILL, out of memory, a lost machine) stops renewing: once the expiry has passed, anyone
may take the row over, a redelivered task or the periodic sweeper, without waiting for the job's
time limit. The holder writes only through `rows()`, a queryset that matches the row while the
holding is still its own, so a stale holder changes nothing; once `lost` is set it should stop.

Reusing it for another job on a row (e.g. speech-to-text drafts):
  1. the row gets a nullable DateTimeField for the expiry and fields that identify one holding;
  2. claiming locks the row (`select_for_update`), accepts it when free or when
     `is_expired(row.<field>)`, writes a new holding and `expiry()` in one transaction;
  3. the job runs inside `with Lease(rows=..., field=...).kept_alive() as lease:`, renews with its
     progress writes and stops when `lease.lost.is_set()` (or on `LeaseLost` from `check()`);
  4. the sweeper selects `expired_q(field)` rows, takes them over and queues the job again.
Recovery after a death takes at most WORKER_LEASE_SECONDS, plus the sweeper's period, plus the
time a free worker takes to start the queued job.
"""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.db.models import Q, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

# The heartbeat renews this many times per lease period: a late beat or two is not a death.
BEATS_PER_LEASE = 4


class LeaseLost(Exception):
    """Another worker (or staff) took the row over: this holder's work is no longer wanted."""


def lease_seconds() -> float:
    return float(settings.WORKER_LEASE_SECONDS)


def expiry(now: datetime | None = None, seconds: float | None = None) -> datetime:
    """When a lease written or renewed now expires."""
    return (now or timezone.now()) + timedelta(seconds=seconds or lease_seconds())


def is_expired(expires_at: datetime | None, now: datetime | None = None) -> bool:
    """Whether a lease has lapsed (a row never leased has no lease to wait for)."""
    return expires_at is not None and expires_at < (now or timezone.now())


def expired_q(field_name: str, now: datetime | None = None) -> Q:
    """The rows whose lease in `field_name` has lapsed, for a sweeper's filter."""
    return Q(**{f"{field_name}__lt": now or timezone.now()})


@dataclass
class Lease:
    """One holder's lease on a row: `rows()` matches the row only while the holding is its own."""

    rows: Callable[[], QuerySet]
    field: str
    seconds: float = 0
    lost: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.seconds = self.seconds or lease_seconds()

    def renew(self, **changes) -> bool:
        """Push the expiry forward, with other changes to the row (e.g. its progress); whether
        the row is still held. A renewal that finds the row taken over sets `lost`."""
        updated = self.rows().update(**{self.field: expiry(seconds=self.seconds)}, **changes)
        if not updated:
            self.lost.set()
        return bool(updated)

    def check(self) -> None:
        """Raise LeaseLost once a renewal found the row taken over."""
        if self.lost.is_set():
            raise LeaseLost

    @contextmanager
    def kept_alive(self) -> Iterator["Lease"]:
        """Renew from a heartbeat thread for the duration of the block.

        Inside an open transaction (a test's) another connection cannot see the row: the caller's
        own progress writes are then the only renewals.
        """
        if connection.in_atomic_block:
            yield self
            return
        stop = threading.Event()
        beat = threading.Thread(
            target=self._beat, args=(stop,), name="lease-heartbeat", daemon=True
        )
        beat.start()
        try:
            yield self
        finally:
            stop.set()
            beat.join()

    def _beat(self, stop: threading.Event) -> None:
        try:
            while not stop.wait(self.seconds / BEATS_PER_LEASE):
                try:
                    if not self.renew():
                        return
                except DatabaseError as error:
                    # Retried at the next beat; if the database stays away, the lease lapses.
                    logger.warning("lease on %s not renewed: %s", self.field, error)
        finally:
            connections.close_all()  # this thread's own connection
