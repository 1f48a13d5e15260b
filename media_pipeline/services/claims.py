"""A worker's claim on a video is a lease (`core.leases`): it holds while the video carries the
same attempt number and start time, and while its `lease_expires_at` is renewed, by each progress
write and by a heartbeat thread. A worker that dies stops renewing: a redelivered task or the
sweeper (every MEDIA_SWEEP_SECONDS) takes the video over once WORKER_LEASE_SECONDS have passed,
so it is processing again within about WORKER_LEASE_SECONDS + MEDIA_SWEEP_SECONDS whatever its
length. The processing deadline still bounds a live but stuck worker; videos that keep dying
end `failed` after MEDIA_MAX_ATTEMPTS attempts."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import leases
from media_pipeline import selectors, workflow
from media_pipeline.models import AnswerVideo
from media_pipeline.services import sweeper
from media_pipeline.services.queueing import queue_processing
from media_pipeline.services.sweeper import lapsed

PROGRESS_SAVE_INTERVAL = 0.5  # seconds: at most two progress writes a second


@dataclass(frozen=True)
class Claim:
    """A worker's hold on a video. Its writes apply only while the video still carries the same
    attempt number and start time: a stale worker (replaced by the sweeper, or by a new upload)
    changes nothing."""

    video_id: int
    attempt: int
    started_at: datetime

    def rows(self) -> QuerySet[AnswerVideo]:
        return AnswerVideo.objects.filter(
            pk=self.video_id,
            state__in=workflow.FINISH.sources,  # still being processed
            attempts=self.attempt,
            processing_started_at=self.started_at,
        )

    def lease(self) -> leases.Lease:
        """The lease to keep alive while working (`with claim.lease().kept_alive() as lease`)."""
        return leases.Lease(rows=self.rows, field="lease_expires_at")


def claim_video(*, video_id: int) -> tuple[AnswerVideo, Claim] | None:
    """Move an `uploaded` video to `processing` with a lease and a deadline (taking it over from
    a dead worker whose lease lapsed); None if nothing is to be done."""
    with transaction.atomic():
        video = (
            AnswerVideo.objects.select_for_update(of=("self",))
            .select_related("question")
            .filter(pk=video_id)
        ).first()
        if workflow.RELEASE.allows(video) and lapsed(video):
            workflow.RELEASE.apply(video)  # the attempt of the dead worker still counts
        if not workflow.PROCESS.allows(video):
            return None
        if video.attempts >= settings.MEDIA_MAX_ATTEMPTS:
            fail(video, _("Processing was interrupted too many times; try again later."), "")
            return None
        now = timezone.now()
        workflow.PROCESS.apply(video, now=now)
        video.attempts += 1
        video.progress = 0
        video.lease_expires_at = leases.expiry(now)
        video.processing_deadline = now + timedelta(
            seconds=settings.MEDIA_PROCESSING_DEADLINE_SECONDS
        )
        video.error_reason = video.error_log = ""
        video.save()
    return video, Claim(video.pk, video.attempts, video.processing_started_at)


def fail(video: AnswerVideo, reason: str, log: str) -> None:
    """Fail a locked video with a reason for staff and the technical log."""
    workflow.FAIL.apply(video)
    video.error_reason = reason
    video.error_log = log
    video.processing_deadline = video.lease_expires_at = None
    video.save()


def fail_claimed(claim: Claim, reason: str, log: str) -> None:
    """Fail the video if the claim still holds it (a stale worker changes nothing)."""
    with transaction.atomic():
        locked = claim.rows().select_for_update().first()
        if locked:
            fail(locked, reason, log)


def release_claim(claim: Claim) -> None:
    """Give the claim back without counting the attempt (the task retries later)."""
    claim.rows().update(
        state=workflow.RELEASE.target,
        attempts=F("attempts") - 1,
        processing_deadline=None,
        lease_expires_at=None,
    )


def progress_recorder(lease: leases.Lease) -> Callable[[float], None]:
    """Progress writes that renew the lease; LeaseLost (which stops ffmpeg) once taken over."""
    last_saved = {"at": 0.0, "value": -1.0}

    def record(percent: float) -> None:
        lease.check()
        now = time.monotonic()
        if percent < 100 and now - last_saved["at"] < PROGRESS_SAVE_INTERVAL:
            return
        if percent == last_saved["value"]:
            return
        last_saved.update(at=now, value=percent)
        lease.renew(progress=round(max(0.0, min(100.0, percent)), 1))
        lease.check()

    return record


def give_up_on_storage(*, video_id: int, log: str) -> None:
    """The storage stayed unavailable through every retry: the video fails, staff may retry."""
    with transaction.atomic():
        video = AnswerVideo.objects.select_for_update().filter(pk=video_id).first()
        if workflow.FAIL.allows(video):
            fail(video, _("The file storage is unavailable; try again later."), log)


VIDEOS = sweeper.LeasedJob(
    model=AnswerVideo,
    lock_field="pk",
    release=workflow.RELEASE,
    start=workflow.PROCESS,
    fail=fail,
    requeue=queue_processing,
    interrupted=gettext_lazy("Processing was interrupted %(count)d times; it was stopped."),
)


def sweep_stuck_videos() -> int:
    """Re-queue videos whose worker died (lease lapsed or deadline passed) or whose message was
    lost; a video that keeps dying ends `failed` after MEDIA_MAX_ATTEMPTS attempts."""
    now = timezone.now()
    return sweeper.sweep(VIDEOS, selectors.stuck_video_ids(now=now), now)
