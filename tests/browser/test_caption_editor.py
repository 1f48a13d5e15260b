"""The caption editor in Chromium: a speech draft is loaded, a cue is edited with the keyboard
(text, end time nudged with the arrow keys, Ctrl+S), saved and still there after a reload; the
exported WebVTT and SubRip are read back by webvtt-py, and an imported SubRip file is saved; work
done after the session expired is kept in the browser and restored after the next login; axe-core
finds nothing in French and Arabic, on a laptop and on a phone (screenshots under $HLM_SHOTS_DIR
when set)."""

import io
import os
from pathlib import Path

import pytest
import webvtt
from django.core.files import File
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from media_pipeline.models import Caption, VideoState
from media_pipeline.services import captions, processing, sources
from questions.models import QuestionState
from tests.browser.axe import axe_violations, describe
from tests.browser.media import SMALL_LADDER, make_clip
from tests.browser.test_staff_upload import sign_in_as_staff
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)

DRAFT = (
    "WEBVTT\n\n00:00.200 --> 00:01.400\nthe minister answered\n\n"
    "00:01.600 --> 00:02.800\nquestions about the election\n"
)
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def small_ladder(settings):
    settings.MEDIA_LADDER_HEIGHTS = [int(SMALL_LADDER["MEDIA_LADDER_HEIGHTS"])]
    settings.MEDIA_HLS_SEGMENT_SECONDS = int(SMALL_LADDER["MEDIA_HLS_SEGMENT_SECONDS"])
    settings.MEDIA_X264_PRESET = SMALL_LADDER["MEDIA_X264_PRESET"]


@pytest.fixture
def drafted(small_ladder, tmp_path):
    """A processed video with French captions drafted by speech-to-text, not reviewed yet."""
    question = QuestionFactory(state=QuestionState.SELECTED)
    clip = make_clip(tmp_path / "answer.mp4")
    with open(clip, "rb") as handle:
        video = sources.attach_source(question=question, file=File(handle), actor=None)
    processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    assert video.state == VideoState.READY, video.error_reason
    captions.set_caption(
        video=video, language="fr", content=DRAFT.encode(), automatic=True, reviewed=False
    )
    return video


def editor(live_server, video, language="fr", page_language="fr") -> str:
    with translation.override(page_language):
        path = reverse("media_pipeline:caption_editor", args=[video.pk, language])
    return live_server.url + path


def seek(page: Page, seconds: float) -> None:
    """Move the playhead once the video knows its duration (polled: the CSP rules out
    wait_for_function)."""
    video = page.locator("video")
    for _ in range(100):
        if video.evaluate("video => video.readyState") >= 1:
            break
        page.wait_for_timeout(100)
    video.evaluate("(video, seconds) => { video.currentTime = seconds; }", seconds)
    expect(page.locator("#editor-playhead")).to_have_text(f"00:0{seconds:.3f}")


def first_cue(page: Page):
    return page.locator("#cue-list > li").first


def test_a_draft_is_edited_with_the_keyboard_saved_reloaded_and_exported(
    desktop, live_server, drafted, tmp_path
):
    sign_in_as_staff(desktop, live_server)
    desktop.goto(editor(live_server, drafted))
    expect(desktop.locator("#cue-list > li")).to_have_count(2)
    cue = first_cue(desktop)
    expect(cue.locator("[data-role=text]")).to_have_value("the minister answered")

    text = cue.locator("[data-role=text]")
    text.focus()
    desktop.keyboard.press("Control+A")
    desktop.keyboard.type("Le ministre a répondu")
    end = cue.locator("[data-role=end]")
    end.focus()
    for _ in range(3):
        desktop.keyboard.press("ArrowUp")  # 0.1 s later each
    expect(end).to_have_value("00:01.700")
    desktop.keyboard.press("Control+S")
    expect(desktop.locator("#editor-status")).to_have_text("Enregistré.")

    caption = Caption.objects.get(video=drafted, language="fr")
    stored = list(caption.cues.values_list("start", "end", "text"))
    assert stored[0] == (0.2, 1.7, "Le ministre a répondu")
    assert caption.automatic and not caption.is_reviewed  # edited, still a draft

    desktop.reload()
    expect(first_cue(desktop).locator("[data-role=text]")).to_have_value("Le ministre a répondu")
    expect(desktop.locator("#editor-restore")).to_be_hidden()

    with desktop.expect_download() as download:
        desktop.locator("#editor-export-vtt").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    parsed = webvtt.from_buffer(io.StringIO(exported))
    assert [(c.start, c.end, c.text) for c in parsed] == [
        ("00:00:00.200", "00:00:01.700", "Le ministre a répondu"),
        ("00:00:01.600", "00:00:02.800", "questions about the election"),
    ]
    # Reviewed now: the checkbox, then the button.
    desktop.locator("label[for=editor-reviewed]").click()
    desktop.locator("#editor-save").click()
    expect(desktop.locator("#editor-status")).to_have_text("Enregistré et marqué comme relu.")
    caption.refresh_from_db()
    assert caption.is_reviewed


SRT_IMPORT = (
    "1\n00:00:00,300 --> 00:00:01,500\nLe ministre a répondu\naux questions\n\n"
    "2\n00:00:01,800 --> 00:00:02,900\nsur les élections\n"
)


