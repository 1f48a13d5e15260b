"""Moderation services: the decisions moderators and the spokesperson's staff take in the admin.

Kept apart from questions/services.py (citizen-facing services) because the two grow separately;
both follow the same rules: keyword-only, atomic, e-mails queued in the transaction and sent
after it commits, domain errors raised as questions.exceptions.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from questions import tallies, workflow
from questions.emails import queue_email
from questions.exceptions import (
    InvalidDuplicateTarget,
    InvalidRejectionReason,
    TransitionNotAllowed,
)
from questions.models import ModerationDecision, Question, RejectionReason, Support
from questions.models import QuestionState as S
from questions.outbox_models import EmailKind
from questions.services import public_url, transition_question
from questions.workflow import MERGE_TARGET_STATES


def approve_question(*, question: Question, actor: AbstractBaseUser | None) -> Question:
    """Publish a submitted question and tell its author, in their language."""
    workflow.APPROVE.check(question)
    with transaction.atomic():
        approved = transition_question(question=question, to_state=S.APPROVED, actor=actor)
        notify_author(
            approved,
            kind=EmailKind.QUESTION_APPROVED,
            template="questions/email/approved",
            context={"question_url": public_url(approved, approved.language)},
        )
    return approved


def reject_question(
    *, question: Question, actor: AbstractBaseUser | None, reason: str, note: str = ""
) -> Question:
    """Reject with a reason from the fixed list and an optional note, both sent to the author."""
    if reason not in RejectionReason.values:
        raise InvalidRejectionReason()
    workflow.REJECT.check(question)
    note = note.strip()
    with transaction.atomic():
        rejected = transition_question(
            question=question,
            to_state=S.REJECTED,
            actor=actor,
            reason=reason,
            note=note,
            extra_fields={"rejection_reason": reason, "rejection_note": note},
        )
        notify_author(
            rejected, kind=EmailKind.QUESTION_REJECTED, template="questions/email/rejected"
        )
    return rejected


def mark_duplicate(*, question: Question, of: Question, actor: AbstractBaseUser | None) -> Question:
    """Merge `question` into `of`: its supporters move to `of`, each counted once.

    Both rows are locked in id order, so two moderators merging A into B and B into A at once
    cannot deadlock: the second finds its target already a duplicate and is refused.
    """
    workflow.MARK_DUPLICATE.check(question)
    if of.pk == question.pk:
        raise InvalidDuplicateTarget(
            _("“%(title)s” cannot be a duplicate of itself.") % {"title": question.title}
        )
    with transaction.atomic():
        locked = {
            row.pk: row
            for row in Question.objects.select_for_update()
            .filter(pk__in=[question.pk, of.pk])
            .order_by("pk")
        }
        kept = locked.get(of.pk)
        if kept is None or kept.state not in MERGE_TARGET_STATES:
            raise InvalidDuplicateTarget(
                _("“%(title)s” cannot be kept as the original: it is not in the queue or public.")
                % {"title": of.title}
            )
        duplicate = transition_question(
            question=question,
            to_state=S.DUPLICATE,
            actor=actor,
            note=_("Duplicate of “%(title)s” (%(id)s)")
            % {"title": kept.title, "id": kept.public_id},
            extra_fields={"duplicate_of": kept},
        )
        add_author_as_supporter(duplicate=duplicate, kept=kept)
        move_supports(source=duplicate, target=kept)
        # No chains: what was merged into the duplicate now points at the kept question.
        Question.objects.filter(duplicate_of=duplicate).update(duplicate_of=kept)
        notify_author(
            duplicate,
            kind=EmailKind.QUESTION_MERGED,
            template="questions/email/merged",
            context={
                "kept": kept,
                "kept_url": public_url(kept, duplicate.language) if kept.is_public else "",
            },
        )
    return duplicate


def add_author_as_supporter(*, duplicate: Question, kept: Question) -> None:
    """The duplicate's author asked the same thing: they support the kept question, and hear
    about its answer like any supporter who left an e-mail."""
    Support.objects.get_or_create(
        question=duplicate,
        supporter_key=f"author:{duplicate.public_id}",
        # Their address was confirmed with their question (double opt-in).
        defaults={
            "email": duplicate.email,
            "language": duplicate.language,
            "email_confirmed_at": duplicate.confirmed_at,
        },
    )


def move_supports(*, source: Question, target: Question) -> None:
    """Move supports from `source` to `target`; a supporter of both keeps one support on
    `target` (with the e-mail they left, if only the moved one had it). Recount both."""
    on_target = Support.objects.filter(question=target, supporter_key=OuterRef("supporter_key"))
    overlapping = Support.objects.filter(question=source).filter(Exists(on_target))
    for supporter_key, email, language, confirmed_at in overlapping.exclude(email="").values_list(
        "supporter_key", "email", "language", "email_confirmed_at"
    ):
        Support.objects.filter(question=target, supporter_key=supporter_key, email="").update(
            email=email, language=language, email_confirmed_at=confirmed_at
        )
    with tallies.counted(source, target):
        overlapping.delete()
        Support.objects.filter(question=source).update(question=target)
        for row in (source, target):
            row.support_count = Support.objects.filter(question=row).count()
            Question.objects.filter(pk=row.pk).update(support_count=row.support_count)


def select_for_answer(*, question: Question, actor: AbstractBaseUser | None) -> Question:
    """The spokesperson's staff choose an approved question for a video answer."""
    workflow.SELECT_FOR_ANSWER.check(question)
    return transition_question(question=question, to_state=S.SELECTED, actor=actor)


