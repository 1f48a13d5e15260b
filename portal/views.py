from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from events.selectors import next_events
from portal.health import may_see_deep_check, run_checks
from questions.selectors import latest_answered_questions
from questions.tokens import confirmation_link_hours


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "upcoming_events": next_events(limit=3),
            "answered_questions": latest_answered_questions(limit=4),
        },
    )


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice quotes the retention periods actually configured."""
    return render(
        request,
        "portal/privacy.html",
        {
            "confirmation_hours": confirmation_link_hours(),
            "rejected_retention_days": settings.REJECTED_QUESTION_RETENTION_DAYS,
        },
    )


def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/legal_notice.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


def ratelimited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """RATELIMIT_VIEW: a friendly page in the visitor's language, with status 429."""
    return render(request, "429.html", status=429)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for anyone (the process answers; nothing is touched); every dependency for
    monitoring (HEALTHZ_TOKEN or loopback), 503 if one fails."""
    if not may_see_deep_check(request):
        return JsonResponse({"status": "ok"})
    checks = run_checks()
    healthy = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": checks, "time": timezone.now()},
        status=200 if healthy else 503,
    )
