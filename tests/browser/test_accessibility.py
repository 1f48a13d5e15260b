"""axe-core on every public page, in French, English and Arabic: zero violations.

Each test visits one kind of page in the three languages and reports every violation at once.
"""

import re
import secrets
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from portal.opendata.dumps import export_dumps
from portal.statistics.counters import record_play, record_view
from questions.models import QuestionState
from questions.tokens import make_confirmation_token
from tests.browser.axe import assert_accessible, axe_source, axe_violations, describe
from tests.browser.layout import too_wide
from tests.browser.media import SMALL_LADDER, publish_answer
from tests.factories import EventFactory, QuestionFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
LANGUAGES = ["fr", "en", "ar"]


def url_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def check_languages(
    page: Page,
    path_for: Callable[[str], str],
    *,
    status: int = 200,
    prepare: Callable[[Page], None] | None = None,
) -> None:
    """Open the page in each language, check it is the right language and direction, no wider
    than the screen, and run axe."""
    failures = []
    for language in LANGUAGES:
        response = page.goto(path_for(language))
        assert response.status == status, f"{page.url} answered {response.status}"
        html = page.locator("html")
        expect(html).to_have_attribute("lang", language)
        expect(html).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
        if prepare:
            prepare(page)
        if too_wide(page):
            failures.append(f"[{language}] {page.url}: {too_wide(page)}")
        violations = axe_violations(page)
        if violations:
            failures.append(f"[{language}] {page.url}\n{describe(violations)}")
    assert not failures, "axe-core violations or overflow:\n" + "\n".join(failures)


@pytest.fixture
def site(settings):
    settings.MEDIA_LADDER_HEIGHTS = [int(SMALL_LADDER["MEDIA_LADDER_HEIGHTS"])]
    settings.MEDIA_HLS_SEGMENT_SECONDS = int(SMALL_LADDER["MEDIA_HLS_SEGMENT_SECONDS"])
    settings.MEDIA_X264_PRESET = SMALL_LADDER["MEDIA_X264_PRESET"]
    settings.QUESTION_MIN_FILL_SECONDS = 1
    theme = ThemeFactory(
        slug="europe", name="Europe", name_translations={"en": "Europe", "ar": "أوروبا"}
    )
    event = EventFactory(title="Rencontre citoyenne à Lyon", themes=[theme])
    EventFactory(title="Rencontre citoyenne à Lille", city="Lille", region="HDF", themes=[theme])
    questions = [
        QuestionFactory(event=event, theme=theme, title=f"Quelle place pour l'Europe {n} ?")
        for n in range(3)
    ]
    return {"event": event, "theme": theme, "question": questions[0]}


def test_home_page(desktop, site):
    check_languages(desktop, lambda language: url_in(language, "home"))


def test_event_list(desktop, site):
    check_languages(desktop, lambda language: url_in(language, "events:list"))


def test_event_page_with_its_question_form(desktop, site):
    slug = site["event"].slug
    check_languages(desktop, lambda language: url_in(language, "events:detail", slug=slug))


def test_event_page_showing_form_errors(phone, site):
    """The form as a citizen sees it after a mistake, on a phone."""

    def submit_with_a_bad_address(page: Page) -> None:
        form = page.locator("#question-form")
        form.locator("#question-title").fill("Une question")
        form.locator("#question-email").fill("camille@exemple")
        form.locator("#question-text").fill("Le texte de ma question sur l'Europe ?")
        form.locator("#question-display_name").fill("Camille")
        form.locator("#question-theme").select_option(index=1)
        form.locator("#question-region").select_option(index=1)
        form.locator("label[for=question-consent]").click()
        expect(form.locator("#question-consent")).to_be_checked()
        form.locator("[type=submit]").click()
        expect(form.locator("#question-email")).to_have_attribute("aria-invalid", "true")

    slug = site["event"].slug
    check_languages(
        phone,
        lambda language: url_in(language, "events:detail", slug=slug),
        prepare=submit_with_a_bad_address,
    )


