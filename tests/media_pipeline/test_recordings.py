"""An event's recording (the tour day): one video per event, its chapters pre-filled from the
live console's marks, adjusted by staff, then published: each question answered on stage becomes
answered, its author and supporters are told, and the chapters file lists the published ones."""

import io
from datetime import timedelta

import pytest
import webvtt
from django.db import IntegrityError, transaction
from django.utils import timezone

from media_pipeline.exceptions import PublishRefused
from media_pipeline.models import AnswerVideo, RecordingChapter
from media_pipeline.services import recordings
from media_pipeline.services.outputs import outputs_prefix
from media_pipeline.webvtt import validate_webvtt
from media_pipeline.workflow import VideoState
from questions.live import services as live
from questions.models import OutboundEmail, Question, Support
from questions.models import QuestionState as S
from tests.factories import EventFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return UserFactory(username="regie", is_superuser=True)


def on_stage(event, moderator, minutes_in: float, minutes_long: float, **fields) -> Question:
    """A question taken on stage `minutes_in` after the event started, for `minutes_long`."""
    question = QuestionFactory(event=event, **fields)
    question = live.start_answering(question=question, actor=moderator)
    question = live.answer_on_stage(question=question, actor=moderator)
    started = event.starts_at + timedelta(minutes=minutes_in)
    Question.objects.filter(pk=question.pk).update(
        stage_started_at=started, stage_ended_at=started + timedelta(minutes=minutes_long)
    )
    question.refresh_from_db()
    return question


def recording_of(event, *, state=VideoState.READY, minutes=60) -> AnswerVideo:
    return AnswerVideo.objects.create(
        event=event,
        state=state,
        duration_seconds=minutes * 60,
        hls_master="recordings/x/master.m3u8",
    )


def test_a_video_belongs_to_a_question_or_to_an_event_never_both_nor_neither():
    event = EventFactory()
    question = QuestionFactory(event=event, state=S.SELECTED)
    for fields in ({}, {"event": event, "question": question}):
        with pytest.raises(IntegrityError), transaction.atomic():
            AnswerVideo.objects.create(**fields)
    recording = AnswerVideo.objects.create(event=event)
    assert recording.is_recording
    assert outputs_prefix(recording) == f"recordings/{event.slug}"
    assert recording.source.field.upload_to(recording, "rush.mov").startswith(
        f"sources/events/{event.pk}/"
    )


def test_chapters_are_prefilled_from_the_console_marks_and_staff_adjustments_are_kept(moderator):
    event = EventFactory()
    first = on_stage(event, moderator, 5, 10)
    second = on_stage(event, moderator, 20, 8)
    QuestionFactory(event=event, state=S.SHORTLISTED)  # never taken on stage: no chapter
    recording = recording_of(event)
    chapters = recordings.prefill_chapters(recording)
    assert [(c.question, c.start_seconds, c.end_seconds) for c in chapters] == [
        (first, 300.0, 900.0),
        (second, 1200.0, 1680.0),
    ]
    recordings.set_chapter_times(chapter=chapters[0], start=290, end=905)
    again = recordings.prefill_chapters(recording)  # run twice: nothing duplicated, nothing reset
    assert [(c.start_seconds, c.end_seconds) for c in again] == [(290, 905), (1200, 1680)]


def test_a_chapter_stays_inside_the_recording(moderator):
    event = EventFactory()
    on_stage(event, moderator, 5, 10)
    chapter = recordings.prefill_chapters(recording_of(event, minutes=30))[0]
    for start, end in ((-1, 10), (100, 50), (10, 30 * 60 + 1)):
        with pytest.raises(PublishRefused):
            recordings.set_chapter_times(chapter=chapter, start=start, end=end)
    chapter.refresh_from_db()
    assert (chapter.start_seconds, chapter.end_seconds) == (300, 900)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordingChapter.objects.filter(pk=chapter.pk).update(end_seconds=100)


def test_publishing_the_chapters_answers_the_questions_and_tells_their_people(moderator):
    event = EventFactory()
    first = on_stage(event, moderator, 5, 10, email="autrice@example.org")
    Support.objects.create(
        question=first,
        supporter_key="k",
        email="soutien@example.org",
        language="ar",
        email_confirmed_at=timezone.now(),
    )
    second = on_stage(event, moderator, 20, 8, email="auteur@example.org")
    recording = recording_of(event)
    recordings.prefill_chapters(recording)
    with pytest.raises(PublishRefused):  # the recording itself is not public yet
        recordings.publish_chapters(recording=recording, actor=moderator)
    assert OutboundEmail.objects.filter(kind="question_answered").count() == 0

    AnswerVideo.objects.filter(pk=recording.pk).update(state=VideoState.PUBLISHED)
    recording.refresh_from_db()
    answered = recordings.publish_chapters(recording=recording, actor=moderator)
    assert {q.pk for q in answered} == {first.pk, second.pk}
    assert set(Question.objects.filter(event=event).values_list("state", flat=True)) == {S.ANSWERED}
    told = set(OutboundEmail.objects.filter(kind="question_answered").values_list("to", flat=True))
    assert told == {"autrice@example.org", "soutien@example.org", "auteur@example.org"}
    # Published twice: nobody is told twice.
    assert recordings.publish_chapters(recording=recording, actor=moderator) == []
    assert OutboundEmail.objects.filter(kind="question_answered").count() == 3

    text = recordings.webvtt(recording)
    assert validate_webvtt(text.encode()) == text
    cues = webvtt.from_buffer(io.StringIO(text)).captions
    assert [(cue.identifier, cue.start, cue.end) for cue in cues] == [
        (first.public_id, "00:05:00.000", "00:15:00.000"),
        (second.public_id, "00:20:00.000", "00:28:00.000"),
    ]
