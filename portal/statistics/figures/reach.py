"""The reach figures: sums over the daily counter tables (plays, feeds, embeds), never over
events."""

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from portal.statistics.figures.base import Figure, Period
from portal.statistics.models import PlayCount, ReachCount, ReachKind
from questions.models import Question


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
