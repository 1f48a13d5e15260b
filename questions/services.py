"""Business actions on questions: the only code that changes a question's state.

Every service is keyword-only, runs in a transaction, and leaves side effects (e-mails, tasks)
until the transaction commits.
"""

import functools
import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import inserts
from core.page_cache import site_changed
from core.urls import absolute_url
from events.models import Event, Theme
from questions import tallies, workflow
from questions.email_contexts import CONFIRMATION_KIND, CONFIRMATION_TEMPLATE
from questions.emails import queue_email
from questions.exceptions import (
    AlreadyDecided,
    DuplicateSubmission,
    QuestionsClosed,
    ThemeNotOffered,
    TransitionNotAllowed,
)
from questions.live.state import bump_live_version
from questions.models import ModerationDecision, OutboundEmail, Question
from questions.models import QuestionState as S
from questions.outbox_models import EmailKind
from questions.selectors import forget_state_counts


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
    """Move a question to `to_state` by the workflow's action between the two states (which
    sets its timestamp), record the decision, and return the fresh row.

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
        action = workflow.action_between(locked.state, to_state)
        if action is None:
            raise workflow.not_applicable(locked)
        from_state = locked.state
        with tallies.counted(locked):  # the statistics' aggregates, in this transaction
            changed = [*action.apply(locked), "updated_at"]
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
        bump_live_version(locked.event_id)  # the room's big screen and phones see it
        site_changed()
    forget_state_counts()
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
                kind=EmailKind.QUESTION_ANSWERED,
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
    confirmed = question.supports.exclude(email="").filter(email_confirmed_at__isnull=False)
    for email, language in confirmed.values_list("email", "language"):
        recipients.setdefault(email.lower(), language)
    return list(recipients.items())


def public_url(question: Question, language: str) -> str:
    """Absolute URL of the question's page in `language` (for e-mails)."""
    with translation.override(language):
        return absolute_url(question.get_absolute_url())


# --- Citizens: submission, confirmation (double opt-in), supports --------------------------------

# How long a form's idempotency token and an identical unconfirmed question count as "the same".
DUPLICATE_WINDOW = timedelta(minutes=15)


def submit_question(
    *,
    event: Event,
    theme: Theme,
    title: str,
    text: str,
    display_name: str,
    email: str,
    region: str,
    language: str,
    idempotency_key: str = "",
) -> Question:
    """Store a citizen's question as `unconfirmed` and e-mail them a confirmation link.

    A double click (same `idempotency_key`) or the same question sent again by the same address
    raises DuplicateSubmission: one question, one e-mail. Nothing is stored if the event does not
    accept questions.
    """
    if not event.accepts_questions():
        raise QuestionsClosed()
    # The event's themes as its page loaded them (prefetched): no query on the form's path.
    if all(offered.pk != theme.pk for offered in event.themes.all()):
        raise ThemeNotOffered()
    claim = _claim_idempotency_key(idempotency_key)
    try:
        with transaction.atomic():
            pending, mailed = _pending_and_mailed(event=event, email=email, title=title, text=text)
            if pending:
                raise DuplicateSubmission()
            question = Question(
                event=event,
                theme=theme,
                title=title,
                text=text,
                display_name=display_name,
                email=email,
                region=region,
                language=language,
                state=S.UNCONFIRMED,
            )
            inserts.insert(question)  # save()'s work, its INSERT compiled once
            if not mailed:
                _queue_confirmation_email(question, checked=True)
            # Last in the transaction: today's tally rows are shared by every submission.
            tallies.questions_created([question])
    except Exception:
        if claim:
            cache.delete(claim)  # the failed attempt must not block a retry
        raise
    # No forget_state_counts(): an unconfirmed question is not in the moderators' queue, and
    # the admin's count of unconfirmed ones may lag STATE_COUNTS_CACHE_SECONDS (one cache
    # round trip less for each submission of a burst).
    return question


def _claim_idempotency_key(key: str) -> str:
    """Atomically claim a form's one-time token in the shared cache; "" if there is none."""
    if not key:
        return ""
    cache_key = "questions:submit:" + hashlib.sha256(key.encode()).hexdigest()
    if not cache.add(cache_key, 1, timeout=int(DUPLICATE_WINDOW.total_seconds())):
        raise DuplicateSubmission()
    return cache_key


def _pending_and_mailed(*, event: Event, email: str, title: str, text: str) -> tuple[bool, bool]:
    """(the same question waits unconfirmed with this address, a confirmation e-mail went to
    this address within the interval): both checks of a submission in one statement, over the
    indexes on UPPER(address). Plain SQL, as the tallies' upsert: built by the ORM, the two
    checks cost about as much CPU as the three rows a submission writes; this statement about a
    tenth of that (callgrind), and a burst runs it thousands of times a minute."""
    now = timezone.now()
    duplicate_since = connection.ops.adapt_datetimefield_value(now - DUPLICATE_WINDOW)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_pending_sql()}, {_mailed_sql()}",
            [email, event.pk, title, text, duplicate_since, *_mailed_params(email, now)],
        )
        pending, mailed = cursor.fetchone()
    return bool(pending), bool(mailed)


