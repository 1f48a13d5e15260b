"""The question figures: one GROUP BY per figure over the questions of the period (indexed
columns; medians by PostgreSQL's percentile_cont, computed in Python on SQLite)."""

import statistics

from django.conf import settings
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

from events.models import Event, Theme
from events.regions import CITIZEN_REGION_CHOICES
from portal.statistics.figures.base import Figure, Period
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
