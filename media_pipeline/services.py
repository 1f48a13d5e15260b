"""Business actions on answer videos: the only code that changes their state.

Pipeline: `attach_source` (state `uploaded`, processing queued after commit) → `process_video`
(claims the video, probes, transcodes, stores a new output version, then points the video at it
in one transaction) → `publish_video`. Crash recovery comes from the database: a claim has a
deadline, and `sweep_stuck_videos` re-queues or fails videos whose worker died.
"""

import logging
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from media_pipeline import storage_ops, workflow
from media_pipeline.exceptions import (
    InvalidMedia,
    PublishRefused,
    RetryRefused,
    TranscodeFailed,
    TransientStorageError,
)
from media_pipeline.models import (
    AnswerVideo,
    Caption,
    Rendition,
    VideoState,
    private_storage,
)
from media_pipeline.probe import probe_file
from media_pipeline.transcode import TranscodeResult, transcode
from media_pipeline.webvtt import validate_webvtt
from questions.models import Question
from questions.services import mark_question_answered

logger = logging.getLogger(__name__)

PROGRESS_SAVE_INTERVAL = 0.5  # seconds: at most two progress writes a second
# A short storage hiccup is retried on the spot (seconds between tries) before the task retries
# later with backoff, which means transcoding again.
STORAGE_RETRY_DELAYS = (2, 10)


def outputs_prefix(video: AnswerVideo) -> str:
    return f"answers/{video.question.public_id}"


def public_storage():
    return storages["default"]


def queue_processing(video: AnswerVideo) -> None:
    """Send the transcode task once the current transaction has committed."""
    from media_pipeline.tasks import transcode_video

    video_id = video.pk
    transaction.on_commit(lambda: transcode_video.delay(video_id))


# --- Sources -------------------------------------------------------------------------------------


check_question_accepts_answer = workflow.check_question_accepts_answer


def attach_source(*, question: Question, file: File, actor: AbstractBaseUser | None) -> AnswerVideo:
    """Store `file` as the video's (private) source, mark it `uploaded`, queue processing.

    The (possibly large) copy to storage happens before the transaction, not inside it.
    """
    check_question_accepts_answer(question)
    source_storage = private_storage()
    name = source_storage.save(f"sources/{question.public_id}/{uuid.uuid4().hex}", file)
    try:
        with transaction.atomic():
            video, _created = AnswerVideo.objects.select_for_update().get_or_create(
                question=question
            )
            workflow.UPLOAD.apply(video)
            previous_source = video.source.name
            video.source.name = name
            video.source_size = source_storage.size(name)
            video.uploaded_by = actor if getattr(actor, "pk", None) else None
            video.progress = 0
            video.attempts = 0
            video.probe = {}
            video.error_reason = video.error_log = ""
            video.processing_deadline = None
            video.save()
            if previous_source:
                transaction.on_commit(
                    lambda: storage_ops.delete_names(source_storage, [previous_source])
                )
            queue_processing(video)
    except BaseException:
        storage_ops.delete_names(source_storage, [name])
        raise
    return video


