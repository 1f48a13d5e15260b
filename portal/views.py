from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from events.models import Event
from portal.health import run_checks


def home(request: HttpRequest) -> HttpResponse:
    upcoming_events = Event.objects.published().upcoming().prefetch_related("themes")[:6]
    return render(request, "portal/home.html", {"upcoming_events": upcoming_events})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    healthy = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": checks, "time": timezone.now()},
        status=200 if healthy else 503,
    )
