"""An event's recording end to end: the official tus client (tuspy) uploads it to a live server
with metadata `event`, a real Celery worker transcodes it with ffmpeg to the HLS ladder, and the
recording comes out ready with one chapter per question the live console put on stage."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from tusclient import client as tus_client

from media_pipeline.models import AnswerVideo, VideoState
from media_pipeline.storage_ops import list_tree
from portal.roles import SPOKESPERSON_STAFF
from questions.live import services as live
from questions.models import Question
from tests.factories import EventFactory, QuestionFactory, UserFactory
from tests.media_pipeline.conftest import make_clip
from tests.media_pipeline.test_tuspy import signed_in_headers
from tests.worker import running_worker, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_env(media_folders):
    return {
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(media_folders / "private"),
        "UPLOAD_TEMP_DIR": str(settings.UPLOAD_TEMP_DIR),
        "MEDIA_LADDER_HEIGHTS": "360,240",
        "MEDIA_HLS_SEGMENT_SECONDS": "1",
        "MEDIA_X264_PRESET": "ultrafast",
    }


def test_a_recording_sent_with_tuspy_is_transcoded_by_a_worker_with_its_chapters(
    live_server, tmp_path, worker_env
):
    # The event began 10 s before the camera's recording ends: two questions taken on stage.
    starts = timezone.now() - timedelta(hours=1)
    event = EventFactory(starts_at=starts, ends_at=starts + timedelta(minutes=30))
    moderator = UserFactory(is_superuser=True)
    marks = []
    for offset, length in ((1, 3), (5, 3)):
        question = QuestionFactory(event=event)
        question = live.start_answering(question=question, actor=moderator)
        question = live.answer_on_stage(question=question, actor=moderator)
        started = starts + timedelta(seconds=offset)
        Question.objects.filter(pk=question.pk).update(
            stage_started_at=started, stage_ended_at=started + timedelta(seconds=length)
        )
        marks.append(question)
    clip = make_clip(tmp_path / "captation.mp4", seconds=10)

    with running_worker(queues="default,media", env=worker_env, log_name="recording.log"):
        uploader = tus_client.TusClient(
            live_server.url + reverse("media_pipeline:upload_create"),
            headers=signed_in_headers(UserFactory(groups=[SPOKESPERSON_STAFF])),
        ).uploader(
            str(clip),
            chunk_size=64 * 1024,
            metadata={"event": event.slug, "filename": "captation.mp4"},
            upload_checksum=True,
        )
        uploader.upload()
        wait_for(
            lambda: AnswerVideo.objects.filter(
                event=event, state__in=[VideoState.READY, VideoState.FAILED]
            ).exists(),
            timeout=180,
            what="the recording to be processed",
        )

    recording = AnswerVideo.objects.get(event=event)
    assert recording.state == VideoState.READY, recording.error_reason
    assert recording.question is None and 9.5 < recording.duration_seconds < 10.5
    assert sorted(recording.renditions.values_list("name", flat=True)) == ["240p", "360p"]
    files = list_tree(storages["default"], f"recordings/{event.slug}")
    assert any(name.endswith("master.m3u8") for name in files)
    with storages["private"].open(recording.source.name) as stored:
        assert stored.read() == clip.read_bytes()
    chapters = list(recording.chapters.order_by("start_seconds"))
    assert [(c.question_id, c.start_seconds, c.end_seconds) for c in chapters] == [
        (marks[0].pk, 1.0, 4.0),
        (marks[1].pk, 5.0, 8.0),
    ]


def test_a_recording_that_is_not_a_video_fails_with_a_human_reason(
    live_server, tmp_path, worker_env
):
    starts = timezone.now() - timedelta(hours=1)
    event = EventFactory(starts_at=starts, ends_at=starts + timedelta(minutes=30))
    fake = tmp_path / "captation.mp4"
    fake.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"not really a video" * 4000)
    with running_worker(queues="default,media", env=worker_env, log_name="recording-bad.log"):
        tus_client.TusClient(
            live_server.url + reverse("media_pipeline:upload_create"),
            headers=signed_in_headers(UserFactory(groups=[SPOKESPERSON_STAFF])),
        ).uploader(str(fake), metadata={"event": event.slug, "filetype": "video/mp4"}).upload()
        wait_for(
            lambda: AnswerVideo.objects.filter(event=event, state=VideoState.FAILED).exists(),
            timeout=120,
            what="the recording to fail",
        )
    recording = AnswerVideo.objects.get(event=event)
    assert recording.error_reason and "Traceback" not in recording.error_reason
    assert not recording.chapters.exists()
