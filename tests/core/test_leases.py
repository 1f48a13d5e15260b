"""A lease lasts while its holder renews it; a renewal after a takeover tells the holder."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from core import leases
from media_pipeline.models import AnswerVideo, VideoState
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def processing_video() -> AnswerVideo:
    question = QuestionFactory()
    return AnswerVideo.objects.create(
        question=question, state=VideoState.PROCESSING, attempts=1, lease_expires_at=timezone.now()
    )


def held(video: AnswerVideo):
    return lambda: AnswerVideo.objects.filter(pk=video.pk, attempts=video.attempts)


def renewed_lease(video: AnswerVideo, *, timeout: float):
    """The video's lease once the heartbeat has moved it, or its unchanged value at `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        current = AnswerVideo.objects.get(pk=video.pk).lease_expires_at
        if current > video.lease_expires_at or time.monotonic() > deadline:
            return current
        time.sleep(0.05)


def test_the_heartbeat_renews_the_lease_while_the_block_runs_and_stops_after():
    video = processing_video()
    lease = leases.Lease(rows=held(video), field="lease_expires_at", seconds=0.4)
    with lease.kept_alive():  # a job with no progress to report (a download, an upload)
        renewed = renewed_lease(video, timeout=10)  # patient: a busy machine delays the thread
        assert renewed > video.lease_expires_at
    # The block's end joined the heartbeat (it may have beaten again since `renewed` was read).
    stopped_at = AnswerVideo.objects.get(pk=video.pk).lease_expires_at
    time.sleep(0.3)  # three beats' worth
    assert AnswerVideo.objects.get(pk=video.pk).lease_expires_at == stopped_at  # no beat after
    assert not lease.lost.is_set()


def test_a_holder_whose_row_was_taken_over_learns_it_at_its_next_renewal():
    video = processing_video()
    lease = leases.Lease(rows=held(video), field="lease_expires_at", seconds=0.2)
    AnswerVideo.objects.filter(pk=video.pk).update(attempts=2)  # another worker took it over
    with lease.kept_alive():
        assert lease.lost.wait(timeout=5)  # the heartbeat found it
        with pytest.raises(leases.LeaseLost):
            lease.check()
    assert AnswerVideo.objects.get(pk=video.pk).lease_expires_at == video.lease_expires_at


def test_a_lapsed_lease_is_expired_and_a_missing_one_is_not():
    now = timezone.now()
    assert leases.is_expired(now - timedelta(seconds=1), now)
    assert not leases.is_expired(now + timedelta(seconds=1), now)
    assert not leases.is_expired(None, now)
    assert leases.expiry(now) == now + timedelta(seconds=leases.lease_seconds())
