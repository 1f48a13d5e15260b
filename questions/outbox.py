"""The outbox's queue: what beat sends (new e-mails at once, failed ones again with backoff),
what it gives up on, and the backlog monitoring reads. One e-mail's delivery is in emails."""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from questions.emails import ServerUnavailable, deliver
from questions.models import OutboundEmail

logger = logging.getLogger(__name__)


def abandon_expired() -> int:
    """Give up on what is no longer useful, even if the server stayed down all along."""
    now = timezone.now()
    count = (
        pending()
        .filter(expires_at__lte=now)
        .filter(Q(sending_until__isnull=True) | Q(sending_until__lt=now))  # none in flight
        .update(abandoned_at=now, sending_until=None)
    )
    if count:
        logger.error("%d e-mails abandoned: no longer useful and never sent", count)
    return count


def pending_email_ids(*, older_than: timedelta = timedelta(seconds=30)) -> list[int]:
    """E-mails due now that a task should already have sent (give on_commit a head start)."""
    now = timezone.now()
    return list(
        pending()
        .filter(created_at__lte=now - older_than)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(sending_until__isnull=True) | Q(sending_until__lt=now))
        # Those waiting longest first; a failed one goes to the back of the line.
        .order_by(Coalesce("next_attempt_at", "created_at"), "pk")
        .values_list("pk", flat=True)[: settings.OUTBOX_SWEEP_BATCH]
    )


def pending() -> QuerySet[OutboundEmail]:
    return OutboundEmail.objects.filter(sent_at__isnull=True, abandoned_at__isnull=True)


def sweep_outbox() -> int:
    """Send what the broker missed and what is due again, over one SMTP connection; abandon
    what expired. At most OUTBOX_SWEEP_BATCH per run (beat runs it every minute): the catch-up
    rate after an outage. Stops at the first failure of the server itself (down, timing out):
    the rest waits for the next sweep. Returns how many e-mails were sent."""
    abandon_expired()
    sent = 0
    connection = get_connection()
    try:
        for pk in pending_email_ids():
            try:
                sent += deliver(pk, connection)
            except ServerUnavailable:
                break
    finally:
        connection.close()
    return sent


def new_email_ids(*, after: int = 0, limit: int = 200) -> list[int]:
    """E-mails never tried yet, in the order they were written, from id `after` on."""
    return list(
        pending()
        .filter(attempts=0, pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def dispatch_outbox(*, budget_seconds: float = 240.0) -> int:
    """Send the e-mails written since the last dispatch (beat, every OUTBOX_DISPATCH_SECONDS),
    over one SMTP connection, until none is left or the time budget is spent. Dispatches running
    at once share a burst: a row another one has taken is skipped. Stops at the first failure of
    the server itself; the sweep retries with backoff. Returns how many e-mails were sent."""
    deadline = time.monotonic() + budget_seconds
    last, sent = 0, 0
    connection = get_connection()
    try:
        while time.monotonic() < deadline:
            batch = new_email_ids(after=last)
            if not batch:
                break
            for pk in batch:
                last = pk
                sent += deliver(pk, connection)
                if time.monotonic() >= deadline:
                    break
    except ServerUnavailable:
        pass
    finally:
        connection.close()
    return sent


def outbox_backlog() -> dict[str, int]:
    """What monitoring watches: e-mails waiting, the oldest one's age, recent abandons."""
    now = timezone.now()
    oldest = pending().order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "pending": pending().count(),
        "oldest_pending_seconds": int((now - oldest).total_seconds()) if oldest else 0,
        "abandoned_last_day": OutboundEmail.objects.filter(
            abandoned_at__gte=now - timedelta(days=1)
        ).count(),
    }
