"""The speech job in a real Celery worker on its own queue: progress while it runs, then a worker
SIGKILLed mid-recognition, and the sweeper's new attempt on a fresh worker drafts the captions."""

import os
import signal
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from media_pipeline.models import Caption, SpeechJob
from media_pipeline.services import speech
from media_pipeline.workflow import SpeechState
from portal.celery import app
from tests.media_pipeline.spoken import FRENCH_SENTENCES, FRENCH_VOICE, ready_spoken_video
from tests.media_pipeline.test_worker import processes_in_session, wait_for
from tests.worker import ROOT, running_worker, worker_command

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LONG_SPEECH = [
    "The minister answered questions about the election.",
    "France will support the people of the region.",
    "Our embassy is open every morning for students.",
    "We met the president of the commission on Tuesday.",
] * 3


@pytest.fixture
def worker_env(media_folders):
    return {"MEDIA_ROOT": str(settings.MEDIA_ROOT)}


def test_the_speech_queue_has_its_own_worker_and_reports_progress(
    selected_question, tmp_path, worker_env
):
    video, _said = ready_spoken_video(selected_question, tmp_path)
    app.control.purge()
    with running_worker(queues="default,media", env=worker_env, log_name="speech-0.log"):
        speech.queue_speech_draft(video)  # outside a transaction: sent at once
        # Transcode and e-mail workers never take it: it waits on the speech queue.
        wait_for(lambda: True, 2, "a moment")
        assert SpeechJob.objects.get(video=video).state == SpeechState.QUEUED
    seen = set()
    with running_worker(queues="default,speech", env=worker_env, log_name="speech-1.log"):

        def finished():
            job = SpeechJob.objects.get(video=video)
            seen.add(job.progress)
            return job.state in (SpeechState.DONE, SpeechState.FAILED) and job

        job = wait_for(finished, 120, "the draft")
    assert job.state == SpeechState.DONE, job.error_reason
    assert any(0 < value < 100 for value in seen)  # progress was written while it ran
    assert Caption.objects.get(video=video, language="en").automatic


def test_a_french_answer_is_drafted_by_whisper_in_the_speech_worker(
    selected_question, tmp_path, worker_env
):
    video, _said = ready_spoken_video(
        selected_question, tmp_path, sentences=FRENCH_SENTENCES, language="fr", voice=FRENCH_VOICE
    )
    app.control.purge()
    with running_worker(queues="default,speech", env=worker_env, log_name="speech-fr.log"):
        speech.queue_speech_draft(video)

        def finished():
            job = SpeechJob.objects.get(video=video)
            return job.state in (SpeechState.DONE, SpeechState.FAILED) and job

        job = wait_for(finished, 180, "the French draft")
    assert job.state == SpeechState.DONE, job.error_reason
    assert job.engine == "faster-whisper (whisper-base)"
    caption = Caption.objects.get(video=video, language="fr")
    assert caption.automatic and not caption.is_reviewed
    assert "ministre" in " ".join(cue.text.lower() for cue in caption.cues.all())


def test_a_worker_killed_mid_recognition_is_recovered_by_the_sweeper(
    selected_question, tmp_path, worker_env
):
    video, _said = ready_spoken_video(selected_question, tmp_path, sentences=LONG_SPEECH)
    app.control.purge()
    speech.queue_speech_draft(video)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "HLM_TEST_WORKER": "1",
        "HLM_VAR_DIR": str(settings.VAR_DIR),
        **worker_env,
    }
    log = open(Path(settings.VAR_DIR) / "speech-killed.log", "ab")  # noqa: SIM115
    doomed = subprocess.Popen(
        worker_command("speech", 1, "prefork"),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(
            lambda: SpeechJob.objects.get(video=video).progress > 5,
            timeout=120,
            what="recognition to report progress",
        )
    finally:
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait()
        log.close()
    wait_for(lambda: not processes_in_session(doomed.pid), 10, "the killed group to vanish")

    job = SpeechJob.objects.get(video=video)
    assert job.state == SpeechState.RUNNING and 5 < job.progress < 100 and job.attempts == 1
    assert not video.captions.exists()  # nothing half-drafted is stored

    # Nobody renews the lease any more: once it lapses, beat's sweeper re-queues the job.
    assert job.lease_expires_at > timezone.now()  # not before (the worker was renewing it)
    SpeechJob.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now())
    with running_worker(queues="default,speech", env=worker_env, log_name="speech-2.log"):
        assert speech.sweep_stuck_speech() == 1
        wait_for(
            lambda: (
                SpeechJob.objects.get(video=video).state != SpeechState.RUNNING
                and SpeechJob.objects.get(video=video).state != SpeechState.QUEUED
            ),
            timeout=180,
            what="the second attempt",
        )
    job.refresh_from_db()
    assert job.state == SpeechState.DONE and job.attempts == 2, job.error_reason
    caption = Caption.objects.get(video=video, language="en")
    assert caption.automatic and not caption.is_reviewed and caption.cues.count() >= 12
