"""Thin Celery tasks: ids in, reload, call a service. Routed: transcode_* to the `media` queue,
speech_* to the `speech` queue."""

import logging

from celery import shared_task
from django.conf import settings

from media_pipeline import uploads
from media_pipeline.exceptions import TransientStorageError
from media_pipeline.services import claims, processing, speech

logger = logging.getLogger(__name__)

STORAGE_RETRIES = 5


@shared_task(
    bind=True,
    name="media_pipeline.tasks.transcode_video",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=STORAGE_RETRIES,
)
def transcode_video(self, video_id: int) -> str:
    """Process one video. Invalid media fails for good; storage hiccups retry with backoff."""
    try:
        video = processing.process_video(video_id=video_id)
    except TransientStorageError as error:
        if self.request.retries >= STORAGE_RETRIES:
            claims.give_up_on_storage(video_id=video_id, log=str(error))
            return "storage-unavailable"
        countdown = min(600, settings.MEDIA_STORAGE_RETRY_BASE_SECONDS * 2**self.request.retries)
        logger.warning("video %s: storage error, retry in %ss: %s", video_id, countdown, error)
        raise self.retry(exc=error, countdown=countdown) from error
    return video.state if video else "nothing-to-do"


@shared_task(
    name="media_pipeline.tasks.speech_draft",
    acks_late=True,
    reject_on_worker_lost=True,
)
def speech_draft(video_id: int) -> str:
    """Draft one video's captions and transcript from its sound (fails with a reason)."""
    job = speech.draft_speech(video_id=video_id)
    return job.state if job else "nothing-to-do"


@shared_task(name="media_pipeline.tasks.sweep_stuck_videos")
def sweep_stuck_videos() -> int:
    """Transcodes and speech drafts whose worker died (or whose message was lost)."""
    return claims.sweep_stuck_videos() + speech.sweep_stuck_speech()


@shared_task(name="media_pipeline.tasks.clean_abandoned_uploads")
def clean_abandoned_uploads() -> int:
    return uploads.clean_abandoned_uploads()
