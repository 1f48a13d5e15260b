"""Querysets of the video pages, with the joins that keep their query counts constant."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from core import leases
from events.models import Event
from media_pipeline import workflow
from media_pipeline.models import AnswerVideo, Caption, RecordingChapter
from questions.models import Question
from questions.workflow import ANSWER

# The staff page's two lists: what to answer (most supported first, then the oldest), and what
# has been answered (latest first).
TO_ANSWER = "to_answer"
ANSWERED = "answered"
STAFF_LISTS = {
    TO_ANSWER: (ANSWER.sources, ("-support_count", "created_at", "pk")),
    ANSWERED: ((ANSWER.target,), ("-answered_at", "-pk")),
}


def questions_for_answer(
    *, show: str = TO_ANSWER, event_id: int | None = None, public_id: str = ""
) -> QuerySet[Question]:
    """The questions of one of the staff page's lists, with their event, theme, video and
    captions (a constant number of queries for the page)."""
    states, ordering = STAFF_LISTS.get(show, STAFF_LISTS[TO_ANSWER])
    questions = Question.objects.filter(state__in=states)
    if event_id is not None:
        questions = questions.filter(event_id=event_id)
    if public_id:  # one question, reached from its page in the admin
        questions = questions.filter(public_id=public_id)
    return (
        questions.select_related("event", "theme", "answer_video", "answer_video__speech_job")
        .prefetch_related(
            Prefetch("answer_video__captions", queryset=Caption.objects.order_by("language"))
        )
        .order_by(*ordering)
    )


def question_for_staff_queryset() -> QuerySet[Question]:
    """The questions a staff page may show alone (selected or answered), with what it renders."""
    return (
        Question.objects.filter(state__in=[*ANSWER.sources, ANSWER.target])
        .select_related("event", "theme", "answer_video", "answer_video__speech_job")
        .prefetch_related(
            Prefetch("answer_video__captions", queryset=Caption.objects.order_by("language"))
        )
    )


def events_with_questions_to_answer() -> QuerySet[Event]:
    """The events the staff page can filter on: those with a selected or answered question."""
    return (
        Event.objects.filter(questions__state__in=[*ANSWER.sources, ANSWER.target])
        .distinct()
        .order_by("-starts_at")
    )


def video_for_staff_queryset() -> QuerySet[AnswerVideo]:
    return AnswerVideo.objects.select_related("question")


def video_for_editor_queryset() -> QuerySet[AnswerVideo]:
    """A video with its question and every language's captions and cues (the editor's page)."""
    return AnswerVideo.objects.select_related("question").prefetch_related(
        Prefetch("captions", queryset=Caption.objects.prefetch_related("cues"))
    )


def caption_for_editor(caption_id: int) -> Caption:
    return Caption.objects.prefetch_related("cues").get(pk=caption_id)


def caption_for_staff_queryset() -> QuerySet[Caption]:
    return Caption.objects.select_related("video__question")


def questions_awaiting_video() -> QuerySet[Question]:
    """The questions the admin's upload form offers: those their workflow lets be answered."""
    return Question.objects.filter(state__in=ANSWER.sources)


def stuck_video_ids(*, now: datetime) -> list[int]:
    """Videos whose worker died (lease lapsed, or past their deadline) or whose queued message
    was lost."""
    forgotten_before = now - timedelta(seconds=settings.MEDIA_PROCESSING_DEADLINE_SECONDS)
    return list(
        AnswerVideo.objects.filter(
            # What the sweeper may release (processing: past its deadline or its lease expired) or
            # queue again (waiting for processing: its message lost).
            Q(state__in=workflow.RELEASE.sources, processing_deadline__lt=now)
            | (Q(state__in=workflow.RELEASE.sources) & leases.expired_q("lease_expires_at", now))
            | Q(state__in=workflow.PROCESS.sources, updated_at__lt=forgotten_before)
        ).values_list("pk", flat=True)
    )


def events_for_recording(*, now: datetime, limit: int = 8) -> list[Event]:
    """The latest published events that have started: those a recording may be uploaded for,
    with their recording (if any), for the staff page's links."""
    return list(
        Event.objects.filter(is_published=True, starts_at__lte=now)
        .select_related("recording")
        .order_by("-starts_at")[:limit]
    )


def recording_for_staff(event: Event) -> AnswerVideo | None:
    """An event's recording with what its staff page renders (speech job, captions, chapters
    and their questions), or None before its upload."""
    return (
        AnswerVideo.objects.filter(event=event)
        .select_related("speech_job")
        .prefetch_related(
            Prefetch("captions", queryset=Caption.objects.order_by("language")),
            Prefetch("chapters", queryset=RecordingChapter.objects.select_related("question")),
        )
        .first()
    )
