"""Security across every page: escaping, no citizen e-mail, no leak of non-public questions,
404/403 on non-public objects and wrong roles, CSRF on every state-changing request.

Pages are found by walking the URL configuration, so pages added later are covered too as long
as their URL keywords can be filled from the world below (see `fill_kwargs`).
"""

import re
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from media_pipeline.models import AnswerVideo, Caption, VideoState
from portal.roles import MODERATORS, SPOKESPERSON_STAFF
from questions.models import QuestionState, Support
from tests.factories import EventFactory, QuestionFactory, ThemeFactory, UserFactory

XSS = '<script>alert("hlm")</script><img src=x onerror=alert(1)>'
UNSAFE_MARKERS = ('<script>alert("hlm")', "<img src=x onerror")

pytestmark = pytest.mark.django_db


@dataclass
class World:
    event: object = None
    theme: object = None
    public: dict = field(default_factory=dict)
    hidden: dict = field(default_factory=dict)
    emails: list[str] = field(default_factory=list)


@pytest.fixture
def world(settings) -> World:
    theme = ThemeFactory(name=f"Thème {XSS}")
    event = EventFactory(
        title=f"Rencontre {XSS}",
        description=XSS,
        city=f"Lyon {XSS}",
        venue=f"Salle {XSS}",
        speakers=f"Porte-parole {XSS}",
        themes=[theme],
    )
    w = World(event=event, theme=theme)

    def question(state: QuestionState, **extra):
        address = f"secret-{state}@citizen.example"
        w.emails.append(address)
        return QuestionFactory(
            event=event,
            theme=theme,
            state=state,
            title=f"Titre {state} {XSS}",
            text=f"Texte {state} {XSS}",
            display_name=f"Nom {XSS}",
            email=address,
            **extra,
        )

    for state in (QuestionState.APPROVED, QuestionState.SELECTED, QuestionState.ANSWERED):
        w.public[state] = question(state)
    for state in (QuestionState.UNCONFIRMED, QuestionState.SUBMITTED):
        w.hidden[state] = question(state)
    w.hidden[QuestionState.REJECTED] = question(QuestionState.REJECTED, rejection_reason="other")
    w.hidden[QuestionState.DUPLICATE] = question(
        QuestionState.DUPLICATE, duplicate_of=w.public[QuestionState.APPROVED]
    )
    answer = AnswerVideo.objects.create(
        question=w.public[QuestionState.ANSWERED],
        state=VideoState.PUBLISHED,
        hls_master="answers/a/v1/master.m3u8",
        mp4="answers/a/v1/video.mp4",
        poster="answers/a/v1/poster.jpg",
        transcript=f"Transcription {XSS}",
    )
    Caption.objects.create(video=answer, language="fr", label=XSS[:30], file="captions/fr.vtt")
    # A video ready but not published: its question is selected, the video is not public.
    AnswerVideo.objects.create(
        question=w.public[QuestionState.SELECTED],
        state=VideoState.READY,
        hls_master="answers/b/v1/master.m3u8",
        transcript="Brouillon non publié",
    )
    Support.objects.create(
        question=w.public[QuestionState.APPROVED],
        supporter_key="s" * 64,
        email="supporter@citizen.example",
    )
    w.emails.append("supporter@citizen.example")
    return w


def walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry


def fill_kwargs(route: str, pattern: URLPattern, world: World, question) -> dict | None:
    """URL keywords from the world; None when this test cannot build the URL."""
    kwargs = {}
    for name in pattern.pattern.regex.groupindex:
        if name == "public_id":
            kwargs[name] = question.public_id
        elif name == "slug" and "public_id" in pattern.pattern.regex.groupindex:
            kwargs[name] = question.slug
        elif name == "slug" and "theme" in route:
            kwargs[name] = world.theme.slug
        elif name == "slug":
            kwargs[name] = world.event.slug
        elif name == "video_id" and hasattr(question, "answer_video"):
            kwargs[name] = question.answer_video.pk
        else:
            return None
    return kwargs


def is_admin_or_staff(name: str, route: str) -> bool:
    return name.startswith("admin:") or "staff/" in route


