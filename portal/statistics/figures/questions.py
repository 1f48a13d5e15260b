"""The question figures, read from the stored aggregates (questions.tallies): sums over the
daily tally rows of the period (a few thousand rows a year, whatever the number of questions), and
exact medians over the narrow table of per-question delays (PostgreSQL's percentile_cont; in
Python on SQLite)."""

import statistics

from django.conf import settings
from django.db.models import Aggregate, F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from events.models import Event, Theme
from events.regions import CITIZEN_REGION_CHOICES
from portal.statistics.figures.base import Figure, Period
from questions.models import QuestionDelay, QuestionTally, RejectionReason
from questions.tally_models import TallyDimension

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


def _in_period(rows: QuerySet, period: Period) -> QuerySet:
    if period.since:
        rows = rows.filter(day__gte=period.since)
    if period.until:
        rows = rows.filter(day__lte=period.until)
    return rows


def _tally_groups(dimension: str, period: Period) -> dict:
    """group → sums of the tally columns over the period."""
    tallies = _in_period(QuestionTally.objects.all(), period)
    if dimension == "month":
        tallies = tallies.filter(dimension=TallyDimension.ALL).annotate(group=TruncMonth("day"))
    else:
        tallies = tallies.filter(dimension=dimension).annotate(group=F("key"))
    sums = {name: Sum(name) for name in QuestionTally.COUNTS}
    rows = tallies.values("group").annotate(**sums).order_by()
    return {_group_key(dimension, row.pop("group")): row for row in rows if row["received"]}


def _group_key(dimension: str, value):
    """Tally keys are text; events and themes are ids (sorted as numbers), no theme is None."""
    if dimension in ("event", "theme"):
        return int(value) if value not in ("", None) else None
    return value


DELAY_GROUPS = {
    "event": "event_id",
    "theme": "theme_id",
    "region": "region",
    "language": "language",
}


def _medians(dimension: str, period: Period) -> dict:
    """group → (median seconds submitted → decided, median seconds selected → answered)."""
    group = TruncMonth("day") if dimension == "month" else F(DELAY_GROUPS[dimension])
    delays = _in_period(QuestionDelay.objects.all(), period).annotate(group=group)
    if settings.IS_POSTGRESQL:
        rows = delays.values("group").annotate(
            decision=Median("decision_seconds"), answer=Median("answer_seconds")
        )
        return {row["group"]: (row["decision"], row["answer"]) for row in rows.order_by()}
    # SQLite (development) has no percentile aggregate.
    lists: dict = {}
    for key, decision, answer in delays.values_list("group", "decision_seconds", "answer_seconds"):
        decisions, answers = lists.setdefault(key, ([], []))
        if decision is not None:
            decisions.append(decision)
        if answer is not None:
            answers.append(answer)
    return {
        key: tuple(statistics.median(values) if values else None for values in pair)
        for key, pair in lists.items()
    }


def _labels(dimension: str, keys: list) -> dict:
    if dimension == "event":
        return {event.pk: str(event.i18n.title) for event in Event.objects.filter(pk__in=keys)}
    if dimension == "theme":
        return {theme.pk: theme.localized_name for theme in Theme.objects.filter(pk__in=keys)}
    if dimension == "region":
        return {code: str(label) for code, label in CITIZEN_REGION_CHOICES}
    if dimension == "language":
        return dict(settings.LANGUAGES)
    return {key: date_format(key, "YEAR_MONTH_FORMAT") for key in keys if key}


def _days(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / DAY_SECONDS, 1)


def _sort_key(key) -> tuple:
    return (key is None, key if key is not None else 0)


def question_flow(dimension: str, period: Period) -> Figure:
    """Received → answered per group, with supports and the median delays."""
    groups = _tally_groups(dimension, period)
    medians = _medians(dimension, period)
    labels = _labels(dimension, list(groups))
    figure = Figure(
        key=f"flow-{dimension}",
        title=str(FLOW_TITLES[dimension]),
        headers=[str(DIMENSIONS[dimension])]
        + [str(label) for _key, label in FLOW_COLUMNS + MEDIAN_COLUMNS],
        series=[1, 3, 4, 7],  # received, approved, rejected, answered
    )
    for key in sorted(groups, key=_sort_key):
        decision, answer = medians.get(key, (None, None))
        figure.rows.append(
            [labels.get(key, key or "—")]
            + [groups[key][name] for name, _label in FLOW_COLUMNS]
            + [_days(decision), _days(answer)]
        )
    return figure


def rejections(period: Period) -> Figure:
    rows = (
        _in_period(QuestionTally.objects.filter(dimension=TallyDimension.REJECTION), period)
        .values("key")
        .annotate(count=Sum("rejected"))
        .filter(~Q(count=0))
        .order_by("-count", "key")
    )
    labels = dict(RejectionReason.choices)
    return Figure(
        key="rejections",
        title=str(_("Rejected questions by reason")),
        headers=[str(_("Reason")), str(_("Questions"))],
        rows=[[str(labels.get(row["key"], "—")), row["count"]] for row in rows],
        series=[1],
    )
