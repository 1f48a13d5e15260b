"""Forms and supports from cached pages, in Chromium: with JavaScript (forms.js fetches this
browser's tokens) and without (the portal asks to send again, with a token)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from questions.models import Question
from tests.factories import EventFactory, QuestionFactory, ThemeFactory

pytestmark = pytest.mark.django_db(transaction=True)
TITLE = "Quelle place pour les régions dans la diplomatie ?"


@pytest.fixture
def event(settings):
    settings.QUESTION_MIN_FILL_SECONDS = 1
    event = EventFactory(title="Rencontre à Rennes", themes=[ThemeFactory(name="Europe")])
    QuestionFactory(event=event, title="Quelle Europe demain ?", support_count=0)
    return event


def event_path(event) -> str:
    return reverse("events:detail", kwargs={"slug": event.slug})


def warm(page, path: str) -> None:
    """Another visitor has just stored the page: the one tested comes from the cache."""
    response = page.request.get(path)
    assert response.ok and "public" in response.headers["cache-control"]


def fill_question(page) -> None:
    form = page.locator("#question-form")
    form.locator("#question-theme").select_option(label="Europe")
    form.locator("#question-title").fill(TITLE)
    form.locator("#question-text").fill("Comment les régions françaises agissent-elles en Europe ?")
    form.locator("#question-display_name").fill("Yann")
    form.locator("#question-email").fill("yann@exemple.fr")
    form.locator("#question-region").select_option("BRE")
    form.locator("label[for=question-consent]").click()
    page.wait_for_timeout(1200)  # a person takes longer than the minimum fill time


def test_a_question_sent_from_the_cached_event_page(desktop, new_tab, event):
    warm(new_tab(), event_path(event))
    response = desktop.goto(event_path(event))
    assert "csrfmiddlewaretoken" not in response.text()
    fill_question(desktop)
    desktop.get_by_role("button", name="Envoyer ma question").click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")
    assert Question.objects.filter(title=TITLE).count() == 1


def test_a_support_from_the_cached_question_page(phone, new_tab, event):
    question = event.questions.get()
    warm(new_tab(), question.get_absolute_url())
    phone.goto(question.get_absolute_url())
    phone.locator(".hlm-support-form input[type=email]").fill("fan@exemple.fr")
    phone.get_by_role("button", name="Je soutiens cette question").click()
    expect(phone.locator(".fr-alert--success")).to_contain_text("votre soutien est comptabilisé")
    expect(phone.locator(".hlm-support-count")).to_contain_text("1 citoyen soutient")
    question.refresh_from_db()
    assert question.support_count == 1
    # The next visitor's page shows the new count, without this browser's state.
    visitor = new_tab()
    visitor.goto(question.get_absolute_url())
    expect(visitor.locator(".hlm-support-count")).to_contain_text("1 citoyen soutient")
    expect(visitor.get_by_role("button", name="Je soutiens cette question")).to_be_visible()


def test_without_javascript_a_question_is_sent_after_one_more_press(new_tab, event):
    page = new_tab(java_script_enabled=False)
    warm(page, event_path(event))
    page.goto(event_path(event))
    fill_question(page)
    page.get_by_role("button", name="Envoyer ma question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci d’envoyer à nouveau")
    assert not Question.objects.filter(title=TITLE).exists()
    page.wait_for_timeout(1200)
    page.get_by_role("button", name="Envoyer à nouveau").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")
    assert Question.objects.filter(title=TITLE).count() == 1
