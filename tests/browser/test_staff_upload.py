"""The staff page's own upload client (static/media_pipeline/staff.js) on the tus extensions: each
piece carries its sha1, a piece damaged on the way is refused (460) and sent again, and the cap on
unfinished uploads is explained in the page's language."""

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from media_pipeline import uploads
from media_pipeline.models import AnswerVideo, UploadSession
from portal.roles import SPOKESPERSON_STAFF
from questions.models import QuestionState
from tests.browser.media import make_clip
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_as_staff(page: Page, live_server):
    """A spokesperson's staff member signed in through the session cookie; returns the user."""
    user = UserFactory(groups=[SPOKESPERSON_STAFF])
    browser = Client()
    browser.force_login(user)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    return user


def staff_page(language: str) -> str:
    with translation.override(language):
        return reverse("media_pipeline:staff")


def test_a_piece_damaged_on_the_way_is_refused_and_sent_again(
    desktop: Page, live_server, tmp_path, journal
):
    sign_in_as_staff(desktop, live_server)
    question = QuestionFactory(state=QuestionState.SELECTED)
    clip = make_clip(tmp_path / "answer.mp4")
    patches = []

    def damage_the_first_piece(route, request):
        if request.method != "PATCH":
            route.continue_()
            return
        patches.append(request.headers.get("upload-checksum", ""))
        if len(patches) == 1:  # the bytes no longer match the sha1 the page computed
            route.continue_(
                headers={**request.headers, "upload-checksum": "sha1 " + "A" * 27 + "="}
            )
        else:
            route.continue_()

    desktop.route("**/staff/uploads/*/", damage_the_first_piece)
    desktop.goto(staff_page("fr"))
    uploader = desktop.locator(f"#upload-{question.public_id}")
    uploader.locator("[data-role=file]").set_input_files(str(clip))
    uploader.locator("[data-role=start]").click()
    expect(uploader).to_have_attribute("data-upload-state", "done", timeout=30_000)
    journal.step(desktop, "the damaged piece was sent again")
    assert len(patches) == 2 and patches[0] == patches[1] and patches[0].startswith("sha1 ")
    video = AnswerVideo.objects.get(question=question)
    with storages["private"].open(video.source.name) as stored:
        assert stored.read() == clip.read_bytes()


@pytest.mark.parametrize(
    ("language", "reason"), [("fr", "envoi inachevé"), ("ar", "عملية رفع غير مكتملة")]
)
def test_the_cap_on_unfinished_uploads_is_explained(
    new_tab, live_server, tmp_path, settings, language, reason
):
    page = new_tab(phone=True)
    user = sign_in_as_staff(page, live_server)
    settings.UPLOAD_MAX_UNFINISHED_PER_USER = 1
    held, question = QuestionFactory.create_batch(2, state=QuestionState.SELECTED)
    uploads.create_upload(
        question=held, user=user, length=10**6, content_type="video/mp4", filename="a.mp4"
    )
    page.goto(staff_page(language))
    uploader = page.locator(f"#upload-{question.public_id}")
    uploader.locator("[data-role=file]").set_input_files(str(make_clip(tmp_path / "b.mp4")))
    uploader.locator("[data-role=start]").click()
    expect(uploader.locator("[data-role=status]")).to_contain_text(reason)
    assert UploadSession.objects.count() == 1


def wait_until(page: Page, condition, timeout_ms: int = 15_000) -> None:
    """Let the browser work (routes are handled meanwhile) until `condition()` holds."""
    for _ in range(timeout_ms // 100):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("timed out")


def test_pausing_one_upload_leaves_another_running_at_the_same_time(
    desktop: Page, live_server, tmp_path, journal
):
    sign_in_as_staff(desktop, live_server)
    first, second = QuestionFactory.create_batch(2, state=QuestionState.SELECTED)
    held = []  # the pieces in flight, held on the way until the test lets them through

    def hold_pieces(route, request):
        if request.method == "PATCH":
            held.append(route)
        else:
            route.continue_()

    desktop.route("**/staff/uploads/*/", hold_pieces)
    desktop.goto(staff_page("fr"))
    uploaders = [desktop.locator(f"#upload-{q.public_id}") for q in (first, second)]
    for number, uploader in enumerate(uploaders, start=1):
        uploader.locator("[data-role=file]").set_input_files(
            str(make_clip(tmp_path / f"answer-{number}.mp4"))
        )
        uploader.locator("[data-role=start]").click()
        wait_until(desktop, lambda number=number: len(held) == number)
    journal.step(desktop, "two uploads are sending")

    uploaders[0].locator("[data-role=pause]").click()
    expect(uploaders[0]).to_have_attribute("data-upload-state", "paused")
    expect(uploaders[0].locator("[data-role=status]")).to_have_text("En pause.")
    # The other upload's piece is still on its way: let it arrive.
    expect(uploaders[1]).to_have_attribute("data-upload-state", "running")
    held[1].continue_()
    expect(uploaders[1]).to_have_attribute("data-upload-state", "done", timeout=30_000)
    journal.step(desktop, "the first paused, the second finished")
    expect(uploaders[0]).to_have_attribute("data-upload-state", "paused")
    assert len(held) == 2  # the second upload's piece was sent once, never aborted and resent
    assert AnswerVideo.objects.filter(question=second).exists()
    assert not AnswerVideo.objects.filter(question=first).exists()
