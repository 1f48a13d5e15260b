"""The tour day's business actions, taken from the moderator's live console: switch an event
live, live moderation, and move questions through the workflow's live actions (shortlist, its
order, now answering, answered on stage). Every question action goes through
transition_question, so it is recorded as a ModerationDecision like any other decision; every
change bumps the event's live version (questions.live.state) in its transaction.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from questions import workflow
from questions.exceptions import AlreadyDecided, LiveActionRefused
from questions.live.models import LiveEvent
from questions.live.state import bump_live_version
from questions.models import ModerationDecision, Question
from questions.models import QuestionState as S
from questions.moderation import approve_question, reject_question
from questions.services import transition_question


def _live_row(event: Event) -> LiveEvent:
    live, _created = LiveEvent.objects.select_for_update().get_or_create(event=event)
    return live


def set_live(*, event: Event, actor: AbstractBaseUser | None, is_live: bool) -> LiveEvent:
    """Switch the event live (the big screen and the phones show the live list) or back off.
    Ending the event ends the answer under way: it was answered on stage."""
    with transaction.atomic():
        live = _live_row(event)
        if not is_live:
            for question in Question.objects.filter(event=event, state=S.ANSWERING):
                transition_question(question=question, to_state=S.ON_STAGE, actor=actor)
        now = timezone.now()
        live.is_live = is_live
        if is_live:
            live.started_at, live.ended_at = live.started_at or now, None
        else:
            live.ended_at = now
        live.changed_by = actor
        live.save()
        bump_live_version(event.pk)
    return live


def set_live_moderation(
    *, event: Event, actor: AbstractBaseUser | None, enabled: bool
) -> LiveEvent:
    """In live moderation, the event's new questions wait in the console's short queue."""
    with transaction.atomic():
        live = _live_row(event)
        live.live_moderation = enabled
        live.changed_by = actor
        live.save()
        bump_live_version(event.pk)
    return live


def shortlist_question(*, question: Question, actor: AbstractBaseUser | None) -> Question:
    """Put an approved question at the end of its event's shortlist."""
    workflow.SHORTLIST.check(question)
    with transaction.atomic():
        last = Question.objects.filter(event_id=question.event_id, state=S.SHORTLISTED).aggregate(
            last=Max("shortlist_position")
        )["last"]
        return transition_question(
            question=question,
            to_state=S.SHORTLISTED,
            actor=actor,
            expected_state=question.state,
            extra_fields={"shortlist_position": (last or 0) + 1},
        )


def unshortlist_question(*, question: Question, actor: AbstractBaseUser | None) -> Question:
    workflow.UNSHORTLIST.check(question)
    return transition_question(
        question=question,
        to_state=S.APPROVED,
        actor=actor,
        expected_state=question.state,
        extra_fields={"shortlist_position": None},
    )


def start_answering(*, question: Question, actor: AbstractBaseUser | None) -> Question:
    """ "Now answering": the question the speakers take now. The one they were answering, if
    any, was answered on stage."""
    workflow.START_ANSWERING.check(question)
    with transaction.atomic():
        LiveEvent.objects.select_for_update().filter(event_id=question.event_id).first()
        for current in Question.objects.filter(event_id=question.event_id, state=S.ANSWERING):
            transition_question(question=current, to_state=S.ON_STAGE, actor=actor)
        return transition_question(
            question=question,
            to_state=S.ANSWERING,
            actor=actor,
            expected_state=question.state,
            extra_fields={"shortlist_position": None},
        )


def stop_answering(*, question: Question, actor: AbstractBaseUser | None) -> Question:
    """Pressed by mistake: the question goes back to the top of the shortlist."""
    workflow.STOP_ANSWERING.check(question)
    with transaction.atomic():
        Question.objects.filter(event_id=question.event_id, state=S.SHORTLISTED).update(
            shortlist_position=F("shortlist_position") + 1
        )
        return transition_question(
            question=question,
            to_state=S.SHORTLISTED,
            actor=actor,
            expected_state=question.state,
            extra_fields={"shortlist_position": 1},
        )


def answer_on_stage(*, question: Question, actor: AbstractBaseUser | None) -> Question:
    workflow.ANSWER_ON_STAGE.check(question)
    return transition_question(
        question=question, to_state=S.ON_STAGE, actor=actor, expected_state=question.state
    )


def move_in_shortlist(*, question: Question, actor: AbstractBaseUser | None, offset: int) -> int:
    """Move a shortlisted question up (offset -1) or down (+1), swapping places with its
    neighbour; recorded as a decision that keeps the state. Returns its new place (1-based)."""
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        workflow.MOVE_IN_SHORTLIST.check(locked)
        shortlist = list(
            Question.objects.select_for_update()
            .filter(event_id=locked.event_id, state=S.SHORTLISTED)
            .order_by("shortlist_position", "pk")
        )
        index = next(i for i, row in enumerate(shortlist) if row.pk == locked.pk)
        target = max(0, min(len(shortlist) - 1, index + offset))
        shortlist.insert(target, shortlist.pop(index))
        for place, row in enumerate(shortlist, start=1):
            if row.shortlist_position != place:
                Question.objects.filter(pk=row.pk).update(shortlist_position=place)
        ModerationDecision.objects.create(
            question=locked,
            actor=actor,
            from_state=S.SHORTLISTED,
            to_state=S.SHORTLISTED,
            note=_("Moved to place %(place)d of the shortlist") % {"place": target + 1},
        )
        bump_live_version(locked.event_id)
    return target + 1


def _reject(*, question: Question, actor: AbstractBaseUser | None, reason: str) -> Question:
    return reject_question(question=question, actor=actor, reason=reason)


QUESTION_SERVICES = {
    workflow.APPROVE.name: approve_question,
    workflow.REJECT.name: _reject,
    workflow.SHORTLIST.name: shortlist_question,
    workflow.UNSHORTLIST.name: unshortlist_question,
    workflow.START_ANSWERING.name: start_answering,
    workflow.STOP_ANSWERING.name: stop_answering,
    workflow.ANSWER_ON_STAGE.name: answer_on_stage,
}
MOVES = {"move_up": -1, "move_down": 1}


def take_live_action(
    *, name: str, question: Question, actor: AbstractBaseUser, seen_state: str, reason: str = ""
) -> None:
    """One button of the live console: the workflow's action `name` (or a move in the
    shortlist) on `question` as the moderator saw it in `seen_state`; a rejection's `reason`."""
    if question.state != seen_state:
        raise AlreadyDecided(
            _("“%(title)s” was already moved to “%(state)s”.")
            % {"title": question.title, "state": question.get_state_display()}
        )
    if name in MOVES:
        if not actor.has_perm(workflow.MODERATE):
            raise LiveActionRefused()
        move_in_shortlist(question=question, actor=actor, offset=MOVES[name])
        return
    action = workflow.LIVE_ACTIONS_BY_NAME.get(name)
    if action is None or (action.permission and not actor.has_perm(action.permission)):
        raise LiveActionRefused()
    if action is workflow.REJECT:
        _reject(question=question, actor=actor, reason=reason)
        return
    QUESTION_SERVICES[name](question=question, actor=actor)
