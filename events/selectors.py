"""Read-only queries on tour events for public pages."""

from datetime import datetime

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

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


def public_event(*, slug: str) -> Event:
    """One published event with its themes; raises Event.DoesNotExist otherwise."""
    return Event.objects.published().prefetch_related("themes").get(slug=slug)
