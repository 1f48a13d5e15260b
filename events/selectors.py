"""Read-only queries on tour events for public pages."""

from django.db.models import QuerySet
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


def public_event(*, slug: str) -> Event:
    """One published event with its themes; raises Event.DoesNotExist otherwise."""
    return Event.objects.published().prefetch_related("themes").get(slug=slug)
