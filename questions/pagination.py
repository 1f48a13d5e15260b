"""A paginator for tables too big to COUNT(*) on every page view."""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


class EstimatedCountPaginator(Paginator):
    """Counts exactly up to `exact_count_limit` rows (a bounded COUNT over a LIMIT subquery);
    beyond that, on PostgreSQL, uses the planner's row estimate for the same query.

    A moderator paging through 100,000 questions needs "about how many", not an exact
    sequential count on every click.
    """

    exact_count_limit = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        bounded = queryset.order_by()[: self.exact_count_limit + 1].count()
        if bounded <= self.exact_count_limit:
            return bounded
        return max(bounded, planner_estimate(queryset))


def planner_estimate(queryset) -> int:
    """The row count PostgreSQL's planner expects for `queryset` (0 where unavailable)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return 0
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
