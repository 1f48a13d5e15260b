import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.cached_pages import changes_at, public_page
from events.selectors import next_event_change, next_events
from portal.health import may_see_deep_check, run_checks
from questions.cards import question_cards
from questions.selectors import latest_answered_questions
from questions.tokens import confirmation_link_hours, make_form_started

# Hidden fields a form on a cached page leaves empty; a page that shows the form again fills them.
FRESH_FIELDS = {"form_started": make_form_started, "submission_token": lambda: uuid.uuid4().hex}


@public_page
def home(request: HttpRequest) -> HttpResponse:
    changes_at(request, next_event_change())  # an event opens, closes, starts or ends
    return render(
        request,
        "portal/home.html",
        {
            "upcoming_events": next_events(limit=3),
            "answered_questions": question_cards(
                latest_answered_questions(limit=4), show_event=True
            ),
        },
    )


@public_page
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


@public_page
def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/legal_notice.html")


@public_page
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


@never_cache
@require_safe
def form_tokens(request: HttpRequest) -> JsonResponse:
    """What a form on a cached page cannot carry (forms.js asks for it when the visitor starts
    filling it in): this browser's CSRF token (the cookie is set with this answer), the time the
    question form was started (signed) and a one-time submission token."""
    return JsonResponse(
        {"csrf": get_token(request)} | {name: make() for name, make in FRESH_FIELDS.items()}
    )


@never_cache
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW. A form sent from a cached page without JavaScript has no token: the
    visitor gets the same data back with a token and sends it again with one press. A request
    from another site (Origin or Referer refused) only gets the refusal."""
    same_site = not reason.startswith(("Origin checking failed", "Referer checking failed"))
    fields = []
    if same_site and request.method == "POST" and not request.FILES:
        for name, values in request.POST.lists():
            if name == "csrfmiddlewaretoken":
                continue
            fresh = FRESH_FIELDS.get(name)
            fields += [(name, value or (fresh() if fresh else "")) for value in values]
    return render(
        request,
        "403_csrf.html",
        {"fields": fields, "reason": reason, "action": request.get_full_path()},
        status=403,
    )
