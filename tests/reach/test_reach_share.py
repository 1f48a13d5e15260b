"""Share cards (Open Graph, Twitter), hreflang alternates and share links, read as crawlers do."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from questions.models import QuestionState
from tests.factories import EventFactory, QuestionFactory

pytestmark = pytest.mark.django_db
SITE = "https://horslesmurs.example"
LANGUAGES = [code for code, _ in django_settings.LANGUAGES]


class Head(HTMLParser):
    """Meta properties/names, link tags and anchors of a rendered fragment."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.anchors: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs["content"])
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "a":
            self.anchors.append(attrs)

    def one(self, key) -> str:
        (value,) = self.meta[key]
        return value

    def hreflangs(self) -> dict[str, str]:
        return {link["hreflang"]: link["href"] for link in self.links if "hreflang" in link}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def render(source: str, path: str, language: str = "fr", **context) -> str:
    with translation.override(language):
        request = RequestFactory().get(path)
        return Template("{% load reach %}" + source).render(
            Context({"request": request, **context})
        )


def question_path(question, language="fr") -> str:
    with translation.override(language):
        return question.get_absolute_url()


def test_answered_question_card_offers_the_video(answered_question):
    question = answered_question(title="Quelle aide pour l’Ukraine ?")
    video = question.answer_video

    head = Head(
        render(
            "{% share_card_question question %}", question_path(question), "fr", question=question
        )
    )

    canonical = f"{SITE}{question_path(question)}"
    assert head.one("og:url") == canonical
    assert {"rel": "canonical", "href": canonical} in head.links
    assert head.one("og:type") == "video.other"
    assert head.one("og:title") == "Quelle aide pour l’Ukraine ?"
    assert head.one("og:video") == f"{SITE}/media/{video.mp4.name}"
    assert head.one("og:video:secure_url") == head.one("og:video")
    assert head.one("og:video:type") == "video/mp4"
    assert head.one("og:video:width") == "1280"
    assert head.one("og:image") == f"{SITE}/media/{video.poster.name}"
    assert head.one("og:locale") == "fr_FR"
    assert len(head.meta["og:locale:alternate"]) == len(LANGUAGES) - 1
    assert head.one("twitter:card") == "player"
    assert head.one("twitter:player") == f"{SITE}/embed/{question.public_id}/?lang=fr"
    assert head.one("twitter:player:stream") == head.one("og:video")
    assert head.one("og:description").startswith(question.text[:50])
    assert head.one("twitter:description") == head.one("og:description")


def test_unanswered_question_card_has_no_video_and_a_default_image():
    question = QuestionFactory(state=QuestionState.APPROVED)

    head = Head(
        render("{% share_card_question question %}", question_path(question), question=question)
    )

    assert head.one("og:type") == "article"
    assert "og:video" not in head.meta
    assert head.one("og:image") == f"{SITE}/static/reach/share-default.png"
    assert head.one("twitter:card") == "summary_large_image"


def test_card_is_in_the_page_language_with_hreflang_for_every_language(answered_question):
    question = answered_question()

    head = Head(
        render(
            "{% share_card_question question %}",
            question_path(question, "de"),
            "de",
            question=question,
        )
    )

    assert head.one("og:locale") == "de_DE"
    assert head.one("og:url") == f"{SITE}{question_path(question, 'de')}"
    assert head.hreflangs() == {
        **{code: f"{SITE}{question_path(question, code)}" for code in LANGUAGES},
        "x-default": f"{SITE}{question_path(question, 'fr').removeprefix('/fr')}",
    }
    feeds = [link for link in head.links if link.get("type") == "application/rss+xml"]
    assert feeds[0]["href"] == f"{SITE}/de/feeds/events/{question.event.slug}/answers.rss"


def test_event_card_and_hreflang_partial():
    event = EventFactory(title="Rencontre à Brest", description="Une soirée d’échanges.")
    path = "/en/"  # any page: the event page is the citizens' (events:detail)

    head = Head(render("{% share_card_event event %}", path, "en", event=event))
    alone = Head(render("{% hreflang_links %}", path, "en"))

    assert head.one("og:title") == "Rencontre à Brest"
    assert head.one("og:description") == "Une soirée d’échanges."
    assert head.one("og:url") == f"{SITE}{path}"
    assert head.one("og:type") == "website"
    assert alone.hreflangs() == head.hreflangs()
    assert alone.hreflangs()["ar"] == f"{SITE}/ar/"
    assert alone.hreflangs()["x-default"] == f"{SITE}/"
    assert Head(render("{% hreflang_links %}", "/en/not-a-page/", "en")).hreflangs() == {}


def test_share_links_need_no_script_from_a_network(answered_question):
    question = answered_question(title="Et l’Afrique ?")
    path = question_path(question)

    html = render("{% share_links question %}", path, question=question)
    page = Head(html)

    url = f"{SITE}{path}"
    by_class = {a["class"].split("fr-btn--")[1]: a for a in page.anchors}
    assert set(by_class) == {"twitter-x", "facebook", "linkedin", "mail", "copy"}
    x = urlsplit(by_class["twitter-x"]["href"])
    assert (x.netloc, parse_qs(x.query)) == ("x.com", {"url": [url], "text": ["Et l’Afrique ?"]})
    assert parse_qs(urlsplit(by_class["facebook"]["href"]).query) == {"u": [url]}
    assert parse_qs(urlsplit(by_class["linkedin"]["href"]).query) == {"url": [url]}
    assert by_class["mail"]["href"].startswith("mailto:?subject=")
    # Copy works without JavaScript too: it is a link to the page itself.
    assert by_class["copy"]["href"] == url
    assert by_class["copy"]["data-hlm-copy"] == url
    for network in ("twitter-x", "facebook", "linkedin"):
        assert "noopener" in by_class[network]["rel"]
    # The only script is the portal's own, loaded from its static files.
    assert html.count("<script") == 1
    assert '<script src="/static/reach/share.js" defer>' in html
    # The embed code of the answered question.
    assert f"{SITE}/embed/{question.public_id}/" in html


def test_share_outputs_never_contain_email_addresses(answered_question):
    question = answered_question(email="auteur.secret@example.org")
    path = question_path(question)
    html = render(
        "{% share_card_question question %}{% share_links question %}", path, question=question
    )
    assert "auteur.secret" not in html
    assert "@" not in html


def test_share_card_makes_no_query_when_the_page_selected_its_video(
    answered_question, django_assert_num_queries
):
    from questions.models import Question

    question = answered_question()
    question = Question.objects.select_related("event", "theme", "answer_video").get(pk=question.pk)
    with django_assert_num_queries(0):
        render(
            "{% share_card_question question %}{% share_links question %}",
            question_path(question),
            question=question,
        )


def test_share_labels_are_in_the_page_language(answered_question):
    question = answered_question()
    html = render(
        "{% share_links question %}", question_path(question, "ar"), "ar", question=question
    )
    assert len(Head(html).anchors) == 5
    assert "مشاركة هذه الصفحة" in html  # "Share this page"
    assert "نسخ الرابط" in html  # "Copy the link"
    french = render("{% share_links question %}", question_path(question), "fr", question=question)
    assert "Partager sur LinkedIn" in french
