"""Read-only queries on tour events for public pages."""

import pickle
import time
from datetime import datetime

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from core.page_cache import site_generation
from events.models import Event

UPCOMING = "upcoming"
PAST = "past"


def public_events(*, period: str = UPCOMING, region: str = "") -> QuerySet[Event]:
    """Published events, upcoming (soonest first) or past (latest first), optionally in a region."""
    now = timezone.now()
    events = Event.objects.published()
    events = events.past(now) if period == PAST else events.upcoming(now)
    if region:
        events = events.filter(region=region)
    return events.prefetch_related("themes")


def next_events(*, limit: int = 3) -> list[Event]:
    return list(public_events(period=UPCOMING)[:limit])


MOMENT_FIELDS = ("questions_open_at", "questions_close_at", "starts_at", "ends_at")


def next_event_change() -> datetime | None:
    """The next moment a published event's questions open or close, or it starts or ends: when
    the event list and the home page change by themselves (one query)."""
    now = timezone.now()
    moments = Event.objects.published().aggregate(
        **{name: Min(name, filter=Q(**{f"{name}__gt": now})) for name in MOMENT_FIELDS}
    )
    return min((moment for moment in moments.values() if moment), default=None)


# Per process, the events last read by public_event, under the site generation they were read
# in: (generation, monotonic deadline, the pickled event with its themes).
_READ_EVENTS: dict[str, tuple[str, float, bytes]] = {}
READ_EVENT_SECONDS = 60  # a bound for changes made outside the admin (shell, commands)
READ_EVENTS_MAX = 500


def public_event(*, slug: str) -> Event:
    """One published event with its themes; raises Event.DoesNotExist otherwise.

    Every submission of the form reads it (a burst: thousands a minute, the same event), and it
    changes only when the admin edits an event or a theme, which bumps the site generation: the
    process keeps it under that generation (read first, so a change committed meanwhile is
    never kept under the new one) for at most READ_EVENT_SECONDS. Each caller gets its own
    copy (unpickled): requests never share a model instance. If the cache is unreachable, the
    generation is a new one each time and the event is read from the database."""
    generation = site_generation()
    now = time.monotonic()
    kept = _READ_EVENTS.get(slug)
    if kept is not None and kept[0] == generation and now < kept[1]:
        return pickle.loads(kept[2])  # noqa: S301 - pickled by this process, above
    event = Event.objects.published().prefetch_related("themes").get(slug=slug)
    if len(_READ_EVENTS) >= READ_EVENTS_MAX:
        _READ_EVENTS.clear()
    _READ_EVENTS[slug] = (generation, now + READ_EVENT_SECONDS, pickle.dumps(event))
    return event