def site_urls(world: World, question, *, staff: bool) -> list[str]:
    urls = []
    with translation.override("fr"):
        for name, route, pattern in walk(get_resolver()):
            if name.startswith("admin:") or is_admin_or_staff(name, route) != staff:
                continue
            kwargs = fill_kwargs(route, pattern, world, question)
            if kwargs is not None:
                urls.append(reverse(name, kwargs=kwargs))
    return sorted(set(urls))


def public_pages(client: Client, world: World) -> dict[str, str]:
    """Every public page, for each public question, plus the sitemap sections it lists."""
    pages = {}
    for question in world.public.values():
        for url in site_urls(world, question, staff=False):
            if url in pages:
                continue
            response = client.get(url)
            if response.status_code == 200 and not response.streaming:
                pages[url] = response.content.decode()
    for section in re.findall(r"<loc>https?://[^/]+(/[^<]+)</loc>", pages.get("/sitemap.xml", "")):
        pages[section] = client.get(section).content.decode()
    return pages


def test_public_pages_escape_citizens_text_and_never_show_an_email(client, world):
    pages = public_pages(client, world)
    detail = world.public[QuestionState.ANSWERED].get_absolute_url()
    for expected in (
        "/fr/",
        detail,
        f"/embed/{world.public[QuestionState.ANSWERED].public_id}/",
        "/fr/feeds/answers.rss",
        "/fr/feeds/answers.atom",
    ):
        assert expected in pages, f"{expected} not served: {sorted(pages)}"
    assert "&lt;script&gt;alert(&quot;hlm&quot;)&lt;/script&gt;" in pages[detail]
    for url, content in pages.items():
        if url.endswith(".ics") or url.startswith("/api/"):
            continue  # iCalendar is plain text and the API JSON (nosniff): data, not markup
        for marker in UNSAFE_MARKERS:
            assert marker not in content, f"unescaped payload on {url}"
    for url, content in pages.items():
        for address in world.emails:
            assert address not in content, f"{address} shown on {url}"


def test_public_pages_never_mention_non_public_questions_or_videos(client, world):
    pages = public_pages(client, world)
    for url, content in pages.items():
        for question in world.hidden.values():
            assert question.public_id not in content, f"{question.state} question on {url}"
            assert f"Titre {question.state}" not in content, f"{question.state} title on {url}"
        assert "Brouillon non publié" not in content
        assert "answers/b/v1" not in content, f"unpublished video on {url}"


def test_non_public_questions_are_not_found_by_anyone_but_staff_in_the_admin(client, world):
    moderator = UserFactory(groups=[MODERATORS])
    for who in (None, moderator):
        if who:
            client.force_login(who)
        for question in world.hidden.values():
            assert client.get(question.get_absolute_url()).status_code == 404
            assert client.get(f"/embed/{question.public_id}/").status_code == 404
    # A selected question whose video is not published has no embed.
    selected = world.public[QuestionState.SELECTED]
    assert client.get(f"/embed/{selected.public_id}/").status_code == 404


def staff_urls(world: World) -> list[str]:
    return site_urls(world, world.public[QuestionState.SELECTED], staff=True)


def test_staff_pages_refuse_anonymous_visitors_and_the_wrong_role(client, world):
    urls = staff_urls(world)
    assert len(urls) >= 5, urls
    moderator = UserFactory(groups=[MODERATORS])
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 401, 403, 404, 405), (method, url)
            if response.status_code == 302:
                assert response["Location"].startswith("/admin/login/")
    # The live console is the moderators' own staff page; every other one refuses them, and
    # the console refuses the spokesperson's staff.
    console = [url for url in urls if url.startswith("/fr/staff/live/")]
    assert console, urls
    for user, refused in (
        (moderator, set(urls) - set(console)),
        (UserFactory(groups=[SPOKESPERSON_STAFF]), console),
    ):
        client.force_login(user)
        for url in refused:
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code in (403, 404, 405), (method, url, response.status_code)


