"""The citizens' pages in a real browser: axe-clean (with form errors too), live character count."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.factories import EventFactory, QuestionFactory, ThemeFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def event():
    event = EventFactory(title="Rencontre citoyenne à Lyon", themes=[ThemeFactory(slug="europe")])
    QuestionFactory.create_batch(3, event=event)
    return event


def url_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_citizen_pages_have_no_accessibility_violations(desktop, event, language):
    question = event.questions.first()
    with translation.override(language):
        pages = [
            reverse("events:list"),
            reverse("events:detail", kwargs={"slug": event.slug}),
            question.get_absolute_url(),
            reverse("questions:search") + "?q=question",
            reverse("questions:check_inbox"),
            reverse("questions:resend"),
            reverse("questions:confirm", kwargs={"token": "forged"}),
            reverse("privacy"),
            reverse("legal_notice"),
            reverse("accessibility"),
        ]
    for path in pages:
        desktop.goto(path)
        assert desktop.locator("html").get_attribute("lang") == language
        assert_accessible(desktop)


def test_the_question_form_with_errors_is_accessible_on_a_phone(phone, event):
    phone.goto(url_in("fr", "events:detail", slug=event.slug) + "#ask")
    phone.get_by_role("button", name="Envoyer ma question").click()
    # The cached page first fetches this browser's tokens (forms.js), then sends the form.
    error = phone.locator("#question-title-desc-error")
    expect(error).to_be_visible()
    described_by = phone.locator("#question-title").get_attribute("aria-describedby")
    assert "question-title-desc-error" in described_by
    assert_accessible(phone)


def test_the_character_count_follows_typing(desktop, event):
    desktop.goto(url_in("en", "events:detail", slug=event.slug))
    desktop.locator("#question-text").fill("Bonjour")
    counter = desktop.locator("#question-text-count")
    counter.filter(has_text="7 characters out of 1500").wait_for()


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_phone_menu_opens_as_a_named_dialog(phone, event, language):
    """The markup names nothing (a name on a plain div is invalid HTML); DSFR's script makes the
    opened menu a dialog named by its button, and the page stays axe-clean with it open."""
    phone.goto(url_in(language, "home"))
    phone.locator("#header-menu-button").click()
    menu = phone.locator("#header-menu-modal")
    expect(menu).to_have_attribute("role", "dialog")
    expect(menu).to_have_attribute("aria-modal", "true")
    name = menu.evaluate(
        "menu => document.getElementById(menu.getAttribute('aria-labelledby'))?.textContent"
    )
    assert name and name.strip()
    expect(menu.get_by_role("link", name=re.compile("Accueil|الرئيسية"))).to_be_visible()
    assert_accessible(phone)


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize("screen", ["phone", "laptop"])
def test_footer_links_are_targets_of_at_least_24_pixels(new_tab, event, language, screen):
    """WCAG 2.2 target size: the footer's small links (calendar, RSS, legal pages) included,
    also where Arabic labels wrap and put one link right under another."""
    page = new_tab(phone=screen == "phone", locale=language)
    page.goto(url_in(language, "home"))
    footer_links = page.locator("footer a")
    expect(footer_links.filter(has_text="iCal")).to_have_count(1)
    expect(footer_links.filter(has_text="RSS")).to_have_count(1)
    too_small = [
        f"{link.inner_text()!r}: {box['width']:.0f}×{box['height']:.0f}"
        for link in footer_links.all()
        if (box := link.bounding_box()) and (box["width"] < 24 or box["height"] < 24)
    ]
    assert not too_small, f"footer links below 24×24 px: {too_small}"
