"""The spokesperson's briefing: the selected questions, most supported first, as a print-ready
page, a CSV that spreadsheets read and a PDF with one page per question, in French."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from portal.roles import MODERATORS, SPOKESPERSON_STAFF
from questions.models import QuestionState as S
from tests.factories import EventFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "fr") -> str:
    with translation.override(language):
        return reverse(f"questions:{name}")


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(groups=[SPOKESPERSON_STAFF]))


@pytest.fixture
def selected():
    event = EventFactory(city="Lille")
    least = QuestionFactory(
        event=event,
        state=S.SELECTED,
        title="Quelle place pour l’Europe de la défense ?",
        display_name="Camille R.",
        region="HDF",
        support_count=3,
    )
    most = QuestionFactory(
        event=event,
        state=S.SELECTED,
        title="Que fait la France pour la paix au Proche-Orient ?",
        text="Ma question porte sur l’action de la France au Proche-Orient.\nEt sur l’aide.",
        display_name="Yasmine",
        region="BRE",
        support_count=42,
    )
    QuestionFactory(event=event, state=S.APPROVED, title="Publiée mais pas retenue")
    return event, most, least


def test_the_page_lists_the_selected_questions_most_supported_first(
    client, staff, selected, django_assert_max_num_queries
):
    event, most, least = selected
    with django_assert_max_num_queries(8):
        response = client.get(url("briefing"), {"event": event.pk})
    page = response.content.decode()
    assert page.index(most.title) < page.index(least.title)
    assert "Publiée mais pas retenue" not in page
    assert "Yasmine" in page and "Bretagne" in page and "42" in page
    assert "Ma question porte sur l’action de la France au Proche-Orient." in page
    assert f"{url('briefing_pdf')}?event={event.pk}" in page
    assert f"{url('briefing_csv')}?event={event.pk}" in page


def test_the_page_costs_the_same_queries_for_many_questions(client, staff, selected):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = selected[0]
    with CaptureQueriesContext(connection) as few:
        client.get(url("briefing"), {"event": event.pk})
    QuestionFactory.create_batch(10, event=event, state=S.SELECTED)
    with CaptureQueriesContext(connection) as many:
        client.get(url("briefing"), {"event": event.pk})
    assert len(many) == len(few)


def test_the_csv_parses_with_french_headers(client, staff, selected):
    event, most, least = selected
    response = client.get(url("briefing_csv", "en"), {"event": event.pk})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Titre",
        "Question",
        "Pseudonyme",
        "Région",
        "Thème",
        "Soutiens",
        "Écrite le",
        "Étape",
    ]
    assert [row[0] for row in rows[1:]] == [most.title, least.title]
    assert rows[1][1] == most.text and rows[1][2] == "Yasmine" and rows[1][5] == "42"


def test_the_pdf_has_one_page_per_question_with_extractable_text(client, staff, selected):
    event, most, least = selected
    response = client.get(url("briefing_pdf"), {"event": event.pk})
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    first, second = (page.extract_text() for page in reader.pages)
    assert "Que fait la France pour la paix au Proche-Orient ?" in first
    assert "Yasmine" in first and "Soutiens : 42" in first and "Bretagne" in first
    assert "Question 1 sur 2" in first
    assert "Quelle place pour l’Europe de la défense ?" in second and "Camille R." in second


def test_a_moderator_gets_the_styled_403_page(client):
    client.force_login(UserFactory(groups=[MODERATORS]))
    for name in ("briefing", "briefing_csv", "briefing_pdf"):
        response = client.get(url(name))
        assert response.status_code == 403
        assert "Accès refusé" in response.content.decode()
