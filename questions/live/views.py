"""The tour day's public pages: the live state (JSON polled every 2 s), the big screen, and the
short link its QR code points to. Read-only and cacheable; the console is in console.py."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.urls import absolute_reverse, site_url_parts
from events.models import Event
from events.selectors import public_event
from questions.live.qr import qr_svg
from questions.live.state import cached_state, page_state

JSON_CONTENT_TYPE = "application/json"


@require_safe
def state(request: HttpRequest, event_id: int) -> HttpResponse:
    """The event's live state: a cache read, and 304 when the client already has it."""
    cached = cached_state(event_id)
    if cached is None:
        raise Http404(_("This event does not exist or is not published."))
    seen = {tag.removeprefix("W/") for tag in parse_etags(request.headers.get("If-None-Match", ""))}
    if cached.etag in seen:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(cached.body, content_type=JSON_CONTENT_TYPE)
    response["ETag"] = cached.etag
    # Shared caches may keep it one second; browsers revalidate each poll (fetch "no-cache").
    response["Cache-Control"] = "public, max-age=1"
    return response


def short_link_path(event: Event) -> str:
    return reverse("room:short", kwargs={"event_id": event.pk})


@require_safe
def short_link(request: HttpRequest, event_id: int) -> HttpResponse:
    """The QR code's target: the event's question form, in the phone's language."""
    event = Event.objects.published().filter(pk=event_id).only("slug").first()
    if event is None:
        raise Http404(_("This event does not exist or is not published."))
    with translation.override(translation.get_language_from_request(request)):
        url = reverse("events:detail", kwargs={"slug": event.slug})
    return redirect(f"{url}#ask")


@require_safe
@cache_control(public=True, max_age=60)
def screen(request: HttpRequest, slug: str) -> HttpResponse:
    """The big screen for the hall's projector: the event, its QR code and short link, the
    questions ranked by supports with the one being answered highlighted. live.js keeps it
    current; it shows the state it was rendered with if scripts or the network fail."""
    try:
        event = public_event(slug=slug)
    except Event.DoesNotExist as error:
        raise Http404(_("This event does not exist or is not published.")) from error
    short_url = absolute_reverse("room:short", kwargs={"event_id": event.pk})
    return render(
        request,
        "questions/live/screen.html",
        {
            "event": event,
            "state": page_state(event.pk),
            "qr_svg": qr_svg(short_url),
            "short_url": short_url,
            "short_url_label": site_url_parts().netloc + short_link_path(event),
        },
    )
