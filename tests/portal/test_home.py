import pytest
from django.urls import reverse

from questions.models import QuestionState
from tests.factories import EventFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_home_shows_next_events_and_latest_answers(client, django_assert_max_num_queries):
    event = EventFactory(title="Marseille et la Méditerranée")
    QuestionFactory(event=event, state=QuestionState.ANSWERED, title="Une réponse publiée")
    QuestionFactory(event=event, title="Pas encore répondue")
    with django_assert_max_num_queries(5):
        html = client.get(reverse("home")).content.decode()
    assert "Marseille et la Méditerranée" in html
    assert "Une réponse publiée" in html and "Pas encore répondue" not in html
    assert reverse("events:detail", kwargs={"slug": event.slug}) in html
