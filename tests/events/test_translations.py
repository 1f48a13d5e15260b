"""An event's texts in six languages, French where a translation is missing (and marked so)."""

import re
from xml.etree import ElementTree

import icalendar
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from portal.reach.share import OG_LOCALES
from tests.factories import EventFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db
LANGUAGES = [code for code, _name in settings.LANGUAGES]
TITLES = {
    "en": "Europe facing crises",
    "de": "Europa in der Krise",
    "es": "Europa ante las crisis",
    "ar": "أوروبا في مواجهة الأزمات",
    "zh-hans": "面对危机的欧洲",
}


@pytest.fixture
def event(db):
    return EventFactory(
        slug="lille",
        title="L'Europe face aux crises",
        venue="Palais des Beaux-Arts",
        address="Place de la République",
        speakers="Porte-parole du ministère\nDirectrice de la prospective",
        description="Le porte-parole vient à Lille.",
        translations={
            **{language: {"title": title} for language, title in TITLES.items()},
            "en": {
                "title": TITLES["en"],
                "venue": "Palace of Fine Arts",
                "speakers": "Ministry spokesperson\nDirector of Policy Planning",
                "description": "The spokesperson comes to Lille.",
            },
            "ar": {"title": TITLES["ar"], "description": "   "},  # blank = not translated
        },
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_event_page_shows_each_text_in_the_page_language_or_french_marked_lang_fr(
    client, event, language
):
    html = client.get(f"/{language}/events/lille/").content.decode()
    h1 = re.search(r'<h1 id="event-title" lang="([^"]+)"[^>]*>([^<]*)</h1>', html)
    if language == "fr":
        assert h1.groups() == ("fr", "L&#x27;Europe face aux crises")
    else:
        assert h1.groups() == (language, TITLES[language])
    assert f"<title>{TITLES.get(language, 'L&#x27;Europe face aux crises')} —" in html
    if language == "en":
        assert '<span lang="en">Palace of Fine Arts</span>' in html
        assert (
            '<dd lang="en" dir="auto"><ul class="hlm-plain-list"><li>Ministry spokesperson' in html
        )
        assert '<div class="fr-mt-2w" lang="en" dir="auto"><p>The spokesperson comes' in html
    else:
        # Not translated: the French text, marked as French for screen readers and browsers.
        assert '<span lang="fr">Palais des Beaux-Arts</span>' in html
        assert '<dd lang="fr" dir="auto"><ul class="hlm-plain-list"><li>Porte-parole' in html
        assert '<div class="fr-mt-2w" lang="fr" dir="auto"><p>Le porte-parole vient' in html
    assert '<span lang="fr">Place de la République</span>' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_cards_and_question_pages_use_the_page_language(client, event, language):
    question = QuestionFactory(event=event)
    title = TITLES.get(language, "L&#x27;Europe face aux crises")
    listing = client.get(f"/{language}/events/").content.decode()
    title_language = language if language in TITLES else "fr"
    link = f'<a href="/{language}/events/lille/">{title}</a>'
    assert f'lang="{title_language}" dir="auto">{link}' in listing
    with translation.override(language):
        page = client.get(question.get_absolute_url()).content.decode()
    assert f">{title}</a>" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_calendars_use_the_page_language(client, event, language):
    for url in (f"/{language}/events/lille.ics", f"/{language}/events/calendar.ics"):
        calendar = icalendar.Calendar.from_ical(client.get(url).content)
        (vevent,) = calendar.walk("VEVENT")
        assert str(vevent["summary"]) == TITLES.get(language, "L'Europe face aux crises")
        expected_venue = "Palace of Fine Arts" if language == "en" else "Palais des Beaux-Arts"
        assert str(vevent["location"]).startswith(expected_venue)
        assert vevent["url"].startswith(f"http://127.0.0.1:8000/{language}/events/lille/")


@pytest.mark.parametrize("language", LANGUAGES)
def test_share_card_and_feed_titles_use_the_page_language(client, event, language):
    """In each of the six languages: the event page's share card (Open Graph and Twitter) and its
    RSS and Atom feeds carry the title in that language (French where there is none)."""
    title = TITLES.get(language, "L'Europe face aux crises")
    html = client.get(f"/{language}/events/lille/").content.decode()
    escaped = title.replace("'", "&#x27;")
    assert f'<meta property="og:title" content="{escaped}">' in html
    assert f'<meta name="twitter:title" content="{escaped}">' in html
    assert f'<meta property="og:locale" content="{OG_LOCALES[language]}">' in html
    with translation.override(language):
        feed_title = _("Video answers — %(event)s") % {"event": title}
    if language not in ("fr", "en"):
        assert feed_title != f"Video answers — {title}"  # the words are translated too
    rss = ElementTree.fromstring(client.get(f"/{language}/feeds/events/lille/answers.rss").content)
    assert rss.findtext("channel/title") == feed_title
    assert rss.findtext("channel/language") == language
    atom = ElementTree.fromstring(
        client.get(f"/{language}/feeds/events/lille/answers.atom").content
    )
    assert atom.findtext("{http://www.w3.org/2005/Atom}title") == feed_title


def test_an_email_names_the_event_in_the_citizens_language(event):
    from questions.emails import queue_email

    question = QuestionFactory(event=event, language="zh-hans")
    message = queue_email(
        to="camille@example.org",
        kind="question_approved",
        template="questions/email/approved",
        context={"question": question, "question_url": "https://example.org/q"},
        language="zh-hans",
        question=question,
    )
    assert TITLES["zh-hans"] in message.body_text
    assert TITLES["zh-hans"] in message.body_html


def test_a_localized_text_keeps_its_language_through_a_cache(event):
    import pickle

    text = pickle.loads(pickle.dumps(event.translated("title", "ar")))
    assert (text, text.language) == (TITLES["ar"], "ar")


def test_translated_falls_back_to_french_for_unknown_or_blank_texts(event):
    assert event.translated("title", "en") == TITLES["en"]
    assert event.translated("description", "ar") == "Le porte-parole vient à Lille."
    assert event.translated("description", "ar").language == "fr"
    assert event.translated("venue", "de").language == "fr"
    with translation.override("en"):
        assert event.i18n.speaker_list == ["Ministry spokesperson", "Director of Policy Planning"]
        assert [s.language for s in event.i18n.speaker_list] == ["en", "en"]


def test_the_admin_edits_every_translation_side_by_side(client, event):
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    url = f"/admin/events/event/{event.pk}/change/"
    html = client.get(url).content.decode()
    for code in ("en", "de", "es", "ar", "zh_hans"):
        assert f'name="title__{code}"' in html
    assert 'value="Europe facing crises"' in html
    assert html.count('class="module aligned hlm-translation"') == 6  # French + 5 translations
    assert "events/admin/translations.css" in html
    form = {
        "slug": "lille",
        "title": event.title,
        "city": event.city,
        "region": event.region,
        "venue": event.venue,
        "address": event.address,
        "speakers": event.speakers,
        "description": event.description,
        "starts_at_0": "2030-01-01",
        "starts_at_1": "18:00:00",
        "ends_at_0": "2030-01-01",
        "ends_at_1": "21:00:00",
        "questions_open_at_0": "2029-12-01",
        "questions_open_at_1": "09:00:00",
        "questions_close_at_0": "2030-01-01",
        "questions_close_at_1": "21:00:00",
        "themes": [theme.pk for theme in event.themes.all()],
        "image_alt": "",
        "is_published": "on",
        "title__de": "Europa und die Krisen",
        "venue__de": " ",
        "description__zh_hans": "发言人来到里尔。",
        "_save": "Save",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.translations == {
        "de": {"title": "Europa und die Krisen"},
        "zh-hans": {"description": "发言人来到里尔。"},
    }
