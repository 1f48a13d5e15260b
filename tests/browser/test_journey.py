"""The whole journey in Debian's Chromium: a citizen's question on a phone, moderation in the
admin, the video answer uploaded, transcoded by a real Celery worker, published and played.

One test on purpose: each step starts from what the previous one produced, as in real life.
"""

import re
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, Request, expect

from media_pipeline.models import AnswerVideo, VideoState
from portal.roles import MODERATORS, SPOKESPERSON_STAFF
from questions.models import Question, QuestionState, RejectionReason
from questions.tasks import dispatch_outbox
from tests.browser.media import make_clip
from tests.factories import EventFactory, QuestionFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"
TITLE = "Quelle aide pour les étudiants étrangers ?"
CAPTIONS = "WEBVTT\n\n00:00.000 --> 00:04.000\nLa France accueille les étudiants.\n"
TRANSCRIPT = "La France accueille chaque année plus de 400 000 étudiants étrangers."
UPLOAD_CHUNK = 8 * 1024 * 1024  # static/media_pipeline/staff.js sends pieces of this size


def url_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def make_video(path: Path) -> Path:
    """A 4 s clip with sound, a little over one upload piece so that the upload is resumable."""
    make_clip(path, seconds=4, lossless=True)
    size = path.stat().st_size
    if size <= UPLOAD_CHUNK:  # lossless test pattern compresses well: pad with a free box
        with open(path, "ab") as handle:
            padding = UPLOAD_CHUNK + 512 * 1024 - size
            handle.write(padding.to_bytes(4, "big") + b"free" + bytes(padding - 8))
    return path


