"""More than one machine: a web process and two media workers that share only PostgreSQL, Redis
and S3 (the moto server), each with its own HLM_VAR_DIR and upload folder. A tus upload goes
through the web process, whichever media worker takes the video transcodes it; that worker is
then killed (its whole process group, as a lost machine) and the other finishes the video
within the recovery target, with one set of outputs, which is then published.

Machines cannot share the embedded defaults (a SQLite file, a broker folder under each machine's
own HLM_VAR_DIR): the test needs PostgreSQL and Redis (CI has both)."""

import time
from pathlib import Path

import pytest
from django.urls import reverse
from tusclient import client as tus_client

from media_pipeline.models import AnswerVideo, VideoState
from media_pipeline.services import captions, staff_actions
from portal.roles import SPOKESPERSON_STAFF
from questions.models import QuestionState
from tests.factories import QuestionFactory, UserFactory
from tests.media_pipeline.conftest import make_clip
from tests.media_pipeline.test_tuspy import signed_in_headers
from tests.s3 import http_get
from tests.worker import kill_worker, processes_in_session, running_worker, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.postgresql_only]

RECOVERY_TARGET = 120  # seconds from a media machine's death to its video processing again


def machine(s3, tmp_path, name: str, **extra: str) -> dict[str, str]:
    """A machine's variables: the shared services, its own var folder and upload folder."""
    var_dir = tmp_path / name
    return s3.env | {
        "HLM_VAR_DIR": str(var_dir),
        "UPLOAD_TEMP_DIR": str(var_dir / "uploads"),
        "MEDIA_LADDER_HEIGHTS": "360,240",
        "MEDIA_HLS_SEGMENT_SECONDS": "1",
        # Slow enough for the test to kill a machine mid-transcode.
        "MEDIA_X264_PRESET": "veryslow",
        **extra,
    }


@pytest.mark.django_db(transaction=True)
def test_two_media_machines_share_only_the_database_the_broker_and_s3(
    live_server, s3, tmp_path, settings
):
    assert settings.REDIS_URL, "machines share a broker: set REDIS_URL along with DATABASE_URL"
    settings.UPLOAD_TEMP_DIR = str(tmp_path / "web" / "uploads")  # the web machine's own disk
    question = QuestionFactory(state=QuestionState.SELECTED)
    staff = UserFactory(groups=[SPOKESPERSON_STAFF])
    clip = make_clip(tmp_path / "answer.mp4", seconds=6, size="640x360")
    for log in ("machine-a.log", "machine-b.log"):
        (Path(settings.VAR_DIR) / log).unlink(missing_ok=True)  # this run's lines only

    # The e-mail/sweeper machine runs beat (one in the whole installation), production periods.
    ops = machine(s3, tmp_path, "ops")
    with (
        running_worker(
            queues="default", env=ops, log_name="machine-ops.log", beat_schedule=tmp_path / "beat"
        ),
        running_worker(
            queues="media", env=machine(s3, tmp_path, "media-a"), log_name="machine-a.log"
        ) as media_a,
        running_worker(
            queues="media", env=machine(s3, tmp_path, "media-b"), log_name="machine-b.log"
        ) as media_b,
    ):
        # A resumable upload through the web process, in chunks, as the staff page sends it.
        client = tus_client.TusClient(
            live_server.url + reverse("media_pipeline:upload_create"),
            headers=signed_in_headers(staff),
        )
        client.uploader(
            str(clip),
            chunk_size=64 * 1024,
            metadata={"question": question.public_id, "filename": "answer.mp4"},
        ).upload()
        video = AnswerVideo.objects.get(question=question)
        assert s3.client.head_object(Bucket=s3.bucket, Key=f"private/{video.source.name}")

        def transcoding_machine():
            if AnswerVideo.objects.get(pk=video.pk).progress <= 0:
                return None
            for worker in (media_a, media_b):
                if "ffmpeg" in processes_in_session(worker.pid).values():
                    return worker
            return None

        holder = wait_for(transcoding_machine, 180, "a media machine to transcode")
        survivor = media_b if holder is media_a else media_a
        kill_worker(holder)
        killed_at = time.monotonic()
        wait_for(
            lambda: AnswerVideo.objects.get(pk=video.pk).attempts == 2,
            RECOVERY_TARGET + 30,
            "the other machine to take the video over",
        )
        recovered_after = time.monotonic() - killed_at
        wait_for(
            lambda: (
                AnswerVideo.objects.get(pk=video.pk).state in (VideoState.READY, VideoState.FAILED)
            ),
            300,
            "the video to be ready",
        )
    assert recovered_after < RECOVERY_TARGET, f"processing again after {recovered_after:.0f} s"
    video.refresh_from_db()
    assert video.state == VideoState.READY, video.error_reason + video.error_log[-1000:]
    assert video.attempts == 2
    survivor_log = "machine-a.log" if survivor is media_a else "machine-b.log"
    assert f"video {video.pk} ready" in (Path(settings.VAR_DIR) / survivor_log).read_text()

    # One set of outputs in the bucket: the version the video points at, nothing half-written.
    listed = s3.client.list_objects_v2(
        Bucket=s3.bucket, Prefix=f"public/answers/{question.public_id}/"
    )
    versions = {item["Key"].split("/")[3] for item in listed.get("Contents", [])}
    assert versions == {video.output_version}
    assert sorted(video.renditions.values_list("name", flat=True)) == ["240p", "360p"]

    # Publishing needs French captions and a transcript a person wrote (or reviewed).
    captions.set_caption(
        video=video, language="fr", content=b"WEBVTT\n\n00:00.000 --> 00:02.000\nMerci.\n"
    )
    video = captions.set_transcript(video=video, text="Merci pour votre question.")
    video = staff_actions.publish_video(video=video, actor=staff)
    assert video.state == VideoState.PUBLISHED
    status, body = http_get(video.hls_master.url)
    assert status == 200 and body.startswith(b"#EXTM3U")
