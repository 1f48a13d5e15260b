"""The figures of the statistics page. Each is a Figure (title, columns, rows): the page shows it
as a table beside its chart, and the same object becomes the chart's SVG and its CSV file.

Questions (figures/questions.py): sums over the stored daily tallies (questions.tallies, kept by
the workflow services) and medians over the stored per-question delays, never over the questions.
Reach (figures/reach.py): sums over the daily counter tables, never over events.
"""

from django.core.cache import cache

from core.i18n import current_language
from portal.statistics.figures.base import Figure, Period
from portal.statistics.figures.questions import (
    DIMENSIONS,
    FLOW_COLUMNS,
    MEDIAN_COLUMNS,
    question_flow,
    rejections,
)
from portal.statistics.figures.reach import (
    plays_per_answer,
    plays_per_day,
    plays_per_language,
    views_per_kind,
)

__all__ = [
    "DIMENSIONS",
    "FIGURES",
    "FLOW_COLUMNS",
    "MEDIAN_COLUMNS",
    "Figure",
    "Period",
    "all_figures",
    "figure",
    "plays_per_answer",
    "plays_per_day",
    "plays_per_language",
    "question_flow",
    "rejections",
    "views_per_kind",
]

CACHE_SECONDS = 5 * 60

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
