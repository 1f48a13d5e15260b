"""The question workflow, in one table: each action, the states it applies to, the state it
leads to, the timestamp it sets and the permission a staff member needs to take it.

Everything that asks "can this happen now?" reads it: `transition_question` and the moderation
services (`Action.check`, `Action.apply`), the admin's buttons (`Action.allows(question, user)`),
the templates (through `Question`'s boolean properties), the demo and synthetic data commands
(`path_to`). A rule changes here and nowhere else.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from questions.exceptions import QuestionError, TransitionNotAllowed, UndoPeriodOver


class QuestionState(models.TextChoices):
    UNCONFIRMED = "unconfirmed", gettext_lazy("Awaiting e-mail confirmation")
    SUBMITTED = "submitted", gettext_lazy("Awaiting moderation")
    APPROVED = "approved", gettext_lazy("Published")
    SELECTED = "selected", gettext_lazy("Selected for an answer")
    # The tour day: the moderator's live console moves questions through these in the hall.
    SHORTLISTED = "shortlisted", gettext_lazy("Shortlisted for the stage")
    ANSWERING = "answering", gettext_lazy("Being answered on stage")
    ON_STAGE = "on_stage", gettext_lazy("Answered on stage")
    ANSWERED = "answered", gettext_lazy("Answered")
    REJECTED = "rejected", gettext_lazy("Rejected")
    DUPLICATE = "duplicate", gettext_lazy("Duplicate")


S = QuestionState
PUBLIC_STATES = (S.APPROVED, S.SELECTED, S.SHORTLISTED, S.ANSWERING, S.ON_STAGE, S.ANSWERED)
# Public and not answered yet: citizens may still support it.
SUPPORTABLE_STATES = (S.APPROVED, S.SELECTED, S.SHORTLISTED)
# What the room sees while an event is live (the big screen's list, the phones' live list).
LIVE_LIST_STATES = (S.APPROVED, S.SELECTED, S.SHORTLISTED, S.ANSWERING)
# A duplicate can only be merged into a question that is still alive.
MERGE_TARGET_STATES = (S.SUBMITTED, *PUBLIC_STATES)
# No moderator has decided on it yet.
UNDECIDED_STATES = (S.UNCONFIRMED, S.SUBMITTED)

# A moderator may correct the title or text (a typo, personal data) of a question that is in the
# queue or public; the state stays (questions.moderation.correct_question).
CORRECTABLE_STATES = (S.SUBMITTED, *PUBLIC_STATES)

MODERATE = "questions.moderate_question"
SELECT = "questions.select_question"


def can_correct(question: Any, user: Any = None) -> bool:
    """May the question's words be corrected now (and, given a user, by this user)?"""
    if question.state not in CORRECTABLE_STATES:
        return False
    return user is None or user.has_perm(MODERATE)


def can_undo_rejection(question: Any) -> bool:
    """A rejection can be undone until the retention period ends and the data is anonymised."""
    if question.anonymised_at is not None or question.rejected_at is None:
        return False
    retention = timedelta(days=settings.REJECTED_QUESTION_RETENTION_DAYS)
    return question.rejected_at > timezone.now() - retention


def _undo_period_over(question: Any) -> UndoPeriodOver:
    return UndoPeriodOver(
        _("“%(title)s” was rejected more than %(days)d days ago: it cannot be restored.")
        % {"title": question.title, "days": settings.REJECTED_QUESTION_RETENTION_DAYS}
    )


def not_applicable(question: Any) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("“%(title)s” is “%(state)s”: this action does not apply.")
        % {"title": question.title, "state": question.get_state_display()}
    )


@dataclass(frozen=True)
class Action:
    """One step of the workflow: from which states, to which, what it stamps, who may take it."""

    name: str
    sources: tuple[str, ...]
    target: str
    # The timestamp field set to now when the action is taken.
    stamp: str = ""
    # What a staff member needs to take it from a button (empty: the citizen or the system).
    permission: str = ""
    # Its button on the question's page in the admin.
    label: Promise | str = ""
    # A condition beyond the state, and the error that tells why it fails.
    guard: Callable[[Any], bool] | None = None
    guard_error: Callable[[Any], QuestionError] | None = None

    def allows(self, question: Any, user: Any = None) -> bool:
        """May it happen now (and, given a user, may this user do it: may the button show)?"""
        if question.state not in self.sources or not self._guard_passes(question):
            return False
        return user is None or not self.permission or user.has_perm(self.permission)

    def check(self, question: Any) -> None:
        """Refuse, with the reason, an action that does not fit the question as the actor saw it."""
        if question.state not in self.sources:
            raise not_applicable(question)
        if not self._guard_passes(question):
            raise self.guard_error(question)

    def apply(self, question: Any, *, now: datetime | None = None) -> list[str]:
        """Move the (locked, checked) question to the target state and stamp it; returns the
        fields changed, for save(update_fields=...)."""
        question.state = self.target
        if not self.stamp:
            return ["state"]
        setattr(question, self.stamp, now or timezone.now())
        return ["state", self.stamp]

    def _guard_passes(self, question: Any) -> bool:
        return self.guard is None or self.guard(question)


