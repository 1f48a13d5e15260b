"""Business actions on questions: the only code that changes a question's state.

Every service is keyword-only, runs in a transaction, and leaves side effects (e-mails, tasks)
until the transaction commits.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from questions.emails import queue_email
from questions.exceptions import AlreadyDecided, TransitionNotAllowed
from questions.models import ModerationDecision, Question
from questions.models import QuestionState as S
from questions.transitions import STATE_TIMESTAMP_FIELD, can_transition


def transition_question(
    *,
    question: Question,
    to_state: str,
    actor: AbstractBaseUser | None = None,
    reason: str = "",
    note: str = "",
    expected_state: str | None = None,
    extra_fields: dict | None = None,
) -> Question:
    """Move a question to `to_state`, record the decision, and return the fresh row.

    The row is locked (SELECT ... FOR UPDATE on PostgreSQL) and its state re-read, so two
    moderators deciding at once produce exactly one decision: the second gets AlreadyDecided.
    `expected_state` is the state the actor saw; a different one means someone acted first.
    """
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        seen_state = expected_state or question.state
        if locked.state != seen_state:
            raise AlreadyDecided(
                _("“%(title)s” was already moved to “%(state)s”.")
                % {"title": locked.title, "state": locked.get_state_display()}
            )
        if not can_transition(locked.state, to_state):
            raise TransitionNotAllowed(
                _("“%(title)s” is “%(state)s”: this action does not apply.")
                % {"title": locked.title, "state": locked.get_state_display()}
            )
        from_state = locked.state
        locked.state = to_state
        changed = ["state", "updated_at"]
        if to_state in STATE_TIMESTAMP_FIELD:
            setattr(locked, STATE_TIMESTAMP_FIELD[to_state], timezone.now())
            changed.append(STATE_TIMESTAMP_FIELD[to_state])
        for field, value in (extra_fields or {}).items():
            setattr(locked, field, value)
            changed.append(field)
        locked.save(update_fields=changed)
        ModerationDecision.objects.create(
            question=locked,
            actor=actor,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            note=note,
        )
    return locked


def mark_question_answered(*, question: Question, actor: AbstractBaseUser | None) -> Question:
    """Called when the answer video is published: the question becomes `answered`, and its
    author and the supporters who left an e-mail are told, each in their language, after commit.
    """
    with transaction.atomic():
        answered = transition_question(question=question, to_state=S.ANSWERED, actor=actor)
        for address, language in answer_recipients(answered):
            queue_email(
                to=address,
                kind="question_answered",
                template="questions/email/answered",
                context={"question": answered, "question_url": public_url(answered, language)},
                language=language,
                question=answered,
            )
    return answered


def answer_recipients(question: Question) -> list[tuple[str, str]]:
    """(address, language) of the author and of supporters who left an e-mail, each once."""
    recipients = {}
    if question.email:
        recipients[question.email.lower()] = question.language
    for email, language in question.supports.exclude(email="").values_list("email", "language"):
        recipients.setdefault(email.lower(), language)
    return list(recipients.items())


def public_url(question: Question, language: str) -> str:
    """Absolute URL of the question's page in `language` (for e-mails)."""
    with translation.override(language):
        return f"{settings.SITE_URL}{question.get_absolute_url()}"
