"""The speech-to-text job: a ready video's sound becomes draft captions (automatic, not
reviewed) and a draft transcript, with real PocketSphinx on speech espeak-ng reads; drafts never
publish until a person reviews them; a dead worker's job is taken over by the sweeper."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from media_pipeline import workflow
from media_pipeline.exceptions import PublishRefused, RetryRefused
from media_pipeline.models import Caption, SpeechJob, VideoState
from media_pipeline.services import captions, speech, staff_actions
from media_pipeline.workflow import SpeechState
from tests.media_pipeline.spoken import (
    FRENCH_SENTENCES,
    FRENCH_VOICE,
    SENTENCES,
    ready_spoken_video,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

VTT_FR = b"WEBVTT\n\n00:00.000 --> 00:02.000\nBonjour.\n\n00:02.000 --> 00:04.000\nMerci.\n"


@pytest.fixture(autouse=True)
def english_reasons():
    with translation.override("en"):
        yield


@pytest.fixture
def spoken(selected_question, tmp_path):
    return ready_spoken_video(selected_question, tmp_path)


def words_of(text: str) -> set[str]:
    return set(re.findall(r"[a-z']+", text.lower()))


def test_a_ready_video_gets_draft_captions_and_a_transcript_labelled_automatic(
    spoken, django_capture_on_commit_callbacks
):
    video, said = spoken
    with django_capture_on_commit_callbacks() as sent:
        speech.queue_speech_draft(video)
    assert len(sent) == 1  # the task leaves after commit

    job = speech.draft_speech(video_id=video.pk)

    assert job.state == SpeechState.DONE and job.progress == 100 and job.attempts == 1
    assert job.engine == "pocketsphinx" and job.language == "en"
    caption = Caption.objects.get(video=video, language="en")
    assert caption.automatic and not caption.is_reviewed
    cues = list(caption.cues.order_by("start"))
    assert len(cues) >= len(SENTENCES)
    for cue in cues:  # every cue shows while one of the sentences is spoken
        assert any(s.start - 0.3 <= cue.start <= s.end + 0.3 for s in said), cue
    expected = words_of(" ".join(SENTENCES))
    heard = words_of(" ".join(cue.text for cue in cues))
    assert len(expected & heard) / len(expected) >= 0.6, heard
    video.refresh_from_db()
    assert video.transcript_automatic and words_of(video.transcript) == heard
    assert speech.draft_speech(video_id=video.pk) is None  # done: a redelivery does nothing


def test_an_engine_without_the_language_fails_with_a_reason_staff_can_read(
    selected_question, tmp_path
):
    video, _said = ready_spoken_video(selected_question, tmp_path, language="ar")
    speech.queue_speech_draft(video)
    speech.draft_speech(video_id=video.pk)
    job = SpeechJob.objects.get(video=video)
    assert job.state == SpeechState.FAILED
    assert "not available in this language (ar)" in job.error_reason
    assert not video.captions.exists()


def test_a_draft_never_replaces_captions_or_a_transcript_a_person_wrote(spoken):
    video, _said = spoken
    human = b"WEBVTT\n\n00:00.000 --> 00:02.000\nWritten by a person.\n"
    captions.set_caption(video=video, language="en", content=human)
    captions.set_transcript(video=video, text="Written by a person.")
    speech.queue_speech_draft(video)
    job = speech.draft_speech(video_id=video.pk)
    assert (
        job.state == SpeechState.DONE and "kept the reviewed captions, transcript" in job.error_log
    )
    caption = Caption.objects.get(video=video, language="en")
    assert caption.is_reviewed and [c.text for c in caption.cues.all()] == ["Written by a person."]
    video.refresh_from_db()
    assert video.transcript == "Written by a person." and not video.transcript_automatic


def test_drafts_never_publish_until_a_person_reviews_the_french_captions(spoken):
    video, _said = spoken
    # A French draft, as a multilingual engine would write it.
    captions.set_caption(video=video, language="fr", content=VTT_FR, automatic=True, reviewed=False)
    captions.set_transcript(video=video, text="Bonjour. Merci.", automatic=True)
    with pytest.raises(PublishRefused, match="automatic draft: review them"):
        staff_actions.publish_video(video=video, actor=None)
    assert "automatic draft" in workflow.controls(video).publish_blocker

    captions.review_caption(caption=video.captions.get(language="fr"), actor=None)
    video.refresh_from_db()
    assert not video.transcript_automatic  # rebuilt from the reviewed captions
    assert video.transcript == "Bonjour. Merci."
    published = staff_actions.publish_video(video=video, actor=None)
    assert published.state == VideoState.PUBLISHED


def test_publishing_wants_a_transcript_besides_reviewed_french_captions(spoken):
    video, _said = spoken
    captions.set_caption(video=video, language="fr", content=VTT_FR)
    with pytest.raises(PublishRefused, match="transcript"):
        staff_actions.publish_video(video=video, actor=None)
    captions.set_transcript(video=video, text="Bonjour.", automatic=True)
    with pytest.raises(PublishRefused, match="transcript is an automatic draft"):
        staff_actions.publish_video(video=video, actor=None)


def test_a_stale_worker_changes_nothing_and_the_sweeper_takes_over_an_expired_lease(spoken):
    video, _said = spoken
    speech.queue_speech_draft(video)
    job, claim = speech.claim_speech(video_id=video.pk)
    assert speech.claim_speech(video_id=video.pk) is None  # one worker at a time
    with pytest.raises(RetryRefused):
        speech.redraft_speech(video=video)  # staff cannot start a second one meanwhile

    SpeechJob.objects.filter(pk=job.pk).update(processing_deadline=timezone.now())
    assert speech.sweep_stuck_speech() == 1
    job.refresh_from_db()
    assert job.state == SpeechState.QUEUED and job.attempts == 1

    speech.fail_claimed(claim, "stale", "")  # the dead worker's claim no longer holds
    job.refresh_from_db()
    assert job.state == SpeechState.QUEUED
    assert speech.draft_speech(video_id=video.pk).state == SpeechState.DONE


def test_a_job_that_keeps_dying_ends_failed_with_a_reason(spoken, settings):
    video, _said = spoken
    speech.queue_speech_draft(video)
    for _attempt in range(settings.MEDIA_MAX_ATTEMPTS):
        speech.claim_speech(video_id=video.pk)
        SpeechJob.objects.filter(video=video).update(
            processing_deadline=timezone.now() - timedelta(seconds=1)
        )
        speech.sweep_stuck_speech()
    job = SpeechJob.objects.get(video=video)
    assert job.state == SpeechState.FAILED and "interrupted 3 times" in job.error_reason


def test_a_ready_french_video_gets_a_french_draft_from_whisper(selected_question, tmp_path):
    video, said = ready_spoken_video(
        selected_question, tmp_path, sentences=FRENCH_SENTENCES, language="fr", voice=FRENCH_VOICE
    )
    speech.queue_speech_draft(video)

    job = speech.draft_speech(video_id=video.pk)

    assert job.state == SpeechState.DONE and job.language == "fr"
    assert job.engine.startswith("faster-whisper")
    caption = Caption.objects.get(video=video, language="fr")
    assert caption.automatic and not caption.is_reviewed
    cues = list(caption.cues.order_by("start"))
    for sentence in said:  # each sentence has its cue while it is spoken
        assert any(sentence.start - 0.5 <= cue.start <= sentence.end for cue in cues), sentence
    heard = set(re.findall(r"[\w']+", " ".join(cue.text for cue in cues).lower()))
    assert {"ministre", "questions", "france", "région", "citoyens"} <= heard, heard
    with pytest.raises(PublishRefused, match="automatic draft"):  # never published as it is
        staff_actions.publish_video(video=video, actor=None)
