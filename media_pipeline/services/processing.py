"""Processing: claim the video, probe and transcode its source, store a new output version, then
point the video at it in one transaction (`ready`), or fail it with a reason for staff."""

import logging
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils.translation import gettext as _

from core.leases import LeaseLost
from media_pipeline import speech as speech_engine
from media_pipeline import storage_ops, workflow
from media_pipeline.exceptions import InvalidMedia, TranscodeFailed, TransientStorageError
from media_pipeline.models import AnswerVideo, Rendition, private_storage
from media_pipeline.probe import probe_file
from media_pipeline.services import outputs, recordings, speech
from media_pipeline.services.claims import (
    Claim,
    claim_video,
    fail_claimed,
    progress_recorder,
    release_claim,
)
from media_pipeline.transcode import TranscodeResult, transcode

logger = logging.getLogger(__name__)


def process_video(*, video_id: int) -> AnswerVideo | None:
    """Probe and transcode a video, store its outputs, and make it `ready` (or `failed`)."""
    claimed = claim_video(video_id=video_id)
    if claimed is None:
        return None
    video, claim = claimed
    folder = outputs.work_folder(video_id, claim.attempt)
    try:
        with claim.lease().kept_alive() as lease:
            result = transcode_source(video, claim, folder, on_progress=progress_recorder(lease))
            lease.check()
            return store_outputs(video=video, claim=claim, result=result)
    except (InvalidMedia, TranscodeFailed) as error:
        fail_claimed(claim, error.reason, error.log)
        return None
    except LeaseLost:
        # Another worker took the video over (this one was presumed dead): ffmpeg was stopped.
        logger.warning("video %s: claim lost to another worker, stopping", video_id)
        return None
    except SoftTimeLimitExceeded:
        # Celery's soft time limit: ffmpeg was killed on the way out; the same file would time
        # out again, so the video fails now instead of waiting for the sweeper.
        fail_claimed(claim, _("Processing took too long and was stopped."), "soft time limit")
        raise
    except TransientStorageError:
        release_claim(claim)  # the task retries with backoff and claims it again
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def transcode_source(
    video: AnswerVideo, claim: Claim, folder: Path, on_progress: Callable[[float], None]
) -> TranscodeResult:
    """Fetch the source into the work folder, probe it, and write every output next to it."""
    outputs.remove_orphan_outputs(video)
    source = folder / "source"
    try:
        storage_ops.download_to(private_storage(), video.source.name, source)
    except (FileNotFoundError, ValueError) as error:
        raise InvalidMedia(
            _("The uploaded file is missing; upload it again."), str(error)
        ) from error
    facts = probe_file(source)
    claim.rows().update(
        probe=facts.as_dict(),
        duration_seconds=facts.duration,
        width=facts.width,
        height=facts.height,
    )
    result_folder = folder / "outputs"
    result_folder.mkdir()
    return transcode(
        source=source,
        folder=result_folder,
        facts=facts,
        on_progress=on_progress,
        language=video.language,
    )


def store_outputs(
    *, video: AnswerVideo, claim: Claim, result: TranscodeResult
) -> AnswerVideo | None:
    """Upload outputs under a new version prefix, then switch the video to it atomically."""
    storage = outputs.public_storage()
    version = f"v{uuid.uuid4().hex[:12]}"
    prefix = outputs.version_prefix(video, version)
    stored = outputs.upload_with_retries(storage, result.folder, prefix)
    with transaction.atomic():
        locked = claim.rows().select_for_update().first()
        if locked is None:
            # Another attempt took over (or staff changed the video): ours is not wanted.
            transaction.on_commit(lambda: storage_ops.delete_tree(storage, prefix))
            return None
        previous_version = locked.output_version
        locked.output_version = version
        locked.hls_master.name = f"{prefix}/{result.master}"
        locked.mp4.name = f"{prefix}/{result.mp4}"
        locked.poster.name = f"{prefix}/{result.poster}"
        locked.poster_width, locked.poster_height = result.poster_size
        locked.poster_small.name = f"{prefix}/{result.poster_small}"
        workflow.FINISH.apply(locked)
        locked.progress = 100
        locked.processing_deadline = locked.lease_expires_at = None
        locked.error_log = result.log[-4000:]
        locked.save()
        replace_renditions(locked, result, prefix)
        if speech_engine.supports(locked.language):  # no job bound to fail for other languages
            speech.queue_speech_draft(locked, restart=True)  # drafts from the new version
        if locked.event_id and locked.duration_seconds:
            # An event's recording: one chapter per question the live console put on stage.
            recordings.prefill_chapters(locked)
        if previous_version and previous_version != version:
            old_prefix = outputs.version_prefix(locked, previous_version)
            transaction.on_commit(lambda: storage_ops.delete_tree(storage, old_prefix))
    logger.info("video %s ready: %d files under %s", video.pk, len(stored), prefix)
    return locked


def replace_renditions(video: AnswerVideo, result: TranscodeResult, prefix: str) -> None:
    video.renditions.all().delete()
    Rendition.objects.bulk_create(
        Rendition(
            video=video,
            name=rung.name,
            width=rung.width,
            height=rung.height,
            video_bitrate=rung.video_bitrate,
            audio_bitrate=rung.audio_bitrate,
            playlist=f"{prefix}/{rung.name}/index.m3u8",
        )
        for rung in result.rungs
    )
