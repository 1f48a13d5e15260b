import pytest
from django.core.files.storage import FileSystemStorage, storages

from media_pipeline.exceptions import TransientStorageError
from media_pipeline.models import AnswerVideo, VideoState
from media_pipeline.services import outputs, processing
from media_pipeline.storage_ops import list_tree
from media_pipeline.tasks import transcode_video
from tests.media_pipeline.conftest import attach

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


class FlakyStorage(FileSystemStorage):
    """A disk that fails like a throttled S3 after a few files (a storage, not the pipeline)."""

    failures_left = 0
    saves_before_failing = 3

    def _save(self, name, content):
        type(self).saves_before_failing -= 1
        if type(self).failures_left and type(self).saves_before_failing < 0:
            type(self).failures_left -= 1
            raise OSError("503 Slow Down")
        return super()._save(name, content)


@pytest.fixture
def flaky_storage(settings, monkeypatch):
    monkeypatch.setattr(outputs, "STORAGE_RETRY_DELAYS", (0, 0))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": f"{__name__}.FlakyStorage",
            "OPTIONS": {"location": str(settings.MEDIA_ROOT)},
        },
    }
    FlakyStorage.saves_before_failing = 3
    return FlakyStorage


def test_a_short_storage_hiccup_is_retried_on_the_spot(selected_question, clip, flaky_storage):
    video = attach(selected_question, clip)
    flaky_storage.failures_left = 2
    processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    assert video.state == VideoState.READY and video.attempts == 1
    files = list_tree(storages["default"], "answers")
    assert {name.split("/")[2] for name in files} == {video.output_version}


def test_a_storage_error_midway_leaves_no_file_and_the_video_is_retried(
    selected_question, clip, flaky_storage
):
    video = attach(selected_question, clip)
    flaky_storage.failures_left = 3
    with pytest.raises(TransientStorageError):
        processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    assert video.state == VideoState.UPLOADED and video.attempts == 0  # ready to be retried
    assert list_tree(storages["default"], "answers") == []  # the files stored were removed

    processing.process_video(video_id=video.pk)  # the retry, once the storage is back
    video.refresh_from_db()
    assert video.state == VideoState.READY and video.attempts == 1


def test_a_storage_that_stays_down_ends_failed_after_the_task_retries(
    selected_question, clip, flaky_storage, settings
):
    settings.MEDIA_STORAGE_RETRY_BASE_SECONDS = 0
    video = attach(selected_question, clip)
    flaky_storage.failures_left = 1000
    transcode_video.apply(args=[video.pk])
    video = AnswerVideo.objects.get(pk=video.pk)
    assert video.state == VideoState.FAILED
    assert video.error_log == "503 Slow Down"
    assert list_tree(storages["default"], "answers") == []


def test_transcodes_go_to_the_media_queue_and_sweeps_to_the_default_queue():
    from portal.celery import app

    def queue_of(name: str) -> str:
        return app.amqp.router.route({}, name)["queue"].name

    assert queue_of("media_pipeline.tasks.transcode_video") == "media"
    assert queue_of("media_pipeline.tasks.sweep_stuck_videos") == "default"
    assert queue_of("media_pipeline.tasks.clean_abandoned_uploads") == "default"
    assert transcode_video.acks_late and transcode_video.reject_on_worker_lost
