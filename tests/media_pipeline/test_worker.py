"""A real Celery worker is SIGKILLed (with its ffmpeg) mid-transcode; another worker takes the
video over once its lease lapses (beat's sweeper), within the recovery target."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.utils import timezone

from media_pipeline.models import AnswerVideo, VideoState
from media_pipeline.storage_ops import list_tree
from portal.celery import app
from tests.media_pipeline.conftest import attach, make_clip
from tests.worker import ROOT, processes_in_session, running_worker, wait_for, worker_command

pytestmark = pytest.mark.slow


@pytest.fixture
def worker_env(media_folders):
    """The worker process sees the same folders and the same small ladder as the test."""
    return {
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(media_folders / "private"),
        "UPLOAD_TEMP_DIR": str(settings.UPLOAD_TEMP_DIR),
        "MEDIA_LADDER_HEIGHTS": "360,240",
        "MEDIA_HLS_SEGMENT_SECONDS": "1",
        "MEDIA_X264_PRESET": "ultrafast",
    }


RECOVERY_TARGET = 120  # seconds from a worker's death to its video processing again


def group_killed(process: subprocess.Popen) -> float:
    """kill -9 a worker's whole process group (worker, pool child, ffmpeg): a lost machine."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    killed_at = time.monotonic()
    wait_for(lambda: not processes_in_session(process.pid), 10, "the killed group to vanish")
    return killed_at


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_during_ffmpeg_is_taken_over_within_two_minutes_with_one_set_of_outputs(
    selected_question, tmp_path, worker_env
):
    clip = make_clip(tmp_path / "answer.mp4", seconds=8, size="640x360")
    app.control.purge()
    video = attach(selected_question, clip)  # queued after commit, no worker yet

    # A slow encoder setting gives the test time to kill the worker while ffmpeg runs.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "HLM_TEST_WORKER": "1",
        "HLM_VAR_DIR": str(settings.VAR_DIR),
        **worker_env,
        "MEDIA_X264_PRESET": "veryslow",
    }
    log = open(Path(settings.VAR_DIR) / "worker-killed.log", "ab")  # noqa: SIM115
    doomed = subprocess.Popen(
        worker_command("default,media", 1, "prefork"),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(
            lambda: (
                "ffmpeg" in processes_in_session(doomed.pid).values()
                and AnswerVideo.objects.get(pk=video.pk).progress > 0
            ),
            timeout=90,
            what="ffmpeg to run and report progress",
        )
    finally:
        killed_at = group_killed(doomed)
        log.close()

    video.refresh_from_db()
    assert video.state == VideoState.PROCESSING and 0 < video.progress < 100
    assert video.attempts == 1
    assert video.lease_expires_at > timezone.now()  # renewed until the kill
    assert not video.hls_master  # nothing half-written is ever pointed at

    # Another worker, with beat inside it on the production lease and sweep periods: nobody
    # touches the database by hand, the message of the dead worker stays unacknowledged.
    with running_worker(
        queues="default,media",
        env=worker_env,
        log_name="worker-after.log",
        beat_schedule=tmp_path / "beat-schedule",
    ):
        wait_for(
            lambda: AnswerVideo.objects.get(pk=video.pk).attempts == 2,
            timeout=RECOVERY_TARGET + 30,
            what="another worker to take the video over",
        )
        recovered_after = time.monotonic() - killed_at
        wait_for(
            lambda: (
                AnswerVideo.objects.get(pk=video.pk).state in (VideoState.READY, VideoState.FAILED)
            ),
            timeout=120,
            what="the video to be processed again",
        )
    assert recovered_after < RECOVERY_TARGET, f"processing again after {recovered_after:.0f} s"

    video.refresh_from_db()
    assert video.state == VideoState.READY, video.error_reason
    assert video.attempts == 2 and video.progress == 100
    files = list_tree(storages["default"], f"answers/{selected_question.public_id}")
    versions = {name.split("/")[2] for name in files}
    assert versions == {video.output_version}  # exactly one set of outputs, no orphans
    expected_top = {"master.m3u8", "video.mp4", "poster.jpg", "poster-small.webp"}
    assert expected_top <= {name.split("/", 3)[3] for name in files}
    assert sorted(video.renditions.values_list("name", flat=True)) == ["240p", "360p"]
    for rendition in video.renditions.all():
        assert storages["default"].exists(rendition.playlist.name)
    leftovers = list(Path(settings.UPLOAD_TEMP_DIR).glob("transcode/*"))
    assert leftovers == []  # the killed attempt's working folder is gone too