# name, from, to; then the timestamp it sets, who may take it by hand and its button.
CONFIRM = Action("confirm", (S.UNCONFIRMED,), S.SUBMITTED, stamp="confirmed_at")
APPROVE = Action(
    "approve",
    (S.SUBMITTED,),
    S.APPROVED,
    stamp="approved_at",
    permission=MODERATE,
    label=gettext_lazy("Approve"),
)
REJECT = Action(
    "reject",
    (S.SUBMITTED, S.APPROVED),
    S.REJECTED,
    stamp="rejected_at",
    permission=MODERATE,
    label=gettext_lazy("Reject…"),
)
MARK_DUPLICATE = Action(
    "mark_duplicate",
    (S.SUBMITTED, S.APPROVED),
    S.DUPLICATE,
    permission=MODERATE,
    label=gettext_lazy("Mark as duplicate of…"),
)
# Back to the queue at its old place (no timestamp: confirmed_at stays), within the period.
UNDO_REJECTION = Action(
    "undo_rejection",
    (S.REJECTED,),
    S.SUBMITTED,
    permission=MODERATE,
    label=gettext_lazy("Undo the rejection"),
    guard=can_undo_rejection,
    guard_error=_undo_period_over,
)
SELECT_FOR_ANSWER = Action(
    "select",
    (S.APPROVED,),
    S.SELECTED,
    stamp="selected_at",
    permission=SELECT,
    label=gettext_lazy("Select for an answer"),
)
# Back among the published questions (approved_at is stamped again).
UNSELECT = Action(
    "unselect",
    (S.SELECTED,),
    S.APPROVED,
    stamp="approved_at",
    permission=SELECT,
    label=gettext_lazy("Withdraw the selection"),
)
# The tour day, from the live console: a short list of questions for the stage (ordered by
# shortlist_position), the one being answered now, and those answered on stage.
SHORTLIST = Action(
    "shortlist",
    (S.APPROVED,),
    S.SHORTLISTED,
    stamp="shortlisted_at",
    permission=MODERATE,
    label=gettext_lazy("Shortlist"),
)
UNSHORTLIST = Action(
    "unshortlist",
    (S.SHORTLISTED,),
    S.APPROVED,
    permission=MODERATE,
    label=gettext_lazy("Remove from the shortlist"),
)
START_ANSWERING = Action(
    "start_answering",
    (S.APPROVED, S.SHORTLISTED),
    S.ANSWERING,
    stamp="stage_started_at",
    permission=MODERATE,
    label=gettext_lazy("Now answering"),
)
# Pressed by mistake: back to the shortlist (stage_started_at stays until pressed again).
STOP_ANSWERING = Action(
    "stop_answering",
    (S.ANSWERING,),
    S.SHORTLISTED,
    permission=MODERATE,
    label=gettext_lazy("Back to the shortlist"),
)
ANSWER_ON_STAGE = Action(
    "answer_on_stage",
    (S.ANSWERING,),
    S.ON_STAGE,
    stamp="stage_ended_at",
    permission=MODERATE,
    label=gettext_lazy("Answered on stage"),
)
# Reordering the shortlist keeps the state: a decision, not a transition (not in ACTIONS).
MOVE_IN_SHORTLIST = Action(
    "move_in_shortlist", (S.SHORTLISTED,), S.SHORTLISTED, permission=MODERATE
)
# Publishing the answer video (media_pipeline), or the recording's chapter of a question
# answered on stage, answers the question.
ANSWER = Action("answer", (S.SELECTED, S.ON_STAGE), S.ANSWERED, stamp="answered_at")

# In the order the admin shows the buttons.
ACTIONS = (
    CONFIRM,
    APPROVE,
    REJECT,
    MARK_DUPLICATE,
    UNDO_REJECTION,
    SELECT_FOR_ANSWER,
    UNSELECT,
    SHORTLIST,
    UNSHORTLIST,
    START_ANSWERING,
    STOP_ANSWERING,
    ANSWER_ON_STAGE,
    ANSWER,
)
# The live console's buttons, in its order.
LIVE_ACTIONS = (
    APPROVE,
    SHORTLIST,
    START_ANSWERING,
    ANSWER_ON_STAGE,
    STOP_ANSWERING,
    UNSHORTLIST,
    REJECT,
)
LIVE_ACTIONS_BY_NAME = {action.name: action for action in LIVE_ACTIONS}


def action_between(from_state: str, to_state: str) -> Action | None:
    """The action that moves a question from `from_state` to `to_state`, if any."""
    return next((a for a in ACTIONS if from_state in a.sources and a.target == to_state), None)


def path_to(state: str) -> list[Action]:
    """The shortest run of actions from a new (unconfirmed) question to `state`: the history a
    demo or synthetic question in that state plausibly went through."""
    paths: dict[str, list[Action]] = {S.UNCONFIRMED: []}
    frontier = [S.UNCONFIRMED]
    while frontier and state not in paths:
        current = frontier.pop(0)
        for action in ACTIONS:
            if current in action.sources and action.target not in paths:
                paths[action.target] = [*paths[current], action]
                frontier.append(action.target)
    return paths[state]
