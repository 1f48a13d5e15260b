"""Read-only queries for the public pages and the moderation admin, built so a page's query
count stays constant."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet

from core.i18n import current_language
from events.models import Event
from questions import spoken, workflow
from questions.models import Question
from questions.models import QuestionState as S
from questions.workflow import MERGE_TARGET_STATES, PUBLIC_STATES

SORT_SUPPORTS = "supports"
SORT_NEWEST = "newest"
SORTS = (SORT_SUPPORTS, SORT_NEWEST)
# What a question card shows (questions.cards): an event page reads only these columns.
CARD_FIELDS = (
    "public_id",
    "slug",
    "title",
    "language",
    "text",
    "display_name",
    "state",
    "support_count",
    "event_id",
    "theme",
)


def public_questions() -> QuerySet[Question]:
    return Question.objects.public().select_related("event", "theme")


def public_questions_for_event(*, event: Event, sort: str = SORT_SUPPORTS) -> QuerySet[Question]:
    ordering = (
        ("-support_count", "-approved_at", "-pk")
        if sort == SORT_SUPPORTS
        else ("-approved_at", "-pk")
    )
    return (
        Question.objects.public()
        .filter(event=event)
        .select_related("theme")
        .only(*CARD_FIELDS)
        .order_by(*ordering)
    )


def public_question(*, public_id: str) -> Question:
    """A public question with everything its page shows; Question.DoesNotExist otherwise.

    The answer video, or the question's chapter in its event's recording, is reached through
    its reverse relation (no import of media_pipeline).
    """
    return (
        Question.objects.public()
        .select_related("event", "theme", "answer_video", "recording_chapter__recording")
        .prefetch_related(
            "answer_video__captions",
            "answer_video__renditions",
            "recording_chapter__recording__captions",
        )
        .get(public_id=public_id)
    )


def published_answer_video(question: Question):
    """The question's answer video if it is published, else None."""
    try:
        video = question.answer_video
    except Question.answer_video.RelatedObjectDoesNotExist:
        return None
    return video if video.is_public else None


def published_chapter(question: Question):
    """The question's moment in its event's recording (answered on stage), if that chapter and
    the recording are published, else None. No query when selected with the question."""
    try:
        chapter = question.recording_chapter
    except ObjectDoesNotExist:
        return None
    return chapter if chapter.published_at and chapter.recording.is_public else None


def published_recording(event: Event):
    """The event's recording once published, with `published_chapters` (its public questions
    answered on stage, in order) and its captions; None before. Three queries."""
    try:
        recording = event.recording
    except ObjectDoesNotExist:
        return None
    if not recording.is_public:
        return None
    recording.published_chapters = list(
        recording.chapters.filter(published_at__isnull=False, question__state__in=PUBLIC_STATES)
        .select_related("question")
        .order_by("start_seconds", "pk")
    )
    # The question pages and the embed show the chapter from the question's side.
    for chapter in recording.published_chapters:
        chapter.question.event = event
    return recording


def latest_answered_questions(*, limit: int = 4) -> list[Question]:
    return list(
        Question.objects.filter(state=S.ANSWERED)
        .select_related("event", "theme")
        .order_by("-answered_at", "-pk")[:limit]
    )


def search_public_questions(
    *,
    text: str = "",
    event: Event | None = None,
    theme=None,
    region: str = "",
    answered: str = "",
    language: str = "",
) -> QuerySet[Question]:
    """Public questions matching words and filters, best match first when words are given.

    PostgreSQL: full-text search with the French configuration without accents (stemming and
    accent folding: "elections" finds "élection"). Elsewhere (the SQLite default): every word
    must appear in title or text. Either way, what the answer says (its reviewed captions, in
    `language` or the answer's, and its transcript) matches too (questions/spoken.py).
    """
    questions = public_questions()
    if event is not None:
        questions = questions.filter(event=event)
    if theme is not None:
        questions = questions.filter(theme=theme)
    if region:
        questions = questions.filter(event__region=region)
    if answered == "yes":
        questions = questions.filter(state=S.ANSWERED)
    elif answered == "no":
        questions = questions.exclude(state=S.ANSWERED)
    text = " ".join(text.split())
    if not text:
        return questions.order_by("-approved_at", "-pk")
    said = spoken.spoken_filter(text, language or current_language())
    if settings.IS_POSTGRESQL:
        return _full_text(questions, text, said)
    written = Q()
    for word in text.split():
        written &= Q(title__icontains=word) | Q(text__icontains=word)
    return questions.filter(written | said).order_by("-support_count", "-approved_at", "-pk")


