"""A moderator works the queue in Chromium: the queue fits a laptop and a big screen without
horizontal scrolling, the keyboard decides (not while typing), each decision opens the next
question, and a prepared note fills the rejection note."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from questions.models import PreparedNote, Question, RejectionReason
from questions.models import QuestionState as S
from tests.browser.conftest import PHONE
from tests.browser.layout import too_wide
from tests.factories import QuestionFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1366, "height": 768}
BIG_SCREEN = {"width": 1920, "height": 1080}
LONG_TEXT = (
    "Comment la France compte-t-elle concilier son aide publique au développement avec les "
    "priorités de sa diplomatie économique, en particulier dans les pays du Sahel où la "
    "situation sécuritaire s’est dégradée ces dernières années ?"
)


def signed_in(page: Page, live_server, user) -> Page:
    browser = Client()
    browser.force_login(user)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    return page


def change_url(question: Question) -> str:
    return reverse("admin:questions_question_change", args=[question.pk])


@pytest.fixture
def queue():
    now = timezone.now()
    waiting = [
        QuestionFactory(
            state=S.SUBMITTED,
            title=f"Quelle place pour la France dans la négociation numéro {n} sur le climat ?",
            text=LONG_TEXT,
            region="NAQ",
            theme=ThemeFactory(name="Climat et environnement"),
        )
        for n in range(3)
    ]
    for age, question in zip((30, 20, 10), waiting, strict=True):
        Question.objects.filter(pk=question.pk).update(created_at=now - timedelta(minutes=age))
    return waiting


@pytest.mark.parametrize("viewport", [LAPTOP, BIG_SCREEN], ids=["1366x768", "1920x1080"])
def test_the_queue_fits_the_screen_without_horizontal_scrolling(
    new_tab, live_server, queue, viewport, journal
):
    page = signed_in(
        new_tab(viewport=viewport, locale="fr-FR"),
        live_server,
        UserFactory(groups=["Moderators"]),
    )
    page.goto(live_server.url + reverse("admin:questions_question_changelist") + "?state=all")
    journal.step(page, "the queue, every state")
    widths = page.evaluate(
        """() => {
          const results = document.querySelector('#changelist .results');
          return {table: results.scrollWidth, box: results.clientWidth};
        }"""
    )
    assert not too_wide(page) and widths["table"] <= widths["box"], widths
    for header in ("Question", "Événement", "Thème", "Langue", "Région", "Ancienneté", "Soutiens"):
        expect(page.locator("#result_list thead")).to_contain_text(header)
    excerpt = page.locator(".hlm-queue__excerpt").first
    lines = excerpt.evaluate(
        "e => Math.round(e.getBoundingClientRect().height"
        " / parseFloat(getComputedStyle(e).lineHeight))"
    )
    assert lines <= 2
    bullets = page.locator(".moderation-summary li").first.evaluate(
        "e => getComputedStyle(e).listStyleType"
    )
    assert bullets == "none"
    assert cut_words(page) == []


def cut_words(page: Page) -> list[str]:
    """Words cut across two lines ("environnemen/t"); a break at a hyphen is a proper one."""
    return page.evaluate(
        """() => {
          const cut = [];
          for (const cell of document.querySelectorAll('#result_list td')) {
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node; (node = walker.nextNode());) {
              for (const match of node.textContent.matchAll(/[^\\s-]+/g)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (tops.size > 1) cut.push(match[0]);
              }
            }
          }
          return cut;
        }"""
    )


def test_on_a_phone_each_question_takes_the_width_of_the_screen(
    new_tab, live_server, queue, journal
):
    page = signed_in(
        new_tab(phone=True, locale="ar"), live_server, UserFactory(groups=["Moderators"])
    )
    page.goto(live_server.url + reverse("admin:questions_question_changelist"))
    journal.step(page, "the queue on a phone, in Arabic")
    title = page.locator(".hlm-queue__title").first
    width = title.evaluate("e => e.getBoundingClientRect().width")
    assert width > 0.7 * PHONE["viewport"]["width"], width
    assert not too_wide(page)
    assert cut_words(page) == []


def test_the_keyboard_approves_skips_and_rejects_with_a_prepared_note(
    new_tab, live_server, queue, journal
):
    first, second, third = queue
    note = PreparedNote.objects.create(
        title="Cas consulaire",
        text="Pour un cas personnel, écrivez au consulat de votre pays de résidence.",
        reason=RejectionReason.PERSONAL_CASE,
    )
    page = signed_in(
        new_tab(viewport=LAPTOP, locale="fr-FR"), live_server, UserFactory(groups=["Moderators"])
    )
    page.goto(live_server.url + change_url(first))
    expect(page.locator("#keyboard-shortcuts")).to_contain_text("Raccourcis clavier")
    journal.step(page, "the first question of the queue")

    page.keyboard.press("a")  # approve: the next question opens
    page.wait_for_url(f"**{change_url(second)}")
    assert Question.objects.get(pk=first.pk).state == S.APPROVED

    page.locator("#id_theme").focus()
    page.keyboard.press("n")  # typing in a field: no shortcut
    page.wait_for_timeout(300)
    assert page.url.endswith(change_url(second))
    page.locator("#decisions-title").click()
    page.keyboard.press("n")  # next, without deciding
    page.wait_for_url(f"**{change_url(third)}")

    page.keyboard.press("r")  # reject: the reasons' page
    expect(page.locator("#reject-form")).to_be_visible()
    journal.step(page, "the rejection page")
    page.locator("#id_prepared_note").select_option(str(note.pk))
    expect(page.locator("#id_note")).to_have_value(note.text)
    expect(
        page.locator(f"input[name=reason][value={RejectionReason.PERSONAL_CASE}]")
    ).to_be_checked()
    page.locator("#id_note").fill(note.text + " Merci de votre compréhension.")
    page.locator("#reject-submit").click()
    page.wait_for_url(f"**{change_url(second)}")  # the one skipped earlier
    rejected = Question.objects.get(pk=third.pk)
    assert rejected.state == S.REJECTED
    assert rejected.rejection_note.endswith("Merci de votre compréhension.")
