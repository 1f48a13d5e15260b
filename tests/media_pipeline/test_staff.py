import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from media_pipeline.exceptions import (
    InvalidCaptions,
    PublishRefused,
    RetryRefused,
    UploadRefused,
)
from media_pipeline.models import AnswerVideo, VideoState
from media_pipeline.services import captions, claims, processing, staff_actions
from media_pipeline.webvtt import validate_webvtt
from questions import emails
from questions.models import OutboundEmail, QuestionState, Support
from tests.factories import QuestionFactory
from tests.media_pipeline.conftest import attach

pytestmark = pytest.mark.django_db

VTT = b"WEBVTT\n\n00:00.000 --> 00:01.500\nBonjour.\n\n00:01.500 --> 00:03.000\nMerci.\n"


def test_the_staff_page_lists_selected_questions_with_a_constant_number_of_queries(
    client, staff, clip, django_assert_max_num_queries
):
    for _ in range(3):
        question = QuestionFactory(state=QuestionState.SELECTED)
        video = attach(question, clip)
        captions.set_caption(video=video, language="fr", content=VTT)
    AnswerVideo.objects.filter(pk=video.pk).update(state=VideoState.FAILED, error_reason="Oups")
    QuestionFactory(state=QuestionState.APPROVED, title="Pas encore choisie")
    with django_assert_max_num_queries(9):  # 9th: the latest events' recording links
        response = client.get(reverse("media_pipeline:staff"))
    html = response.content.decode()
    assert html.count('class="hlm-staff-item') == 3
    assert "Pas encore choisie" not in html
    assert 'id="upload-progress-' in html and f'id="video-retry-{video.pk}"' in html
    assert "Oups" in html
    status = client.get(reverse("media_pipeline:video_status", args=[video.pk])).json()
    assert status["state"] == "failed" and status["error_reason"] == "Oups"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"00:00.000 --> 00:01.000\nHi\n", "WEBVTT"),
        (b"WEBVTT\n\n00:02.000 --> 00:01.000\nHi\n", "end after"),
        (b"WEBVTT\n\n00:02.000 --> 00:03.000\nA\n\n00:01.000 --> 00:04.000\nB\n", "chronolog"),
        (b"WEBVTT\n\n00:00.000 --> 00:01.000\n" + b"x" * 600_000, "larger"),
        (b"WEBVTT\n\n0:0.0 --> 00:01.000\nHi\n", "timing"),
        ("WEBVTT\n\n00:00.000 --> 00:01.000\né\n".encode("latin-1"), "UTF-8"),
    ],
)
def test_invalid_webvtt_is_refused_with_the_reason(content, problem, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(InvalidCaptions, match=problem):
        validate_webvtt(content)


def make_ready(question, clip) -> AnswerVideo:
    video = attach(question, clip)
    processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    assert video.state == VideoState.READY
    return video


@pytest.mark.slow  # transcodes with ffmpeg
def test_publishing_needs_french_captions_and_a_transcript_and_notifies_once(
    client, staff, selected_question, clip, django_capture_on_commit_callbacks
):
    Support.objects.create(
        question=selected_question,
        email="soutien@example.org",
        language="en",
        email_confirmed_at=timezone.now(),
    )
    video = make_ready(selected_question, clip)
    captions.set_caption(video=video, language="en", content=VTT)
    with pytest.raises(PublishRefused):
        staff_actions.publish_video(video=video, actor=staff)
    response = client.post(reverse("media_pipeline:publish", args=[video.pk]), follow=True)
    assert "captions" in response.content.decode() or "sous-titres" in response.content.decode()
    video.refresh_from_db()
    assert video.state == VideoState.READY

    client.post(
        reverse("media_pipeline:add_caption", args=[video.pk]),
        {"language": "fr", "label": "Français", "file": io.BytesIO(VTT)},
    )
    assert video.captions.filter(language="fr").exists()
    client.post(reverse("media_pipeline:publish", args=[video.pk]))
    video.refresh_from_db()
    assert video.state == VideoState.READY  # still refused: no transcript
    captions.set_transcript(video=video, text="Bonjour. Merci.")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("media_pipeline:publish", args=[video.pk]))
        client.post(reverse("media_pipeline:publish", args=[video.pk]))  # a double click

    video.refresh_from_db()
    selected_question.refresh_from_db()
    assert video.state == VideoState.PUBLISHED
    assert selected_question.state == QuestionState.ANSWERED
    queued = OutboundEmail.objects.order_by("to")
    assert [(m.to, m.language) for m in queued] == sorted(
        [(selected_question.email, "fr"), ("soutien@example.org", "en")]
    )
    for message in queued:  # what the outbox task does, twice: each e-mail leaves once
        emails.send_outbound_email(message_id=message.pk)
        emails.send_outbound_email(message_id=message.pk)
    assert sorted(address for m in mail.outbox for address in m.to) == [m.to for m in queued]

    page = client.get(selected_question.get_absolute_url()).content.decode()
    assert f'data-hls-src="{video.hls_master.url}"' in page
    assert 'kind="captions"' in page and 'srclang="fr"' in page


