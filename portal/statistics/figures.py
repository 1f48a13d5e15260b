"""The figures of the statistics page. Each is a Figure (title, columns, rows): the page shows it
as a table beside its chart, and the same object becomes the chart's SVG and its CSV file.

Questions: one GROUP BY per figure over the questions of the period (indexed columns; medians by
PostgreSQL's percentile_cont). Reach: sums over the daily counter tables, never over events.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Aggregate,
    Count,
    DateTimeField,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.i18n import current_language
from events.models import Event, Theme
from events.regions import CITIZEN_REGION_CHOICES
from portal.statistics.models import PlayCount, ReachCount, ReachKind
from questions.models import Question, RejectionReason
from questions.models import QuestionState as S

DIMENSIONS = {
    "event": _("Event"),
    "theme": _("Theme"),
    "region": _("Citizen’s region"),
    "language": _("Language"),
    "month": _("Month"),
}
FLOW_TITLES = {
    "event": _("Questions per event"),
    "theme": _("Questions per theme"),
    "region": _("Questions per citizen’s region"),
    "language": _("Questions per language"),
    "month": _("Questions per month"),
}
# (column key, heading): the question flow, in workflow order.
FLOW_COLUMNS = [
    ("received", _("Received")),
    ("confirmed", _("Confirmed")),
    ("approved", _("Approved")),
    ("rejected", _("Rejected")),
    ("merged", _("Merged")),
    ("selected", _("Selected")),
    ("answered", _("Answered")),
    ("supports", _("Supports")),
]
MEDIAN_COLUMNS = [
    ("decision_days", _("Median days, submitted → decided")),
    ("answer_days", _("Median days, selected → answered")),
]
DAY_SECONDS = 86400
CACHE_SECONDS = 5 * 60


@dataclass
class Period:
    since: date | None = None
    until: date | None = None

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        start = timezone.make_aware(datetime.combine(self.since, time.min)) if self.since else None
        end = (
            timezone.make_aware(datetime.combine(self.until + timedelta(days=1), time.min))
            if self.until
            else None
        )
        return start, end


@dataclass
class Figure:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    chart: str = "bar"  # bar (grouped horizontal bars per row) or line (series over days)
    series: list[int] = field(default_factory=list)  # column indexes drawn in the chart

    @property
    def is_empty(self) -> bool:
        return not self.rows


class Median(Aggregate):
    """PostgreSQL's median of a numeric expression (NULLs ignored)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class EpochSeconds(Func):
    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


def _questions(period: Period) -> QuerySet[Question]:
    start, end = period.bounds()
    questions = Question.objects.all()
    if start:
        questions = questions.filter(created_at__gte=start)
    if end:
        questions = questions.filter(created_at__lt=end)
    return questions


def _decided_at():
    return Coalesce("approved_at", "rejected_at", output_field=DateTimeField())


def _group_expression(dimension: str):
    if dimension == "month":
        return TruncMonth("created_at")
    return F({"event": "event_id", "theme": "theme_id"}.get(dimension, dimension))


def _labels(dimension: str, keys: list) -> dict:
    if dimension == "event":
        return {event.pk: str(event.i18n.title) for event in Event.objects.filter(pk__in=keys)}
    if dimension == "theme":
        return {theme.pk: theme.localized_name for theme in Theme.objects.filter(pk__in=keys)}
    if dimension == "region":
        return {code: str(label) for code, label in CITIZEN_REGION_CHOICES}
    if dimension == "language":
        return dict(settings.LANGUAGES)
    return {key: date_format(timezone.localtime(key), "YEAR_MONTH_FORMAT") for key in keys if key}


def _days(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / DAY_SECONDS, 1)


def question_flow(dimension: str, period: Period) -> Figure:
    """Received → answered per group, with supports and the median delays."""
    counts = {
        "received": Count("pk"),
        "confirmed": Count("pk", filter=Q(confirmed_at__isnull=False)),
        "approved": Count("pk", filter=Q(approved_at__isnull=False)),
        "rejected": Count("pk", filter=Q(state=S.REJECTED)),
        "merged": Count("pk", filter=Q(state=S.DUPLICATE)),
        "selected": Count("pk", filter=Q(selected_at__isnull=False)),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "supports": Coalesce(Sum("support_count"), 0),
    }
    questions = _questions(period).annotate(group=_group_expression(dimension)).values("group")
    if settings.IS_POSTGRESQL:
        counts["decision_seconds"] = Median(EpochSeconds(_decided_at() - F("confirmed_at")))
        counts["answer_seconds"] = Median(EpochSeconds(F("answered_at") - F("selected_at")))
    rows = list(questions.annotate(**counts).order_by("group"))
    if not settings.IS_POSTGRESQL:
        _python_medians(dimension, period, rows)
    labels = _labels(dimension, [row["group"] for row in rows])
    figure = Figure(
        key=f"flow-{dimension}",
        title=str(FLOW_TITLES[dimension]),
        headers=[str(DIMENSIONS[dimension])]
        + [str(label) for _key, label in FLOW_COLUMNS + MEDIAN_COLUMNS],
        series=[1, 3, 4, 7],  # received, approved, rejected, answered
    )
    for row in rows:
        figure.rows.append(
            [labels.get(row["group"], row["group"] or "—")]
            + [row[key] for key, _label in FLOW_COLUMNS]
            + [_days(row["decision_seconds"]), _days(row["answer_seconds"])]
        )
    return figure


