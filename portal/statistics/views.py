"""Staff: the statistics page, each figure's chart (SVG) and data (CSV). Public: the play beacon."""

import csv
import time
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.exceptions import Ratelimited

from portal.security import client_ip
from portal.statistics import charts, figures
from portal.statistics.counters import PLAY_EVENTS
from portal.statistics.forms import StatisticsForm
from portal.statistics.play_buffer import count_play
from questions.models import Question, QuestionState

PERMISSION = "portal.view_statistics"
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
ANSWER_ID_CACHE_SECONDS = 60
ANSWER_IDS_KEPT = 10_000


def statistics_page(view):
    return never_cache(login_required(permission_required(PERMISSION, raise_exception=True)(view)))


def _query(form: StatisticsForm) -> str:
    data = {key: value for key, value in form.data.items() if key in form.fields and value}
    return urlencode(data)


@require_safe
@statistics_page
def overview(request: HttpRequest) -> HttpResponse:
    form = StatisticsForm(request.GET or None)
    return render(
        request,
        "statistics/overview.html",
        {
            "form": form,
            "figures": figures.all_figures(form.group_by, form.period),
            "query": _query(form),
        },
    )


def _figure(request: HttpRequest, key: str) -> figures.Figure:
    form = StatisticsForm(request.GET or None)
    try:
        return figures.figure(key, form.period)
    except KeyError:
        raise Http404 from None


@require_safe
@statistics_page
@csp_replace({"style-src": ["'unsafe-inline'"], "default-src": ["'none'"]})
def chart(request: HttpRequest, key: str) -> HttpResponse:
    """One figure as an SVG image (its own CSP: pygal styles the SVG inline)."""
    svg = charts.render_svg(_figure(request, key))
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@require_safe
@statistics_page
def figure_csv(request: HttpRequest, key: str) -> HttpResponse:
    figure = _figure(request, key)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hors-les-murs-{figure.key}.csv"'
    writer = csv.writer(response)
    writer.writerow(figure.headers)
    writer.writerows(["" if value is None else value for value in row] for row in figure.rows)
    return response


# public id → (question id or 0, until): this process's memory, so a beacon reads nothing.
_answer_ids: dict[str, tuple[int, float]] = {}


def _answer_id(public_id: str) -> int | None:
    """The id of an answered question, remembered ANSWER_ID_CACHE_SECONDS (0: not an answer)."""
    now = time.monotonic()
    known = _answer_ids.get(public_id)
    if known is None or known[1] < now:
        question_id = (
            Question.objects.filter(public_id=public_id, state=QuestionState.ANSWERED)
            .values_list("pk", flat=True)
            .first()
        ) or 0
        if len(_answer_ids) >= ANSWER_IDS_KEPT:  # made-up ids cannot grow it without bound
            _answer_ids.clear()
        known = _answer_ids[public_id] = (question_id, now + ANSWER_ID_CACHE_SECONDS)
    return known[0] or None


@csrf_exempt  # anonymous and cookieless: sent by the player from cached pages without a token
@require_POST
def play_beacon(request: HttpRequest) -> HttpResponse:
    """`POST question=<public id>&event=start|end&lang=<page language>`: counts one play event.

    One Redis round trip (rate limit per address and count together, see play_buffer); the answer's
    id comes from this process's memory once known."""
    event = request.POST.get("event", "")
    language = request.POST.get("lang", "")
    question_id = _answer_id(request.POST.get("question", "")[:12])
    if event not in PLAY_EVENTS or language not in LANGUAGE_CODES or question_id is None:
        return HttpResponse(status=400)
    if not count_play(
        question_id=question_id, language=language, event=event, address=client_ip(request)
    ):
        raise Ratelimited()  # RatelimitMiddleware answers with the 429 page, as for the others
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response
