"""Sitemap index, sections with hreflang alternates, and robots.txt, parsed as a crawler would."""

import xml.etree.ElementTree as ET
from urllib.robotparser import RobotFileParser

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from questions.models import QuestionState
from tests.factories import EventFactory, QuestionFactory

pytestmark = pytest.mark.django_db
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SITE = "https://horslesmurs.example"
LANGUAGES = [code for code, _ in django_settings.LANGUAGES]


@pytest.fixture(autouse=True)
def fresh(settings):
    settings.SITE_URL = SITE
    cache.clear()  # the sitemap views are cached


def get_xml(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    return ET.fromstring(response.content)


def section_urls(client) -> list[str]:
    root = get_xml(client, "/sitemap.xml")
    return [loc.text for loc in root.iter(f"{SM}loc")]


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def robots_parser(client) -> RobotFileParser:
    """Python's standard parser, which reads no wildcard: the rules must be plain prefixes."""
    parser = RobotFileParser()
    parser.parse(client.get("/robots.txt").content.decode().splitlines())
    return parser


@pytest.mark.parametrize("language", LANGUAGES)
def test_robots_txt_keeps_crawlers_off_staff_and_admin_pages_in_every_language(client, language):
    parser = robots_parser(client)
    with translation.override(language):
        closed = [
            reverse("media_pipeline:staff"),
            reverse("media_pipeline:upload_create"),
            reverse("media_pipeline:video_status", kwargs={"video_id": 1}),
        ]
    closed += ["/admin/", "/admin/questions/question/", "/i18n/setlang/"]
    for crawler in ("*", "Googlebot", "Bingbot"):
        for path in closed:
            assert not parser.can_fetch(crawler, SITE + path), f"{crawler} may fetch {path}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_robots_txt_lets_crawlers_read_the_public_pages(client, language):
    event = EventFactory(slug="lille")
    question = QuestionFactory(event=event, state=QuestionState.APPROVED)
    parser = robots_parser(client)
    with translation.override(language):
        public = [
            reverse("home"),
            reverse("events:list"),
            reverse("events:detail", kwargs={"slug": event.slug}),
            question.get_absolute_url(),
            reverse("questions:search"),
            reverse("privacy"),
        ]
    public += ["/sitemap.xml", f"/embed/{question.public_id}/", "/robots.txt"]
    for path in public:
        assert parser.can_fetch("*", SITE + path), f"crawlers may not fetch {path}"


def test_public_questions_are_listed_in_every_language_with_alternates(client):
    public = QuestionFactory(state=QuestionState.APPROVED)
    hidden = [
        QuestionFactory(state=state)
        for state in (QuestionState.UNCONFIRMED, QuestionState.SUBMITTED, QuestionState.REJECTED)
    ]

    sections = section_urls(client)
    assert f"{SITE}/sitemap-questions.xml" in sections
    root = get_xml(client, "/sitemap-questions.xml")

    entries = root.findall(f"{SM}url")
    assert len(entries) == len(LANGUAGES)
    path = f"/questions/{public.public_id}/{public.slug}/"
    assert sorted(entry.findtext(f"{SM}loc") for entry in entries) == sorted(
        f"{SITE}/{language}{path}" for language in LANGUAGES
    )
    alternates = {
        link.get("hreflang"): link.get("href") for link in entries[0].findall(f"{XHTML}link")
    }
    assert alternates == {
        **{language: f"{SITE}/{language}{path}" for language in LANGUAGES},
        "x-default": f"{SITE}{path}",
    }
    assert entries[0].findtext(f"{SM}lastmod")
    body = client.get("/sitemap-questions.xml").content.decode()
    for question in hidden:
        assert question.public_id not in body


def test_published_events_are_listed_in_every_language(client):
    shown = EventFactory(slug="lille")
    EventFactory(slug="brouillon", is_published=False)

    assert f"{SITE}/sitemap-events.xml" in section_urls(client)
    root = get_xml(client, "/sitemap-events.xml")
    locs = sorted(entry.findtext(f"{SM}loc") for entry in root.findall(f"{SM}url"))
    assert locs == sorted(f"{SITE}/{language}/events/{shown.slug}/" for language in LANGUAGES)
    assert "brouillon" not in client.get("/sitemap-events.xml").content.decode()


def test_sitemap_never_contains_email_addresses(client):
    QuestionFactory(email="auteur.secret@example.org")
    for url in ["/sitemap.xml", *section_urls(client)]:
        assert "@" not in client.get(url.removeprefix(SITE)).content.decode()


def test_sitemap_query_count_is_constant(client, django_assert_max_num_queries):
    QuestionFactory.create_batch(2)
    with django_assert_max_num_queries(2):
        client.get("/sitemap-questions.xml")
    cache.clear()
    QuestionFactory.create_batch(20)
    with django_assert_max_num_queries(2):
        root = get_xml(client, "/sitemap-questions.xml")
    assert len(root.findall(f"{SM}url")) == 22 * len(LANGUAGES)
    with django_assert_max_num_queries(4):
        get_xml(client, "/sitemap.xml")


def test_sitemap_index_pages_large_sections(client, settings, monkeypatch):
    from portal.reach.sitemaps import QuestionSitemap

    monkeypatch.setattr(QuestionSitemap, "limit", 10)  # 3 questions × 6 languages = 2 pages
    QuestionFactory.create_batch(3)
    sections = section_urls(client)
    assert f"{SITE}/sitemap-questions.xml" in sections
    assert f"{SITE}/sitemap-questions.xml?p=2" in sections
    assert f"{SITE}/sitemap-questions.xml?p=3" not in sections
    page_one = get_xml(client, "/sitemap-questions.xml")
    page_two = get_xml(client, "/sitemap-questions.xml?p=2")
    assert len(page_two.findall(f"{SM}url")) == 8
    # Pages split between a question's languages: together they hold each URL exactly once.
    locs = [
        u.findtext(f"{SM}loc") for page in (page_one, page_two) for u in page.findall(f"{SM}url")
    ]
    assert len(locs) == len(set(locs)) == 3 * len(LANGUAGES)


def test_the_portal_pages_are_listed_in_every_language_with_alternates(client):
    pages = ["/", "/questions/", "/privacy/", "/legal-notice/", "/accessibility/", "/open-data/"]

    assert f"{SITE}/sitemap-pages.xml" in section_urls(client)
    root = get_xml(client, "/sitemap-pages.xml")

    entries = {entry.findtext(f"{SM}loc"): entry for entry in root.findall(f"{SM}url")}
    assert sorted(entries) == sorted(
        f"{SITE}/{language}{page}" for language in LANGUAGES for page in pages
    )
    for page in pages:
        alternates = {
            link.get("hreflang"): link.get("href")
            for link in entries[f"{SITE}/ar{page}"].findall(f"{XHTML}link")
        }
        assert alternates == {
            **{language: f"{SITE}/{language}{page}" for language in LANGUAGES},
            "x-default": f"{SITE}{page}",
        }
    assert entries[f"{SITE}/fr/"].findtext(f"{SM}changefreq") == "daily"


def test_every_url_in_the_sitemaps_answers_200(client):
    """What the sitemaps list is a real, public page (the x-default alternates redirect)."""
    QuestionFactory(state=QuestionState.APPROVED)
    locations = [
        loc.text
        for section in section_urls(client)
        for loc in get_xml(client, section.removeprefix(SITE)).iter(f"{SM}loc")
    ]
    assert len(locations) == (6 + 2) * len(LANGUAGES)  # 6 pages, 1 event, 1 question
    for location in locations:
        assert client.get(location.removeprefix(SITE)).status_code == 200, location
