"""A ready answer video whose MP4 speaks known English sentences (espeak-ng), for the speech
job's tests: only the MP4 fallback is read by speech-to-text, so no transcode is needed."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.utils import timezone

from media_pipeline.models import AnswerVideo, VideoState
from media_pipeline.speech.synthetic import VOICE, Spoken, make_spoken_clip

# espeak-ng's French voice reading sentences whose words it says clearly enough for Whisper base.
FRENCH_SENTENCES = [
    "Le ministre a répondu aux questions sur les élections.",
    "La France soutient les étudiants de la région.",
    "Les citoyens posent des questions au ministre.",
]
FRENCH_VOICE = "fr"

SENTENCES = [
    "The minister answered questions about the election.",
    "France will support the people of the region.",
    "Our embassy is open every morning for students.",
]


def ready_spoken_video(
    question, folder: Path, *, sentences=SENTENCES, language: str = "en", voice: str = VOICE
) -> tuple[AnswerVideo, list[Spoken]]:
    clip = folder / "spoken.mp4"
    spoken = make_spoken_clip(clip, list(sentences), pause=1.0, voice=voice)
    prefix = f"answers/{question.public_id}/v1"
    with open(clip, "rb") as handle:
        mp4 = default_storage.save(f"{prefix}/video.mp4", handle)
    video = AnswerVideo.objects.create(
        question=question,
        state=VideoState.READY,
        progress=100,
        language=language,
        output_version="v1",
        hls_master=f"{prefix}/master.m3u8",
        mp4=mp4,
        duration_seconds=spoken[-1].end + 1,
        ready_at=timezone.now(),
    )
    return video, spoken
