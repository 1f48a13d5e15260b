"""An event recording's chapters: pre-filled from the live console's marks, written as a WebVTT
chapters track that parsers and our own caption check accept."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import webvtt

from media_pipeline.chapters import Chapter, chapters_webvtt, prefill_chapters
from media_pipeline.webvtt import validate_webvtt
from questions.live import services
from questions.live.selectors import stage_marks
from tests.factories import EventFactory, QuestionFactory, UserFactory

RECORDING_STARTED = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return RECORDING_STARTED + timedelta(minutes=minutes)


def test_marks_become_chapters_inside_the_recording_in_order_without_overlap():
    marks = [
        ("second", "La deuxième", at(20), at(31)),  # ends after the next one started
        ("first", "La première", at(-2), at(12)),  # pressed before the camera rolled
        ("third", "La troisième", at(30), None),  # never marked as answered: runs to the end
        ("late", "Après la fin", at(95), at(99)),
    ]
    chapters = prefill_chapters(marks, recording_started_at=RECORDING_STARTED, duration=90 * 60)
    assert [(c.key, c.start, c.end) for c in chapters] == [
        ("first", 0.0, 12 * 60.0),
        ("second", 20 * 60.0, 30 * 60.0),
        ("third", 30 * 60.0, 90 * 60.0),
    ]


def test_the_chapters_file_is_valid_webvtt():
    text = chapters_webvtt(
        [
            Chapter(start=75.5, end=400.25, title="Et le climat ? --> <b>vite</b>", key="k2"),
            Chapter(start=3.0, end=70.0, title="Quelle place pour l’Europe ?", key="k1"),
        ]
    )
    assert validate_webvtt(text.encode()) == text
    cues = webvtt.from_buffer(io.StringIO(text)).captions
    assert [(cue.identifier, cue.start, cue.end) for cue in cues] == [
        ("k1", "00:00:03.000", "00:01:10.000"),
        ("k2", "00:01:15.500", "00:06:40.250"),
    ]
    assert cues[1].raw_text == "Et le climat ? → &lt;b&gt;vite&lt;/b&gt;"


@pytest.mark.django_db
def test_the_marks_come_from_now_answering_and_answered_on_stage():
    event = EventFactory()
    moderator = UserFactory(username="regie", is_superuser=True)
    first, second, waiting = QuestionFactory.create_batch(3, event=event)
    first = services.start_answering(question=first, actor=moderator)
    second = services.start_answering(question=second, actor=moderator)  # ends the first
    services.answer_on_stage(question=second, actor=moderator)
    marks = stage_marks(event)
    assert [mark[0] for mark in marks] == [first.public_id, second.public_id]
    assert all(started <= ended for _id, _title, started, ended in marks)
    assert waiting.public_id not in {mark[0] for mark in marks}
