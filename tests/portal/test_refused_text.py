"""Characters PostgreSQL cannot store (NUL, lone surrogates) get a clear 400 page, never a 500,
wherever they arrive: path, query string or form."""

import pytest
from django.urls import reverse
from django.utils import translation

from core.refused_text import has_refused_character
from questions.models import Question
from questions.models import QuestionState as S
from tests.factories import EventFactory, QuestionFactory, ThemeFactory, UserFactory
from tests.questions.conftest import question_data

pytestmark = pytest.mark.django_db

FRENCH_MESSAGE = "Caractères non autorisés"


def assert_refused(response) -> None:
    assert response.status_code == 400
    assert FRENCH_MESSAGE in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/fr/questions/%00/x/",
        "/fr/questions/abc/x%00y/",
        "/embed/%00/",
        "/oembed/?url=https%3A%2F%2Fhorslesmurs.example%2Ffr%2Fquestions%2Fa%00b%2Fx%2F",
        "/fr/questions/?q=a%00b",
        "/fr/questions/?a%00=b",
        "/fr/questions/confirm/a%00b/",
    ],
)
def test_a_nul_byte_in_the_path_or_query_is_refused_clearly(client, url):
    QuestionFactory(state=S.APPROVED)
    assert_refused(client.get(url, HTTP_ACCEPT_LANGUAGE="fr"))


def test_a_nul_byte_in_a_support_is_refused(client):
    assert_refused(client.post("/fr/questions/support/a%00b/", HTTP_ACCEPT_LANGUAGE="fr"))


@pytest.mark.parametrize("field", ["title", "text", "display_name", "submission_token", "theme"])
def test_a_nul_byte_in_a_form_field_says_what_happened_and_stores_nothing(client, field):
    event = EventFactory(themes=[ThemeFactory(slug="europe", name="Europe")])
    with translation.override("fr"):
        url = reverse("events:detail", kwargs={"slug": event.slug})
    data = question_data(event)
    data[field] = f"{data[field]}\x00"
    assert_refused(client.post(url, data))
    assert not Question.objects.exists()


def test_an_encoded_surrogate_never_reaches_the_database(client):
    """UTF-8 cannot encode a surrogate: Django replaces the bytes (U+FFFD), so the form is
    answered normally (here: invalid, nothing stored), and a decoded surrogate would be refused."""
    event = EventFactory(themes=[ThemeFactory(slug="europe", name="Europe")])
    with translation.override("fr"):
        url = reverse("events:detail", kwargs={"slug": event.slug})
    response = client.post(
        url, "title=a%ED%A0%80b", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Question.objects.exists()
    assert has_refused_character(["a\ud800b"]) and not has_refused_character(["a\ufffdb"])


def test_an_admin_filter_with_a_nul_byte_is_refused(client):
    client.force_login(UserFactory(groups=["Moderators"]))
    assert_refused(
        client.get("/admin/questions/question/?region__exact=%00", HTTP_ACCEPT_LANGUAGE="fr")
    )


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Characters not allowed"), ("ar", "أحرف غير مسموح بها")]
)
def test_the_page_speaks_the_visitors_language(client, language, title):
    response = client.get(f"/{language}/questions/%00/x/")
    assert response.status_code == 400
    assert title in response.content.decode()
