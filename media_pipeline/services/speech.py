"""Speech-to-text drafts of a video's captions and transcript, on the `speech` queue.

A ready video gets a job (`queue_speech_draft`); a worker claims it with the transcode's claim and
lease (`media_pipeline.services.claims`, `core.leases`: attempt number + start time, an expiry
renewed by each progress write and a heartbeat), drafts the captions from the MP4 fallback's
sound in the answer's language, and stores them labelled automatic and unreviewed; the
transcript is drafted too unless a person wrote one. The sweeper re-queues a job whose worker
died (lease lapsed, or past SPEECH_DEADLINE_SECONDS) and fails one that keeps dying.
"""

import logging
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import leases
from core.tasks import queue_task_on_commit
from media_pipeline import storage_ops, workflow
from media_pipeline.exceptions import SpeechFailed
from media_pipeline.models import AnswerVideo, Caption, SpeechJob
from media_pipeline.services import captions, outputs, sweeper
from media_pipeline.services.claims import Claim, progress_recorder
from media_pipeline.services.sweeper import lapsed
from media_pipeline.speech.draft import Draft, draft_captions
from media_pipeline.workflow import SpeechState

logger = logging.getLogger(__name__)

SPEECH_TASK = "media_pipeline.tasks.speech_draft"


class SpeechClaim(Claim):
    """The transcode's claim and lease (`lease_expires_at`), held on the video's speech job
    instead of the video."""

    def rows(self) -> QuerySet[SpeechJob]:  # type: ignore[override]
        return SpeechJob.objects.filter(
            video_id=self.video_id,
            state=SpeechState.RUNNING,
            attempts=self.attempt,
            processing_started_at=self.started_at,
        )


@transaction.atomic
def queue_speech_draft(
    video: AnswerVideo, *, language: str = "", restart: bool = False
) -> SpeechJob:
    """(Re)start the draft of a video's captions, sent once the transaction commits. Staff may
    not start a job that is already under way; the pipeline (`restart`, a new version of the
    video is ready) replaces it: the running worker's lease no longer holds, it changes nothing."""
    job = SpeechJob.objects.select_for_update().filter(video=video).first()
    if not restart:
        workflow.SPEECH_QUEUE.check(job)
    job = job or SpeechJob(video=video)
    job.state = workflow.SPEECH_QUEUE.target
    job.language = language or video.language
    job.progress = 0
    job.attempts = 0
    job.processing_started_at = job.processing_deadline = job.finished_at = None
    job.lease_expires_at = None
    job.error_reason = job.error_log = ""
    job.save()
    queue_task_on_commit(SPEECH_TASK, video_id=video.pk)
    return job


def lease_deadline(now: datetime) -> datetime:
    return now + timedelta(seconds=settings.SPEECH_DEADLINE_SECONDS)


def claim_speech(*, video_id: int) -> tuple[SpeechJob, SpeechClaim] | None:
    """Move a queued job to `running`; None if nothing is to be done (gone, done, taken)."""
    with transaction.atomic():
        job = SpeechJob.objects.select_for_update().filter(video_id=video_id).first()
        if workflow.SPEECH_RELEASE.allows(job) and lapsed(job):
            workflow.SPEECH_RELEASE.apply(job)  # a dead worker's: its attempt still counts
        if not workflow.SPEECH_START.allows(job):
            return None
        if job.attempts >= settings.MEDIA_MAX_ATTEMPTS:
            fail(job, _("Drafting the captions was interrupted too many times."), "")
            return None
        now = timezone.now()
        workflow.SPEECH_START.apply(job, now=now)
        job.attempts += 1
        job.progress = 0
        job.processing_deadline = lease_deadline(now)
        job.lease_expires_at = leases.expiry(now)
        job.error_reason = job.error_log = ""
        job.save()
    return job, SpeechClaim(video_id, job.attempts, job.processing_started_at)


def fail(job: SpeechJob, reason: str, log: str) -> None:
    workflow.SPEECH_FAIL.apply(job)
    job.error_reason = reason
    job.error_log = log[-4000:]
    job.processing_deadline = job.lease_expires_at = None
    job.save()


