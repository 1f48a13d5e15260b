"""Every public page, in French and Arabic, has 0 errors from the Nu HTML Checker.

Pages are rendered through the test client, saved to files and checked in a single run of the
checker (one JVM start). Warnings are allowed; errors are listed with their file, line and extract.
"""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from questions.models import QuestionState
from questions.tokens import make_confirmation_token
from tests.factories import EventFactory, QuestionFactory, ThemeFactory
from tests.portal.answers import publish_answer
from tests.standards.nu import NuMessage, check_html

pytestmark = [pytest.mark.slow, pytest.mark.django_db]  # one JVM run of the Nu checker
LANGUAGES = ["fr", "ar"]
# Invalid on purpose, checked in the same run: proves the checker really reads the files.
BROKEN_PAGE = (
    '<!DOCTYPE html><html lang="fr"><head><title>t</title></head><body>'
    '<time datetime="2026-05-01T10:00:00.123456+00:00">1 mai</time>'
    '<div aria-labelledby="x"><p id="x">x</p></div></body></html>'
)


def url_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def site(settings):
    settings.RATELIMIT_RESEND_PER_IP = "1/h"
    theme = ThemeFactory(slug="europe", name="Europe", name_translations={"ar": "أوروبا"})
    event = EventFactory(title="Rencontre citoyenne à Lyon", themes=[theme])
    EventFactory(
        title="Rencontre citoyenne à Lille",
        city="Lille",
        region="HDF",
        themes=[theme],
        starts_at=timezone.now() - timedelta(days=20),
        ends_at=timezone.now() - timedelta(days=20) + timedelta(hours=3),
        questions_open_at=timezone.now() - timedelta(days=40),
        questions_close_at=timezone.now() - timedelta(days=20),
    )
    question = QuestionFactory(event=event, theme=theme, title="Quelle place pour l'Europe ?")
    answered = QuestionFactory(
        event=event, theme=theme, title="Et l'Europe de la défense ?", state=QuestionState.SELECTED
    )
    video = publish_answer(answered, captions=("fr", "ar"))
    video.transcript = "La France défend une Europe de la défense.\n\nMerci pour votre question."
    video.save(update_fields=["transcript"])
    waiting = QuestionFactory(event=event, theme=theme, state=QuestionState.UNCONFIRMED)
    return {
        "event": event,
        "question": question,
        "answered": answered,
        "token": make_confirmation_token(waiting.public_id),
    }


def public_pages(language: str, site: dict) -> dict[str, tuple[str, int]]:
    """name → (URL, expected status) of every page the public can reach."""
    event, question, answered = site["event"], site["question"], site["answered"]

    def detail(q) -> str:
        return url_in(language, "questions:detail", public_id=q.public_id, slug=q.slug)

    return {
        "home": (url_in(language, "home"), 200),
        "event-list": (url_in(language, "events:list"), 200),
        "event": (url_in(language, "events:detail", slug=event.slug), 200),
        "question": (detail(question), 200),
        "answered-question": (detail(answered), 200),
        "questions-index": (url_in(language, "questions:search"), 200),
        "search": (url_in(language, "questions:search") + "?q=Europe", 200),
        "search-nothing-found": (url_in(language, "questions:search") + "?q=zzzz", 200),
        "embed": (reverse("reach:embed", args=[answered.public_id]) + f"?lang={language}", 200),
        "privacy": (url_in(language, "privacy"), 200),
        "legal-notice": (url_in(language, "legal_notice"), 200),
        "accessibility": (url_in(language, "accessibility"), 200),
        "open-data": (url_in(language, "open_data"), 200),
        "check-inbox": (url_in(language, "questions:check_inbox"), 200),
        "confirm": (url_in(language, "questions:confirm", token=site["token"]), 200),
        "confirm-forged": (url_in(language, "questions:confirm", token="forged"), 400),
        "resend": (url_in(language, "questions:resend"), 200),
        "not-found": (f"/{language}/cette-page-n-existe-pas/", 404),
    }


def too_many_requests_page(client, language: str) -> str:
    url = url_in(language, "questions:resend")
    address = f"10.0.{LANGUAGES.index(language)}.1"  # its own client per language
    for _attempt in range(2):
        response = client.post(url, {"email": "camille@example.org"}, REMOTE_ADDR=address)
    assert response.status_code == 429
    return response.content.decode()


def rendered_public_pages(client, site) -> dict[str, str]:
    """The HTML of every public page by "<language>-<page>", each checked for its status and
    language."""
    rendered = {}
    for language in LANGUAGES:
        pages = {
            name: client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            for name, (url, _status) in public_pages(language, site).items()
        }
        for name, (url, status) in public_pages(language, site).items():
            assert pages[name].status_code == status, f"{url} answered {pages[name].status_code}"
        html = {name: response.content.decode() for name, response in pages.items()}
        html["too-many-requests"] = too_many_requests_page(client, language)
        for name, text in html.items():
            assert f'lang="{language}"' in text[:300], f"{name} is not in {language}"
            rendered[f"{language}-{name}"] = text
    return rendered


def test_every_public_page_has_no_html_errors(client, site, tmp_path):
    files = []
    for name, text in rendered_public_pages(client, site).items():
        path = tmp_path / f"{name}.html"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    broken = tmp_path / "broken-on-purpose.html"
    broken.write_text(BROKEN_PAGE, encoding="utf-8")

    errors = check_html([*files, broken])

    found_in_broken = [error for error in errors if error.file == broken.name]
    assert any("datetime" in error.message for error in found_in_broken), found_in_broken
    assert any("aria-labelledby" in error.message for error in found_in_broken), found_in_broken
    errors = [error for error in errors if error.file != broken.name]
    assert not errors, f"The Nu HTML Checker found {len(errors)} error(s):\n" + describe(errors)


class Anchors(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.anchors: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.anchors.append(dict(attrs))


def test_every_link_of_every_public_page_is_a_real_link(client, site):
    """An <a> without href (DSFR's breadcrumb puts one on the current page) is not a link for
    crawlers nor for assistive technologies (Lighthouse's crawlable-anchors)."""
    without_href = [
        f"{name}: {anchor}"
        for name, html in rendered_public_pages(client, site).items()
        for anchor in Anchors(html).anchors
        if not anchor.get("href")
    ]
    assert not without_href, "\n".join(without_href)


def test_the_breadcrumb_names_the_current_page_with_a_link_to_it(client, site):
    question = site["question"]
    url = url_in("ar", "questions:detail", public_id=question.public_id, slug=question.slug)
    anchors = Anchors(client.get(url).content.decode()).anchors
    (current,) = [anchor for anchor in anchors if anchor.get("aria-current") == "page"]
    assert current["href"] == url
    assert "fr-breadcrumb__link" in current["class"]


def describe(errors: list[NuMessage]) -> str:
    """Each distinct error once, with every page and line where it occurs."""
    places: dict[tuple[str, str], list[str]] = {}
    for error in errors:
        places.setdefault((error.message, error.extract), []).append(error.place)
    return "\n".join(
        f"- {message}\n    {' '.join(extract.split())}\n    in {', '.join(where)}"
        for (message, extract), where in places.items()
    )
