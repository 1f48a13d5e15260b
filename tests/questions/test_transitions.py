import pytest
from django.utils import timezone

from questions.exceptions import AlreadyDecided, TransitionNotAllowed
from questions.models import ModerationDecision, QuestionState
from questions.services import transition_question
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_transition_records_who_moved_the_question_from_where_to_where():
    moderator = UserFactory()
    question = QuestionFactory(state=QuestionState.SUBMITTED)
    approved = transition_question(question=question, to_state="approved", actor=moderator)
    assert approved.state == "approved" and approved.approved_at is not None
    decision = ModerationDecision.objects.get(question=question)
    assert (decision.actor, decision.from_state, decision.to_state) == (
        moderator,
        "submitted",
        "approved",
    )


def test_a_transition_outside_the_workflow_is_refused_and_changes_nothing():
    question = QuestionFactory(state=QuestionState.UNCONFIRMED)
    with pytest.raises(TransitionNotAllowed):
        transition_question(question=question, to_state="approved")
    question.refresh_from_db()
    assert question.state == "unconfirmed"
    assert not ModerationDecision.objects.exists()


def test_a_decision_on_a_stale_view_of_the_question_is_refused():
    question = QuestionFactory(state=QuestionState.SUBMITTED)
    stale_copy = type(question).objects.get(pk=question.pk)
    transition_question(question=question, to_state="approved")
    with pytest.raises(AlreadyDecided):
        transition_question(question=stale_copy, to_state="rejected", reason="other")
    assert ModerationDecision.objects.count() == 1


def test_answering_notifies_author_and_supporters_once_each_in_their_language(
    django_capture_on_commit_callbacks,
):
    from questions.models import OutboundEmail, Support
    from questions.services import mark_question_answered

    question = QuestionFactory(
        state=QuestionState.SELECTED, email="Auteur@example.org", language="fr"
    )
    Support.objects.create(
        question=question,
        supporter_key="a",
        email="fan@example.org",
        language="en",
        email_confirmed_at=timezone.now(),
    )
    Support.objects.create(
        question=question,
        supporter_key="b",
        email="auteur@example.org",
        language="de",
        email_confirmed_at=timezone.now(),
    )
    Support.objects.create(question=question, supporter_key="c")
    with django_capture_on_commit_callbacks():
        answered = mark_question_answered(question=question, actor=UserFactory())
    assert answered.state == "answered" and answered.answered_at
    sent = {m.to: m for m in OutboundEmail.objects.filter(kind="question_answered")}
    assert set(sent) == {"auteur@example.org", "fan@example.org"}
    assert sent["fan@example.org"].language == "en"
    assert f"/en/questions/{question.public_id}/" in sent["fan@example.org"].body_text
    assert f"/fr/questions/{question.public_id}/" in sent["auteur@example.org"].body_text
