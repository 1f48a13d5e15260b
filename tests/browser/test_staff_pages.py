"""The staff pages in Chromium as the spokesperson's staff: no horizontal overflow on a laptop, a
big screen or a phone, the message of an action visible next to its question, the briefing and
its downloads, axe-core clean; a moderator gets the site's 403 page."""

import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from media_pipeline.models import AnswerVideo, VideoState
from portal.roles import MODERATORS, SPOKESPERSON_STAFF
from questions.models import QuestionState
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE
from tests.factories import EventFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = {
    "laptop": {"viewport": {"width": 1366, "height": 768}},
    "big-screen": {"viewport": {"width": 1920, "height": 1080}},
    "phone": PHONE,
}


def signed_in(page: Page, live_server, groups) -> Page:
    browser = Client()
    browser.force_login(UserFactory(groups=groups))
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    return page


@pytest.fixture
def selected():
    event = EventFactory(city="Marseille")
    questions = QuestionFactory.create_batch(
        21,
        event=event,
        state=QuestionState.SELECTED,
        support_count=30,
        text="Quelle est la position de la France sur la Méditerranée ? " * 4,
    )
    last = QuestionFactory(event=event, state=QuestionState.SELECTED, support_count=1)
    video = AnswerVideo.objects.create(
        question=last, state=VideoState.FAILED, error_reason="Le fichier est vide."
    )
    return event, questions, last, video


def no_horizontal_overflow(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths


@pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))
def test_the_staff_page_fits_and_is_accessible(new_tab, live_server, selected, screen):
    page = signed_in(new_tab(**SCREENS[screen]), live_server, [SPOKESPERSON_STAFF])
    page.goto(live_server.url + "/fr/staff/videos/")
    expect(page.locator(".hlm-staff-item")).to_have_count(20)
    expect(page.locator(".hlm-staff-item").first).to_contain_text("30 soutiens")
    no_horizontal_overflow(page)
    assert_accessible(page)


def test_a_message_appears_next_to_the_question_it_concerns(new_tab, live_server, selected):
    _event, _questions, last, _video = selected
    page = signed_in(new_tab(**SCREENS["laptop"]), live_server, [SPOKESPERSON_STAFF])
    page.goto(live_server.url + "/fr/staff/videos/?page=2")
    item = page.locator(f"#question-{last.public_id}")
    item.locator("textarea[name=transcript]").fill("Bonjour à toutes et à tous.")
    item.get_by_role("button", name="Enregistrer la transcription").click()
    page.wait_for_url(f"**question={last.public_id}*")
    message = page.locator(f"#question-{last.public_id} .hlm-staff-message")
    expect(message).to_contain_text("La transcription a été enregistrée.")
    expect(message).to_be_focused()
    expect(message).to_be_in_viewport()
    assert_accessible(page)


def test_the_briefing_page_and_its_downloads(new_tab, live_server, selected, tmp_path):
    event, _questions, last, _video = selected
    page = signed_in(new_tab(**SCREENS["laptop"]), live_server, [SPOKESPERSON_STAFF])
    page.goto(live_server.url + f"/fr/staff/briefing/?event={event.pk}")
    expect(page.locator(".hlm-briefing-question")).to_have_count(22)
    assert page.locator("#briefing-pdf").bounding_box()["width"] > 150  # its words, not an icon
    no_horizontal_overflow(page)
    assert_accessible(page)
    with page.expect_download() as pdf_download:
        page.locator("#briefing-pdf").click()
    reader = PdfReader(pdf_download.value.path())
    assert len(reader.pages) == 22
    assert last.title in reader.pages[-1].extract_text()
    with page.expect_download() as csv_download:
        page.locator("#briefing-csv").click()
    with open(csv_download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 23 and rows[-1][0] == last.title
    page.emulate_media(media="print")
    expect(page.locator(".hlm-briefing-tools")).to_be_hidden()
    expect(page.locator(".fr-header")).to_be_hidden()


@pytest.mark.parametrize(("language", "title"), [("fr", "Accès refusé"), ("ar", "تم رفض الوصول")])
def test_a_moderator_gets_the_sites_403_page(new_tab, live_server, language, title):
    page = signed_in(new_tab(**SCREENS["laptop"]), live_server, [MODERATORS])
    response = page.goto(live_server.url + f"/{language}/staff/videos/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text(title)
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert_accessible(page)


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize("screen", ["phone", "laptop"])
def test_a_questions_own_page_fits_is_accessible_and_keeps_its_messages(
    new_tab, live_server, selected, language, screen, output_path
):
    _event, _questions, last, _video = selected
    page = signed_in(new_tab(**SCREENS[screen]), live_server, [SPOKESPERSON_STAFF])
    page.goto(live_server.url + f"/{language}/staff/videos/?page=2")
    page.locator(f"#question-{last.public_id} .hlm-staff-question-link").click()
    page.wait_for_url(f"**/{language}/staff/questions/{last.pk}/")
    expect(page.locator(".hlm-staff-item")).to_have_count(1)
    expect(page.locator(f"#question-{last.public_id} bdi").first).to_be_visible()
    no_horizontal_overflow(page)
    assert_accessible(page)
    page.locator("textarea[name=transcript]").fill("Bonjour à toutes et à tous.")
    page.locator(f"#question-{last.public_id} form:has(textarea) button[type=submit]").click()
    page.wait_for_url(f"**/staff/questions/{last.pk}/#question-{last.public_id}")
    message = page.locator(f"#question-{last.public_id} .hlm-staff-message")
    expect(message).to_be_focused()
    if language == "fr":
        expect(message).to_contain_text("La transcription a été enregistrée.")
    no_horizontal_overflow(page)
    assert_accessible(page)
    page.screenshot(path=str(Path(output_path) / "question-page.png"), full_page=True)  # to look at
