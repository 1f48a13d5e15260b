"""After the event, in public: a question answered on stage plays the event's recording from its
moment (its page, the embed), the event page plays the recording and lists its chapters, the
chapters are a WebVTT file, and feeds, oEmbed and share cards point at the moment. Every change
of the chapters reaches the next anonymous visitor through the page cache."""

import io
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
import webvtt
from django.test import Client
from django.urls import reverse
from django.utils import translation

from media_pipeline.services import recordings
from media_pipeline.services.staff_actions import publish_video
from media_pipeline.webvtt import validate_webvtt
from questions.models import QuestionState
from tests.factories import EventFactory
from tests.media_pipeline.recording_pages import on_stage, processed_recording, published_recording

pytestmark = pytest.mark.django_db
SITE = "https://horslesmurs.example"
ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"


class Elements(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def all(self, tag: str, **attrs) -> list[dict]:
        return [
            found
            for name, found in self.tags
            if name == tag and all(found.get(k) == v for k, v in attrs.items())
        ]

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Runs a change's on-commit callbacks (the page cache's generation bump) as a commit would."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def chapters_url(event) -> str:
    return reverse("events:chapters", kwargs={"slug": event.slug})


def get(client: Client, url: str, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


# --- The question page -----------------------------------------------------------------------


def test_a_question_answered_on_stage_plays_the_recording_from_its_moment(
    client, django_assert_max_num_queries
):
    recording, first, second = published_recording()
    assert first.state == QuestionState.ANSWERED

    # The question, then the recording's captions: the chapter and its recording come joined.
    with django_assert_max_num_queries(2):
        html = get(client, first.get_absolute_url())

    page = Elements(html)
    (player,) = page.all("video")
    assert player["data-hls-src"] == recording.hls_master.url
    assert player["data-start"] == "300"
    assert "Extrait de l’enregistrement de la rencontre" in player["aria-label"]
    assert [t["src"] for t in page.all("track", kind="chapters")] == [chapters_url(first.event)]
    assert [t["srclang"] for t in page.all("track", kind="captions")] == ["fr"]
    assert "de 5:00 à 15:00" in html  # what the player shows is said in words too
    (watch,) = [a for a in page.all("a") if a.get("href") == "#t=300"]
    assert "Regarder à partir de 5:00" in html
    assert (
        page.all("a", href=reverse("events:detail", kwargs={"slug": "rennes"}) + "#recording")
        and "Bonsoir à toutes et à tous" in html  # the recording's transcript
    )
    # Its own moment, not the other question's.
    assert 'data-start="1200"' in get(client, second.get_absolute_url())
    assert watch["data-seconds"] == "300"


def test_before_its_chapters_are_published_the_page_says_the_moment_will_come(client):
    _recording, first, _second = published_recording(chapters=False)
    html = get(client, first.get_absolute_url())
    assert "<video" not in html
    assert "l’enregistrement de ce moment sera publié ici" in html


# --- The event page and the chapters file -----------------------------------------------------


def test_the_event_page_plays_the_recording_and_lists_its_chapters(
    client, django_assert_max_num_queries
):
    recording, first, second = published_recording()
    url = reverse("events:detail", kwargs={"slug": "rennes"})

    # The event page's own, then the recording, its chapters with their questions, its captions:
    # as many whatever the number of chapters.
    with django_assert_max_num_queries(9):
        html = get(client, url)

    page = Elements(html)
    (player,) = page.all("video")
    assert player["data-hls-src"] == recording.hls_master.url and "data-start" not in player
    assert player["aria-label"] == "Enregistrement de la rencontre : Rencontre de Rennes"
    assert [t["src"] for t in page.all("track", kind="chapters")] == [chapters_url(first.event)]
    chapters = html.split('class="hlm-chapters"', 1)[1].split("</ol>", 1)[0]
    assert chapters.index("Quelle Europe demain ?") < chapters.index("Et les étudiants")
    links = [a["href"] for a in Elements(chapters).all("a")]
    assert links == [
        "#t=300",
        first.get_absolute_url(),
        "#t=1200",
        second.get_absolute_url(),
    ]
    assert "5:00" in chapters and "20:00" in chapters


def test_the_event_page_without_a_published_recording_has_no_player(client):
    recording, _first, _second = published_recording()
    other = EventFactory()
    assert "<video" not in get(client, reverse("events:detail", kwargs={"slug": other.slug}))
    assert client.get(chapters_url(other)).status_code == 404


def test_the_chapters_file_is_valid_webvtt_with_one_cue_per_published_question(client):
    _recording, first, second = published_recording()
    response = client.get(chapters_url(first.event))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    text = response.content.decode()
    assert validate_webvtt(response.content) == text
    # By structure: the signature, then blank-line separated cues of id, timing and one line.
    blocks = text.strip().split("\n\n")
    assert blocks[0] == "WEBVTT"
    for block in blocks[1:]:
        identifier, timing, title = block.split("\n")
        assert "-->" not in identifier and " --> " in timing and title
    cues = webvtt.from_buffer(io.StringIO(text)).captions
    assert [(c.identifier, c.start, c.end, c.text) for c in cues] == [
        (first.public_id, "00:05:00.000", "00:15:00.000", "Quelle Europe demain ?"),
        (second.public_id, "00:20:00.000", "00:28:00.000", "Et les étudiants étrangers ?"),
    ]


# --- Feeds, oEmbed, embed, share cards --------------------------------------------------------


def test_feeds_link_to_the_moment_and_carry_the_recording(client):
    recording, first, _second = published_recording()
    page_url = SITE + first.get_absolute_url()
    mp4 = SITE + recording.mp4.url

    rss = ET.fromstring(client.get(reverse("feeds:answers_rss")).content)
    items = {item.findtext("title"): item for item in rss.iter("item")}
    item = items["Quelle Europe demain ?"]
    assert item.findtext("link") == page_url + "#t=300"
    assert item.findtext("guid") == page_url  # stable when staff adjust the times
    assert item.find("enclosure").get("url") == mp4 + "#t=300,900"
    content = item.find(f"{MEDIA}content")
    assert content.get("url") == mp4 + "#t=300,900" and content.get("duration") == "600"
    assert "de 5:00 à 15:00" in item.findtext("description")

    atom = ET.fromstring(client.get(reverse("feeds:answers_atom")).content)
    entry = next(e for e in atom.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == first.title)
    links = [(link.get("rel"), link.get("href")) for link in entry.iter(f"{ATOM}link")]
    assert ("alternate", page_url + "#t=300") in links
    assert ("enclosure", mp4 + "#t=300,900") in links
    assert ("enclosure", SITE + recording.poster.url) in links

    event_feed = client.get(reverse("feeds:event_rss", kwargs={"slug": "rennes"})).content
    assert len(ET.fromstring(event_feed).findall("./channel/item")) == 2


def test_oembed_frames_the_player_at_the_moment(client):
    recording, first, _second = published_recording()
    response = client.get(reverse("reach:oembed"), {"url": SITE + first.get_absolute_url()})
    assert response.status_code == 200
    answer = response.json()
    (iframe,) = Elements(answer["html"]).all("iframe")
    embed = SITE + reverse("reach:embed", kwargs={"public_id": first.public_id})
    assert iframe["src"] == f"{embed}?lang=fr&amp;t=300".replace("&amp;", "&")
    assert answer["thumbnail_url"] == SITE + recording.poster.url
    assert (answer["width"], answer["height"]) == (640, 400)


def test_the_embed_plays_the_recording_from_the_moment(client):
    recording, first, _second = published_recording()
    url = reverse("reach:embed", kwargs={"public_id": first.public_id})
    html = get(client, url + "?lang=ar")
    page = Elements(html)
    (player,) = page.all("video")
    assert player["data-hls-src"] == recording.hls_master.url and player["data-start"] == "300"
    assert page.all("track", kind="chapters")
    # Only the player and the link back: the moment's links stay on the question's page.
    links = [a["href"] for a in page.all("a")]
    assert links[-1].endswith(first.get_absolute_url().split("/", 2)[2])
    assert not [link for link in links if "#t=" in link or "/events/" in link]
    assert 'dir="rtl"' in html


def test_the_share_card_and_links_point_at_the_moment(client):
    recording, first, _second = published_recording()
    page_url = SITE + first.get_absolute_url()
    html = get(client, first.get_absolute_url())
    page = Elements(html)

    def meta(key: str) -> str:
        (found,) = [m for m in page.all("meta") if key in (m.get("property"), m.get("name"))]
        return found["content"]

    assert meta("og:url") == page_url + "#t=300"
    assert page.all("link", rel="canonical")[0]["href"] == page_url
    assert meta("og:type") == "video.other"
    assert meta("og:video") == SITE + recording.mp4.url + "#t=300,900"
    assert meta("og:image") == SITE + recording.poster.url
    assert meta("twitter:player").endswith(f"/embed/{first.public_id}/?lang=fr&t=300")
    # The share buttons and the embed code too.
    assert "%23t%3D300" in html  # the page URL with its moment, quoted in the share links
    assert f"/embed/{first.public_id}/?t=300" in html
    with translation.override("fr"):
        alternate = page.all("link", type="application/json+oembed")
    assert alternate


# --- The page cache ---------------------------------------------------------------------------


def test_the_recording_published_reaches_the_next_anonymous_visitor(client, after_commit):
    event = EventFactory(slug="rennes")
    on_stage(event, 5, 10)
    recording = processed_recording(event)
    event_url = reverse("events:detail", kwargs={"slug": "rennes"})
    assert "<video" not in get(client, event_url)  # now in the cache
    after_commit(publish_video, video=recording, actor=None)
    assert recording.hls_master.url in get(client, event_url)


def test_publishing_and_moving_chapters_reach_the_next_anonymous_visitor(client, after_commit):
    recording, first, _second = published_recording(chapters=False)
    question_url = first.get_absolute_url()
    event_url = reverse("events:detail", kwargs={"slug": "rennes"})
    assert "<video" not in get(client, question_url)  # now in the cache
    assert "hlm-chapters" not in get(client, event_url)
    assert "-->" not in get(client, chapters_url(first.event))

    after_commit(recordings.publish_chapters, recording=recording, actor=None)
    assert 'data-start="300"' in get(client, question_url)
    assert "hlm-chapters" in get(client, event_url)
    assert first.public_id in get(client, chapters_url(first.event))

    chapter = first.recording_chapter
    after_commit(recordings.set_chapter_times, chapter=chapter, start=312.5, end=905)
    html = get(client, question_url)
    assert 'data-start="312.5"' in html and 'href="#t=312.5"' in html
    assert 'href="#t=312.5"' in get(client, event_url)
    assert "00:05:12.500 --> 00:15:05.000" in get(client, chapters_url(first.event))
