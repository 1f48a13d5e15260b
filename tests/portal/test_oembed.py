"""oEmbed: a pasted question URL becomes the embeddable player in sites that support oEmbed."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation

from questions.models import QuestionState
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db
SITE = "https://horslesmurs.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def page_url(question, language="fr") -> str:
    with translation.override(language):
        return SITE + question.get_absolute_url()


def oembed(client, url, **params):
    return client.get("/oembed/", {"url": url, **params})


class Iframe(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.attrs = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "iframe":
            self.attrs = dict(attrs)


def test_question_url_gives_the_player_iframe_in_the_url_language(client, answered_question):
    question = answered_question(title="Et l’Arctique ?")

    response = oembed(client, page_url(question, "de"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert answer["version"] == "1.0"
    assert answer["type"] == "video"
    assert answer["title"] == "Et l’Arctique ?"
    assert answer["provider_url"] == f"{SITE}/"
    assert answer["thumbnail_url"] == f"{SITE}/media/{question.answer_video.poster.name}"
    iframe = Iframe(answer["html"]).attrs
    src = urlsplit(iframe["src"])
    assert f"{src.scheme}://{src.netloc}{src.path}" == f"{SITE}/embed/{question.public_id}/"
    assert parse_qs(src.query) == {"lang": ["de"]}
    # 1280×720 video at 640 wide, plus the link line under it.
    assert (answer["width"], answer["height"]) == (640, 400)
    assert (iframe["width"], iframe["height"]) == ("640", "400")
    assert iframe["title"] == "Et l’Arctique ?"


def test_maxwidth_and_maxheight_are_honoured(client, answered_question):
    question = answered_question()
    small = oembed(client, page_url(question), maxwidth="320").json()
    assert (small["width"], small["height"]) == (320, 220)
    short = oembed(client, page_url(question), maxheight="220").json()
    assert (short["width"], short["height"]) == (320, 220)


def test_question_page_announces_its_oembed(client, answered_question):
    question = answered_question()
    html = client.get(question.get_absolute_url()).content.decode()
    assert 'type="application/json+oembed"' in html
    unanswered = QuestionFactory(state=QuestionState.APPROVED)
    assert "json+oembed" not in client.get(unanswered.get_absolute_url()).content.decode()


def test_the_thumbnail_comes_with_the_posters_size(client, answered_question):
    question = answered_question()
    video = question.answer_video
    video.poster_width, video.poster_height = 960, 540  # not the video's 1280×720
    video.save(update_fields=["poster_width", "poster_height"])

    answer = oembed(client, page_url(question)).json()

    assert answer["thumbnail_url"] == f"{SITE}/media/{video.poster.name}"
    assert (answer["thumbnail_width"], answer["thumbnail_height"]) == (960, 540)


def test_a_poster_of_unknown_size_is_left_out_rather_than_announced_without_it(
    client, answered_question
):
    """oEmbed 1.0: thumbnail_url, thumbnail_width and thumbnail_height come together or not at
    all."""
    question = answered_question()
    question.answer_video.poster_width = question.answer_video.poster_height = None
    question.answer_video.save(update_fields=["poster_width", "poster_height"])

    answer = oembed(client, page_url(question)).json()

    assert not {"thumbnail_url", "thumbnail_width", "thumbnail_height"} & set(answer)
    assert answer["html"].startswith("<iframe")


def test_only_answered_questions_of_this_site_have_an_oembed(client, answered_question):
    question = answered_question()
    unanswered = QuestionFactory(state=QuestionState.APPROVED)
    other_site = page_url(question).replace(SITE, "https://evil.example")
    for url in (page_url(unanswered), other_site, f"{SITE}/fr/", f"{SITE}/fr/nope/", "", "x"):
        assert oembed(client, url).status_code == 404, url
    assert oembed(client, page_url(question), format="xml").status_code == 501


def test_oembed_never_contains_email_addresses(client, answered_question):
    question = answered_question(email="auteur.secret@example.org")
    assert "@" not in oembed(client, page_url(question)).content.decode()
