"""The spokesperson's briefing pages: print-ready HTML, CSV and PDF downloads (in French), for
the staff who select questions (questions.select_question)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from events.models import Event
from questions import briefing, workflow


def staff_only(view):
    return login_required(permission_required(workflow.SELECT, raise_exception=True)(view))


def chosen_event(request: HttpRequest) -> Event | None:
    event_id = request.GET.get("event", "")
    return Event.objects.filter(pk=event_id).first() if event_id.isdigit() else None


def download_name(event: Event | None, extension: str) -> str:
    scope = event.slug if event else "toutes-les-etapes"
    return f"briefing-{scope}-{timezone.localdate().isoformat()}.{extension}"


@require_safe
@never_cache
@staff_only
def briefing_page(request: HttpRequest) -> HttpResponse:
    event = chosen_event(request)
    return render(
        request,
        "questions/briefing.html",
        {
            "event": event,
            "events": Event.objects.filter(questions__state=workflow.SELECT_FOR_ANSWER.target)
            .distinct()
            .order_by("-starts_at"),
            "rows": briefing.briefing_rows(event=event),
            "title": briefing.briefing_title(event),
            "query": f"?event={event.pk}" if event else "",
        },
    )


@require_safe
@never_cache
@staff_only
def briefing_csv(request: HttpRequest) -> HttpResponse:
    event = chosen_event(request)
    with translation.override("fr"):
        body = briefing.briefing_csv(briefing.briefing_rows(event=event))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{download_name(event, "csv")}"'
    return response


@require_safe
@never_cache
@staff_only
def briefing_pdf(request: HttpRequest) -> HttpResponse:
    event = chosen_event(request)
    with translation.override("fr"):
        rows = briefing.briefing_rows(event=event)
        body = briefing.briefing_pdf(rows, title=briefing.briefing_title(event))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{download_name(event, "pdf")}"'
    return response