def unselect_question(*, question: Question, actor: AbstractBaseUser | None) -> Question:
    """The staff change their mind: the question goes back among the published ones. Refused
    once an answer video exists for it (that video would have no question to answer)."""
    workflow.UNSELECT.check(question)
    if Question.objects.filter(pk=question.pk, answer_video__isnull=False).exists():
        raise TransitionNotAllowed(
            _("“%(title)s” already has an answer video: it stays selected.")
            % {"title": question.title}
        )
    return transition_question(
        question=question, to_state=S.APPROVED, actor=actor, extra_fields={"selected_at": None}
    )


def undo_rejection(*, question: Question, actor: AbstractBaseUser | None) -> Question:
    """Put a mistakenly rejected question back in the queue, within the retention period."""
    workflow.UNDO_REJECTION.check(question)
    with transaction.atomic():
        current = Question.objects.select_for_update().get(pk=question.pk)
        # Else transition_question says who moved it first.
        if current.state in workflow.UNDO_REJECTION.sources:
            workflow.UNDO_REJECTION.check(current)  # the period may have ended meanwhile
        return transition_question(
            question=question,
            to_state=S.SUBMITTED,
            actor=actor,
            # It keeps its place in the queue: the action sets no timestamp (confirmed_at stays).
            extra_fields={"rejection_reason": "", "rejection_note": "", "rejected_at": None},
        )


def correct_question(
    *, question: Question, actor: AbstractBaseUser | None, title: str, text: str, note: str = ""
) -> Question:
    """A moderator corrects a question's title or text (a typo, personal data in the text).

    The state stays; the citizen's words before the correction are kept in the history (a
    decision row from and to the same state) and the citizen is told by e-mail, in their
    language, with the corrected version. Nothing changed: nothing recorded, nobody told.
    """
    title, text = title.strip(), text.strip()
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if not workflow.can_correct(locked):
            raise workflow.not_applicable(locked)
        if (title, text) == (locked.title, locked.text):
            return locked
        ModerationDecision.objects.create(
            question=locked,
            actor=actor,
            from_state=locked.state,
            to_state=locked.state,
            note=note.strip(),
            original_title=locked.title,
            original_text=locked.text,
        )
        original_title, original_text = locked.title, locked.text
        locked.title, locked.text = title, text
        locked.save(update_fields=["title", "text", "updated_at"])
        notify_author(
            locked,
            kind=EmailKind.QUESTION_CORRECTED,
            template="questions/email/corrected",
            context={
                "original_title": original_title,
                "original_text": original_text,
                "question_url": public_url(locked, locked.language) if locked.is_public else "",
            },
        )
    return locked


def notify_author(question: Question, *, kind: str, template: str, context: dict | None = None):
    """Queue an e-mail to the question's author in the language they wrote in (if any address)."""
    if not question.email:
        return None
    return queue_email(
        to=question.email,
        kind=kind,
        template=template,
        context={"question": question, **(context or {})},
        language=question.language,
        question=question,
    )