def wait_for_email(folder: Path, to: str, timeout: float = 30) -> str:
    """The plain-text body of the e-mail the worker wrote for `to` (file-based backend)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*.log")):
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if not raw.strip():
                    continue
                message = message_from_bytes(raw.strip(), policy=policy.default)
                if to in str(message["To"]):
                    return message.get_body(preferencelist=("plain",)).get_content()
        time.sleep(0.3)
    raise AssertionError(f"no e-mail to {to} in {folder} after {timeout} s")


def log_in(page: Page, username: str) -> None:
    page.goto("/admin/login/")
    page.get_by_label(re.compile("Nom d’utilisateur|Username|Nom d'utilisateur")).fill(username)
    page.get_by_label(re.compile("Mot de passe|Password")).fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()


def admin_action(page: Page, titles: list[str], action: str) -> None:
    for title in titles:
        row = page.locator("#result_list tbody tr").filter(has_text=title)
        row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index], input[name=index]").first.click()


@pytest.fixture
def tour(settings):
    # The robot fills the form in well under a second from its first focus (when forms.js takes
    # the start time); the minimum fill time has its own tests (tests/questions/test_submission).
    settings.QUESTION_MIN_FILL_SECONDS = 0
    theme = ThemeFactory(slug="etudiants", name="Étudiants et mobilité")
    event = EventFactory(title="Rencontre citoyenne à Lyon", themes=[theme])
    other = QuestionFactory(
        event=event,
        theme=theme,
        title="Question hors sujet sur la météo",
        state=QuestionState.SUBMITTED,
    )
    UserFactory(username="moderatrice", groups=[MODERATORS])
    UserFactory(username="porte-parole", groups=[SPOKESPERSON_STAFF])
    return {"event": event, "other": other}


def test_question_to_published_video_answer(
    tour, phone, new_tab, journal, worker, worker_mail_dir, site_url, tmp_path
):
    event = tour["event"]

    # 1. A citizen on a phone opens the event page and asks a question (a typo first).
    phone.goto(url_in("fr", "events:detail", slug=event.slug))
    journal.step(phone, "citizen opens the event page")
    form = phone.locator("#question-form")
    form.locator("#question-theme").select_option(label="Étudiants et mobilité")
    form.locator("#question-title").fill(TITLE)
    form.locator("#question-text").fill(
        "Comment la France compte-t-elle rester attractive pour les étudiants étrangers ?"
    )
    form.locator("#question-display_name").fill("Camille de Lyon")
    form.locator("#question-email").fill("camille@exemple")  # no domain extension
    form.locator("#question-region").select_option("ARA")
    form.locator("label[for=question-consent]").click()
    form.get_by_role("button", name="Envoyer ma question").click()
    email_field = phone.locator("#question-email")
    expect(email_field).to_have_attribute("aria-invalid", "true")
    expect(
        phone.locator("#question-email-error, #question-form .fr-error-text").first
    ).to_be_visible()
    expect(phone.locator("#question-title")).to_have_value(TITLE)
    journal.step(phone, "the e-mail address is refused, the rest is kept")

    email_field.fill("camille@exemple.fr")
    if not phone.locator("#question-consent").is_checked():
        phone.locator("label[for=question-consent]").click()
    phone.get_by_role("button", name="Envoyer ma question").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")
    journal.step(phone, "the citizen is asked to check their inbox")
    question = Question.objects.get(title=TITLE)
    assert question.state == QuestionState.UNCONFIRMED

    dispatch_outbox.delay()  # what beat does every few seconds: the worker sends the e-mail
    body = wait_for_email(worker_mail_dir, "camille@exemple.fr")
    confirm_url = re.search(r"https?://\S+/questions/confirm/\S+", body).group(0)
    phone.goto(confirm_url)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Confirmez votre question")
    journal.step(phone, "the confirmation link shows the question and a button")
    question.refresh_from_db()
    assert question.state == QuestionState.UNCONFIRMED  # a mail scanner opening it confirms nothing
    phone.get_by_role("button", name="Confirmer ma question").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Votre question est confirmée")
    journal.step(phone, "pressing the button confirms the question")
    question.refresh_from_db()
    assert question.state == QuestionState.SUBMITTED

    # 2. A moderator approves it, and rejects another with a reason on the intermediate page.
    moderator = new_tab()
    log_in(moderator, "moderatrice")
    moderator.goto(reverse("admin:questions_question_changelist"))
    expect(moderator.locator("#result_list")).to_contain_text(TITLE)
    journal.step(moderator, "the moderator sees the question in the queue")
    admin_action(moderator, [TITLE], "approve_questions")
    expect(moderator.locator(".messagelist")).to_contain_text("1 question")
    journal.step(moderator, "the question is approved")
    admin_action(moderator, [tour["other"].title], "reject_questions")
    moderator.locator(f"#reject-form input[value={RejectionReason.OFF_TOPIC}]").check()
    moderator.locator("#reject-form textarea").fill("Merci de poser une question de diplomatie.")
    journal.step(moderator, "the intermediate page asks for a reason")
    moderator.locator("#reject-submit").click()
    expect(moderator.locator(".messagelist")).to_contain_text("1 question")
    question.refresh_from_db()
    tour["other"].refresh_from_db()
    assert question.state == QuestionState.APPROVED
    assert tour["other"].state == QuestionState.REJECTED
    assert tour["other"].rejection_reason == RejectionReason.OFF_TOPIC

    # 3. The spokesperson's staff select it, upload the answer (cut once), publish it.
    staff = new_tab()
    log_in(staff, "porte-parole")
    staff.goto(reverse("admin:questions_question_changelist"))
    admin_action(staff, [TITLE], "select_questions")
    expect(staff.locator(".messagelist")).to_contain_text("1 question")
    question.refresh_from_db()
    assert question.state == QuestionState.SELECTED

    staff.goto(url_in("fr", "media_pipeline:staff"))
    uploader = staff.locator(f"#upload-{question.public_id}")
    patches: list[Request] = []
    heads: list[str | None] = []
    cut = {"done": False}

    def cut_the_second_piece(route, request):
        patches.append(request)
        if request.headers.get("upload-offset") == str(UPLOAD_CHUNK) and not cut["done"]:
            cut["done"] = True
            route.abort("internetdisconnected")
        else:
            route.continue_()

    staff.route(
        "**/staff/uploads/*/",
        lambda route, request: (
            cut_the_second_piece(route, request) if request.method == "PATCH" else route.continue_()
        ),
    )
    staff.on(
        "response",
        lambda response: (
            heads.append(response.headers.get("upload-offset"))
            if response.request.method == "HEAD"
            else None
        ),
    )
    uploader.locator("[data-role=file]").set_input_files(str(make_video(tmp_path / "answer.mp4")))
    uploader.locator("[data-role=status]").evaluate(
        """status => {
          window.hlmStatuses = [];
          new MutationObserver(() => window.hlmStatuses.push(status.textContent))
            .observe(status, {childList: true, characterData: true, subtree: true});
        }"""
    )
    uploader.locator("[data-role=start]").click()
    expect(uploader.locator("[data-role=progress]")).to_have_js_property(
        "value", 100, timeout=60_000
    )
    journal.step(staff, "the upload resumed and reached 100 %")
    offline = staff.locator("#hlm-staff").get_attribute("data-msg-offline")
    assert offline in staff.evaluate("window.hlmStatuses"), "the cut was shown to the user"
    assert cut["done"]
    assert str(UPLOAD_CHUNK) in heads, "the upload asked the server where to resume"
    offsets = [p.headers.get("upload-offset") for p in patches]
    assert offsets.count("0") == 1, f"the first piece was sent once: {offsets}"

    status = staff.locator(".hlm-video-status")
    expect(status).to_be_visible(timeout=30_000)
    journal.step(staff, "the transcode progress is shown")
    video = AnswerVideo.objects.get(question=question)
    # Ready: publishing waits for reviewed French captions and a transcript, and says so.
    expect(staff.locator(f"#publish-blocker-{video.pk}")).to_be_visible(timeout=90_000)
    expect(staff.locator(f"#video-publish-{video.pk}")).to_have_count(0)
    journal.step(staff, "the video is ready")
    video.refresh_from_db()
    assert video.state == VideoState.READY

    captions_file = tmp_path / "sous-titres.vtt"
    captions_file.write_text(CAPTIONS, encoding="utf-8")
    captions = staff.locator(f"#captions-form-{video.pk}")
    captions.locator("input[type=file]").set_input_files(str(captions_file))
    captions.locator("[type=submit]").click()
    expect(staff.locator(".hlm-caption-list")).to_contain_text("Français")
    staff.locator(f"#transcript-{video.pk}").fill(TRANSCRIPT)
    staff.locator(f"#transcript-{video.pk}").locator("xpath=..").locator("[type=submit]").click()
    expect(staff.locator(f"#transcript-{video.pk}")).to_have_value(TRANSCRIPT)
    expect(staff.locator(f"#publish-blocker-{video.pk}")).to_have_count(0)
    staff.locator(f"#video-publish-{video.pk}").click()
    expect(staff.locator(f"#video-state-{video.pk}")).to_have_class(re.compile("fr-badge--success"))
    journal.step(staff, "the answer is published")
    video.refresh_from_db()
    question.refresh_from_db()
    assert video.state == VideoState.PUBLISHED
    assert question.state == QuestionState.ANSWERED

    # 4. The citizen's question page plays the answer through hls.js, with captions.
    phone.goto(question.get_absolute_url())
    assert_plays_with_captions(phone, journal, "the citizen watches the answer")
    expect(phone.locator(".hlm-answer__transcript")).to_contain_text(
        "400 000", use_inner_text=False
    )

    # 5. The same page in Arabic reads right to left.
    arabic = new_tab(phone=True)
    arabic.goto(url_in("ar", "questions:detail", public_id=question.public_id, slug=question.slug))
    expect(arabic.locator("html")).to_have_attribute("dir", "rtl")
    expect(arabic.locator("html")).to_have_attribute("lang", "ar")
    assert arabic.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    assert_plays_with_captions(arabic, journal, "the Arabic page plays the answer, right to left")


def assert_plays_with_captions(page: Page, journal, step: str) -> None:
    video = page.locator("video[data-hlm-player]")
    expect(video).to_be_visible()
    video.scroll_into_view_if_needed()
    # The play button lives in Chromium's closed shadow DOM; play() is what it calls.
    video.evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function(
        "() => document.querySelector('video[data-hlm-player]').currentTime > 0.5", timeout=20_000
    )
    uses = page.evaluate(
        """() => {
          const v = document.querySelector('video[data-hlm-player]');
          return {src: v.currentSrc, hls: typeof window.Hls === 'function',
                  playback: v.dataset.playback,
                  sound: v.webkitAudioDecodedByteCount,
                  tracks: Array.from(v.textTracks).map(t => [t.kind, t.language])};
        }"""
    )
    assert uses["playback"] == "hls.js", f"not played through hls.js: {uses}"
    assert uses["hls"] and uses["src"].startswith("blob:"), f"not played through hls.js: {uses}"
    assert ["captions", "fr"] in uses["tracks"], uses
    # The sound comes from the ladder's one audio rendition, which hls.js loads next to the rung.
    assert uses["sound"] > 0, f"no sound decoded: {uses}"
    journal.step(page, step)
