import pytest
from django.core.management import call_command
from django.db.models import Max, Min

from questions.models import Question
from questions.models import QuestionState as S
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_synthetic_questions_are_created_in_batches_across_states_and_dates():
    event = EventFactory()
    call_command("create_synthetic_questions", "300", "--batch-size", "64", "--seed", "3")
    questions = Question.objects.all()
    assert questions.count() == 300
    assert set(questions.values_list("event", flat=True)) == {event.pk}
    assert {S.SUBMITTED, S.APPROVED, S.REJECTED} <= set(questions.values_list("state", flat=True))
    assert questions.filter(state=S.REJECTED).exclude(rejection_reason="").count() == (
        questions.filter(state=S.REJECTED).count()
    )
    assert not questions.filter(state=S.APPROVED, approved_at__isnull=True).exists()
    assert len(set(questions.values_list("public_id", flat=True))) == 300
    span = questions.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert (span["last"] - span["first"]).days > 30  # spread over months, not all "now"


def test_synthetic_questions_bring_their_own_events_on_an_empty_database():
    call_command("create_synthetic_questions", "10")
    assert Question.objects.count() == 10
    assert Question.objects.values("event").distinct().count() >= 1