def draft_speech(*, video_id: int) -> SpeechJob | None:
    """Draft the captions and transcript of a video; the job ends `done` or `failed`."""
    claimed = claim_speech(video_id=video_id)
    if claimed is None:
        return None
    job, claim = claimed
    video = AnswerVideo.objects.select_related("question").get(pk=video_id)
    try:
        with (
            claim.lease().kept_alive() as lease,
            tempfile.TemporaryDirectory(dir=settings.SPEECH_WORK_DIR) as folder,
        ):
            source = Path(folder) / "answer.mp4"
            if not video.mp4:
                raise SpeechFailed(_("The video has no processed file to listen to."))
            try:
                storage_ops.download_to(outputs.public_storage(), video.mp4.name, source)
            except (FileNotFoundError, ValueError) as error:
                raise SpeechFailed(_("The processed video is missing."), str(error)) from error
            lease.check()
            draft = draft_captions(
                source=source, language=job.language, on_progress=progress_recorder(lease)
            )
        return store_draft(claim=claim, draft=draft)
    except SpeechFailed as error:
        fail_claimed(claim, error.reason, error.log)
    except leases.LeaseLost:
        logger.info("video %s: speech draft taken over by another attempt", video_id)
    except SoftTimeLimitExceeded:
        fail_claimed(claim, _("Drafting the captions took too long and was stopped."), "")
        raise
    return None


def fail_claimed(claim: SpeechClaim, reason: str, log: str) -> None:
    with transaction.atomic():
        job = claim.rows().select_for_update().first()
        if job is not None:
            fail(job, reason, log)


@transaction.atomic
def store_draft(*, claim: SpeechClaim, draft: Draft) -> SpeechJob | None:
    """Keep the draft if the claim still holds: never over captions or a transcript a person
    wrote or reviewed."""
    job = claim.rows().select_for_update(of=("self",)).select_related("video__question").first()
    if job is None:
        return None  # another attempt took over, or staff started again
    video = (
        AnswerVideo.objects.select_for_update(of=("self",))
        .select_related("question")
        .get(pk=job.video_id)
    )
    existing = Caption.objects.filter(video=video, language=draft.language).first()
    kept = []
    if existing is None or (existing.automatic and not existing.is_reviewed):
        captions.set_caption(
            video=video,
            language=draft.language,
            content=draft.webvtt.encode(),
            automatic=True,
            reviewed=False,
        )
    else:
        kept.append("captions")
    if not video.transcript.strip() or video.transcript_automatic:
        captions.set_transcript(video=video, text=draft.transcript, automatic=True)
    else:
        kept.append("transcript")
    workflow.SPEECH_FINISH.apply(job)
    job.progress = 100
    job.engine = draft.engine
    job.processing_deadline = job.lease_expires_at = None
    job.error_log = draft.log + (f"; kept the reviewed {', '.join(kept)}" if kept else "")
    job.save()
    logger.info("video %s: speech draft stored (%s)", video.pk, draft.log)
    return job


def requeue(job: SpeechJob) -> None:
    queue_task_on_commit(SPEECH_TASK, video_id=job.video_id)


SPEECH_JOBS = sweeper.LeasedJob(
    model=SpeechJob,
    lock_field="video_id",
    release=workflow.SPEECH_RELEASE,
    start=workflow.SPEECH_START,
    fail=fail,
    requeue=requeue,
    interrupted=gettext_lazy(
        "Drafting the captions was interrupted %(count)d times; it was stopped."
    ),
)


def sweep_stuck_speech() -> int:
    """Re-queue drafts whose worker died (lease expired) or whose message was lost; fail those
    interrupted MEDIA_MAX_ATTEMPTS times."""
    now = timezone.now()
    forgotten = now - timedelta(seconds=settings.SPEECH_DEADLINE_SECONDS)
    stuck = SpeechJob.objects.filter(
        (Q(state=SpeechState.RUNNING) & leases.expired_q("lease_expires_at", now))
        | Q(state=SpeechState.RUNNING, processing_deadline__lt=now)
        | Q(state=SpeechState.QUEUED, updated_at__lt=forgotten)
    ).values_list("video_id", flat=True)
    return sweeper.sweep(SPEECH_JOBS, stuck, now)


@transaction.atomic
def set_video_language(*, video: AnswerVideo, language: str, redraft: bool = True) -> AnswerVideo:
    """The language spoken in the video; a changed language drafts the captions again (in it)
    once the video has outputs and no draft is under way."""
    if language not in dict(settings.LANGUAGES):
        raise SpeechFailed(_("Unknown language."))
    locked = AnswerVideo.objects.select_for_update().get(pk=video.pk)
    changed = locked.language != language
    locked.language = language
    locked.save(update_fields=["language", "updated_at"])
    job = SpeechJob.objects.filter(video=locked).first()
    if changed and redraft and locked.mp4 and workflow.SPEECH_QUEUE.allows(job):
        queue_speech_draft(locked)
    return locked


@transaction.atomic
def redraft_speech(*, video: AnswerVideo) -> SpeechJob:
    """Staff ask for a new draft (after a failure, or another engine or language)."""
    locked = AnswerVideo.objects.select_for_update().get(pk=video.pk)
    if not locked.mp4:
        raise SpeechFailed(_("The video must be processed before its captions can be drafted."))
    return queue_speech_draft(locked)
