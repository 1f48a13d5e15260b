"""Reads of the live console: one query for every question the moderator acts on in the hall."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from events.models import Event
from questions.live.models import LiveEvent
from questions.models import Question
from questions.models import QuestionState as S

# Live moderation's short queue: the oldest waiting questions of the event, a few at a time.
QUEUE_LIMIT = 8
RANKED_LIMIT = 40
CONSOLE_STATES = (S.SUBMITTED, S.APPROVED, S.SELECTED, S.SHORTLISTED, S.ANSWERING, S.ON_STAGE)


@dataclass
class Console:
    live: LiveEvent
    queue: list[Question] = field(default_factory=list)
    queue_total: int = 0
    now: Question | None = None
    shortlist: list[Question] = field(default_factory=list)
    ranked: list[Question] = field(default_factory=list)
    on_stage: list[Question] = field(default_factory=list)


def live_row(event: Event) -> LiveEvent:
    """The event's live row, unsaved (never live) if it has none."""
    return LiveEvent.objects.filter(event=event).first() or LiveEvent(event=event)


def console(event: Event) -> Console:
    live = live_row(event)
    rows = list(
        Question.objects.filter(event=event, state__in=CONSOLE_STATES)
        .select_related("theme")
        .order_by("-support_count", "approved_at", "pk")
    )
    by_state: dict[str, list[Question]] = {}
    for row in rows:
        by_state.setdefault(row.state, []).append(row)
    queue = sorted(by_state.get(S.SUBMITTED, []), key=lambda q: q.confirmed_at or q.created_at)
    answering = by_state.get(S.ANSWERING, [])
    return Console(
        live=live,
        queue=queue[:QUEUE_LIMIT] if live.live_moderation else [],
        queue_total=len(queue),
        now=answering[0] if answering else None,
        shortlist=sorted(
            by_state.get(S.SHORTLISTED, []), key=lambda q: (q.shortlist_position or 0, q.pk)
        ),
        ranked=[q for q in rows if q.state in (S.APPROVED, S.SELECTED)][:RANKED_LIMIT],
        on_stage=sorted(
            by_state.get(S.ON_STAGE, []), key=lambda q: q.stage_ended_at or q.updated_at
        ),
    )


def console_events() -> list[Event]:
    """Events a moderator may run live: published ones from yesterday on, soonest first."""
    since = timezone.now() - timedelta(days=1)
    return list(Event.objects.published().filter(ends_at__gte=since).order_by("starts_at")[:30])


def stage_marks(event: Event) -> list[tuple[str, str, object, object]]:
    """(public id, title, "now answering" pressed at, "answered on stage" pressed at) of the
    event's questions answered on stage, in the order they were taken: the recording's chapters
    are pre-filled from them (media_pipeline.chapters)."""
    return list(
        Question.objects.filter(event=event, state=S.ON_STAGE, stage_started_at__isnull=False)
        .order_by("stage_started_at", "pk")
        .values_list("public_id", "title", "stage_started_at", "stage_ended_at")
    )
