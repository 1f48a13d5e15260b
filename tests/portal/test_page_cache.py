"""Anonymous public pages from the page cache: what a hit costs, what a cached page may contain,
and that every change a page shows reaches the next anonymous visitor at once."""

import warnings

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from events.models import Event, Theme
from media_pipeline.models import AnswerVideo, VideoState
from media_pipeline.services.captions import set_caption
from media_pipeline.services.staff_actions import publish_video
from questions import moderation, supports
from questions.models import Question, QuestionState
from tests.factories import EventFactory, QuestionFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db
VTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nBonjour et merci.\n"


@pytest.fixture
def question():
    event = EventFactory(title="Rencontre de Rennes", slug="rennes")
    return QuestionFactory(
        event=event, title="Quelle Europe demain ?", email="sophie@example.org", support_count=0
    )


def event_url(question: Question) -> str:
    return reverse("events:detail", kwargs={"slug": question.event.slug})


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Runs a change's on-commit callbacks (the generation bump), as a real commit would."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def public_urls(question: Question) -> list[str]:
    return [
        reverse("home"),
        reverse("events:list"),
        event_url(question),
        question.get_absolute_url(),
        reverse("questions:search"),
        reverse("privacy"),
    ]


# --- What a hit costs, what it says --------------------------------------------------------------


def test_a_cache_hit_makes_no_query_and_says_how_to_keep_it(
    client, question, django_assert_num_queries
):
    for url in public_urls(question):
        first = client.get(url)
        with django_assert_num_queries(0):
            hit = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert hit.status_code == 200, url
        assert hit["Content-Encoding"] == "br"
        assert hit["ETag"] == first["ETag"] and hit["ETag"].startswith('W/"')
        assert "Last-Modified" in hit
        cache_control = set(hit["Cache-Control"].split(", "))
        assert {"public", "max-age=0", "s-maxage=10", "stale-while-revalidate=30"} <= cache_control
        # The URL carries the language: nothing else but the encoding changes the page.
        assert hit["Vary"] == "Accept-Encoding", url
        assert not hit.cookies


def test_a_hit_answers_with_the_headers_of_the_page_it_stores(client, question):
    """A hit skips the middleware below the page cache: the language, security policy and
    framing rules the render got must still be there."""
    per_request = {"X-Request-ID"}
    for url in [*public_urls(question), "/ar/"]:
        miss = client.get(url)
        hit = client.get(url)
        assert set(hit.headers) - per_request == set(miss.headers) - per_request, url
        for name in ("Content-Language", "Content-Security-Policy", "X-Frame-Options"):
            assert hit[name] == miss[name], (url, name)
        assert hit.content == miss.content, url
        assert hit["Content-Length"] == str(len(hit.content)), url
    assert client.get("/ar/")["Content-Language"] == "ar"


def test_a_hit_is_one_read_of_the_cache(client, question, monkeypatch):
    """The entry and the generations that tell whether it is current come in one round trip
    (one MGET on Redis; the local-memory cache builds get_many from get: counted once)."""
    from core import cached_pages

    url = question.get_absolute_url()
    client.get(url)
    cache = cached_pages.page_cache()
    reads, depth = [], [0]

    def recorded(name, real):
        def call(*args, **kwargs):
            if not depth[0]:
                reads.append(name)
            depth[0] += 1
            try:
                return real(*args, **kwargs)
            finally:
                depth[0] -= 1

        return call

    for method in ("get", "get_many", "has_key"):
        monkeypatch.setattr(cache, method, recorded(method, getattr(cache, method)))
    monkeypatch.setattr(cached_pages, "page_cache", lambda: cache)
    assert client.get(url).status_code == 200
    assert reads == ["get_many"]


def test_a_host_outside_allowed_hosts_is_refused_on_a_cached_page(client, question):
    url = question.get_absolute_url()
    client.get(url)
    assert client.get(url, HTTP_HOST="evil.example").status_code == 400


def test_every_language_is_cached_and_never_served_in_another(
    client, question, django_assert_num_queries
):
    """Whatever language the previous request of the process was in."""
    languages = ["fr", "en", "ar", "zh-hans", "de", "es"]
    for language in languages:
        page(client, f"/{language}/")
    for language in [*languages, *reversed(languages)]:
        with django_assert_num_queries(0):
            hit = client.get(f"/{language}/")
        assert hit["Content-Language"] == language
        assert f'lang="{language}"' in hit.content.decode()