# --- Processing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A worker's hold on a video. Its writes apply only while the video still carries the same
    attempt number and start time: a stale worker (replaced by the sweeper, or by a new upload)
    changes nothing."""

    video_id: int
    attempt: int
    started_at: datetime

    def rows(self):
        return AnswerVideo.objects.filter(
            pk=self.video_id,
            state=VideoState.PROCESSING,
            attempts=self.attempt,
            processing_started_at=self.started_at,
        )


def claim_video(*, video_id: int) -> tuple[AnswerVideo, Claim] | None:
    """Move an `uploaded` video to `processing` with a deadline; None if nothing is to be done."""
    with transaction.atomic():
        video = (
            AnswerVideo.objects.select_for_update().select_related("question").filter(pk=video_id)
        ).first()
        if not workflow.PROCESS.allows(video):
            return None
        if video.attempts >= settings.MEDIA_MAX_ATTEMPTS:
            fail(video, _("Processing was interrupted too many times; try again later."), "")
            return None
        now = timezone.now()
        workflow.PROCESS.apply(video, now=now)
        video.attempts += 1
        video.progress = 0
        video.processing_deadline = now + timedelta(
            seconds=settings.MEDIA_PROCESSING_DEADLINE_SECONDS
        )
        video.error_reason = video.error_log = ""
        video.save()
    return video, Claim(video.pk, video.attempts, video.processing_started_at)


def fail(video: AnswerVideo, reason: str, log: str) -> None:
    workflow.FAIL.apply(video)
    video.error_reason = reason
    video.error_log = log
    video.processing_deadline = None
    video.save()


def fail_claimed(claim: Claim, reason: str, log: str) -> None:
    """Fail the video if the claim still holds it (a stale worker changes nothing)."""
    with transaction.atomic():
        locked = claim.rows().select_for_update().first()
        if locked:
            fail(locked, reason, log)


def progress_recorder(claim: Claim) -> Callable[[float], None]:
    last_saved = {"at": 0.0, "value": -1.0}

    def record(percent: float) -> None:
        now = time.monotonic()
        if percent < 100 and now - last_saved["at"] < PROGRESS_SAVE_INTERVAL:
            return
        if percent == last_saved["value"]:
            return
        last_saved.update(at=now, value=percent)
        claim.rows().update(progress=round(max(0.0, min(100.0, percent)), 1))

    return record


def work_folder(video_id: int, attempt: int) -> Path:
    """A local folder per attempt; folders of earlier (dead) attempts of the video are removed."""
    root = Path(settings.UPLOAD_TEMP_DIR) / "transcode"
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob(f"video-{video_id}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"video-{video_id}-{attempt}-", dir=root))


def remove_orphan_outputs(video: AnswerVideo) -> None:
    """Delete output versions other than the current one (left by a worker that died)."""
    storage = public_storage()
    prefix = outputs_prefix(video)
    try:
        folders, _files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for folder in folders:
        if folder not in (video.output_version, "captions"):
            storage_ops.delete_tree(storage, f"{prefix}/{folder}")


def process_video(*, video_id: int) -> AnswerVideo | None:
    """Probe and transcode a video, store its outputs, and make it `ready` (or `failed`)."""
    claimed = claim_video(video_id=video_id)
    if claimed is None:
        return None
    video, claim = claimed
    folder = work_folder(video_id, claim.attempt)
    try:
        remove_orphan_outputs(video)
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
        outputs = folder / "outputs"
        outputs.mkdir()
        result = transcode(
            source=source,
            folder=outputs,
            facts=facts,
            on_progress=progress_recorder(claim),
        )
        return store_outputs(video=video, claim=claim, result=result)
    except (InvalidMedia, TranscodeFailed) as error:
        fail_claimed(claim, error.reason, error.log)
        return None
    except SoftTimeLimitExceeded:
        # Celery's soft time limit: ffmpeg was killed on the way out; the same file would time
        # out again, so the video fails now instead of waiting for the sweeper.
        fail_claimed(claim, _("Processing took too long and was stopped."), "soft time limit")
        raise
    except TransientStorageError:
        # Give the claim back; the task retries with backoff and claims it again.
        claim.rows().update(
            state=workflow.RELEASE.target, attempts=F("attempts") - 1, processing_deadline=None
        )
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def store_outputs(
    *, video: AnswerVideo, claim: Claim, result: TranscodeResult
) -> AnswerVideo | None:
    """Upload outputs under a new version prefix, then switch the video to it atomically."""
    storage = public_storage()
    version = f"v{uuid.uuid4().hex[:12]}"
    prefix = f"{outputs_prefix(video)}/{version}"
    stored = upload_with_retries(storage, result.folder, prefix)
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
        locked.poster_small.name = f"{prefix}/{result.poster_small}"
        workflow.FINISH.apply(locked)
        locked.progress = 100
        locked.processing_deadline = None
        locked.error_log = result.log[-4000:]
        locked.save()
        locked.renditions.all().delete()
        Rendition.objects.bulk_create(
            Rendition(
                video=locked,
                name=rung.name,
                width=rung.width,
                height=rung.height,
                video_bitrate=rung.video_bitrate,
                audio_bitrate=rung.audio_bitrate,
                playlist=f"{prefix}/{rung.name}/index.m3u8",
            )
            for rung in result.rungs
        )
        if previous_version and previous_version != version:
            old_prefix = f"{outputs_prefix(locked)}/{previous_version}"
            transaction.on_commit(lambda: storage_ops.delete_tree(storage, old_prefix))
    logger.info("video %s ready: %d files under %s", video.pk, len(stored), prefix)
    return locked


def upload_with_retries(storage, folder: Path, prefix: str) -> list[str]:
    for delay in (*STORAGE_RETRY_DELAYS, None):
        try:
            return storage_ops.upload_folder(storage, folder, prefix)
        except TransientStorageError as error:
            if delay is None:
                raise
            logger.warning("storage error under %s, retrying in %ss: %s", prefix, delay, error)
            time.sleep(delay)
    raise AssertionError("unreachable")


def give_up_on_storage(*, video_id: int, log: str) -> None:
    """The storage stayed unavailable through every retry: the video fails, staff may retry."""
    with transaction.atomic():
        video = AnswerVideo.objects.select_for_update().filter(pk=video_id).first()
        if workflow.FAIL.allows(video):
            fail(video, _("The file storage is unavailable; try again later."), log)


@transaction.atomic
def retry_video(*, video: AnswerVideo, actor: AbstractBaseUser | None) -> AnswerVideo:
    """Staff start a failed video again from its stored source."""
    locked = AnswerVideo.objects.select_for_update().get(pk=video.pk)
    workflow.RETRY.check(locked)
    if not locked.source:
        raise RetryRefused(_("This video has no uploaded file; upload it again."))
    workflow.RETRY.apply(locked)
    locked.attempts = 0
    locked.progress = 0
    locked.error_reason = locked.error_log = ""
    locked.save()
    queue_processing(locked)
    return locked


def sweep_stuck_videos() -> int:
    """Re-queue videos whose worker died (past their deadline) or whose message was lost.

    A video that keeps dying ends `failed` after MEDIA_MAX_ATTEMPTS attempts.
    """
    now = timezone.now()
    forgotten_before = now - timedelta(seconds=settings.MEDIA_PROCESSING_DEADLINE_SECONDS)
    stuck = AnswerVideo.objects.filter(
        Q(state=VideoState.PROCESSING, processing_deadline__lt=now)
        | Q(state=VideoState.UPLOADED, updated_at__lt=forgotten_before)
    ).values_list("pk", flat=True)
    swept = 0
    for video_id in list(stuck):
        with transaction.atomic():
            video = AnswerVideo.objects.select_for_update().filter(pk=video_id).first()
            if video is None:
                continue
            if workflow.RELEASE.allows(video):
                if video.processing_deadline is None or video.processing_deadline >= now:
                    continue
                if video.attempts >= settings.MEDIA_MAX_ATTEMPTS:
                    fail(
                        video,
                        _("Processing was interrupted %(count)d times; it was stopped.")
                        % {"count": video.attempts},
                        "",
                    )
                    swept += 1
                    continue
                workflow.RELEASE.apply(video)
                video.processing_deadline = None
                video.save()
            elif not workflow.PROCESS.allows(video):
                continue
            else:
                video.save(update_fields=["updated_at"])
            queue_processing(video)
            swept += 1
    return swept


# --- Captions, transcript, publication -----------------------------------------------------------


@transaction.atomic
def set_caption(*, video: AnswerVideo, language: str, content: bytes, label: str = "") -> Caption:
    """Validate a WebVTT file and make it the video's captions in `language` (replacing any)."""
    validate_webvtt(content)
    if language not in dict(settings.LANGUAGES):
        raise PublishRefused(_("Unknown language."))
    caption = Caption.objects.select_for_update().filter(video=video, language=language).first()
    previous = caption.file.name if caption else ""
    caption = caption or Caption(video=video, language=language)
    caption.label = label or str(dict(settings.LANGUAGES)[language])
    name = f"{video.question.public_id}-{language}-{uuid.uuid4().hex[:8]}.vtt"
    caption.file.save(name, ContentFile(content), save=False)
    caption.save()
    if previous:
        storage = caption.file.storage
        transaction.on_commit(lambda: storage_ops.delete_names(storage, [previous]))
    return caption


@transaction.atomic
def delete_caption(*, caption: Caption) -> None:
    name, storage = caption.file.name, caption.file.storage
    caption.delete()
    transaction.on_commit(lambda: storage_ops.delete_names(storage, [name]))


@transaction.atomic
def set_transcript(*, video: AnswerVideo, text: str) -> AnswerVideo:
    locked = AnswerVideo.objects.select_for_update().get(pk=video.pk)
    locked.transcript = text.strip()
    locked.save(update_fields=["transcript", "updated_at"])
    return locked


@transaction.atomic
def publish_video(*, video: AnswerVideo, actor: AbstractBaseUser | None) -> AnswerVideo:
    """Publish a ready video: the question becomes `answered` and its people are told."""
    locked = AnswerVideo.objects.select_for_update().select_related("question").get(pk=video.pk)
    workflow.PUBLISH.check(locked)
    if not locked.transcript and not locked.captions.filter(language="fr").exists():
        raise PublishRefused(
            _(
                "Add French captions or a transcript before publishing: the answer must be "
                "accessible."
            )
        )
    workflow.PUBLISH.apply(locked)
    locked.save()
    mark_question_answered(question=locked.question, actor=actor)
    return locked