def _confirmation_mailed(email: str) -> bool:
    """A confirmation e-mail went to this address within the interval (the resends' check)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_mailed_sql()}", _mailed_params(email, timezone.now()))
        return bool(cursor.fetchone()[0])


# The states and kind below are literals, as the partial indexes' conditions are.
@functools.cache
def _pending_sql() -> str:
    """EXISTS: the same question (event, title, text) waits unconfirmed with this address (any
    case), sent within DUPLICATE_WINDOW. Parameters: address, event id, title, text, since."""
    table = connection.ops.quote_name(Question._meta.db_table)
    return (
        f"EXISTS (SELECT 1 FROM {table} WHERE UPPER(email) = UPPER(%s) "  # noqa: S608 - names from the model
        f"AND event_id = %s AND state = '{S.UNCONFIRMED}' AND title = %s AND text = %s "
        f"AND created_at >= %s)"
    )


@functools.cache
def _mailed_sql() -> str:
    """EXISTS: a confirmation e-mail went to this address (any case) within
    QUESTION_CONFIRMATION_EMAIL_INTERVAL_SECONDS; the one definition of that rule, for
    submissions and resends alike. Parameters: _mailed_params()."""
    quote = connection.ops.quote_name
    return (
        f"EXISTS (SELECT 1 FROM {quote(OutboundEmail._meta.db_table)} "  # noqa: S608 - names from the model
        f"WHERE UPPER({quote('to')}) = UPPER(%s) AND kind = '{CONFIRMATION_KIND}' "
        f"AND created_at >= %s)"
    )


def _mailed_params(email: str, now: datetime) -> list[object]:
    interval = timedelta(seconds=settings.QUESTION_CONFIRMATION_EMAIL_INTERVAL_SECONDS)
    return [email, connection.ops.adapt_datetimefield_value(now - interval)]


def _queue_confirmation_email(question: Question, *, checked: bool = False) -> bool:
    """One confirmation e-mail per address and QUESTION_CONFIRMATION_EMAIL_INTERVAL_SECONDS,
    whoever typed the address: its link's page lists every question waiting with it. The e-mail
    never quotes the title (a stranger's words in the owner's inbox). A link asked for again
    (the "lost link" form) follows the same rule. `checked`: the caller has just found no such
    e-mail (a submission checks it with its duplicate check)."""
    if not checked and _confirmation_mailed(question.email):
        return False
    queue_email(
        to=question.email,
        kind=CONFIRMATION_KIND,
        template=CONFIRMATION_TEMPLATE,
        # Rendered when sent (email_contexts.confirmation_context): a submission burst writes
        # rows, the workers that send them render them.
        context=None,
        language=question.language,
        question=question,
        # Useless once the link has expired: the outbox gives up then.
        expires_at=timezone.now()
        + timedelta(seconds=settings.QUESTION_CONFIRMATION_MAX_AGE_SECONDS),
        # A citizen's request never calls the broker: beat's dispatch sends it within seconds.
        publish=False,
    )
    return True


def confirm_question(*, question: Question) -> tuple[Question, bool]:
    """The citizen opened their link: `unconfirmed` → `submitted` (the moderation queue).

    Returns (question, changed). Opening the link again, even twice at once, changes nothing.
    """
    if not workflow.CONFIRM.allows(question):
        return question, False
    try:
        return (
            transition_question(
                question=question, to_state=S.SUBMITTED, expected_state=S.UNCONFIRMED
            ),
            True,
        )
    except TransitionNotAllowed:  # includes AlreadyDecided: a parallel click confirmed it
        question.refresh_from_db()
        return question, False


def questions_awaiting_confirmation(*, email: str) -> list[Question]:
    """The questions still waiting for confirmation with this address (the link's page)."""
    recent = timezone.now() - timedelta(seconds=settings.QUESTION_CONFIRMATION_MAX_AGE_SECONDS)
    return list(
        Question.objects.select_related("event")
        .filter(email__iexact=email, state=S.UNCONFIRMED, created_at__gte=recent)
        .order_by("created_at")[:20]
    )


def resend_confirmation(*, question: Question) -> bool:
    """A new link for a still unconfirmed question. Returns whether an e-mail was queued."""
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        if not workflow.CONFIRM.allows(question) or not question.email:
            return False
        return _queue_confirmation_email(question)


def resend_confirmations_for_email(*, email: str) -> int:
    """One new link for the recent unconfirmed questions of an address (the "lost link" form):
    its page lists them all. The caller shows the same message whatever the result: it must not
    reveal who wrote."""
    waiting = questions_awaiting_confirmation(email=email.strip())
    return int(bool(waiting) and resend_confirmation(question=waiting[-1]))
