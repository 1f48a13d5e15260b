from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.cached_pages import changes_at, public_page
from core.urls import absolute_reverse
from events.calendars import build_calendar, calendar_feed_events
from events.forms import EventFilterForm
from events.models import Event
from events.regions import Region
from events.selectors import PAST, UPCOMING, next_event_change, public_events

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


@public_page(params=("period", "region", "page"))
def event_list(request: HttpRequest) -> HttpResponse:
    """Tour events, upcoming or past, filterable by region (GET parameters, no JavaScript)."""
    changes_at(request, next_event_change())  # an event opens, closes, starts or ends
    form = EventFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(public_events(**filters), settings.QUESTIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "events/list.html",
        {
            "form": form,
            "page": page,
            "period": filters["period"],
            "region": filters["region"],
            "region_label": Region(filters["region"]).label if filters["region"] else "",
            "UPCOMING": UPCOMING,
            "PAST": PAST,
        },
    )


def event_page_url(event: Event) -> str:
    """Absolute URL of the event's public page in the active language."""
    return absolute_reverse("events:detail", kwargs={"slug": event.slug})


@require_safe
@cache_control(public=True, max_age=15 * 60)
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """One event as an .ics file that "Add to my calendar" downloads."""
    event = get_object_or_404(Event.objects.published().prefetch_related("themes"), slug=slug)
    body = build_calendar([event], name=event.i18n.title, page_url_for=event_page_url)
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
