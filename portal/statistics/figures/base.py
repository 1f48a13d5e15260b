"""What every figure is: a Figure (title, columns, rows) over a Period of days."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone


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
