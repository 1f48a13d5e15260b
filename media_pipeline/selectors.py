"""Querysets of the video pages, with the joins that keep their query counts constant."""

from django.db.models import Prefetch, QuerySet

from media_pipeline.models import AnswerVideo, Caption
from questions.models import Question, QuestionState


def questions_for_answer() -> QuerySet[Question]:
    """Questions selected for an answer, then the latest answered ones, with their videos."""
    return (
        Question.objects.filter(state__in=[QuestionState.SELECTED, QuestionState.ANSWERED])
        .select_related("event", "answer_video")
        .prefetch_related(
            Prefetch("answer_video__captions", queryset=Caption.objects.order_by("language"))
        )
        .order_by("-state", "-selected_at", "-pk")  # "selected" sorts after "answered"
    )


def video_for_staff_queryset() -> QuerySet[AnswerVideo]:
    return AnswerVideo.objects.select_related("question")
