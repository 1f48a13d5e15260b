"""Forms on cached pages: the page carries no token; the visitor's browser gets its own from
/form-tokens/ (forms.js), and without JavaScript a refused sending comes back with one."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from questions.models import Question, QuestionState
from tests.factories import EventFactory, QuestionFactory, ThemeFactory

pytestmark = pytest.mark.django_db
HIDDEN = re.compile(r'<input type="hidden" name="(?P<name>[^"]+)"(?: value="(?P<value>[^"]*)")?')


@pytest.fixture
def event():
    return EventFactory(themes=[ThemeFactory(slug="europe", name="Europe")])


def citizen() -> Client:
    return Client(enforce_csrf_checks=True)


def question_fields(event) -> dict:
    return {
        "theme": event.themes.first().pk,
        "title": "Quelle place pour la France dans l'élargissement ?",
        "text": "Comment la France prépare-t-elle l'adhésion de nouveaux États membres ?",
        "display_name": "Camille R.",
        "email": "camille@example.org",
        "region": "BRE",
        "consent": "on",
        "website": "",
    }


def event_url(event) -> str:
    return reverse("events:detail", kwargs={"slug": event.slug})


def test_the_cached_event_page_leaves_the_per_visitor_fields_empty(event):
    html = citizen().get(event_url(event)).content.decode()
    form = html[html.index('id="question-form"') : html.index("</form>")]
    assert "csrfmiddlewaretoken" not in form
    fields = {match["name"]: match["value"] for match in HIDDEN.finditer(form)}
    assert fields == {"form_started": None, "submission_token": None}


def test_form_tokens_are_fresh_private_and_set_the_cookie():
    browser = citizen()
    first = browser.get(reverse("form_tokens"))
    second = citizen().get(reverse("form_tokens")).json()
    tokens = first.json()
    assert set(tokens) == {"csrf", "form_started", "submission_token"}
    assert "csrftoken" in first.cookies and "no-store" in first["Cache-Control"]
    assert tokens["submission_token"] != second["submission_token"]


def test_a_question_sent_from_the_cached_page_with_fetched_tokens_is_stored(event, settings):
    settings.QUESTION_MIN_FILL_SECONDS = 0  # the test does not wait like a person
    browser = citizen()
    browser.get(event_url(event))
    tokens = browser.get(reverse("form_tokens")).json()
    response = browser.post(
        event_url(event),
        question_fields(event)
        | {
            "csrfmiddlewaretoken": tokens["csrf"],
            "form_started": tokens["form_started"],
            "submission_token": tokens["submission_token"],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("questions:check_inbox")
    assert Question.objects.get().state == QuestionState.UNCONFIRMED


def test_two_visitors_of_one_cached_page_send_two_questions(event, settings):
    """The shared page holds no submission token: each browser gets its own."""
    settings.QUESTION_MIN_FILL_SECONDS = 0
    for email in ("a@example.org", "b@example.org"):
        browser = citizen()
        browser.get(event_url(event))
        tokens = browser.get(reverse("form_tokens")).json()
        browser.post(
            event_url(event),
            question_fields(event)
            | {"email": email, "csrfmiddlewaretoken": tokens["csrf"]}
            | {name: tokens[name] for name in ("form_started", "submission_token")},
        )
    assert Question.objects.count() == 2


def test_without_javascript_the_refused_question_is_sent_again_with_one_press(event, settings):
    settings.QUESTION_MIN_FILL_SECONDS = 0
    browser = citizen()
    cached = browser.get(event_url(event)).content.decode()
    fields = {match["name"]: match["value"] or "" for match in HIDDEN.finditer(cached)}
    refused = browser.post(event_url(event), question_fields(event) | fields)
    assert refused.status_code == 403 and Question.objects.count() == 0
    html = refused.content.decode()
    assert "Envoyer à nouveau" in html and "Rien n’a encore été enregistré" in html
    again = {match["name"]: match["value"] for match in HIDDEN.finditer(html)}
    assert again["csrfmiddlewaretoken"] and again["form_started"] and again["submission_token"]
    assert again["title"] == question_fields(event)["title"].replace("'", "&#x27;")
    again["title"] = question_fields(event)["title"]
    sent = browser.post(event_url(event), again)
    assert sent.status_code == 302 and Question.objects.count() == 1


def test_without_javascript_a_support_is_counted_after_one_more_press():
    question = QuestionFactory(support_count=0)
    browser = citizen()
    browser.get(question.get_absolute_url())
    url = reverse("questions:support", args=[question.public_id])
    refused = browser.post(url, {"email": ""})
    assert refused.status_code == 403
    again = {m["name"]: m["value"] for m in HIDDEN.finditer(refused.content.decode())}
    assert browser.post(url, again).status_code == 302
    question.refresh_from_db()
    assert question.support_count == 1


def test_a_request_from_another_site_gets_no_form_to_send_again(event):
    refused = citizen().post(
        event_url(event), question_fields(event), HTTP_ORIGIN="https://evil.example"
    )
    assert refused.status_code == 403
    assert "camille@example.org" not in refused.content.decode()
    assert b"CSRF" in refused.content
