"""RSS and Atom feeds of answered questions, parsed as a feed reader would."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from media_pipeline.models import VideoState
from questions.models import QuestionState, Support
from tests.factories import EventFactory, QuestionFactory, ThemeFactory, UserFactory
from tests.portal.answers import MP4_BYTES

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
SITE = "https://horslesmurs.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def feed_url(name, language="fr", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"feeds:{name}", kwargs=kwargs)


def get_xml(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    return ET.fromstring(response.content)


def rss_items(root) -> list[ET.Element]:
    return root.findall("./channel/item")


def test_rss_lists_answered_questions_with_mp4_enclosure_and_poster(client, answered_question):
    question = answered_question(title="Quelle place pour l’Europe ?")

    root = get_xml(client, feed_url("answers_rss"))

    channel = root.find("channel")
    assert channel.findtext("language") == "fr"
    assert channel.findtext("link") == f"{SITE}/fr/"
    (item,) = rss_items(root)
    assert item.findtext("title") == "Quelle place pour l’Europe ?"
    assert item.findtext("link") == f"{SITE}/fr/questions/{question.public_id}/{question.slug}/"
    enclosure = item.find("enclosure")
    video = question.answer_video
    assert enclosure.get("url") == f"{SITE}/media/{video.mp4.name}"
    assert enclosure.get("type") == "video/mp4"
    assert enclosure.get("length") == str(len(MP4_BYTES))
    assert item.find(f"{MEDIA}thumbnail").get("url") == f"{SITE}/media/{video.poster.name}"
    content = item.find(f"{MEDIA}content")
    assert content.get("url") == enclosure.get("url")
    assert content.get("medium") == "video"
    assert content.get("duration") == "61"
    assert question.text in item.findtext("description")


def test_atom_carries_mp4_and_poster_as_enclosures(client, answered_question):
    question = answered_question()

    root = get_xml(client, feed_url("answers_atom", "en"))

    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    (entry,) = root.findall(f"{ATOM}entry")
    links = {link.get("rel"): link for link in entry.findall(f"{ATOM}link")}
    assert links["alternate"].get("href") == (
        f"{SITE}/en/questions/{question.public_id}/{question.slug}/"
    )
    enclosures = {
        link.get("type"): link.get("href")
        for link in entry.findall(f"{ATOM}link")
        if link.get("rel") == "enclosure"
    }
    video = question.answer_video
    assert enclosures == {
        "video/mp4": f"{SITE}/media/{video.mp4.name}",
        "image/jpeg": f"{SITE}/media/{video.poster.name}",
    }
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == f"{SITE}/en/feeds/answers.atom"


def test_feed_links_follow_the_feed_language(client, answered_question):
    question = answered_question()
    for language in ("fr", "en", "de", "es", "ar", "zh-hans"):
        root = get_xml(client, feed_url("answers_rss", language))
        assert root.find("channel").findtext("language") == language
        (item,) = rss_items(root)
        assert item.findtext("link").startswith(
            f"{SITE}/{language}/questions/{question.public_id}/"
        )


def test_only_published_videos_are_in_feeds(client, answered_question):
    shown = answered_question(title="Publiée")
    QuestionFactory(title="Sans réponse", state=QuestionState.APPROVED)
    unpublished = answered_question(title="Vidéo retirée")
    unpublished.answer_video.state = VideoState.READY
    unpublished.answer_video.save(update_fields=["state"])

    titles = [
        item.findtext("title") for item in rss_items(get_xml(client, feed_url("answers_rss")))
    ]

    assert titles == [shown.title]


def test_event_and_theme_feeds_hold_only_their_questions(client, answered_question):
    europe, climate = ThemeFactory(slug="europe"), ThemeFactory(slug="climat")
    lille, lyon = EventFactory(slug="lille", themes=[europe]), EventFactory(slug="lyon")
    in_lille = answered_question(event=lille, theme=europe, title="À Lille")
    in_lyon = answered_question(event=lyon, theme=climate, title="À Lyon")

    def titles(name, slug):
        root = get_xml(client, feed_url(name, slug=slug))
        return [item.findtext("title") for item in rss_items(root)]

    assert titles("event_rss", "lille") == [in_lille.title]
    lille_feed = get_xml(client, feed_url("event_rss", "en", slug="lille"))
    assert lille_feed.find("channel").findtext("link") == f"{SITE}/en/events/lille/"
    assert titles("event_rss", "lyon") == [in_lyon.title]
    assert titles("theme_rss", "europe") == [in_lille.title]
    assert titles("theme_rss", "climat") == [in_lyon.title]
    atom = get_xml(client, feed_url("theme_atom", slug="climat"))
    assert [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")] == [in_lyon.title]


def test_feeds_of_unknown_or_unpublished_scopes_are_404(client):
    hidden = EventFactory(is_published=False)
    assert client.get(feed_url("event_rss", slug=hidden.slug)).status_code == 404
    assert client.get(feed_url("event_atom", slug="nope")).status_code == 404
    assert client.get(feed_url("theme_rss", slug="nope")).status_code == 404


def test_feeds_never_contain_email_addresses(client, answered_question):
    question = answered_question(email="auteur.secret@example.org")
    Support.objects.create(question=question, supporter_key="k", email="soutien@example.org")
    video = question.answer_video
    video.uploaded_by = UserFactory(email="agent@diplomatie.example")
    video.save(update_fields=["uploaded_by"])

    for name in ("answers_rss", "answers_atom"):
        body = client.get(feed_url(name)).content.decode()
        assert "@" not in body, name
    body = client.get(feed_url("event_rss", slug=question.event.slug)).content.decode()
    assert "@" not in body


def test_feed_query_count_is_constant(client, answered_question, django_assert_max_num_queries):
    event = EventFactory()
    answered_question(event=event)
    for name, kwargs in (("answers_rss", {}), ("event_atom", {"slug": event.slug})):
        with django_assert_max_num_queries(3):  # two reads and the reach counter's upsert
            client.get(feed_url(name, **kwargs))
    for _ in range(12):
        answered_question(event=event)
    for name, kwargs in (("answers_rss", {}), ("event_atom", {"slug": event.slug})):
        with django_assert_max_num_queries(3):
            root = get_xml(client, feed_url(name, **kwargs))
        assert len(rss_items(root) or root.findall(f"{ATOM}entry")) == 13


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("fr", "Réponses en vidéo — Le Quai d’Orsay Hors les Murs"),
        ("en", "Video answers — Le Quai d’Orsay Hors les Murs"),
        ("de", "Videoantworten — Le Quai d’Orsay Hors les Murs"),
        ("es", "Respuestas en vídeo — Le Quai d’Orsay Hors les Murs"),
        ("ar", "الإجابات المصوّرة — Le Quai d’Orsay Hors les Murs"),
        ("zh-hans", "视频回答 — Le Quai d’Orsay Hors les Murs"),
    ],
)
def test_feed_titles_are_in_the_feed_language(client, language, title):
    rss = get_xml(client, feed_url("answers_rss", language))
    atom = get_xml(client, feed_url("answers_atom", language))
    assert rss.find("channel").findtext("title") == title
    assert atom.findtext(f"{ATOM}title") == title


def test_theme_feed_names_the_theme_in_the_feed_language(client, answered_question):
    theme = ThemeFactory(slug="europe", name="Europe", name_translations={"de": "Europa"})
    root = get_xml(client, feed_url("theme_rss", "de", slug=theme.slug))
    assert root.find("channel").findtext("title").startswith("Videoantworten zum Thema „Europa“")
