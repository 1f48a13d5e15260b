"""The dataset's records: public questions with their published answer, as plain dicts."""

from collections.abc import Iterator
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation

from core.urls import absolute_reverse, absolute_url
from portal.reach.answers import Answer, answer_of
from portal.reach.media import file_url
from questions.models import Question

DUMP_CHUNK_SIZE = 2000


def public_records() -> QuerySet[Question]:
    """Public questions, oldest first by id (stable for cursors), with what a record shows."""
    return (
        Question.objects.public()
        .select_related("event", "theme", "answer_video", "recording_chapter__recording")
        .prefetch_related("answer_video__captions", "recording_chapter__recording__captions")
        .order_by("pk")
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def to_record(question: Question) -> dict:
    """One record, keys in COLUMNS order. URLs are absolute and French (the dataset's language).
    An answer given on stage is its moment in the event's recording: the recording's files, the
    MP4 with a media fragment (#t=start,end), the embed from its start."""
    event, theme = question.event, question.theme
    answer = answer_of(question)
    with translation.override(settings.LANGUAGE_CODE):
        page_url = absolute_url(question.get_absolute_url())
        embed_url = _embed_url(question, answer) if answer else None
    return {
        "id": question.public_id,
        "url": page_url,
        "title": question.title,
        "text": question.text,
        "language": question.language,
        "pseudonym": question.display_name,
        "state": question.state,
        "supports": question.support_count,
        "theme": theme.slug,
        "theme_name": theme.name,
        "event": event.slug,
        "event_title": event.title,
        "event_city": event.city,
        "event_region": event.region,
        "event_starts_at": _iso(event.starts_at),
        "published_at": _iso(question.approved_at),
        "selected_at": _iso(question.selected_at),
        "answered_at": _iso(question.answered_at) if answer else None,
        **_answer_columns(answer, embed_url),
    }


def _embed_url(question: Question, answer: Answer) -> str:
    query = {"t": answer.start} if answer.start else None
    return absolute_reverse("reach:embed", kwargs={"public_id": question.public_id}, query=query)


def _answer_columns(answer: Answer | None, embed_url: str | None) -> dict:
    if answer is None:
        return {
            "answer_video_url": None,
            "answer_poster_url": None,
            "answer_embed_url": None,
            "answer_on_stage": False,
            "answer_start_seconds": None,
            "answer_duration_seconds": None,
            "answer_caption_languages": [],
            "answer_transcript": None,
        }
    video, chapter = answer.video, answer.chapter
    return {
        "answer_video_url": answer.media_url(video.mp4) or None,
        "answer_poster_url": file_url(video.poster) or None,
        "answer_embed_url": embed_url,
        "answer_on_stage": chapter is not None,
        "answer_start_seconds": chapter.start_seconds if chapter else None,
        "answer_duration_seconds": answer.duration,
        "answer_caption_languages": sorted(caption.language for caption in video.public_captions),
        # The recording's transcript covers the whole event, not this answer.
        "answer_transcript": None if chapter else (video.transcript or None),
    }


def iter_records(questions: QuerySet[Question] | None = None) -> Iterator[dict]:
    """Every record, read in chunks (constant memory at 100,000 questions)."""
    questions = public_records() if questions is None else questions
    for question in questions.iterator(chunk_size=DUMP_CHUNK_SIZE):
        yield to_record(question)
