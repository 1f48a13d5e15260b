"""An event recording's staff page in Chromium: the recording is sent with the page's own upload
client; once processed, a chapter's start is set from the player's playhead and its end nudged
with the arrow keys, saved, and still there after a reload; publishing the chapters answers the
questions taken on stage. On a phone and a laptop, in French and Arabic: no horizontal overflow,
axe-core finds nothing (screenshots under $HLM_SHOTS_DIR when set)."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files import File
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from media_pipeline.models import AnswerVideo, RecordingChapter, VideoState
from media_pipeline.services import captions, processing, sources, staff_actions
from questions.live import services as live
from questions.models import Question, QuestionState
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE
from tests.browser.layout import too_wide
from tests.browser.media import CAPTIONS_FR, SMALL_LADDER, TRANSCRIPT, make_clip
from tests.browser.test_staff_upload import sign_in_as_staff
from tests.factories import EventFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = {"phone": PHONE, "laptop": {"viewport": {"width": 1366, "height": 768}}}


@pytest.fixture
def small_ladder(settings):
    settings.MEDIA_LADDER_HEIGHTS = [int(SMALL_LADDER["MEDIA_LADDER_HEIGHTS"])]
    settings.MEDIA_HLS_SEGMENT_SECONDS = int(SMALL_LADDER["MEDIA_HLS_SEGMENT_SECONDS"])
    settings.MEDIA_X264_PRESET = SMALL_LADDER["MEDIA_X264_PRESET"]


def started_event():
    starts = timezone.now() - timedelta(hours=1)
    return EventFactory(
        title="Rencontre citoyenne de Lille",
        city="Lille",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )


@pytest.fixture
def recorded(small_ladder, tmp_path):
    """A six-second recording, processed and published, with two questions taken on stage (1 s
    to 3 s, then 4 s to 5.5 s): its chapters pre-filled from those marks."""
    event = started_event()
    moderator = UserFactory(is_superuser=True)
    for title, offset, length in (
        ("Quelle politique pour les étudiants étrangers ?", 1, 2),
        ("Que fait la France pour la Méditerranée ?", 4, 1.5),
    ):
        question = QuestionFactory(event=event, title=title)
        question = live.start_answering(question=question, actor=moderator)
        question = live.answer_on_stage(question=question, actor=moderator)
        started = event.starts_at + timedelta(seconds=offset)
        Question.objects.filter(pk=question.pk).update(
            stage_started_at=started, stage_ended_at=started + timedelta(seconds=length)
        )
    clip = make_clip(tmp_path / "captation.mp4", seconds=6)
    with open(clip, "rb") as handle:
        video = sources.attach_source(event=event, file=File(handle), actor=None)
    processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    assert video.state == VideoState.READY, video.error_reason
    captions.set_caption(video=video, language="fr", content=CAPTIONS_FR.encode())
    captions.set_transcript(video=video, text=TRANSCRIPT)
    staff_actions.publish_video(video=video, actor=None)
    assert video.chapters.count() == 2
    return event


def recording_page(event, language="fr") -> str:
    with translation.override(language):
        return reverse("media_pipeline:staff_recording", args=[event.slug])


def seek(page: Page, seconds: float) -> None:
    """Move the playhead once the video knows its duration (polled: the CSP rules out
    wait_for_function)."""
    video = page.locator("#recording-player")
    for _ in range(100):
        if video.evaluate("video => video.readyState") >= 1:
            break
        page.wait_for_timeout(100)
    video.evaluate("(video, seconds) => { video.currentTime = seconds; }", seconds)
    expect(page.locator("#recording-playhead")).to_have_text(f"0:0{seconds:.1f}")


def no_horizontal_overflow(page: Page) -> None:
    assert not too_wide(page), too_wide(page)


def test_a_chapter_is_set_from_the_playhead_nudged_saved_and_published(
    desktop: Page, live_server, recorded, journal
):
    event = recorded
    sign_in_as_staff(desktop, live_server)
    desktop.goto(recording_page(event))
    first, second = RecordingChapter.objects.order_by("start_seconds")
    start = desktop.locator(f"#chapter-{first.pk}-start")
    end = desktop.locator(f"#chapter-{first.pk}-end")
    expect(start).to_have_value("0:01.0")  # pre-filled from the console's marks
    expect(end).to_have_value("0:03.0")
    assert_accessible(desktop)

    seek(desktop, 2.5)
    desktop.locator(f"#chapter-{first.pk}-start-set").click()
    expect(start).to_have_value("0:02.5")
    end.focus()
    desktop.keyboard.press("ArrowUp")  # one second later
    desktop.keyboard.press("Shift+ArrowDown")  # a tenth earlier
    expect(end).to_have_value("0:03.9")
    expect(desktop.locator("#recording-playhead")).to_have_text("0:03.9")  # shown in the player
    journal.step(desktop, "start from the playhead, end nudged")
    desktop.locator("#chapters-save").click()
    desktop.wait_for_url("**/recording/#chapters")
    expect(desktop.locator("#chapters .hlm-staff-message")).to_contain_text(
        "Les temps des chapitres ont été enregistrés."
    )
    desktop.reload()
    expect(desktop.locator(f"#chapter-{first.pk}-start")).to_have_value("0:02.5")
    expect(desktop.locator(f"#chapter-{first.pk}-end")).to_have_value("0:03.9")
    first.refresh_from_db()
    assert (first.start_seconds, first.end_seconds) == (2.5, 3.9)

    # A time typed past the end of the recording is refused in the page, nothing is sent.
    desktop.locator(f"#chapter-{second.pk}-end").fill("0:09.0")
    desktop.locator("#chapters-save").click()
    expect(desktop.locator(f"#chapter-{second.pk}-end")).to_have_attribute("aria-invalid", "true")
    expect(desktop.locator(f"#chapter-{second.pk}-error")).to_be_visible()
    second.refresh_from_db()
    assert second.end_seconds == 5.5
    desktop.reload()

    desktop.locator("#chapters-publish").click()
    desktop.wait_for_url("**/recording/#chapters")
    expect(desktop.locator("#chapters .hlm-staff-message")).to_contain_text("2 questions")
    journal.step(desktop, "chapters published")
    expect(desktop.locator("#chapters-published")).to_be_visible()
    expect(desktop.locator("#chapters-publish")).to_have_count(0)  # nothing left to publish
    assert set(Question.objects.filter(event=event).values_list("state", flat=True)) == {
        QuestionState.ANSWERED
    }
    assert_accessible(desktop)


def test_the_recording_is_sent_from_the_page_with_its_upload_client(
    desktop: Page, live_server, tmp_path
):
    event = started_event()
    user = sign_in_as_staff(desktop, live_server)
    clip = make_clip(tmp_path / "captation.mp4")
    desktop.goto(recording_page(event))
    uploader = desktop.locator(f"#upload-event-{event.pk}")
    uploader.locator("[data-role=file]").set_input_files(str(clip))
    uploader.locator("[data-role=start]").click()
    expect(uploader).to_have_attribute("data-upload-state", "done", timeout=30_000)
    recording = AnswerVideo.objects.get(event=event)
    assert recording.uploaded_by == user and recording.question is None
    with storages["private"].open(recording.source.name) as stored:
        assert stored.read() == clip.read_bytes()
    # The page reloads by itself and follows the processing (no worker here: it waits).
    expect(desktop.locator(f"#video-status-{recording.pk}")).to_have_attribute(
        "data-state", "uploaded"
    )
    assert_accessible(desktop)


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_recording_page_fits_and_is_accessible(
    new_tab, live_server, recorded, language, screen
):
    page = new_tab(**SCREENS[screen])
    sign_in_as_staff(page, live_server)
    page.goto(recording_page(recorded, language))
    expect(page.locator(".hlm-chapter")).to_have_count(2)
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    seek(page, 1.5)
    no_horizontal_overflow(page)
    assert_accessible(page)
    shots = os.environ.get("HLM_SHOTS_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{shots}/recording-{language}-{screen}.png", full_page=True)
        page.goto(reverse_in("media_pipeline:staff", language))
        page.screenshot(path=f"{shots}/staff-list-{language}-{screen}.png")


def reverse_in(name: str, language: str) -> str:
    with translation.override(language):
        return reverse(name)


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_live_console_leads_to_the_recording_page_ready_for_the_upload(
    new_tab, live_server, language, screen
):
    event = started_event()
    page = new_tab(**SCREENS[screen])
    user = sign_in_as_staff(page, live_server)
    user.is_superuser = True  # runs the live console and the videos
    user.save()
    with translation.override(language):
        page.goto(reverse("live:console", args=[event.slug]))
    shots = os.environ.get("HLM_SHOTS_DIR")
    if shots:
        page.screenshot(path=f"{shots}/console-{language}-{screen}.png")
    page.locator("#console-recording-link").click()
    page.wait_for_url(f"**/{language}/staff/events/{event.slug}/recording/")
    expect(page.locator(f"#upload-event-{event.pk} [data-role=file]")).to_be_attached()
    no_horizontal_overflow(page)
    assert_accessible(page)
    if shots:
        page.screenshot(path=f"{shots}/recording-empty-{language}-{screen}.png", full_page=True)