def test_subrip_is_exported_for_a_parser_and_imported_then_saved(
    desktop, live_server, drafted, tmp_path
):
    sign_in_as_staff(desktop, live_server)
    desktop.goto(editor(live_server, drafted))
    expect(desktop.locator("#cue-list > li")).to_have_count(2)
    with desktop.expect_download() as download:
        desktop.locator("#editor-export-srt").click()
    assert download.value.suggested_filename == "captions-fr.srt"
    exported = tmp_path / "exported.srt"
    download.value.save_as(exported)
    parsed = webvtt.from_srt(str(exported))
    assert [(c.start, c.end, c.text) for c in parsed] == [
        ("00:00:00.200", "00:00:01.400", "the minister answered"),
        ("00:00:01.600", "00:00:02.800", "questions about the election"),
    ]

    imported = tmp_path / "sous-titres.srt"
    imported.write_text(SRT_IMPORT, encoding="utf-8")
    desktop.locator("#editor-import").set_input_files(imported)
    expect(desktop.locator("#editor-status")).to_contain_text("2")
    expect(first_cue(desktop).locator("[data-role=text]")).to_have_value(
        "Le ministre a répondu\naux questions"
    )
    expect(first_cue(desktop).locator("[data-role=start]")).to_have_value("00:00.300")
    assert Caption.objects.get(video=drafted).cues.first().text == "the minister answered"
    desktop.keyboard.press("Control+S")
    expect(desktop.locator("#editor-status")).to_have_text("Enregistré.")
    stored = list(Caption.objects.get(video=drafted).cues.values_list("start", "end", "text"))
    assert stored == [
        (0.3, 1.5, "Le ministre a répondu\naux questions"),
        (1.8, 2.9, "sur les élections"),
    ]


def test_work_done_after_the_session_expired_is_restored_after_the_next_login(
    desktop, live_server, drafted
):
    sign_in_as_staff(desktop, live_server)
    desktop.goto(editor(live_server, drafted))
    desktop.context.clear_cookies()  # the session expires while the page stays open
    text = first_cue(desktop).locator("[data-role=text]")
    text.fill("Texte écrit pendant que la session expirait")
    desktop.locator("#editor-save").click()
    expect(desktop.locator("#editor-status")).to_contain_text("session a expiré")
    login = "/admin/login/?next=" + editor(live_server, drafted).removeprefix(live_server.url)
    expect(desktop.locator("#editor-status a")).to_have_attribute("href", login)
    assert Caption.objects.get(video=drafted).cues.first().text == "the minister answered"

    sign_in_as_staff(desktop, live_server)  # logged in again
    desktop.goto(editor(live_server, drafted))
    expect(desktop.locator("#editor-restore")).to_be_visible()
    expect(desktop.locator("#editor-restore-yes")).to_be_focused()
    desktop.keyboard.press("Enter")
    expect(first_cue(desktop).locator("[data-role=text]")).to_have_value(
        "Texte écrit pendant que la session expirait"
    )
    desktop.keyboard.press("Control+S")
    expect(desktop.locator("#editor-status")).to_have_text("Enregistré.")
    assert Caption.objects.get(video=drafted).cues.first().text == (
        "Texte écrit pendant que la session expirait"
    )


def test_warnings_split_merge_add_and_delete(desktop, live_server, drafted):
    sign_in_as_staff(desktop, live_server)
    desktop.goto(editor(live_server, drafted))
    text = first_cue(desktop).locator("[data-role=text]")
    text.fill("Une phrase bien trop longue pour tenir sur une seule ligne de sous-titres")
    warnings = first_cue(desktop).locator("[data-role=warnings] li")
    expect(warnings).to_have_count(2)  # line length and reading speed
    expect(warnings.first).to_contain_text("73 caractères (42 au maximum)")
    expect(warnings.last).to_contain_text("caractères par seconde")

    first_cue(desktop).locator("[data-action=merge]").click()
    expect(desktop.locator("#cue-list > li")).to_have_count(1)
    seek(desktop, 1.5)
    first_cue(desktop).locator("[data-action=split]").click()
    expect(desktop.locator("#cue-list > li")).to_have_count(2)
    expect(desktop.locator("#cue-list > li").nth(1).locator("[data-role=start]")).to_have_value(
        "00:01.500"
    )
    second = desktop.locator("#cue-list > li").nth(1)
    second.locator("[data-role=text]").focus()
    seek(desktop, 1.7)
    desktop.keyboard.press("Alt+BracketLeft")  # the focused cue starts at the playhead
    expect(second.locator("[data-role=start]")).to_have_value("00:01.700")
    seek(desktop, 2.9)
    desktop.keyboard.press("Alt+N")
    expect(desktop.locator("#cue-list > li")).to_have_count(3)
    expect(desktop.locator("#cue-list > li").nth(2).locator("[data-role=text]")).to_be_focused()
    desktop.locator("#cue-list > li").nth(2).locator("[data-action=delete]").click()
    expect(desktop.locator("#cue-list > li")).to_have_count(2)


@pytest.mark.parametrize("page_language", ["fr", "ar"])
def test_the_editor_is_accessible_on_a_laptop_and_a_phone(
    new_tab, live_server, drafted, page_language
):
    captions.set_caption(video=drafted, language="ar", content=DRAFT.encode())
    shots = os.environ.get("HLM_SHOTS_DIR")
    failures = []
    for name, options in (("laptop", {"viewport": LAPTOP}), ("phone", {"phone": True})):
        page = new_tab(**options)
        sign_in_as_staff(page, live_server)
        for language in ("fr", "ar"):
            page.goto(editor(live_server, drafted, language, page_language))
            expect(page.locator("#cue-list > li")).to_have_count(2)
            if page_language == "ar":
                assert page.locator("html").get_attribute("dir") == "rtl"
            violations = axe_violations(page)
            if violations:
                failures.append(f"[{page_language} {name} {language}]\n{describe(violations)}")
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(
                    path=f"{shots}/editor-{page_language}-{language}-{name}.png", full_page=True
                )
    assert not failures, "\n".join(failures)
