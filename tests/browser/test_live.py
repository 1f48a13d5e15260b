"""The tour day in a browser: the big screen beside the moderator's live console, the phones
in the room, the network cut and restored, the QR code read by a real decoder (zxing-cpp),
axe-core on the new pages in French and Arabic.

Set HLM_SHOTS_DIR to keep screenshots of the pages (big screen 1920×1080, console on a phone
and a laptop, event page on a phone)."""

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
import zxingcpp
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image
from playwright.sync_api import Page, expect

from portal.roles import MODERATORS
from questions.live import services
from tests.browser.axe import axe_violations, describe
from tests.factories import EventFactory, QuestionFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
BIG_SCREEN = {"viewport": {"width": 1920, "height": 1080}}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
# The screen polls every 2 s: a change shows after one period and one request at most.
WITHIN_TWO_SECONDS_MS = 2_500


def url_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("HLM_SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def sign_in(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


@pytest.fixture
def hall(db):
    theme = ThemeFactory(slug="europe", name="Europe", name_translations={"ar": "أوروبا"})
    event = EventFactory(
        title="Rencontre citoyenne à Lyon",
        city="Lyon",
        venue="Hôtel de Région",
        themes=[theme],
        translations={"ar": {"title": "لقاء المواطنين في ليون"}},
    )
    titles = [
        "Quelle place pour la France dans l’élargissement de l’Union ?",
        "Comment la diplomatie française agit-elle pour le climat ?",
        "Que fait la France pour les Français de l’étranger ?",
        "Quelle aide pour les pays touchés par la sécheresse ?",
    ]
    questions = [
        QuestionFactory(event=event, theme=theme, title=title, support_count=40 - 9 * n)
        for n, title in enumerate(titles)
    ]
    moderator = UserFactory(username="moderatrice", groups=[MODERATORS])
    return {"event": event, "questions": questions, "moderator": moderator}


def press(console: Page, question_title: str, button: str) -> None:
    item = console.locator(".hlm-console-item", has_text=question_title)
    item.get_by_role("button", name=button, exact=True).click()
    console.wait_for_load_state()


def test_the_big_screen_follows_the_console_and_survives_a_network_cut(
    new_tab, hall, live_server, site_url
):
    event, questions = hall["event"], hall["questions"]
    screen = new_tab(**BIG_SCREEN)
    screen.goto(url_in("fr", "live:screen", slug=event.slug))
    console = new_tab(**LAPTOP)
    sign_in(console, live_server, hall["moderator"])
    console.goto(url_in("fr", "live:console", slug=event.slug))

    console.get_by_role("button", name="Passer en direct").click()
    late = QuestionFactory(
        event=event,
        theme=questions[0].theme,
        title="Une question venue de la salle",
        state="submitted",
    )
    console.reload()
    # A question of the queue is approved (live moderation), shortlisted, then answered now.
    console.get_by_role("button", name="Démarrer la modération en direct").click()
    press(console, late.title, "Approuver")
    press(console, late.title, "Présélectionner")
    expect(screen.locator(".hlm-live-item", has_text=late.title)).to_be_visible(
        timeout=WITHIN_TWO_SECONDS_MS
    )
    press(console, late.title, "Réponse en cours")
    now = screen.locator(".hlm-live-item--now")
    expect(now).to_contain_text(late.title, timeout=WITHIN_TWO_SECONDS_MS)
    expect(screen.locator("[data-live-now-title]")).to_have_text(late.title)
    shot(screen, "big-screen-fr-1920x1080")

    # The network drops: the last state stays, a discreet line says so; it comes back.
    screen.context.set_offline(True)
    status = screen.locator("[data-live-status]")
    expect(status).to_contain_text("Connexion perdue", timeout=5_000)
    expect(now).to_contain_text(late.title)
    shot(screen, "big-screen-offline-fr-1920x1080")
    screen.context.set_offline(False)
    press(console, questions[1].title, "Réponse en cours")
    expect(now).to_contain_text(questions[1].title, timeout=5_000)
    expect(status).to_have_text("")
    # The previous one was answered on stage: it leaves the list.
    expect(screen.locator(".hlm-live-item", has_text=late.title)).to_have_count(0)
    assert screen.locator("a[href*='admin'], a[href*='staff']").count() == 0


def test_the_qr_code_decodes_to_the_event_question_form(new_tab, hall, live_server, site_url):
    event = hall["event"]
    screen = new_tab(**BIG_SCREEN)
    screen.goto(url_in("fr", "live:screen", slug=event.slug))
    picture = Image.open(io.BytesIO(screen.locator(".hlm-screen__qr").screenshot()))
    decoded = [result.text for result in zxingcpp.read_barcodes(picture)]
    assert decoded == [f"{live_server.url}/q/{event.pk}"]
    phone = new_tab(phone=True, locale="fr-FR")
    phone.goto(decoded[0])
    expect(phone).to_have_url(f"{live_server.url}/fr/events/{event.slug}/#ask")
    expect(phone.get_by_role("heading", name="Posez votre question")).to_be_visible()


def test_a_phone_in_the_room_sees_now_answering_and_the_live_list(new_tab, hall):
    event, questions, moderator = hall["event"], hall["questions"], hall["moderator"]
    services.set_live(event=event, actor=moderator, is_live=True)
    phone = new_tab(phone=True)
    phone.goto(url_in("fr", "events:detail", slug=event.slug))
    panel = phone.locator("#live")
    expect(panel.get_by_role("heading", name="Réponse en cours")).to_be_hidden()
    services.start_answering(question=questions[2], actor=moderator)
    # No 2-second promise for phones (they may be busy elsewhere): within a few polls.
    expect(panel.locator("[data-live-now-title]")).to_have_text(questions[2].title, timeout=6_000)
    expect(panel.get_by_role("link", name=questions[0].title)).to_be_visible()


def test_on_the_event_day_a_page_opened_before_the_start_shows_the_live_panel(new_tab, hall):
    event, questions, moderator = hall["event"], hall["questions"], hall["moderator"]
    event.starts_at = timezone.now() + timedelta(minutes=30)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.save()
    phone = new_tab(phone=True)
    phone.goto(url_in("fr", "events:detail", slug=event.slug))
    panel = phone.locator("#live")
    expect(panel).to_be_hidden()
    services.set_live(event=event, actor=moderator, is_live=True)
    services.start_answering(question=questions[1], actor=moderator)
    # Before going live the page asks every 6 s: within two such polls.
    expect(panel.locator("[data-live-now-title]")).to_have_text(questions[1].title, timeout=13_000)
    expect(panel.get_by_role("heading", name="En ce moment dans la salle")).to_be_visible()


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_live_pages_are_accessible(new_tab, hall, live_server, language):
    event, questions, moderator = hall["event"], hall["questions"], hall["moderator"]
    services.set_live(event=event, actor=moderator, is_live=True)
    services.set_live_moderation(event=event, actor=moderator, enabled=True)
    services.shortlist_question(question=questions[1], actor=moderator)
    services.shortlist_question(question=questions[3], actor=moderator)
    services.start_answering(question=questions[0], actor=moderator)
    QuestionFactory(event=event, title="Nouvelle question à modérer", state="submitted")
    pages = {
        "big-screen": (BIG_SCREEN, url_in(language, "live:screen", slug=event.slug), False),
        "event-phone": ({"phone": True}, url_in(language, "events:detail", slug=event.slug), False),
        "console-phone": ({"phone": True}, url_in(language, "live:console", slug=event.slug), True),
        "console-laptop": (LAPTOP, url_in(language, "live:console", slug=event.slug), True),
    }
    failures = []
    for name, (options, url, staff) in pages.items():
        page = new_tab(**options)
        if staff:
            sign_in(page, live_server, moderator)
        response = page.goto(url + ("#live" if name == "event-phone" else ""))
        assert response.status == 200, url
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
        expect(page.locator("[data-live-now-title], .hlm-console-item").first).to_be_visible()
        # Nothing wider than the screen (the console's long rejection reasons on a phone).
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
        violations = axe_violations(page)
        if violations:
            failures.append(f"[{language}] {name} {url}\n{describe(violations)}")
        shot(page, f"{name}-{language}")
    assert not failures, "axe-core violations:\n" + "\n".join(failures)
