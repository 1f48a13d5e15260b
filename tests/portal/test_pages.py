"""Every public page renders in every language, with the right lang/dir and no server error."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from questions.models import QuestionState
from tests.factories import EventFactory, QuestionFactory, ThemeFactory

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def content(db):
    theme = ThemeFactory(slug="europe", name="Europe", name_translations={"en": "Europe"})
    event = EventFactory(themes=[theme], slug="lyon")
    answered = QuestionFactory(event=event, state=QuestionState.ANSWERED, title="Réponse donnée")
    approved = QuestionFactory(event=event, title="Question publiée")
    return {"event": event, "answered": answered, "approved": approved}


def page_urls(content) -> list[str]:
    return [
        reverse("home"),
        reverse("events:list"),
        reverse("events:list") + "?period=past",
        reverse("events:list") + "?region=ARA",
        reverse("events:detail", kwargs={"slug": content["event"].slug}),
        reverse("events:detail", kwargs={"slug": content["event"].slug}) + "?sort=newest",
        content["approved"].get_absolute_url(),
        content["answered"].get_absolute_url(),
        reverse("questions:search"),
        reverse("questions:search") + "?q=publiée&answered=no",
        reverse("questions:check_inbox"),
        reverse("questions:resend"),
        reverse("privacy"),
        reverse("legal_notice"),
        reverse("accessibility"),
        reverse("open_data"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_renders_in_every_language(client, content, language):
    with translation.override(language):
        urls = page_urls(content)
    direction = "rtl" if language == "ar" else "ltr"
    for url in urls:
        assert url.startswith(f"/{language}/"), url
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}" dir="{direction}"' in html, url
        assert '<main id="content"' in html and "<h1" in html, url
        assert html.count("<h1") == 1, url


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_404_page_is_in_the_visitors_language(client, language):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    assert f'<html lang="{language}"' in response.content.decode()


def test_the_privacy_notice_quotes_the_configured_retention_periods(client, settings):
    settings.QUESTION_CONFIRMATION_MAX_AGE_SECONDS = 72 * 3600
    settings.REJECTED_QUESTION_RETENTION_DAYS = 30
    html = client.get("/en/privacy/").content.decode()
    assert "within 72 hours is deleted" in html
    assert "anonymised after 30 days" in html
    assert "dpd@diplomatie.gouv.fr" in html


def test_the_language_switcher_links_to_the_same_page_in_each_language(client, content):
    html = client.get(f"/fr/events/{content['event'].slug}/").content.decode()
    for language in LANGUAGES:
        assert f'hreflang="{language}" lang="{language}" href="/{language}/events/lyon/"' in html
