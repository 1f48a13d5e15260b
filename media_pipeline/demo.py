"""A demo answer made of a generated clip that goes through the real pipeline (for seed_demo)."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from events.models import Event
from media_pipeline import processes, workflow
from media_pipeline.models import AnswerVideo
from media_pipeline.services import captions, processing, sources, staff_actions
from questions.models import Question, QuestionState
from questions.workflow import path_to

DEMO_PUBLIC_ID = "demovideo001"
DEMO_SECONDS = 10
DEMO_CAPTIONS = """WEBVTT

00:00.000 --> 00:04.000
Bonjour, et merci pour votre question.

00:04.000 --> 00:10.000
Voici la réponse du porte-parole, en vidéo, sous-titrée et transcrite.
"""
DEMO_TRANSCRIPT = (
    "Bonjour, et merci pour votre question.\n\n"
    "Voici la réponse du porte-parole, en vidéo, sous-titrée et transcrite."
)


def make_test_pattern(
    path: Path,
    *,
    seconds: int = DEMO_SECONDS,
    size: str = "854x480",
    rate: int = 25,
    preset: str = "veryfast",
    video_options: tuple[str, ...] = (),
    audio_options: tuple[str, ...] = (),
) -> Path:
    """ffmpeg's moving test pattern with a 440 Hz tone, H.264 + AAC in MP4: a real camera-like
    file. Shared by seed_demo, the browser tests and the benchmarks."""
    processes.run(
        [
            settings.FFMPEG_BINARY,
            *("-hide_banner", "-loglevel", "error", "-y"),
            *("-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"),
            *("-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}"),
            *("-c:v", "libx264", "-preset", preset, "-pix_fmt", "yuv420p", *video_options),
            *("-c:a", "aac", *audio_options),
            "-shortest",
            str(path),
        ],
        check=True,
        timeout=max(120, seconds * 10),
    )
    return path


def demo_question(event: Event) -> Question:
    now = timezone.now()
    question, _created = Question.objects.get_or_create(
        public_id=DEMO_PUBLIC_ID,
        defaults={
            "event": event,
            "theme": event.themes.first(),
            "title": "Comment la France répond-elle aux questions des citoyens ?",
            "text": "Le porte-parole peut-il expliquer en vidéo comment les questions des "
            "citoyens sont choisies et comment il y répond ?",
            "display_name": "Camille",
            "email": "camille@example.org",
            "region": "IDF",
            "language": "fr",
            "state": QuestionState.SELECTED,
            # The timestamps of the way the workflow leads to that state.
            **{action.stamp: now for action in path_to(QuestionState.SELECTED) if action.stamp},
        },
    )
    return question


def seed_answer_video(event: Event) -> AnswerVideo | None:
    """Idempotent: an already published demo answer is left as it is."""
    question = demo_question(event)
    video = AnswerVideo.objects.filter(question=question).first()
    if video and video.is_public:
        return video
    if not workflow.question_accepts_answer(question):
        return video
    if not workflow.PUBLISH.allows(video):  # not processed yet (or failed): process it
        with tempfile.TemporaryDirectory() as folder:
            clip = make_test_pattern(Path(folder) / "demo.mp4")
            with open(clip, "rb") as handle:
                video = sources.attach_source(question=question, file=File(handle), actor=None)
        processing.process_video(video_id=video.pk)  # synchronously; the queued task finds it done
        video.refresh_from_db()
        if not workflow.PUBLISH.allows(video):
            return video
    with transaction.atomic():
        captions.set_caption(video=video, language="fr", content=DEMO_CAPTIONS.encode())
        captions.set_transcript(video=video, text=DEMO_TRANSCRIPT)
        return staff_actions.publish_video(video=video, actor=None)
