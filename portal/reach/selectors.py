"""Querysets behind the public outputs: only what is public, with what the output needs."""

from django.db.models import Q, QuerySet

from events.models import Event
from media_pipeline import workflow
from questions.models import Question, QuestionState


def answered_questions() -> QuerySet[Question]:
    """Answered questions whose video is published, or answered on stage whose chapter of the
    event's published recording is published; newest answer first (feeds, embeds)."""
    return (
        Question.objects.filter(state=QuestionState.ANSWERED)
        .filter(
            Q(answer_video__state__in=workflow.PUBLIC)
            | Q(
                recording_chapter__published_at__isnull=False,
                recording_chapter__recording__state__in=workflow.PUBLIC,
            )
        )
        .select_related("event", "theme", "answer_video", "recording_chapter__recording")
        .order_by("-answered_at", "-pk")
    )


def embeddable_question(public_id: str) -> QuerySet[Question]:
    return (
        answered_questions()
        .filter(public_id=public_id)
        .prefetch_related("answer_video__captions", "recording_chapter__recording__captions")
    )


def sitemap_events() -> QuerySet[Event]:
    return Event.objects.published().only("slug", "updated_at").order_by("starts_at", "pk")


def sitemap_questions() -> QuerySet[Question]:
    return Question.objects.public().only("public_id", "slug", "updated_at").order_by("pk")
