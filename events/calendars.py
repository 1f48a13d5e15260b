"""iCalendar (RFC 5545) exports of tour events: one file per event and a subscribable feed.

Times are written in the event's own zone (Europe/Paris, or an overseas region's) with its
VTIMEZONE, so calendar apps show the right hour whatever the subscriber's zone. UIDs are stable
per event so that a re-import or a feed refresh updates the entry instead of duplicating it.
"""

from collections.abc import Callable, Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.urls import site_url_parts
from events.models import Event

PRODID = "-//Ministère de l'Europe et des Affaires étrangères//Hors les Murs//FR"
# Subscribed calendars drop what leaves the feed: keep recent events a while so that an attendee's
# calendar does not lose the event the day after.
RECENT_PAST = timedelta(days=30)
REFRESH_INTERVAL = timedelta(hours=6)


def calendar_feed_events(now=None) -> QuerySet[Event]:
    """Published events that end in the future or ended recently, soonest first."""
    now = now or timezone.now()
    return (
        Event.objects.published()
        .filter(ends_at__gte=now - RECENT_PAST)
        .order_by("starts_at")
        .prefetch_related("themes")
    )


def event_uid(event: Event) -> str:
    host = site_url_parts().hostname or "horslesmurs"
    return f"event-{event.pk}@{host}"


def event_location(event: Event) -> str:
    text = event.i18n
    parts = [text.venue, text.address, event.city]
    return ", ".join(part.strip() for part in parts if part and part.strip())


def _description(event: Event, page_url: str) -> str:
    lines = []
    text = event.i18n
    if text.description:
        lines.append(text.description.strip())
    if text.speaker_list:
        lines.append(_("Speakers:") + " " + "; ".join(text.speaker_list))
    close = timezone.localtime(event.questions_close_at, ZoneInfo(event.time_zone))
    lines.append(
        _("Questions accepted until %(date)s.") % {"date": date_format(close, "DATETIME_FORMAT")}
    )
    lines.append(page_url)
    return "\n\n".join(lines)


def ical_event(event: Event, *, page_url: str) -> icalendar.Event:
    """One VEVENT. `page_url` is the absolute URL of the event's page, in the reader's language."""
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    # Without METHOD-specific semantics, DTSTAMP is when the information last changed (RFC 5545).
    vevent.add("dtstamp", event.updated_at.astimezone(ZoneInfo("UTC")))
    vevent.add("created", event.created_at.astimezone(ZoneInfo("UTC")))
    vevent.add("last-modified", event.updated_at.astimezone(ZoneInfo("UTC")))
    vevent.add("summary", event.i18n.title)
    local = ZoneInfo(event.time_zone)
    vevent.add("dtstart", event.starts_at.astimezone(local))
    vevent.add("dtend", event.ends_at.astimezone(local))
    vevent.add("location", event_location(event))
    vevent.add("description", _description(event, page_url))
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    themes = [theme.localized_name for theme in event.themes.all()]
    if themes:
        vevent.add("categories", themes)
    vevent.add("url", page_url)
    return vevent


def build_calendar(
    events: Iterable[Event], *, name: str, page_url_for: Callable[[Event], str]
) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    # An X- property has no known type: without vDuration it would be written as "6:00:00".
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    for event in events:
        calendar.add_component(ical_event(event, page_url=page_url_for(event)))
    calendar.add_missing_timezones()
    return calendar.to_ical()
