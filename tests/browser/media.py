"""Real answer videos for browser tests: a tiny clip through the real pipeline, in process."""

from pathlib import Path

from django.core.files import File

from media_pipeline.demo import make_test_pattern
from media_pipeline.models import AnswerVideo, VideoState
from media_pipeline.services import captions, processing, sources, staff_actions
from questions.models import Question

CAPTIONS_FR = "WEBVTT\n\n00:00.000 --> 00:03.000\nLa France accueille les étudiants.\n"
TRANSCRIPT = "La France accueille chaque année plus de 400 000 étudiants étrangers."
# A short ladder and segments keep transcoding to a second or two; the code path is the same.
SMALL_LADDER = {
    "MEDIA_LADDER_HEIGHTS": "240",
    "MEDIA_HLS_SEGMENT_SECONDS": "1",
    "MEDIA_X264_PRESET": "ultrafast",
}


def make_clip(path: Path, *, seconds: int = 3, size: str = "320x240", lossless: bool = False):
    """A small test pattern with a tone, made by Debian's ffmpeg."""
    quality = ("-qp", "0") if lossless else ()
    return make_test_pattern(
        path, seconds=seconds, size=size, preset="ultrafast", video_options=quality
    )


def publish_answer(question: Question, folder: Path) -> AnswerVideo:
    """Upload, transcode, caption and publish an answer the way staff would, minus the clicks."""
    clip = make_clip(folder / "answer.mp4")
    with open(clip, "rb") as handle:
        video = sources.attach_source(question=question, file=File(handle), actor=None)
    processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    assert video.state == VideoState.READY, video.error_reason
    captions.set_caption(video=video, language="fr", content=CAPTIONS_FR.encode())
    captions.set_caption(video=video, language="ar", content=CAPTIONS_FR.encode())
    captions.set_transcript(video=video, text=TRANSCRIPT)
    return staff_actions.publish_video(video=video, actor=None)
