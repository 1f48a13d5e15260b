"""The spokesperson's briefing pages: print-ready HTML, CSV and PDF downloads (in French), for
the staff who select questions (questions.select_question)."""

from urllib.parse import urlencode

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


def chosen_ids(request: HttpRequest) -> list[int] | None:
    """The questions chosen in the admin (`?questions=3,5,8`), or None for a whole event."""
    if "questions" not in request.GET:
        return None
    return [int(part) for part in request.GET["questions"].split(",") if part.isdigit()][:500]


def scope_query(event: Event | None, ids: list[int] | None) -> str:
    if ids is not None:
        return "?" + urlencode({"questions": ",".join(map(str, ids))})
    return f"?event={event.pk}" if event else ""


def download_name(event: Event | None, extension: str, *, chosen: bool = False) -> str:
    scope = "selection" if chosen else event.slug if event else "toutes-les-etapes"
    return f"briefing-{scope}-{timezone.localdate().isoformat()}.{extension}"


@require_safe
@never_cache
@staff_only
def briefing_page(request: HttpRequest) -> HttpResponse:
    event, ids = chosen_event(request), chosen_ids(request)
    if ids is not None:
        event = None
    return render(
        request,
        "questions/briefing.html",
        {
            "event": event,
            "events": Event.objects.filter(questions__state=workflow.SELECT_FOR_ANSWER.target)
            .distinct()
            .order_by("-starts_at"),
            "rows": briefing.briefing_rows(event=event, ids=ids),
            "title": briefing.briefing_title(event, chosen=ids is not None),
            "chosen": ids is not None,
            "query": scope_query(event, ids),
        },
    )


@require_safe
@never_cache
@staff_only
def briefing_csv(request: HttpRequest) -> HttpResponse:
    event, ids = chosen_event(request), chosen_ids(request)
    with translation.override("fr"):
        body = briefing.briefing_csv(briefing.briefing_rows(event=event, ids=ids))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{download_name(event, "csv", chosen=ids is not None)}"'
    )
    return response


@require_safe
@never_cache
@staff_only
def briefing_pdf(request: HttpRequest) -> HttpResponse:
    event, ids = chosen_event(request), chosen_ids(request)
    with translation.override("fr"):
        rows = briefing.briefing_rows(event=event, ids=ids)
        title = briefing.briefing_title(event, chosen=ids is not None)
        body = briefing.briefing_pdf(rows, title=title)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{download_name(event, "pdf", chosen=ids is not None)}"'
    )
    return response
