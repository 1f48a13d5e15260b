"""The question workflow table: one answer to "may this happen now?" for services and buttons."""

from datetime import timedelta

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from questions import workflow
from questions.admin.actions import BUTTONS
from questions.exceptions import TransitionNotAllowed, UndoPeriodOver
from questions.models import Question
from questions.models import QuestionState as S
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_each_pair_of_states_has_at_most_one_action_and_every_stamp_is_a_date_field():
    pairs = [(source, a.target) for a in workflow.ACTIONS for source in a.sources]
    assert len(pairs) == len(set(pairs))
    for action in workflow.ACTIONS:
        if action.stamp:
            assert isinstance(Question._meta.get_field(action.stamp), models.DateTimeField)


def test_the_demo_history_of_a_state_is_the_shortest_way_there():
    assert workflow.path_to(S.ANSWERED) == [
        workflow.CONFIRM,
        workflow.APPROVE,
        workflow.SELECT_FOR_ANSWER,
        workflow.ANSWER,
    ]
    assert workflow.path_to(S.DUPLICATE) == [workflow.CONFIRM, workflow.MARK_DUPLICATE]
    assert workflow.path_to(S.UNCONFIRMED) == []


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("group", ["Moderators", "Spokesperson staff"])
def test_a_questions_page_shows_exactly_the_buttons_the_table_allows(client, state, group):
    user = UserFactory(groups=[group])
    question = QuestionFactory(state=state, rejected_at=timezone.now())
    client.force_login(user)
    page = client.get(reverse("admin:questions_question_change", args=[question.pk]))
    shown = [d["action"] for d in page.context["decisions"]] if page.status_code == 200 else []
    allowed = [
        BUTTONS[action.name].__name__
        for action in workflow.ACTIONS
        if action.name in BUTTONS and action.allows(question, user)
    ]
    assert shown == allowed
    for action in workflow.ACTIONS:  # the services refuse what the buttons do not offer
        if state not in action.sources:
            with pytest.raises(TransitionNotAllowed):
                action.check(question)


def test_an_old_rejection_shows_no_undo_button_and_is_refused_with_the_reason():
    question = QuestionFactory(state=S.REJECTED, rejected_at=timezone.now() - timedelta(days=400))
    moderator = UserFactory(groups=["Moderators"])
    assert not workflow.UNDO_REJECTION.allows(question, moderator)
    with pytest.raises(UndoPeriodOver):
        workflow.UNDO_REJECTION.check(question)