def test_unanswered_question_page(desktop, site):
    question = site["question"]
    check_languages(
        desktop,
        lambda language: url_in(
            language, "questions:detail", public_id=question.public_id, slug=question.slug
        ),
    )


def test_answered_question_page_with_its_video(desktop, site, tmp_path):
    question = site["question"]
    question.state = QuestionState.SELECTED
    question.save()
    publish_answer(question, tmp_path)

    def open_transcript(page: Page) -> None:
        expect(page.locator("video[data-hlm-player]")).to_be_visible()
        page.locator(".hlm-answer .fr-accordion__btn").click()
        expect(page.locator(".hlm-answer__transcript")).to_be_visible()

    check_languages(
        desktop,
        lambda language: url_in(
            language, "questions:detail", public_id=question.public_id, slug=question.slug
        ),
        prepare=open_transcript,
    )


def test_search_results(desktop, site):
    check_languages(desktop, lambda language: url_in(language, "questions:search") + "?q=Europe")


@pytest.mark.parametrize("name", ["privacy", "accessibility", "legal_notice"])
def test_site_pages(desktop, site, name):
    check_languages(desktop, lambda language: url_in(language, name))


def test_open_data_page(desktop, phone, site):
    """With its download links (the nightly files exist) and the column table, on both sizes."""
    export_dumps()
    check_languages(desktop, lambda language: url_in(language, "open_data"))
    # On the phone, the files' details (size, records, date) wrap: the page fits the screen.
    check_languages(phone, lambda language: url_in(language, "open_data"))


def test_public_pages_fit_a_phone_screen(phone, site):
    export_dumps()  # the open-data page with its download links
    question = site["question"]
    pages = [
        ("home", {}),
        ("events:list", {}),
        ("events:detail", {"slug": site["event"].slug}),
        ("questions:detail", {"public_id": question.public_id, "slug": question.slug}),
        ("questions:search", {}),
        ("open_data", {}),
        ("privacy", {}),
        ("accessibility", {}),
        ("legal_notice", {}),
    ]
    failures = []
    for language in LANGUAGES:
        for name, kwargs in pages:
            phone.goto(url_in(language, name, **kwargs))
            if too_wide(phone):
                failures.append(f"{phone.url}: {too_wide(phone)}")
    assert not failures, "\n".join(failures)


def test_statistics_page_for_the_communication_team(desktop, site, problems):
    """Staff only, but held to the same standard: axe-clean, charts drawn, no CSP violation."""
    answered = site["question"]
    record_play(question_id=answered.pk, language="fr", event="start")
    record_view(kind="feed", key="answers.rss", language="fr")
    UserFactory(username="communication", groups=["Communication"])
    desktop.goto("/admin/login/?next=" + url_in("fr", "statistics:overview"))
    desktop.locator("#id_username").fill("communication")
    desktop.locator("#id_password").fill("correct horse battery staple")
    desktop.locator("[type=submit]").click()
    expect(desktop.locator("h1")).to_have_text("Statistiques")

    def charts_drawn(page: Page) -> None:
        charts = page.locator("img.hlm-chart")
        expect(charts.first).to_be_visible()
        for index in range(charts.count()):
            chart = charts.nth(index)
            chart.scroll_into_view_if_needed()
            page.wait_for_function(
                "image => image.complete && image.naturalWidth > 0", arg=chart.element_handle()
            )

    check_languages(
        desktop, lambda language: url_in(language, "statistics:overview"), prepare=charts_drawn
    )


def test_confirmation_pages(desktop, site, settings):
    event = site["event"]
    waiting = QuestionFactory(event=event, theme=site["theme"], state=QuestionState.UNCONFIRMED)
    token = make_confirmation_token(waiting.public_id)
    check_languages(desktop, lambda language: url_in(language, "questions:check_inbox"))
    check_languages(desktop, lambda language: url_in(language, "questions:confirm", token=token))
    check_languages(
        desktop,
        lambda language: url_in(language, "questions:confirm", token="forged-token"),
        status=400,
    )
    settings.QUESTION_CONFIRMATION_MAX_AGE_SECONDS = -1  # every link has now expired
    check_languages(
        desktop,
        lambda language: url_in(language, "questions:confirm", token=token),
        status=410,
    )
    check_languages(desktop, lambda language: url_in(language, "questions:resend"))


