"""Querysets of the video pages, with the joins that keep their query counts constant."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from core import leases
from media_pipeline import workflow
from media_pipeline.models import AnswerVideo, Caption
from questions.models import Question
from questions.workflow import ANSWER


def questions_for_answer() -> QuerySet[Question]:
    """Questions selected for an answer, then the latest answered ones, with their videos."""
    return (
        Question.objects.filter(state__in=[*ANSWER.sources, ANSWER.target])
        .select_related("event", "answer_video")
        .prefetch_related(
            Prefetch("answer_video__captions", queryset=Caption.objects.order_by("language"))
        )
        .order_by("-state", "-selected_at", "-pk")  # "selected" sorts after "answered"
    )


def video_for_staff_queryset() -> QuerySet[AnswerVideo]:
    return AnswerVideo.objects.select_related("question")


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