def test_a_matching_etag_gets_304_without_a_body(client, question):
    url = question.get_absolute_url()
    etag = client.get(url)["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert "Content-Length" not in again and "Content-Encoding" not in again
    assert client.get(url, HTTP_IF_NONE_MATCH='W/"other"').status_code == 200


def test_gzip_and_plain_bodies_are_the_same_page(client, question):
    import gzip

    url = question.get_absolute_url()
    plain = client.get(url, HTTP_ACCEPT_ENCODING="identity").content
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain


def test_tracking_parameters_share_one_entry_and_are_not_echoed(
    client, question, django_assert_num_queries
):
    url = question.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        html = page(client, url + "?utm_source=x&fbclid=abc")
    assert "fbclid" not in html and "utm_source" not in html


def test_a_free_text_search_is_not_cached(client, question):
    url = reverse("questions:search") + "?q=Europe"
    assert "private" in client.get(url)["Cache-Control"]
    assert "Quelle Europe demain" in page(client, url)


# --- Nothing personal in a cached page ------------------------------------------------------------


def test_a_cached_page_has_no_nonce_token_email_or_staff_link(client, question):
    supports.support_question(question=question, browser_key="k", email="fan@example.org")
    for url in public_urls(question):
        response = client.get(url)
        html = response.content.decode()
        assert "nonce" not in html, url
        assert "csrfmiddlewaretoken" not in html, url
        assert "sophie@example.org" not in html and "fan@example.org" not in html, url
        assert "/admin/" not in html and "/staff/" not in html, url
        assert "nonce-" not in response["Content-Security-Policy"], url
        assert "csrftoken" not in response.cookies, url


def test_rendering_a_cached_page_in_debug_warns_of_no_missing_token(client, question, settings):
    """The forms of a cached page have no token on purpose: Django must not report a
    misconfiguration on every cache miss (it warns when DEBUG is on)."""
    settings.DEBUG = True
    for url in public_urls(question):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            html = page(client, url)
        assert not [w for w in caught if "csrf_token" in str(w.message)], url
        assert "csrfmiddlewaretoken" not in html, url


def test_the_support_state_of_one_browser_is_not_in_the_shared_page(client, question):
    supports.support_question(question=question, browser_key="k")
    url = question.get_absolute_url()
    client.get(url)  # the shared page is stored by this visit…
    supporter = Client()
    response = supporter.post(reverse("questions:support", args=[question.public_id]), {})
    # …the supporter's next page is their own (a message is waiting), with their state.
    mine = page(supporter, response["Location"].split("#")[0])
    assert "Vous soutenez cette question" in mine
    assert "Vous soutenez cette question" not in page(Client(), url)


def test_staff_always_get_a_fresh_private_page(client, question):
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    url = question.get_absolute_url()
    page(client, url)
    Question.objects.filter(pk=question.pk).update(title="Titre corrigé")  # no service: no bump
    response = staff.get(url)
    assert "Titre corrigé" in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "Titre corrigé" not in page(client, url)  # visitors: the stored page


# --- Every change reaches the next anonymous visitor ----------------------------------------------


def test_an_approved_question_appears(client, after_commit, question):
    waiting = QuestionFactory(event=question.event, state=QuestionState.SUBMITTED, title="Et Malte")
    urls = [event_url(question), reverse("questions:search")]
    assert all("Et Malte" not in page(client, url) for url in urls)
    after_commit(moderation.approve_question, question=waiting, actor=None)
    assert all("Et Malte" in page(client, url) for url in urls)


def test_a_merged_question_disappears(client, after_commit, question):
    twin = QuestionFactory(event=question.event, title="Quelle Europe demain, vraiment ?")
    assert "vraiment" in page(client, event_url(question))
    after_commit(moderation.mark_duplicate, question=twin, of=question, actor=None)
    assert "vraiment" not in page(client, event_url(question))
    assert client.get(twin.get_absolute_url()).status_code == 404


def test_a_withdrawn_question_disappears(client, after_commit, question):
    url = question.get_absolute_url()
    assert "Quelle Europe demain" in page(client, event_url(question))
    page(client, url)
    after_commit(
        moderation.reject_question, question=question, actor=None, reason="off_topic", note=""
    )
    assert "Quelle Europe demain" not in page(client, event_url(question))
    assert client.get(url).status_code == 404


def test_a_selected_question_says_so(client, after_commit, question):
    assert "Retenue pour une réponse" not in page(client, question.get_absolute_url())
    after_commit(moderation.select_for_answer, question=question, actor=None)
    assert "Retenue pour une réponse" in page(client, question.get_absolute_url())
    assert "Retenue pour une réponse" in page(client, event_url(question))


def test_a_published_answer_and_new_captions_show(client, after_commit, question):
    after_commit(moderation.select_for_answer, question=question, actor=None)
    video = AnswerVideo.objects.create(
        question=question,
        state=VideoState.READY,
        hls_master="answers/1/v1/master.m3u8",
        mp4="answers/1/v1/answer.mp4",
        transcript="Merci pour cette question.",
    )
    set_caption(video=video, language="fr", content=VTT)  # publishing needs French captions
    url = question.get_absolute_url()
    assert "master.m3u8" not in page(client, url)
    after_commit(publish_video, video=video, actor=None)
    html = page(client, url)
    assert "master.m3u8" in html and 'srclang="en"' not in html
    assert "Merci pour cette question." in html
    after_commit(set_caption, video=video, language="en", content=VTT)
    assert 'srclang="en"' in page(client, url)


def test_a_support_is_counted_on_the_question_and_event_pages(client, after_commit, question):
    for url in (question.get_absolute_url(), event_url(question)):
        assert "0 soutien" in page(client, url) or "0 citoyen" in page(client, url)
    after_commit(supports.support_question, question=question, browser_key="b1")
    assert "1 citoyen soutient cette question" in page(client, question.get_absolute_url())
    assert "1 soutien" in page(client, event_url(question))


def admin_request():
    request = RequestFactory().post("/admin/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    return request


def test_an_event_edited_in_the_admin_shows_everywhere(client, after_commit, question):
    urls = [event_url(question), question.get_absolute_url(), reverse("events:list")]
    assert all("Rencontre de Rennes" in page(client, url) for url in urls)
    event = Event.objects.get(pk=question.event.pk)
    event.title = "Rencontre de Brest"
    after_commit(admin.site._registry[Event].save_model, admin_request(), event, None, True)
    assert all("Rencontre de Brest" in page(client, url) for url in urls)


def test_a_theme_edited_in_the_admin_shows(client, after_commit, question):
    theme = Theme.objects.get(pk=question.theme.pk)
    assert theme.name in page(client, question.get_absolute_url())
    theme.name = "Diplomatie climatique"
    after_commit(admin.site._registry[Theme].save_model, admin_request(), theme, None, True)
    assert "Diplomatie climatique" in page(client, question.get_absolute_url())


def test_a_new_event_in_the_list_and_on_the_home_page(client, after_commit, question):
    assert "Rencontre de Nantes" not in page(client, reverse("events:list"))
    event = EventFactory.build(title="Rencontre de Nantes", slug="nantes")
    after_commit(admin.site._registry[Event].save_model, admin_request(), event, None, False)
    event.themes.set([ThemeFactory()])
    assert "Rencontre de Nantes" in page(client, reverse("events:list"))
    assert "Rencontre de Nantes" in page(client, reverse("home"))


def test_an_event_switched_live_shows_the_room_on_its_page(client, after_commit, question):
    from questions.live.services import set_live

    assert "hlm-live" not in page(client, event_url(question))
    after_commit(set_live, event=question.event, actor=None, is_live=True)
    assert "live.js" in page(client, event_url(question))
    after_commit(set_live, event=question.event, actor=None, is_live=False)
    assert "live.js" not in page(client, event_url(question))


def test_a_miss_reuses_the_blank_question_form_of_the_event(client, question):
    """The form is the same for every visitor: a second miss (another sort) does not render it
    again (its theme query is not made), and it is still there."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = event_url(question)
    with CaptureQueriesContext(connection) as first:
        client.get(url + "?sort=supports")
    with CaptureQueriesContext(connection) as second:
        html = page(client, url + "?sort=newest")
    # Not made again: the form's theme query, and the event and its themes (kept by the
    # process under the site generation, events.selectors.public_event).
    assert len(second) == len(first) - 3
    assert 'id="question-form"' in html and 'name="submission_token"' in html


def test_a_support_does_not_render_the_event_form_again_but_a_theme_edit_does(
    client, after_commit, question
):
    """The blank form depends on the event and its themes ("site"), not on support counts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = event_url(question)
    with CaptureQueriesContext(connection) as first:
        page(client, url)
    after_commit(supports.support_question, question=question, browser_key="b1")
    with CaptureQueriesContext(connection) as after_support:
        html = page(client, url)
    assert "1 soutien" in html and 'id="question-form"' in html
    # No theme query: the form is reused, and the event kept by the process (site unchanged).
    assert len(after_support) == len(first) - 3
    theme = Theme.objects.get(pk=question.theme.pk)
    theme.name = "Diplomatie climatique"
    after_commit(admin.site._registry[Theme].save_model, admin_request(), theme, None, True)
    html = page(client, url)
    form = html[html.index('id="question-form"') :]
    assert "Diplomatie climatique" in form


def test_a_cached_event_page_expires_when_its_questions_close(client):
    import time
    from datetime import timedelta

    from django.utils import timezone

    event = EventFactory(questions_close_at=timezone.now() + timedelta(seconds=2))
    url = reverse("events:detail", kwargs={"slug": event.slug})
    assert 'id="question-form"' in page(client, url)
    assert 'id="question-form"' in page(client, url)  # from the cache
    time.sleep(2.5)
    assert 'id="question-form"' not in page(client, url)
    assert "Les questions sont closes" in page(client, url)