def test_page_not_found(desktop, site):
    check_languages(desktop, lambda language: f"/{language}/cette-page-n-existe-pas/", status=404)


def test_too_many_requests_page(desktop, site, settings):
    settings.RATELIMIT_RESEND_PER_IP = "1/h"
    settings.TRUSTED_PROXY_COUNT = 1  # a fresh client address per language, as seen by a proxy
    failures = []
    for language in LANGUAGES:
        desktop.set_extra_http_headers(
            {"X-Forwarded-For": f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.1"}
        )
        for _attempt in range(2):
            desktop.goto(url_in(language, "questions:resend"))
            with desktop.expect_navigation() as navigation:
                desktop.locator("main form [type=email]").fill("camille@example.org")
                desktop.locator("main form [type=submit]").click()
        assert navigation.value.status == 429
        expect(desktop.locator("html")).to_have_attribute("lang", language)
        violations = axe_violations(desktop)
        if violations:
            failures.append(f"[{language}] 429 page\n{describe(violations)}")
    assert not failures, "axe-core violations:\n" + "\n".join(failures)


def test_question_form_can_be_completed_with_the_keyboard_alone(desktop, site):
    """Tab from the top of the page through every field, type, and send with Enter."""
    page = desktop
    page.goto(url_in("fr", "events:detail", slug=site["event"].slug))

    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text(re.compile("Contenu"))  # the skip link first

    def tab_to(selector: str, limit: int = 80) -> None:
        target = page.locator(selector)
        for _ in range(limit):
            if target.evaluate("element => element === document.activeElement"):
                outline = target.evaluate("e => getComputedStyle(e).outlineStyle")
                assert outline != "none", f"{selector} has no visible focus indicator"
                return
            page.keyboard.press("Tab")
        raise AssertionError(f"{selector} cannot be reached with the Tab key")

    tab_to("#question-theme")
    page.keyboard.press("ArrowDown")  # the first theme
    tab_to("#question-title")
    page.keyboard.type("Quelle politique européenne pour les étudiants ?")
    tab_to("#question-text")
    page.keyboard.type("Comment la France aide-t-elle les étudiants à partir en Europe ?")
    tab_to("#question-display_name")
    page.keyboard.type("Camille")
    tab_to("#question-email")
    page.keyboard.type("camille@exemple.fr")
    tab_to("#question-region")
    page.keyboard.press("ArrowDown")
    tab_to("#question-consent")
    page.keyboard.press("Space")
    tab_to("#question-form [type=submit]")
    page.wait_for_timeout(1100)  # the form refuses answers faster than a person (1 s here)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")


def test_the_accessibility_check_reports_what_a_screen_reader_user_would_miss(desktop):
    """The helper is not a rubber stamp: an unlabelled field and an image without text fail."""
    desktop.set_content(
        '<html lang="fr"><head><title>t</title></head><body><main>'
        '<h1>Formulaire</h1><input type="text" name="q"><img src="x.png"></main></body></html>'
    )
    ids = {violation["id"] for violation in axe_violations(desktop)}
    assert {"label", "image-alt"} <= ids
    with pytest.raises(AssertionError, match=r"label \(critical\)"):
        assert_accessible(desktop)


def test_the_accessibility_statement_lists_what_is_tested(desktop, site):
    """The statement names the axe-core version these tests really run, and the pages."""
    version = re.search(r"axe v(\d+\.\d+)", axe_source()[:200]).group(1)
    desktop.goto(url_in("fr", "accessibility"))
    statement = desktop.locator("main")
    expect(statement).to_contain_text(f"axe-core {version}")
    expect(statement).to_contain_text("au clavier seul")
    expect(statement).to_contain_text("trop de demandes")