# French stemming after unaccent (migration 0005 creates it, with the index of search_vector()).
SEARCH_CONFIG = "french_unaccent"


def search_vector():
    """Title (weight A) and text (weight B) in French; migration 0005 indexes this expression."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "text", weight="B", config=SEARCH_CONFIG
    )


def _full_text(questions: QuerySet[Question], text: str, said: Q) -> QuerySet[Question]:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    vector = search_vector()
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    return (
        questions.annotate(search=vector, rank=SearchRank(vector, query))
        .filter(Q(search=query) | said)
        .order_by("-rank", "-support_count", "-pk")
    )


# --- Moderation (admin) --------------------------------------------------------------------------

STATE_COUNTS_CACHE_KEY = "questions:admin:state-counts:{scope}"
STATE_COUNTS_CACHE_SECONDS = 20


def state_counts(*, public_only: bool = False) -> dict[str, int]:
    """Questions per state (only public states if asked): one GROUP BY over an index, cached
    briefly; every service that changes a state forgets it (forget_state_counts). A submission
    does not: its unconfirmed question is counted within STATE_COUNTS_CACHE_SECONDS."""
    key = STATE_COUNTS_CACHE_KEY.format(scope="public" if public_only else "all")
    counts = cache.get(key)
    if counts is None:
        rows = Question.objects.order_by().values_list("state").annotate(total=Count("*"))
        if public_only:
            rows = rows.filter(state__in=PUBLIC_STATES)
        counts = dict(rows)
        cache.set(key, counts, STATE_COUNTS_CACHE_SECONDS)
    return counts


def forget_state_counts() -> None:
    """Called by the services that change states, once their change is written. (A page read
    before the commit may cache the old counts again: for STATE_COUNTS_CACHE_SECONDS at most.)"""
    cache.delete_many([STATE_COUNTS_CACHE_KEY.format(scope=s) for s in ("all", "public")])


def merge_candidates(queryset: QuerySet[Question]) -> QuerySet[Question]:
    """Questions a selection may be merged into: live ones of the same events, most supported
    first, plus the selected questions themselves (one of them may be the one to keep)."""
    selected = list(queryset.values_list("pk", "event_id"))
    pks = [pk for pk, _event in selected]
    events = {event for _pk, event in selected}
    same_events = (
        Question.objects.filter(event__in=events, state__in=MERGE_TARGET_STATES)
        .order_by("-support_count", "created_at")
        .values_list("pk", flat=True)[:30]
    )
    return (
        Question.objects.filter(pk__in=[*pks, *same_events], state__in=MERGE_TARGET_STATES)
        .select_related("event")
        .order_by("-support_count", "created_at")
    )


def merge_target(public_id: str) -> Question | None:
    """The question with this public id, if a duplicate may be merged into it."""
    return Question.objects.filter(public_id=public_id, state__in=MERGE_TARGET_STATES).first()


def moderation_queue() -> QuerySet[Question]:
    """The questions awaiting a moderator's decision, in the order the queue is worked."""
    return Question.objects.filter(state__in=workflow.APPROVE.sources).order_by("created_at", "pk")


def next_in_queue(*, after: Question | None = None) -> Question | None:
    """The question to decide next: the first one after `after` in the queue's order, else the
    first one still waiting (one skipped earlier), never `after` itself."""
    queue = moderation_queue()
    if after is None:
        return queue.first()
    later = queue.filter(
        Q(created_at__gt=after.created_at) | Q(created_at=after.created_at, pk__gt=after.pk)
    ).first()
    return later or queue.exclude(pk=after.pk).first()
