"""The briefing for a selection made in the admin: the page, CSV and PDF hold exactly the chosen
questions selected for an answer; the others are left out, and said so."""

import csv
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from portal.roles import SPOKESPERSON_STAFF
from questions.models import QuestionState as S
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:questions_question_changelist")


@pytest.fixture
def staff_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    client.force_login(UserFactory(groups=[SPOKESPERSON_STAFF]))
    return client


def run(client, questions):
    return client.post(
        CHANGELIST,
        {"action": "briefing_for_selection", "_selected_action": [q.pk for q in questions]},
    )


def test_the_briefing_holds_exactly_the_chosen_selected_questions(staff_client):
    chosen = QuestionFactory(state=S.SELECTED, title="La gare de Lille", support_count=2)
    other = QuestionFactory(state=S.SELECTED, title="Le port de Brest", support_count=9)
    published = QuestionFactory(state=S.APPROVED, title="Publiée seulement")
    QuestionFactory(state=S.SELECTED, title="Pas choisie")
    response = run(staff_client, [chosen, other, published])
    assert response.status_code == 302
    page = staff_client.get(response.url)
    html = page.content.decode()
    assert [row.title for row in page.context["rows"]] == ["Le port de Brest", "La gare de Lille"]
    assert "Pas choisie" not in html and "Publiée seulement" not in html
    assert "1 question choisie n’est pas retenue pour une réponse : laissée de côté." in html
    query = response.url.split("?", 1)[1]
    assert f"briefing.csv?{query}" in html.replace("&amp;", "&")

    csv_response = staff_client.get(f"{reverse('questions:briefing_csv')}?{query}")
    titles = [row[0] for row in csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")))]
    assert titles[1:] == ["Le port de Brest", "La gare de Lille"]
    assert "selection" in csv_response["Content-Disposition"]
    pdf = staff_client.get(f"{reverse('questions:briefing_pdf')}?{query}")
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 2


def test_no_briefing_when_no_chosen_question_is_selected(staff_client):
    published = QuestionFactory(state=S.APPROVED)
    response = run(staff_client, [published])
    assert response.status_code == 302 and response.url.startswith(CHANGELIST)
    page = staff_client.get(response.url).content.decode()
    assert "Aucune des questions choisies n’est retenue pour une réponse" in page
