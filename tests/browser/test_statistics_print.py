"""The statistics page on paper: printed (print media, a PDF from Chromium) it shows the charts and
their whole tables, without the menu, the footer, the filters' button or the download links."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from portal.statistics.counters import record_play
from questions.models import QuestionState as S
from tests.factories import EventFactory, QuestionFactory, ThemeFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
SHOTS = Path("/tmp/shots-stats")
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}


@pytest.fixture
def figures_data(db):
    europe, climat = ThemeFactory(name="Europe"), ThemeFactory(name="Climat")
    now = timezone.now()
    for number, city in enumerate(["Lyon", "Lille", "Marseille", "Strasbourg", "Nantes"]):
        event = EventFactory(title=f"Rencontre de {city}", themes=[europe, climat])
        for index in range(3 + number):
            QuestionFactory(
                event=event,
                theme=europe if index % 2 else climat,
                language=["fr", "ar", "en"][index % 3],
                state=S.ANSWERED,
                approved_at=now + timedelta(hours=index),
                selected_at=now + timedelta(hours=index + 2),
                answered_at=now + timedelta(days=index + 1),
                support_count=index * 3,
            )
        QuestionFactory(event=event, state=S.REJECTED, rejection_reason="off_topic")
    answered = QuestionFactory(state=S.ANSWERED, answered_at=now, selected_at=now)
    record_play(question_id=answered.pk, language="fr", event="start")
    UserFactory(username="communication", groups=["Communication"])


def statistics_url(language: str) -> str:
    with translation.override(language):
        return reverse("statistics:overview")


def log_in(page: Page) -> None:
    page.goto("/admin/login/?next=" + statistics_url("fr"))
    page.locator("#id_username").fill("communication")
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Statistiques")


def charts_loaded(page: Page) -> None:
    charts = page.locator("img.hlm-chart")
    for index in range(charts.count()):
        page.wait_for_function(
            "image => image.complete && image.naturalWidth > 0",
            arg=charts.nth(index).element_handle(),
        )


def test_the_printed_page_has_the_figures_and_no_navigation(new_tab, figures_data):
    SHOTS.mkdir(exist_ok=True)
    page = new_tab(viewport={"width": 1366, "height": 768})
    log_in(page)
    for language in ("fr", "ar"):
        page.goto(statistics_url(language))
        charts_loaded(page)
        page.emulate_media(media="print")
        for hidden in (".fr-header__menu", ".fr-footer", ".fr-breadcrumb", ".fr-link--download"):
            expect(page.locator(hidden).first).to_be_hidden()
        expect(page.locator(".hlm-stats-filters .fr-btn")).to_be_hidden()
        expect(page.locator("img.hlm-chart").first).to_be_visible()
        # Every table is printed whole: nothing hidden behind a scroll bar.
        clipped = page.evaluate(
            """[...document.querySelectorAll('.fr-table__container, .fr-table__content')]
                .filter(box => box.scrollWidth > box.clientWidth + 1).length"""
        )
        assert clipped == 0
        page.screenshot(path=SHOTS / f"print-media-{language}.png", full_page=True)
        pdf = page.pdf(format="A4", print_background=True)
        (SHOTS / f"statistics-{language}.pdf").write_bytes(pdf)
        if language == "fr":  # pypdf reads Latin text back; Arabic comes out in shaped forms
            text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
            titles = page.locator(".hlm-figure h2").all_inner_texts()
            assert titles and all(title in text for title in titles)
            assert "Mentions légales" not in text and "Télécharger" not in text
        page.emulate_media(media="screen")


@pytest.mark.parametrize("size", list(SIZES))
def test_screenshots_of_the_statistics_page(new_tab, figures_data, size):
    width, height = SIZES[size]
    page = new_tab(viewport={"width": width, "height": height})
    log_in(page)
    for language in ("fr", "ar"):
        page.goto(statistics_url(language))
        charts_loaded(page)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, "the page scrolls sideways"
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SHOTS / f"statistics-{language}-{size}.png", full_page=True)
