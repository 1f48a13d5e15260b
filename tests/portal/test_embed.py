"""The embeddable player: only the player, captions and a link back; framable by any site."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from media_pipeline.models import VideoState
from questions.models import QuestionState
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db
SITE = "https://horslesmurs.example"


class Elements(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, tag) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def directives(policy: str) -> dict[str, str]:
    return dict((part.split(" ", 1) + [""])[:2] for part in policy.split("; "))


def embed_url(question) -> str:
    return reverse("reach:embed", kwargs={"public_id": question.public_id})


def test_embed_shows_the_player_with_captions_and_a_link_back(client, answered_question):
    question = answered_question(title="Et la Méditerranée ?")
    video = question.answer_video

    response = client.get(embed_url(question), HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    body = response.content.decode()
    page = Elements(body)
    (player,) = page.all("video")
    assert player["poster"] == video.poster.url
    assert "controls" in player
    # The portal's player: hls.js first, the MP4 as fallback, both loaded from our static files.
    assert player["data-hls-src"] == video.hls_master.url
    assert [s["src"] for s in page.all("source")] == [video.mp4.url]
    assert [s["src"] for s in page.all("script")] == [
        "/static/vendor/hls.js/hls.min.js",
        "/static/media_pipeline/player.js",
        "/static/reach/plays.js",
    ]
    (track,) = page.all("track")
    assert track["kind"] == "captions"
    assert track["srclang"] == "fr"
    assert "default" in track
    with translation.override("fr"):
        back = SITE + question.get_absolute_url()  # the accented slug, percent-encoded
    assert back.endswith("/et-la-m%C3%A9diterran%C3%A9e/")
    assert back in [a["href"] for a in page.all("a")]
    assert {"rel": "canonical", "href": back} in page.all("link")
    # Only the player: no site header, navigation, forms or footer.
    assert not page.all("header") and not page.all("nav") and not page.all("form")
    assert {"name": "robots", "content": "noindex"} in page.all("meta")


def test_embed_language_follows_lang_parameter(client, answered_question):
    question = answered_question()
    response = client.get(embed_url(question) + "?lang=ar", HTTP_ACCEPT_LANGUAGE="fr")
    page = Elements(response.content.decode())
    (html,) = page.all("html")
    assert html == {"lang": "ar", "dir": "rtl"}
    assert f"{SITE}/ar/questions/{question.public_id}/{question.slug}/" in [
        a["href"] for a in page.all("a")
    ]


def test_embed_may_be_framed_by_any_site_while_other_pages_may_not(client, answered_question):
    question = answered_question()

    embed = client.get(embed_url(question))
    page = client.get(question.get_absolute_url())

    assert embed.status_code == page.status_code == 200
    assert "X-Frame-Options" not in embed
    assert page["X-Frame-Options"] == "DENY"


def test_embed_csp_lets_other_sites_frame_it_and_nothing_else(client, settings, answered_question):
    # The portal's policy forbids framing; the embed replaces that one directive only.
    question = answered_question()

    embed = client.get(embed_url(question))
    page = client.get(question.get_absolute_url())

    embed_policy = directives(embed["Content-Security-Policy"])
    page_policy = directives(page["Content-Security-Policy"])
    assert embed_policy["frame-ancestors"] == " ".join(settings.EMBED_FRAME_ANCESTORS)
    assert page_policy["frame-ancestors"] == "'none'"
    assert {k: v for k, v in embed_policy.items() if k != "frame-ancestors"} == {
        k: v for k, v in page_policy.items() if k != "frame-ancestors"
    }
    assert "'unsafe-inline'" not in embed_policy["script-src"]
    # Nothing inline on the embed page for the policy to block.
    body = embed.content.decode()
    assert all("src" in script for script in Elements(body).all("script"))
    assert "style=" not in body and "<style" not in body


def test_embed_is_404_unless_public_with_a_published_video(client, answered_question):
    unpublished = answered_question()
    unpublished.answer_video.state = VideoState.READY
    unpublished.answer_video.save(update_fields=["state"])
    without_video = QuestionFactory(state=QuestionState.APPROVED)
    withdrawn = answered_question()
    withdrawn.state = QuestionState.REJECTED
    withdrawn.save(update_fields=["state"])

    for question in (unpublished, without_video, withdrawn):
        response = client.get(embed_url(question))
        assert response.status_code == 404
    assert client.get("/embed/nope/").status_code == 404


def test_embed_never_shows_the_authors_email(client, answered_question):
    question = answered_question(email="auteur.secret@example.org")
    assert "@" not in client.get(embed_url(question)).content.decode()


def test_embed_query_count(client, answered_question, django_assert_max_num_queries):
    question = answered_question()
    # The question with its video and captions, and the reach counter's upsert.
    with django_assert_max_num_queries(3):
        assert client.get(embed_url(question)).status_code == 200


class SharedCache:
    """A shared HTTP cache in front of the portal (CDN, proxy), as RFC 9111 has it: one stored
    response per URL and per value of each request header its Vary names. Unlike Django's cache
    middleware, it knows nothing of languages."""

    def __init__(self, client):
        self.client = client
        self.stored: dict[str, list[tuple[dict, object]]] = {}

    def get(self, url: str, *, cookie: str = "", accept_language: str = ""):
        request_headers = {"cookie": cookie, "accept-language": accept_language}
        for selected, response in self.stored.get(url, []):
            if all(request_headers.get(name, "") == value for name, value in selected.items()):
                return response
        self.client.cookies.clear()
        if cookie:
            name, value = cookie.split("=", 1)
            self.client.cookies[name] = value
        response = self.client.get(url, HTTP_ACCEPT_LANGUAGE=accept_language)
        if "public" in response.get("Cache-Control", ""):
            vary = [h.strip().lower() for h in response.get("Vary", "").split(",") if h.strip()]
            selected = {name: request_headers.get(name, "") for name in vary}
            self.stored.setdefault(url, []).append((selected, response))
        return response


def embed_language(response) -> str:
    (html,) = Elements(response.content.decode()).all("html")
    return html["lang"]


def test_embed_without_lang_follows_the_language_cookie_and_varies_on_it(
    client, settings, answered_question
):
    question = answered_question()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    response = client.get(embed_url(question), HTTP_ACCEPT_LANGUAGE="fr")

    assert embed_language(response) == "de"
    vary = {header.strip().lower() for header in response["Vary"].split(",")}
    assert {"cookie", "accept-language"} <= vary
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=300"}


def test_shared_cache_serves_each_cookie_language_its_own_embed(
    client, settings, answered_question
):
    question = answered_question()
    cache = SharedCache(client)
    languages = [
        embed_language(
            cache.get(
                embed_url(question),
                cookie=f"{settings.LANGUAGE_COOKIE_NAME}={language}",
                accept_language="fr",
            )
        )
        for language in ("de", "es", "de", "")
    ]
    assert languages == ["de", "es", "de", "fr"]


def test_embed_with_lang_is_shared_by_every_visitor_of_that_language(
    client, settings, answered_question
):
    # The URL names the language: cookies do not matter, one stored copy serves everyone.
    question = answered_question()
    cache = SharedCache(client)
    url = embed_url(question) + "?lang=zh-hans"

    first = cache.get(url, cookie=f"{settings.LANGUAGE_COOKIE_NAME}=es", accept_language="fr")
    second = cache.get(url, cookie=f"{settings.LANGUAGE_COOKIE_NAME}=de", accept_language="fr")

    assert embed_language(first) == "zh-hans"
    assert second is first


def test_embed_with_a_language_the_portal_does_not_offer_uses_the_visitors(
    client, answered_question
):
    question = answered_question()
    response = client.get(embed_url(question) + "?lang=pt", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert embed_language(response) == "es"
