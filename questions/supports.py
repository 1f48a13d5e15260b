"""Supports ("me too"): one per browser on a public question, and the double opt-in of a
supporter's address before it is told of the answer."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation

from core.page_cache import supports_changed
from core.urls import absolute_reverse
from questions import tallies, workflow
from questions.emails import queue_email
from questions.exceptions import AlreadySupported, SupportRefused
from questions.live.state import forget_live_state
from questions.models import OutboundEmail, Question, Support
from questions.outbox_models import EmailKind
from questions.tokens import confirmation_link_hours, make_support_email_token


def supporter_key_digest(browser_key: str) -> str:
    """Supports store a hash of the browser's random key, never the key itself."""
    return hashlib.sha256(f"support:{browser_key}".encode()).hexdigest()


def support_question(
    *,
    question: Question,
    browser_key: str,
    email: str = "",
    language: str = "fr",
) -> Support:
    """Count one support ("me too") per browser for a public, not yet answered question.

    `email`, if given, is told when the answer is published once its owner has confirmed it:
    a confirmation link is e-mailed (at most one per address and interval). Raises
    AlreadySupported or SupportRefused.
    """
    try:
        with transaction.atomic():
            # Re-checked in the UPDATE itself: a question answered a moment ago is refused.
            counted = Question.objects.filter(
                pk=question.pk, state__in=workflow.SUPPORTABLE_STATES
            ).update(support_count=F("support_count") + 1)
            if not counted:
                raise SupportRefused()
            tallies.supports_added(question, 1)
            support = Support.objects.create(
                question=question,
                supporter_key=supporter_key_digest(browser_key),
                email=email.strip(),
                language=language,
            )
            if support.email and not _support_email_confirmed(support.email):
                _queue_support_email_confirmation(support)
            supports_changed(question_public_id=question.public_id, event_slug=question.event.slug)
    except IntegrityError as error:
        raise AlreadySupported() from error
    forget_live_state(question.event_id)  # committed: the room sees the new count
    question.refresh_from_db(fields=["support_count"])
    return support


def _support_email_confirmed(email: str) -> bool:
    return Support.objects.filter(email__iexact=email, email_confirmed_at__isnull=False).exists()


def _queue_support_email_confirmation(support: Support) -> None:
    """Double opt-in of a supporter's address: one e-mail per address and interval, quoting
    nothing a stranger typed."""
    since = timezone.now() - timedelta(
        seconds=settings.QUESTION_CONFIRMATION_EMAIL_INTERVAL_SECONDS
    )
    if OutboundEmail.objects.filter(
        kind=EmailKind.SUPPORT_EMAIL_CONFIRMATION, to__iexact=support.email, created_at__gte=since
    ).exists():
        return
    token = make_support_email_token(support.email)
    with translation.override(support.language):
        url = absolute_reverse("questions:confirm_support_email", kwargs={"token": token})
    queue_email(
        to=support.email,
        kind=EmailKind.SUPPORT_EMAIL_CONFIRMATION,
        template="questions/email/support_email",
        context={"confirm_url": url, "hours": confirmation_link_hours()},
        language=support.language,
        expires_at=timezone.now()
        + timedelta(seconds=settings.QUESTION_CONFIRMATION_MAX_AGE_SECONDS),
    )


def confirm_support_email(*, email: str) -> int:
    """The supporter opened their link and pressed the button: every support left with this
    address will be told of its answer. Returns how many supports this confirmed."""
    return Support.objects.filter(email__iexact=email, email_confirmed_at__isnull=True).update(
        email_confirmed_at=timezone.now()
    )