def test_the_admin_refuses_the_wrong_role(client, world):
    client.force_login(UserFactory(groups=[MODERATORS]))
    assert client.get("/admin/media_pipeline/answervideo/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403
    client.force_login(UserFactory(groups=[SPOKESPERSON_STAFF]))
    assert client.get("/admin/auth/group/").status_code == 403
    client.logout()
    assert client.get("/admin/questions/question/").status_code == 302


# The play beacon: anonymous and cookieless, sent from cached pages that carry no token; it only
# adds one to a play counter of a published answer (tests/portal/test_statistics.py).
CSRF_EXEMPT = {"/reach/plays/"}


def test_every_state_changing_request_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="root", is_superuser=True))
    urls = staff_urls(world) + [
        url for question in world.public.values() for url in site_urls(world, question, staff=False)
    ]
    urls += ["/i18n/setlang/", "/admin/login/", "/admin/logout/", "/admin/questions/question/"]
    checked = 0
    for url in sorted(set(urls) - CSRF_EXEMPT):
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(url, data={"language": "en"})
            assert response.status_code in (403, 404, 405), (method, url, response.status_code)
            if response.status_code == 403:
                assert b"CSRF" in response.content, (method, url)
                checked += 1
    assert checked >= 8


INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"
)


def test_pages_run_under_the_csp_without_inline_script_or_style(client, world):
    """The CSP has no 'unsafe-inline': inline code, handlers and style attributes would break."""
    client.force_login(UserFactory(username="root", is_superuser=True))
    pages = public_pages(client, world)
    for url in staff_urls(world) + ["/admin/", "/admin/questions/question/"]:
        response = client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            pages[url] = response.content.decode()
    for url, content in pages.items():
        if "<html" not in content:
            continue
        assert not INLINE_SCRIPT.search(content), f"inline <script> on {url}"
        assert not INLINE_HANDLER.search(content), f"on…= handler on {url}"
        assert " style=" not in content, f"style attribute on {url}"


def test_search_and_filters_echo_the_visitors_input_escaped(client, world):
    for url in (
        reverse("questions:search"),
        reverse("events:list"),
        reverse("events:detail", kwargs={"slug": world.event.slug}),
    ):
        for parameter in ("q", "region", "sort", "page"):
            response = client.get(url, {parameter: XSS})
            content = response.content.decode()
            for marker in UNSAFE_MARKERS:
                assert marker not in content, (url, parameter)


def admin_urls(world: World) -> list[str]:
    """The admin pages of questions and answer videos, for one object of each."""
    video = world.public[QuestionState.ANSWERED].answer_video
    ids = {
        "admin/questions/question/": world.hidden[QuestionState.SUBMITTED].pk,
        "admin/media_pipeline/answervideo/": video.pk,
    }
    urls = []
    for name, route, pattern in walk(get_resolver()):
        model = next((prefix for prefix in ids if route.startswith(prefix)), None)
        if not name.startswith("admin:") or model is None:
            continue
        keywords = pattern.pattern.regex.groupindex
        urls.append(reverse(name, kwargs={key: ids[model] for key in keywords}))
    return urls


def test_admin_pages_refuse_anonymous_visitors_and_the_wrong_role(client, world):
    urls = admin_urls(world)
    video_urls = [url for url in urls if "/media_pipeline/" in url]
    question_urls = [url for url in urls if "/questions/" in url]
    assert len(video_urls) >= 6 and len(question_urls) >= 4
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.force_login(UserFactory(groups=[MODERATORS]))
    for url in video_urls:
        for method in ("get", "post"):
            assert getattr(client, method)(url).status_code == 403, (method, url)
    client.force_login(UserFactory(groups=[SPOKESPERSON_STAFF]))
    question = world.hidden[QuestionState.SUBMITTED]
    for url in (
        reverse("admin:questions_question_delete", args=[question.pk]),
        reverse("admin:questions_question_add"),
    ):
        assert client.get(url).status_code == 403, url
    # Viewing is allowed, changing is not: a posted edit changes nothing.
    change = reverse("admin:questions_question_change", args=[question.pk])
    client.post(change, {"title": "Modifié", "state": QuestionState.APPROVED})
    question.refresh_from_db()
    assert question.state == QuestionState.SUBMITTED and question.title.startswith("Titre")


def test_admin_forms_need_the_csrf_token_too(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="root", is_superuser=True))
    for url in admin_urls(world):
        response = client.post(url, {"action": "delete_selected", "_selected_action": ["1"]})
        assert response.status_code == 403 and b"CSRF" in response.content, url
