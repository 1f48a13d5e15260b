"""E-mails rendered when they are sent, not when they are queued: what each kind is rendered
from, built from its question at that moment. A submission only stores the row (its address,
language, kind and question); the worker that sends it renders it, once, and keeps the text."""

from collections.abc import Callable

from django.utils import translation

from core.urls import absolute_reverse
from questions.models import Question
from questions.outbox_models import EmailKind
from questions.tokens import confirmation_link_hours, make_confirmation_token

CONFIRMATION_KIND = EmailKind.QUESTION_CONFIRMATION.value
CONFIRMATION_TEMPLATE = "questions/email/confirm"


def confirmation_url(question: Question) -> str:
    """Absolute, signed, expiring link, in the question's language (for the e-mail)."""
    token = make_confirmation_token(question.public_id)
    with translation.override(question.language):
        return absolute_reverse("questions:confirm", kwargs={"token": token})


def confirmation_context(question: Question) -> dict:
    """The confirmation e-mail never quotes the title (a stranger's words in the owner's
    inbox); its link's page lists every question waiting with the address."""
    return {
        "question": question,
        "event": question.event,
        "confirm_url": confirmation_url(question),
        "hours": confirmation_link_hours(),
    }


CONTEXTS: dict[str, Callable[[Question], dict]] = {CONFIRMATION_KIND: confirmation_context}
