from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from events.calendars import build_calendar, calendar_feed_events
from events.models import Event

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


def event_page_url(event: Event) -> str | None:
    """Absolute URL of the event's public page in the active language."""
    try:
        return settings.SITE_URL + reverse("events:detail", kwargs={"slug": event.slug})
    except NoReverseMatch:  # the public event page is not routed (yet)
        return None


@require_safe
@cache_control(public=True, max_age=15 * 60)
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """One event as an .ics file that "Add to my calendar" downloads."""
    event = get_object_or_404(Event.objects.published().prefetch_related("themes"), slug=slug)
    body = build_calendar([event], name=event.title, page_url_for=event_page_url)
    response = HttpResponse(body, content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@require_safe
@cache_control(public=True, max_age=15 * 60)
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """The tour's upcoming events as a calendar to subscribe to (webcal://)."""
    body = build_calendar(
        calendar_feed_events(),
        name=_("Le Quai d’Orsay Hors les Murs — tour events"),
        page_url_for=event_page_url,
    )
    response = HttpResponse(body, content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="hors-les-murs.ics"'
    return response
