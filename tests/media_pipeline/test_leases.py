"""A video's claim is a lease: a dead worker's video is taken over once its lease lapses, by a
redelivered task or the sweeper, well before the processing deadline; a live one is left alone."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import storages
from django.utils import timezone

from core.leases import LeaseLost
from media_pipeline.models import AnswerVideo, VideoState
from media_pipeline.services import claims, processing
from media_pipeline.storage_ops import list_tree
from tests.media_pipeline.conftest import attach

pytestmark = pytest.mark.django_db


def claimed_by_a_worker(video: AnswerVideo, *, lease_left: float) -> None:
    """As if a worker had claimed it an hour's deadline ahead and last renewed its lease."""
    now = timezone.now()
    AnswerVideo.objects.filter(pk=video.pk).update(
        state=VideoState.PROCESSING,
        attempts=1,
        processing_started_at=now - timedelta(minutes=5),
        processing_deadline=now + timedelta(hours=1),
        lease_expires_at=now + timedelta(seconds=lease_left),
        progress=40,
    )


def test_a_redelivered_task_takes_over_a_lapsed_lease_and_ends_ready(selected_question, clip):
    video = attach(selected_question, clip)
    claimed_by_a_worker(video, lease_left=-1)
    processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    assert video.state == VideoState.READY and video.attempts == 2
    assert video.lease_expires_at is None and video.processing_deadline is None
    files = list_tree(storages["default"], f"answers/{selected_question.public_id}")
    assert {name.split("/")[2] for name in files} == {video.output_version}


def test_a_redelivered_task_leaves_a_live_lease_alone(selected_question, clip):
    video = attach(selected_question, clip)
    claimed_by_a_worker(video, lease_left=30)
    assert processing.process_video(video_id=video.pk) is None
    video.refresh_from_db()
    assert video.state == VideoState.PROCESSING and video.attempts == 1 and video.progress == 40


def test_the_sweeper_requeues_a_lapsed_lease_long_before_the_deadline(selected_question, clip):
    video = attach(selected_question, clip)
    claimed_by_a_worker(video, lease_left=30)
    assert claims.sweep_stuck_videos() == 0  # its worker is alive
    claimed_by_a_worker(video, lease_left=-1)
    assert claims.sweep_stuck_videos() == 1
    video.refresh_from_db()
    assert video.state == VideoState.UPLOADED and video.attempts == 1
    assert video.lease_expires_at is None


def test_a_worker_presumed_dead_stops_at_its_next_progress_write(
    selected_question, clip, monkeypatch
):
    monkeypatch.setattr(claims, "PROGRESS_SAVE_INTERVAL", 0)
    video = attach(selected_question, clip)
    _video, claim = claims.claim_video(video_id=video.pk)
    record = claims.progress_recorder(claim.lease())
    record(10.0)
    assert AnswerVideo.objects.get(pk=video.pk).lease_expires_at > timezone.now()
    AnswerVideo.objects.filter(pk=video.pk).update(lease_expires_at=timezone.now())
    claims.sweep_stuck_videos()  # the sweeper took it over meanwhile
    with pytest.raises(LeaseLost):
        record(99.0)
    assert AnswerVideo.objects.get(pk=video.pk).progress == 10  # the stale write changed nothing


def test_the_lease_and_the_sweep_period_keep_recovery_under_two_minutes():
    lease, sweep = django_settings.WORKER_LEASE_SECONDS, django_settings.MEDIA_SWEEP_SECONDS
    assert lease + sweep <= 100  # leaves 20 s for a free worker to take the task
    schedule = django_settings.CELERY_BEAT_SCHEDULE["sweep-stuck-videos"]
    assert schedule["schedule"] == sweep
    assert (
        django_settings.CELERY_TASK_ACKS_LATE and django_settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    )
    assert django_settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    # A live transcode's message is never handed to a second worker.
    visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > django_settings.CELERY_TASK_TIME_LIMIT