@pytest.mark.slow  # transcodes with ffmpeg
def test_the_answer_partial_offers_hls_mp4_poster_captions_and_transcript(
    selected_question, clip, rf
):
    from django.template.loader import render_to_string

    video = make_ready(selected_question, clip)
    captions.set_caption(video=video, language="fr", content=VTT)
    captions.set_transcript(video=video, text="Bonjour.\n\nMerci.")
    video.refresh_from_db()
    html = render_to_string("media_pipeline/_answer.html", {"video": video})
    assert f'data-hls-src="{video.hls_master.url}"' in html
    assert f'<source src="{video.mp4.url}" type="video/mp4">' in html
    assert f'poster="{video.poster.url}"' in html
    assert 'kind="captions"' in html and 'srclang="fr"' in html
    assert "<p>Bonjour.</p>" in html and "fr-accordion" in html
    assert "vendor/hls.js/hls.min.js" in html and "<script>" not in html


@pytest.mark.slow  # transcodes with ffmpeg
def test_a_failed_video_can_be_retried_from_its_source(
    client, staff, selected_question, clip, django_capture_on_commit_callbacks
):
    video = attach(selected_question, clip)
    AnswerVideo.objects.filter(pk=video.pk).update(state=VideoState.FAILED, attempts=3)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("media_pipeline:retry", args=[video.pk]))
    assert len(callbacks) == 1
    processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    assert video.state == VideoState.READY and video.attempts == 1
    with pytest.raises(RetryRefused):
        staff_actions.retry_video(video=video, actor=staff)


def test_the_sweeper_requeues_a_dead_job_then_gives_up(selected_question, clip, settings):
    settings.MEDIA_MAX_ATTEMPTS = 2
    video = attach(selected_question, clip)
    past = timezone.now() - timedelta(seconds=1)
    AnswerVideo.objects.filter(pk=video.pk).update(
        state=VideoState.PROCESSING, attempts=1, processing_deadline=past
    )
    assert claims.sweep_stuck_videos() == 1
    video.refresh_from_db()
    assert video.state == VideoState.UPLOADED
    AnswerVideo.objects.filter(pk=video.pk).update(
        state=VideoState.PROCESSING, attempts=2, processing_deadline=past
    )
    assert claims.sweep_stuck_videos() == 1
    video.refresh_from_db()
    assert video.state == VideoState.FAILED and "2" in video.error_reason
    assert claims.sweep_stuck_videos() == 0


@pytest.mark.slow  # transcodes with ffmpeg
def test_uploading_for_a_published_answer_is_refused(selected_question, clip, staff):
    video = make_ready(selected_question, clip)
    captions.set_transcript(video=video, text="Texte.")
    captions.set_caption(video=video, language="fr", content=VTT)
    staff_actions.publish_video(video=video, actor=staff)
    with pytest.raises(UploadRefused):
        attach(selected_question.__class__.objects.get(pk=selected_question.pk), clip)


def test_the_staff_page_speaks_french_by_default_and_arabic_right_to_left(client, staff):
    QuestionFactory(state=QuestionState.SELECTED)
    french = client.get(reverse("media_pipeline:staff")).content.decode()
    assert "Réponses en vidéo" in french and "Envoyer la vidéo" in french
    with translation.override("ar"):
        url = reverse("media_pipeline:staff")
    arabic = client.get(url).content.decode()
    assert 'dir="rtl"' in arabic and "رفع الفيديو" in arabic
