"""Privacy services (RGPD): purge, anonymise, export and erase citizens' personal data.

Personal data here: a question's e-mail and display name, a support's e-mail, and the outbox
e-mails (address and body). Videos are never touched; a question answered on video keeps its
text, without its author.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.page_cache import site_changed
from questions import emails as outbox_emails
from questions import tallies
from questions.models import ModerationDecision, OutboundEmail, Question, QuestionState, Support
from questions.outbox_models import EmailKind
from questions.selectors import forget_state_counts

ANONYMOUS_DISPLAY_NAME = "Anonyme"


@transaction.atomic
def purge_unconfirmed_questions(*, now: datetime | None = None) -> int:
    """Delete questions never confirmed once their confirmation link has expired.

    Their confirmation e-mails go too (they hold the address and the text), and so do the
    addresses supporters left but never confirmed (the support itself stays). Returns the count.
    """
    limit = (now or timezone.now()) - timedelta(
        seconds=settings.QUESTION_CONFIRMATION_MAX_AGE_SECONDS
    )
    expired_ids = list(
        Question.objects.filter(state=QuestionState.UNCONFIRMED, created_at__lt=limit).values_list(
            "pk", flat=True
        )
    )
    OutboundEmail.objects.filter(question_id__in=expired_ids).delete()
    unconfirmed_supporters = Support.objects.exclude(email="").filter(
        email_confirmed_at__isnull=True, created_at__lt=limit
    )
    OutboundEmail.objects.filter(
        kind=EmailKind.SUPPORT_EMAIL_CONFIRMATION,
        to__in=unconfirmed_supporters.values("email"),
        created_at__lt=limit,
    ).delete()
    unconfirmed_supporters.update(email="")
    forget_state_counts()
    tallies.questions_deleted(expired_ids)
    return deleted_questions(Question.objects.filter(pk__in=expired_ids).delete())


def deleted_questions(deletion: tuple[int, dict[str, int]]) -> int:
    """The number of questions in what QuerySet.delete() reports (cascades included)."""
    return deletion[1].get("questions.Question", 0)


@transaction.atomic
def anonymise_rejected_questions(*, now: datetime | None = None) -> int:
    """Strip the author from questions rejected more than REJECTED_QUESTION_RETENTION_DAYS ago.

    The question stays (moderation statistics and the audit trail), without e-mail or name; the
    e-mails about it and the supporters' addresses go. Returns how many were anonymised.
    """
    limit = (now or timezone.now()) - timedelta(days=settings.REJECTED_QUESTION_RETENTION_DAYS)
    due = Question.objects.select_for_update().filter(
        state=QuestionState.REJECTED, rejected_at__lt=limit, anonymised_at__isnull=True
    )
    return anonymise_questions(due, now=now)


def anonymise_questions(questions: QuerySet[Question], *, now: datetime | None = None) -> int:
    ids = list(questions.values_list("pk", flat=True))
    OutboundEmail.objects.filter(question_id__in=ids).delete()
    Support.objects.filter(question_id__in=ids).exclude(email="").update(email="")
    # A moderator's correction often removed personal data: the words before it go too.
    ModerationDecision.objects.filter(question_id__in=ids).exclude(
        original_title="", original_text=""
    ).update(original_title="", original_text="")
    return Question.objects.filter(pk__in=ids).update(
        email="",
        display_name=ANONYMOUS_DISPLAY_NAME,
        anonymised_at=now or timezone.now(),
    )


def normalised(email: str) -> str:
    return email.strip()


def export_personal_data(*, email: str) -> dict:
    """Everything held about an e-mail address, as JSON-ready data (right of access)."""
    address = normalised(email)
    questions = (
        Question.objects.filter(email__iexact=address)
        .select_related("event", "theme")
        .prefetch_related("decisions")
        .order_by("created_at")
    )
    supports = (
        Support.objects.filter(email__iexact=address)
        .select_related("question")
        .order_by("created_at")
    )
    emails = OutboundEmail.objects.filter(to__iexact=address).order_by("created_at")
    return {
        "email": address,
        "exported_at": timezone.now().isoformat(),
        "questions": [
            {
                "public_id": question.public_id,
                "event": str(question.event),
                "theme": question.theme.name,
                "title": question.title,
                "text": question.text,
                "display_name": question.display_name,
                "email": question.email,
                "region": question.region,
                "language": question.language,
                "state": question.state,
                "rejection_reason": question.rejection_reason,
                "rejection_note": question.rejection_note,
                "created_at": iso(question.created_at),
                "confirmed_at": iso(question.confirmed_at),
                "approved_at": iso(question.approved_at),
                "answered_at": iso(question.answered_at),
                "rejected_at": iso(question.rejected_at),
                "decisions": [
                    {
                        "from": decision.from_state,
                        "to": decision.to_state,
                        "reason": decision.reason,
                        "note": decision.note,
                        "original_title": decision.original_title,
                        "original_text": decision.original_text,
                        "at": iso(decision.created_at),
                    }
                    for decision in question.decisions.all()
                ],
            }
            for question in questions
        ],
        "supports": [
            {
                "question": support.question.public_id,
                "question_title": support.question.title,
                "email": support.email,
                "language": support.language,
                "created_at": iso(support.created_at),
            }
            for support in supports
        ],
        "emails": [exported_email(message) for message in emails],
    }


def exported_email(message: OutboundEmail) -> dict:
    """An e-mail as the export shows it. One written when it is sent (a confirmation not sent
    yet) is rendered as its sender would now, on this copy only: neither sent nor saved."""
    written_when_sent = outbox_emails.needs_rendering(message)
    if written_when_sent and not outbox_emails.render_stored(message):
        with translation.override(message.language):
            message.body_text = gettext(
                "This e-mail is written when it is sent; its question no longer exists, so it "
                "will not be sent."
            )
    return {
        "kind": message.kind,
        "subject": message.subject,
        "body": message.body_text,
        "language": message.language,
        "created_at": iso(message.created_at),
        "sent_at": iso(message.sent_at),
        "written_when_sent": written_when_sent,
    }


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@transaction.atomic
def delete_personal_data(*, email: str) -> dict[str, int]:
    """Erase an address everywhere (right to erasure); videos are untouched.

    The address's questions are deleted with their supports (the privacy page promises it),
    except those that must stay for the others: a question with an answer video, or one that
    other questions were merged into, stays without its author. Supports keep counting,
    without the address. E-mails to the address are deleted. Returns counts of what was done.
    """
    address = normalised(email)
    if not address:
        raise ValueError("an e-mail address is needed")
    mine = set(
        Question.objects.select_for_update()
        .filter(email__iexact=address)
        .values_list("pk", flat=True)
    )
    kept_ids = set(
        Question.objects.filter(pk__in=mine)
        .filter(Q(answer_video__isnull=False) | Q(duplicates__isnull=False))
        .values_list("pk", flat=True)
    )
    deletable_ids = mine - kept_ids
    emails_deleted, _ = OutboundEmail.objects.filter(
        Q(to__iexact=address) | Q(question_id__in=deletable_ids)
    ).delete()
    anonymised = Question.objects.filter(pk__in=kept_ids).update(
        email="", display_name=ANONYMOUS_DISPLAY_NAME, anonymised_at=timezone.now()
    )
    tallies.questions_deleted(deletable_ids)
    deleted = deleted_questions(Question.objects.filter(pk__in=deletable_ids).delete())
    forget_state_counts()
    site_changed()
    supports = Support.objects.filter(email__iexact=address).update(email="")
    return {
        "questions_deleted": deleted,
        "questions_anonymised": anonymised,
        "supports_anonymised": supports,
        "emails_deleted": emails_deleted,
    }
