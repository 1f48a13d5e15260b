"""Answered questions with a published video, for the pages, feeds and embeds that show them."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from media_pipeline.models import AnswerVideo, Caption, VideoState
from media_pipeline.services.staff_actions import publish_video
from questions.models import QuestionState
from tests.factories import QuestionFactory

# Stand-ins for the pipeline's outputs: the outputs under test are feeds and pages that point at
# these files, not the media themselves (the pipeline's own tests cover real ffmpeg outputs).
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 1000
POSTER_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 200


def processed_video(
    prefix: str, *, duration: float, transcript: str, captions=("fr",), **owner
) -> AnswerVideo:
    """A video as the pipeline leaves it (ready: stand-in outputs under `prefix`), owned by a
    question or an event (`owner`), with reviewed captions and a transcript."""
    video = AnswerVideo.objects.create(
        **owner,
        state=VideoState.READY,
        progress=100,
        duration_seconds=duration,
        width=1280,
        height=720,
        output_version="v1",
        hls_master=default_storage.save(f"{prefix}/master.m3u8", ContentFile(b"#EXTM3U\n")),
        mp4=default_storage.save(f"{prefix}/answer.mp4", ContentFile(MP4_BYTES)),
        poster=default_storage.save(f"{prefix}/poster.jpg", ContentFile(POSTER_BYTES)),
        poster_width=1280,
        poster_height=720,
        ready_at=timezone.now(),
        transcript=transcript,
    )
    for language in captions:
        Caption.objects.create(
            video=video,
            language=language,
            file=default_storage.save(
                f"{prefix}/captions-{language}.vtt", ContentFile(b"WEBVTT\n")
            ),
            reviewed_at=timezone.now(),
        )
    return video


def publish_answer(
    question, *, captions=("fr",), transcript="Merci pour votre question."
) -> AnswerVideo:
    """A processed video for a selected question, published through the real service (which
    wants reviewed French captions and a transcript)."""
    video = processed_video(
        f"answers/{question.pk}/v1",
        duration=61.4,
        transcript=transcript,
        captions=captions,
        question=question,
    )
    video = publish_video(video=video, actor=None)
    question.refresh_from_db()
    return video


@pytest.fixture
def answered_question(db):
    """A factory: an answered question whose video is published."""

    def make(**kwargs):
        question = QuestionFactory(state=QuestionState.SELECTED, **kwargs)
        publish_answer(question)
        return question

    return make
