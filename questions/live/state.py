"""An event's live state as one small JSON document, the same for every client in the room.

Built with three queries at most, kept in the shared cache, and forgotten after each change the
room must see (the version bumps in the change's transaction; the cached copy is deleted once
it commits). Hundreds of phones and the big screen polling every 2 s then cost one cache read
each, and a 304 when nothing changed.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import page_cache
from core.page_cache import bump_on_commit, event_scope
from events.models import Event
from questions.live.models import LiveEvent
from questions.models import Question
from questions.models import QuestionState as S
from questions.workflow import LIVE_LIST_STATES

STATE_KEY = "questions:live:state:{event_id}"
# A safety net only: every change deletes the cached copy. Bounds how long a copy built from a
# read that raced a commit can live.
STATE_SECONDS = 5
# The most supported questions the room sees (the big screen shows the first ones).
LIST_LIMIT = 20
POLL_SECONDS = 2
# Around the event's hours, its page watches for the event to go live (its cached copy expires
# at these moments: core.page_cache.event_moments).
EVENT_DAY_MARGIN = page_cache.EVENT_DAY_MARGIN
QUESTION_FIELDS = ("public_id", "slug", "title", "display_name", "support_count", "language")


@dataclass(frozen=True)
class CachedState:
    body: bytes
    etag: str


def _question(row: Question) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "slug": row.slug,
        "title": row.title,
        "name": row.display_name,
        "supports": row.support_count,
        "lang": row.language,
        "state": row.state,
    }


def build_state(event: Event) -> dict[str, Any]:
    """The state itself: whether the event is live, the question being answered now, the
    shortlist in its order, the approved questions ranked by supports, those answered on stage."""
    live = getattr(event, "live", None)  # no row: never live
    stage = list(
        Question.objects.filter(event=event, state__in=(S.SHORTLISTED, S.ANSWERING, S.ON_STAGE))
        .only(*QUESTION_FIELDS, "state", "shortlist_position", "stage_ended_at")
        .order_by("shortlist_position", "stage_ended_at", "pk")
    )
    ranked = (
        Question.objects.filter(event=event, state__in=LIVE_LIST_STATES)
        .only(*QUESTION_FIELDS, "state")
        .order_by("-support_count", "approved_at", "pk")[:LIST_LIMIT]
    )
    now = next((row for row in stage if row.state == S.ANSWERING), None)
    return {
        "version": live.version if live else 0,
        "live": bool(live and live.is_live),
        "moderation": bool(live and live.live_moderation),
        "now": _question(now) if now else None,
        "shortlist": [_question(row) for row in stage if row.state == S.SHORTLISTED],
        "questions": [_question(row) for row in ranked],
        "on_stage": [_question(row) for row in stage if row.state == S.ON_STAGE],
        "poll_seconds": POLL_SECONDS,
    }


def live_event(event_id: int) -> Event | None:
    """The published event with its live row (one query), or None."""
    return Event.objects.published().select_related("live").filter(pk=event_id).first()


def cached_state(event_id: int) -> CachedState | None:
    """The event's state as JSON bytes and their ETag, from the cache when there; None for an
    event that is not published. A cache hit costs no query."""
    key = STATE_KEY.format(event_id=event_id)
    cached = cache.get(key)
    if cached is not None:
        return cached
    event = live_event(event_id)
    if event is None:
        return None
    state = build_state(event)
    body = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode()
    digest = hashlib.sha256(body).hexdigest()[:16]
    cached = CachedState(body=body, etag=f'"{state["version"]}-{digest}"')
    cache.set(key, cached, STATE_SECONDS)
    return cached


def forget_live_state(event_id: int) -> None:
    """Delete the cached state now: called once a change has committed (a support)."""
    cache.delete(STATE_KEY.format(event_id=event_id))


def bump_live_version(event_id: int) -> None:
    """A change the room must see (a question moved, the event switched live): bump the version
    in this transaction, forget the cached state after it commits. Events never live have no
    live row: nothing to do (their state, if cached, expires within STATE_SECONDS)."""
    if LiveEvent.objects.filter(event_id=event_id).update(version=F("version") + 1):
        transaction.on_commit(lambda: forget_live_state(event_id))
        # The event page shows the room's state when it is rendered: its cached copies too.
        slug = Event.objects.filter(pk=event_id).values_list("slug", flat=True).first()
        if slug:
            bump_on_commit(event_scope(slug))


def page_state(event_id: int) -> dict[str, Any]:
    """The state as a page renders it first (the same document the clients poll)."""
    cached = cached_state(event_id)
    return json.loads(cached.body) if cached else {}


def page_state_if_live(event: Event) -> dict[str, Any]:
    """The state for the event page: the cached one, else (one query) nothing unless live.
    `watch` says whether the page polls: while live, and on the event's day (a page cached
    before the moderator went live still shows the live panel once it is)."""
    cached = cache.get(STATE_KEY.format(event_id=event.pk))
    if cached is None and not LiveEvent.objects.filter(event_id=event.pk, is_live=True).exists():
        state: dict[str, Any] = {"live": False}
    else:
        state = json.loads(cached.body) if cached else page_state(event.pk)
    now = timezone.now()
    on_the_day = event.starts_at - EVENT_DAY_MARGIN <= now <= event.ends_at + EVENT_DAY_MARGIN
    return {**state, "watch": state["live"] or on_the_day}
