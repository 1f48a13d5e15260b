"""The staff page's list: what to answer first (most supported, then oldest) with the question's
full text, the answered ones apart, by event, twenty to a page; after an action, the question
it concerned is shown with its message."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from media_pipeline.models import AnswerVideo, VideoState
from questions.models import Question, QuestionState
from tests.factories import EventFactory, QuestionFactory

pytestmark = pytest.mark.django_db

STAFF_PAGE = "/fr/staff/videos/"


def titles(response) -> list[str]:
    return [question.title for question, _video, _controls in response.context["rows"]]


def test_questions_to_answer_come_most_supported_first_then_oldest(client, staff):
    now = timezone.now()
    for title, supports, age in (
        ("Peu", 1, 1),
        ("Beaucoup", 10, 1),
        ("Ancienne", 5, 9),
        ("Récente", 5, 2),
    ):
        question = QuestionFactory(
            state=QuestionState.SELECTED,
            title=title,
            support_count=supports,
            text=f"Le texte entier de la question « {title} ».",
        )
        Question.objects.filter(pk=question.pk).update(created_at=now - timedelta(days=age))
    QuestionFactory(state=QuestionState.ANSWERED, title="Déjà répondue")
    response = client.get(STAFF_PAGE)
    assert titles(response) == ["Beaucoup", "Ancienne", "Récente", "Peu"]
    page = response.content.decode()
    assert "10 soutiens" in page and "1 soutien<" in page
    assert "Le texte entier de la question « Beaucoup »." in page
    assert "Déjà répondue" not in page
    assert titles(client.get(STAFF_PAGE, {"show": "answered"})) == ["Déjà répondue"]


def test_twenty_to_a_page_with_the_same_queries_and_an_event_filter(client, staff):
    lille, lyon = EventFactory(city="Lille"), EventFactory(city="Lyon")
    QuestionFactory.create_batch(22, state=QuestionState.SELECTED, event=lille)
    QuestionFactory(state=QuestionState.SELECTED, event=lyon, title="À Lyon")
    with CaptureQueriesContext(connection) as first:
        response = client.get(STAFF_PAGE)
    assert len(titles(response)) == 20
    page = response.content.decode()
    assert 'class="fr-pagination' in page and "page=2" in page
    with CaptureQueriesContext(connection) as second:
        assert len(titles(client.get(STAFF_PAGE, {"page": 2}))) == 3
    assert len(first) == len(second) <= 9
    assert titles(client.get(STAFF_PAGE, {"event": lyon.pk})) == ["À Lyon"]


def test_after_an_action_the_question_is_shown_with_its_message(client, staff):
    QuestionFactory.create_batch(21, state=QuestionState.SELECTED, support_count=50)
    last = QuestionFactory(state=QuestionState.SELECTED, support_count=0)  # on page 2
    video = AnswerVideo.objects.create(question=last, state=VideoState.FAILED, error_reason="x")
    response = client.post(
        reverse("media_pipeline:transcript", args=[video.pk]), {"transcript": "Bonjour."}
    )
    assert response.url == (
        f"{STAFF_PAGE}?show=to_answer&question={last.public_id}#question-{last.public_id}"
    )
    shown = client.get(response.url.split("#")[0])
    assert titles(shown) == [last.title]
    assert "La transcription a été enregistrée." in shown.content.decode()
