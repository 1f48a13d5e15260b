"""After the event, in Chromium: a real recording (ffmpeg, the pipeline's HLS) with two questions
marked on stage; each question page's player stands at its chapter once loaded, the "watch from"
link and the event page's chapter list move the player, and the pages are accessible in French
and Arabic on a laptop and a phone (screenshots under $HLM_SHOTS_DIR when set)."""

import os
from pathlib import Path

import pytest
from django.core.files import File
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from media_pipeline import workflow
from media_pipeline.models import AnswerVideo, VideoState, private_storage
from media_pipeline.services import captions, processing, recordings, staff_actions
from tests.browser.axe import axe_violations, describe
from tests.browser.media import CAPTIONS_FR, SMALL_LADDER, TRANSCRIPT, make_clip
from tests.factories import EventFactory
from tests.media_pipeline.recording_pages import on_stage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def small_ladder(settings):
    settings.MEDIA_LADDER_HEIGHTS = [int(SMALL_LADDER["MEDIA_LADDER_HEIGHTS"])]
    settings.MEDIA_HLS_SEGMENT_SECONDS = int(SMALL_LADDER["MEDIA_HLS_SEGMENT_SECONDS"])
    settings.MEDIA_X264_PRESET = SMALL_LADDER["MEDIA_X264_PRESET"]


@pytest.fixture
def recorded(small_ladder, tmp_path):
    """An event whose 12-second recording answers two questions, at 0:04 and at 0:08."""
    event = EventFactory(title="Rencontre de Rennes", slug="rennes")
    first = on_stage(event, 4 / 60, 3 / 60, title="Quelle Europe demain ?")
    second = on_stage(event, 8 / 60, 3 / 60, title="Et les étudiants étrangers ?")
    clip = make_clip(tmp_path / "recording.mp4", seconds=12)
    with open(clip, "rb") as handle:
        source = private_storage().save(f"sources/events/{event.pk}/rush", File(handle))
    recording = AnswerVideo(event=event, source=source)
    workflow.UPLOAD.apply(recording)
    recording.save()
    processing.process_video(video_id=recording.pk)
    recording.refresh_from_db()
    assert recording.state == VideoState.READY, recording.error_reason
    captions.set_caption(video=recording, language="fr", content=CAPTIONS_FR.encode())
    captions.set_transcript(video=recording, text=TRANSCRIPT)
    recording = staff_actions.publish_video(video=recording, actor=None)
    recordings.prefill_chapters(recording)
    recordings.publish_chapters(recording=recording, actor=None)
    first.refresh_from_db()
    second.refresh_from_db()
    return event, first, second


def current_time(page) -> float:
    """The player's position once it has settled (polled: the CSP rules out wait_for_function)."""
    video = page.locator("video[data-hlm-player]").first
    for _ in range(100):
        if video.evaluate("video => video.readyState") >= 1 and video.evaluate(
            "video => video.currentTime"
        ):
            break
        page.wait_for_timeout(100)
    return video.evaluate("video => video.currentTime")


def url(live_server, language: str, view: str, **kwargs) -> str:
    with translation.override(language):
        return live_server.url + reverse(view, kwargs=kwargs)


def test_each_question_page_plays_the_recording_from_its_chapter(desktop, live_server, recorded):
    event, first, second = recorded
    for question, start in ((first, 4), (second, 8)):
        slug = {"public_id": question.public_id, "slug": question.slug}
        desktop.goto(url(live_server, "fr", "questions:detail", **slug))
        assert current_time(desktop) == pytest.approx(start, abs=0.5)
        expect(desktop.get_by_text("extrait de l’enregistrement de la rencontre")).to_be_visible()
    # The address may still name another moment (search results, shared links).
    desktop.goto(url(live_server, "fr", "questions:detail", **slug) + "#t=2")
    assert current_time(desktop) == pytest.approx(2, abs=0.5)
    desktop.get_by_role("link", name="Regarder à partir de 0:08").click()
    assert current_time(desktop) == pytest.approx(8, abs=0.5)

    # The event page plays the whole recording; its chapter list moves the player.
    desktop.goto(url(live_server, "fr", "events:detail", slug=event.slug))
    chapters = desktop.locator(".hlm-chapters li")
    expect(chapters).to_have_count(2)
    expect(chapters.first).to_contain_text("Quelle Europe demain ?")
    chapters.nth(1).get_by_role("link", name="0:08").click()
    assert current_time(desktop) == pytest.approx(8, abs=0.5)
    cues = desktop.locator("video[data-hlm-player]").evaluate(
        """video => new Promise(resolve => {
            const track = [...video.textTracks].find(t => t.kind === "chapters");
            track.mode = "hidden";
            const read = () => resolve([...(track.cues || [])].map(c => [c.startTime, c.text]));
            const element = video.querySelector("track[kind=chapters]");
            if (element.readyState === 2) read(); else element.addEventListener("load", read);
        })"""
    )
    assert cues == [[4, "Quelle Europe demain ?"], [8, "Et les étudiants étrangers ?"]]


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_pages_of_the_recording_are_accessible(new_tab, live_server, recorded, language):
    event, first, _second = recorded
    pages = {
        "question": url(
            live_server,
            language,
            "questions:detail",
            public_id=first.public_id,
            slug=first.slug,
        ),
        "event": url(live_server, language, "events:detail", slug=event.slug) + "#recording",
        "embed": f"{live_server.url}/embed/{first.public_id}/?lang={language}&t=4",
    }
    shots = os.environ.get("HLM_SHOTS_DIR")
    failures = []
    for device, options in (("laptop", {"viewport": LAPTOP}), ("phone", {"phone": True})):
        page = new_tab(**options)
        for name, address in pages.items():
            page.goto(address)
            current_time(page)  # the player has loaded its moment
            if language == "ar":
                assert page.locator("html").get_attribute("dir") == "rtl"
            violations = axe_violations(page)
            if violations:
                failures.append(f"[{language} {device} {name}]\n{describe(violations)}")
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(
                    path=f"{shots}/{name}-{language}-{device}.png", full_page=name != "embed"
                )
    assert not failures, "\n".join(failures)
