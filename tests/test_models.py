"""Database constraints hold even when code bypasses the services."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from media_pipeline.models import AnswerVideo
from questions.models import Question, QuestionState, Support
from tests.factories import EventFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_question_state_must_be_one_of_the_workflow_states():
    question = QuestionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(state="published")


def test_rejection_reason_only_on_a_rejected_question():
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionFactory(state=QuestionState.APPROVED, rejection_reason="off_topic")
    assert QuestionFactory(state=QuestionState.REJECTED, rejection_reason="off_topic").pk


def test_a_question_cannot_be_a_duplicate_of_itself():
    question = QuestionFactory(state=QuestionState.DUPLICATE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(duplicate_of=question)


def test_one_support_per_supporter_and_question():
    question = QuestionFactory()
    Support.objects.create(question=question, supporter_key="abc")
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(question=question, supporter_key="abc")
    assert Support.objects.create(question=QuestionFactory(), supporter_key="abc").pk


def test_event_cannot_end_before_it_starts():
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(starts_at=event.starts_at, ends_at=event.starts_at - timedelta(hours=1))


def test_event_question_window_must_be_ordered():
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(
            questions_open_at=event.questions_close_at, questions_close_at=event.questions_close_at
        )


def test_video_cannot_be_published_without_a_stream():
    question = QuestionFactory(state=QuestionState.SELECTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerVideo.objects.create(question=question, state="published")


def test_video_progress_stays_between_0_and_100():
    question = QuestionFactory(state=QuestionState.SELECTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerVideo.objects.create(question=question, progress=101)


def test_public_questions_are_approved_selected_on_the_tour_day_stage_or_answered():
    states = [state for state, _ in QuestionState.choices]
    for state in states:
        QuestionFactory(state=state, rejection_reason="other" if state == "rejected" else "")
    public = set(Question.objects.public().values_list("state", flat=True))
    assert public == {
        "approved",
        "selected",
        "shortlisted",
        "answering",
        "on_stage",
        "answered",
    }


def test_question_gets_a_public_id_and_slug():
    question = QuestionFactory(title="Quelle place pour l'Europe ?")
    assert len(question.public_id) == 10
    assert question.slug == "quelle-place-pour-leurope"