def _python_medians(dimension: str, period: Period, rows: list[dict]) -> None:
    """SQLite (development) has no percentile aggregate: medians from the rows themselves."""
    delays: dict = {}
    values = (
        _questions(period)
        .annotate(group=_group_expression(dimension), decided=_decided_at())
        .values_list("group", "confirmed_at", "decided", "selected_at", "answered_at")
    )
    for group, confirmed, decided, selected, answered in values:
        decision, answer = delays.setdefault(group, ([], []))
        if confirmed and decided:
            decision.append((decided - confirmed).total_seconds())
        if selected and answered:
            answer.append((answered - selected).total_seconds())
    for row in rows:
        decision, answer = delays.get(row["group"], ([], []))
        row["decision_seconds"] = statistics.median(decision) if decision else None
        row["answer_seconds"] = statistics.median(answer) if answer else None


def rejections(period: Period) -> Figure:
    rows = (
        _questions(period)
        .filter(state=S.REJECTED)
        .values("rejection_reason")
        .annotate(count=Count("pk"))
        .order_by("-count", "rejection_reason")
    )
    labels = dict(RejectionReason.choices)
    return Figure(
        key="rejections",
        title=str(_("Rejected questions by reason")),
        headers=[str(_("Reason")), str(_("Questions"))],
        rows=[[str(labels.get(row["rejection_reason"], "—")), row["count"]] for row in rows],
        series=[1],
    )


def _counter_period(queryset: QuerySet, period: Period) -> QuerySet:
    if period.since:
        queryset = queryset.filter(day__gte=period.since)
    if period.until:
        queryset = queryset.filter(day__lte=period.until)
    return queryset


def plays_per_day(period: Period) -> Figure:
    rows = (
        _counter_period(PlayCount.objects.all(), period)
        .values("day")
        .annotate(started=Sum("started"), completed=Sum("completed"))
        .order_by("day")
    )
    return Figure(
        key="plays-day",
        title=str(_("Answer plays per day")),
        headers=[str(_("Day")), str(_("Started")), str(_("Watched to the end"))],
        rows=[[row["day"].isoformat(), row["started"], row["completed"]] for row in rows],
        chart="line",
        series=[1, 2],
    )


def plays_per_answer(period: Period, limit: int = 20) -> Figure:
    # Sum per question id first (the counters alone), then read the titles of the top ones only.
    top = list(
        _counter_period(PlayCount.objects.all(), period)
        .values("question_id")
        .annotate(started=Sum("started"), completed=Sum("completed"))
        .order_by("-started", "question_id")[:limit]
    )
    titles = dict(
        Question.objects.filter(pk__in=[row["question_id"] for row in top]).values_list(
            "pk", "title"
        )
    )
    return Figure(
        key="plays-answer",
        title=str(_("Most played answers")),
        headers=[str(_("Question")), str(_("Started")), str(_("Watched to the end"))],
        rows=[
            [titles.get(row["question_id"], "—"), row["started"], row["completed"]] for row in top
        ],
        series=[1, 2],
    )


def plays_per_language(period: Period) -> Figure:
    rows = (
        _counter_period(PlayCount.objects.all(), period)
        .values("language")
        .annotate(started=Sum("started"), completed=Sum("completed"))
        .order_by("-started", "language")
    )
    names = dict(settings.LANGUAGES)
    return Figure(
        key="plays-language",
        title=str(_("Answer plays per page language")),
        headers=[str(_("Language")), str(_("Started")), str(_("Watched to the end"))],
        rows=[
            [names.get(row["language"], row["language"]), row["started"], row["completed"]]
            for row in rows
        ],
        series=[1, 2],
    )


def views_per_kind(period: Period) -> Figure:
    rows = (
        _counter_period(ReachCount.objects.all(), period)
        .values("kind")
        .annotate(count=Sum("count"))
        .order_by("kind")
    )
    labels = dict(ReachKind.choices)
    return Figure(
        key="views",
        title=str(_("Feeds, embedded players and oEmbed")),
        headers=[str(_("Kind")), str(_("Requests"))],
        rows=[[str(labels.get(row["kind"], row["kind"])), row["count"]] for row in rows],
        series=[1],
    )


FIGURES = {
    "rejections": rejections,
    "plays-day": plays_per_day,
    "plays-answer": plays_per_answer,
    "plays-language": plays_per_language,
    "views": views_per_kind,
}


def _compute(key: str, period: Period) -> Figure:
    if key.startswith("flow-"):
        dimension = key.removeprefix("flow-")
        if dimension not in DIMENSIONS:
            raise KeyError(key)
        return question_flow(dimension, period)
    return FIGURES[key](period)


def figure(key: str, period: Period) -> Figure:
    """One figure by its key; KeyError if unknown. Kept CACHE_SECONDS in the shared cache: the
    page, its charts and its CSV files read the same figures, and the counts may be minutes old.
    """
    language = current_language()
    cache_key = f"statistics:{key}:{period.since}:{period.until}:{language}"
    found = cache.get(cache_key)
    if found is None:
        found = _compute(key, period)
        cache.set(cache_key, found, CACHE_SECONDS)
    return found


def all_figures(dimension: str, period: Period) -> list[Figure]:
    return [figure(f"flow-{dimension}", period), *(figure(key, period) for key in FIGURES)]
