"""Share cards (Open Graph, Twitter), hreflang alternates, feeds discovery, calendar and share
links on the public pages, read as crawlers and browsers do."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation

from questions.models import Question, QuestionState
from tests.factories import EventFactory, QuestionFactory

pytestmark = pytest.mark.django_db
SITE = "https://horslesmurs.example"
LANGUAGES = [code for code, _ in django_settings.LANGUAGES]


class Page(HTMLParser):
    """Meta properties/names, link tags, anchors and scripts of a rendered page."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.anchors: list[dict] = []
        self.scripts: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "a":
            self.anchors.append(attrs)
        elif tag == "script":
            self.scripts.append(attrs)

    def one(self, key) -> str:
        (value,) = self.meta[key]
        return value

    def hreflangs(self) -> dict[str, str]:
        return {link["hreflang"]: link["href"] for link in self.links if "hreflang" in link}

    def feeds(self) -> dict[str, str]:
        return {
            link["type"]: link["href"]
            for link in self.links
            if link.get("rel") == "alternate" and "type" in link
        }

    def share_buttons(self) -> dict[str, dict]:
        return {
            a["class"].split("fr-btn--")[1].split()[0]: a
            for a in self.anchors
            if "fr-btn--" in a.get("class", "")
            and a["class"].split("fr-btn--")[1].split()[0]
            in {"twitter-x", "facebook", "linkedin", "mail", "copy"}
        }


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def url(name, language="fr", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def question_path(question, language="fr") -> str:
    with translation.override(language):
        return question.get_absolute_url()


def get_page(client, path) -> tuple[Page, str]:
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    return Page(html), html


def test_answered_question_page_card_offers_the_video(client, answered_question):
    question = answered_question(title="Quelle aide pour l’Ukraine ?")
    video = question.answer_video
    video.poster_width, video.poster_height = 960, 540  # the poster's own size, not the video's
    video.save(update_fields=["poster_width", "poster_height"])

    page, _html = get_page(client, question_path(question))

    canonical = f"{SITE}{question_path(question)}"
    assert page.one("og:url") == canonical
    assert [link["href"] for link in page.links if link.get("rel") == "canonical"] == [canonical]
    assert page.one("og:type") == "video.other"
    assert page.one("og:title") == "Quelle aide pour l’Ukraine ?"
    assert page.one("og:description").startswith(question.text[:50])
    assert page.one("og:video") == f"{SITE}/media/{video.mp4.name}"
    assert page.one("og:video:secure_url") == page.one("og:video")
    assert page.one("og:video:type") == "video/mp4"
    assert page.one("og:video:width") == "1280"
    assert page.one("og:image") == f"{SITE}/media/{video.poster.name}"
    assert page.one("og:image:alt") == "Réponse en vidéo : Quelle aide pour l’Ukraine ?"
    assert (page.one("og:image:width"), page.one("og:image:height")) == ("960", "540")
    assert page.one("twitter:image:alt") == page.one("og:image:alt")
    assert page.one("og:locale") == "fr_FR"
    assert len(page.meta["og:locale:alternate"]) == len(LANGUAGES) - 1
    assert page.one("twitter:card") == "player"
    assert page.one("twitter:player") == f"{SITE}/embed/{question.public_id}/?lang=fr"
    assert page.one("twitter:player:stream") == page.one("og:video")
    assert page.one("twitter:description") == page.one("og:description")
    # The page's own description is the page's, once.
    assert len(page.meta["description"]) == 1


def test_unanswered_question_card_has_no_video_and_a_default_image(client):
    question = QuestionFactory(state=QuestionState.APPROVED)

    page, _html = get_page(client, question_path(question))

    assert page.one("og:type") == "article"
    assert "og:video" not in page.meta
    assert page.one("og:image") == f"{SITE}/static/reach/share-default.png"
    assert (page.one("og:image:width"), page.one("og:image:height")) == ("1200", "630")
    assert page.one("twitter:card") == "summary_large_image"


def test_card_is_in_the_page_language_with_hreflang_for_every_language(client, answered_question):
    question = answered_question()

    page, _html = get_page(client, question_path(question, "de"))

    assert page.one("og:locale") == "de_DE"
    assert page.one("og:url") == f"{SITE}{question_path(question, 'de')}"
    assert page.hreflangs() == {
        **{code: f"{SITE}{question_path(question, code)}" for code in LANGUAGES},
        "x-default": f"{SITE}{question_path(question, 'fr').removeprefix('/fr')}",
    }
    assert page.feeds()["application/rss+xml"] == (
        f"{SITE}/de/feeds/events/{question.event.slug}/answers.rss"
    )


def test_event_page_card_calendar_and_share_links(client):
    event = EventFactory(title="Rencontre à Brest", description="Une soirée d’échanges.")
    path = url("events:detail", "en", slug=event.slug)

    page, _html = get_page(client, path)

    assert page.one("og:title") == "Rencontre à Brest"
    assert page.one("og:description") == "Une soirée d’échanges."
    assert page.one("og:url") == f"{SITE}{path}"
    assert page.one("og:type") == "website"
    assert page.hreflangs()["ar"] == f"{SITE}/ar/events/{event.slug}/"
    assert page.feeds() == {
        "application/rss+xml": f"{SITE}/en/feeds/events/{event.slug}/answers.rss",
        "application/atom+xml": f"{SITE}/en/feeds/events/{event.slug}/answers.atom",
    }
    hrefs = [a.get("href") for a in page.anchors]
    assert f"/en/events/{event.slug}.ics" in hrefs
    assert "webcal://horslesmurs.example/en/events/calendar.ics" in hrefs
    assert page.share_buttons()["copy"]["href"] == f"{SITE}{path}"


def test_every_page_has_hreflang_alternates_and_home_announces_the_feeds(client):
    page, _html = get_page(client, url("home", "es"))
    assert page.hreflangs() == {
        **{code: f"{SITE}/{code}/" for code in LANGUAGES},
        "x-default": f"{SITE}/",
    }
    assert page.feeds() == {
        "application/rss+xml": f"{SITE}/es/feeds/answers.rss",
        "application/atom+xml": f"{SITE}/es/feeds/answers.atom",
    }
    events, _html = get_page(client, url("events:list", "zh-hans"))
    assert events.hreflangs()["fr"] == f"{SITE}/fr/events/"
    assert "webcal://horslesmurs.example/zh-hans/events/calendar.ics" in [
        a.get("href") for a in events.anchors
    ]


def test_share_links_need_no_script_from_a_network(client, answered_question):
    question = answered_question(title="Et l’Afrique ?")
    path = question_path(question)

    page, html = get_page(client, path)

    page_url = f"{SITE}{path}"
    buttons = page.share_buttons()
    assert set(buttons) == {"twitter-x", "facebook", "linkedin", "mail", "copy"}
    x = urlsplit(buttons["twitter-x"]["href"])
    assert (x.netloc, parse_qs(x.query)) == (
        "x.com",
        {"url": [page_url], "text": ["Et l’Afrique ?"]},
    )
    assert parse_qs(urlsplit(buttons["facebook"]["href"]).query) == {"u": [page_url]}
    assert parse_qs(urlsplit(buttons["linkedin"]["href"]).query) == {"url": [page_url]}
    assert buttons["mail"]["href"].startswith("mailto:?subject=")
    # Copy works without JavaScript too: it is a link to the page itself.
    assert buttons["copy"]["href"] == page_url
    assert buttons["copy"]["data-hlm-copy"] == page_url
    for network in ("twitter-x", "facebook", "linkedin"):
        assert "noopener" in buttons[network]["rel"]
    # Every script is the portal's own, from its static files: no network's widget or tracker.
    assert all(script.get("src", "").startswith("/static/") for script in page.scripts)
    assert {"src": "/static/reach/share.js", "defer": None} in page.scripts
    # The embed code of the answered question.
    assert f"{SITE}/embed/{question.public_id}/" in html


def test_the_embed_code_reads_left_to_right_on_an_arabic_page(client, answered_question):
    question = answered_question()
    _page, html = get_page(client, question_path(question, "ar"))
    textarea = re.search(r"<textarea[^>]*hlm-embed-code[^>]*>", html).group(0)
    assert 'dir="ltr"' in textarea and 'translate="no"' in textarea


def test_share_labels_are_in_the_page_language(client, answered_question):
    question = answered_question()
    _page, arabic = get_page(client, question_path(question, "ar"))
    assert "نسخ الرابط" in arabic  # "Copy the link"
    assert "المشاركة على لينكدإن" in arabic  # "Share on LinkedIn"
    _page, french = get_page(client, question_path(question, "fr"))
    assert "Partager sur LinkedIn" in french
    assert "Intégrer cette vidéo sur votre site" in french


@pytest.mark.parametrize(
    ("language", "copy", "embed"),
    [
        ("en", "Copy the link", "Embed this video on your site"),
        ("de", "Link kopieren", "Dieses Video auf Ihrer Website einbetten"),
        ("es", "Copiar el enlace", "Insertar este vídeo en su sitio web"),
        ("ar", "نسخ الرابط", "تضمين هذا الفيديو في موقعك"),
        ("zh-hans", "复制链接", "在您的网站中嵌入此视频"),
    ],
)
def test_share_labels_are_translated_in_every_language(
    client, answered_question, language, copy, embed
):
    # The share partials' strings live in the project's locale/ with the portal's own.
    _page, html = get_page(client, question_path(answered_question(), language))
    assert copy in html
    assert embed in html


def test_pages_never_expose_email_addresses_in_cards_or_links(client, answered_question):
    question = answered_question(email="auteur.secret@example.org")
    for path in (question_path(question), url("events:detail", slug=question.event.slug)):
        _page, html = get_page(client, path)
        assert "auteur.secret" not in html


def test_question_page_query_count_stays_within_budget(
    client, answered_question, django_assert_max_num_queries
):
    question = answered_question()
    with django_assert_max_num_queries(8):
        get_page(client, question_path(question))


def test_share_card_makes_no_query_when_the_page_selected_its_video(
    answered_question, django_assert_num_queries, rf
):
    from django.template import Context, Template

    question = answered_question()
    question = Question.objects.select_related("event", "theme", "answer_video").get(pk=question.pk)
    request = rf.get(question_path(question))
    template = Template(
        "{% load reach %}{% share_card_question question %}{% share_links question %}"
    )
    with django_assert_num_queries(0):
        template.render(Context({"request": request, "question": question}))


def test_x_default_sends_each_reader_to_their_language(client, answered_question):
    question = answered_question()
    page, _html = get_page(client, question_path(question, "fr"))
    x_default = page.hreflangs()["x-default"].removeprefix(SITE)

    german = client.get(x_default, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    arabic = client.get(x_default, HTTP_ACCEPT_LANGUAGE="ar")

    assert german.status_code == arabic.status_code == 302
    assert german["Location"] == question_path(question, "de")
    assert arabic["Location"] == question_path(question, "ar")


def test_search_page_announces_the_feed_of_its_filter(client):
    event = EventFactory(slug="lille")
    theme = event.themes.first()
    everything, _html = get_page(client, url("questions:search", "en"))
    assert everything.feeds()["application/rss+xml"] == f"{SITE}/en/feeds/answers.rss"
    by_theme, _html = get_page(client, url("questions:search", "en") + f"?theme={theme.slug}")
    assert by_theme.feeds()["application/atom+xml"] == (
        f"{SITE}/en/feeds/themes/{theme.slug}/answers.atom"
    )
    by_event, _html = get_page(client, url("questions:search", "en") + f"?event={event.slug}")
    assert by_event.feeds()["application/rss+xml"] == f"{SITE}/en/feeds/events/lille/answers.rss"


def test_footer_links_to_the_answers_feed_and_the_tour_calendar(client):
    page, html = get_page(client, url("home", "de"))
    hrefs = [a.get("href") for a in page.anchors]
    assert "/de/feeds/answers.rss" in hrefs
    assert "/de/events/calendar.ics" in hrefs
    assert "Feed der Videoantworten (RSS)" in html
