"""The outbox: e-mails are rows written with the change that causes them, sent after commit.

If the broker is down when the change commits, the row waits; the periodic sweep sends it.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from core.i18n import text_direction
from core.tasks import send_task
from questions.models import OutboundEmail, Question

logger = logging.getLogger(__name__)
MAX_SEND_ATTEMPTS = 10


def queue_email(
    *,
    to: str,
    kind: str,
    template: str,
    context: dict,
    language: str,
    question: Question | None = None,
) -> OutboundEmail:
    """Render `<template>_subject.txt`, `.txt` and (if present) `.html` in `language`; store them.

    Must run inside the transaction of the change it reports: the e-mail exists iff it commits.
    """
    # The HTML base (questions/email/base.html) declares the reader's language and direction.
    context = {**context, "reader_language": language, "reader_direction": text_direction(language)}
    # The HTML base (questions/email/base.html) declares the reader's language and direction.
    context = {**context, "reader_language": language, "reader_direction": text_direction(language)}
    with translation.override(language):
        subject = " ".join(render_plain_text(f"{template}_subject.txt", context).split())
        body_text = render_plain_text(f"{template}.txt", context)
        try:
            body_html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            body_html = ""
    message = OutboundEmail.objects.create(
        to=to,
        kind=kind,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=language,
        question=question,
    )
    transaction.on_commit(lambda: enqueue_sending(message.pk))
    return message


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a text template without HTML escaping (a subject is not HTML)."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def enqueue_sending(message_id: int) -> None:
    """Hand the e-mail to a worker; if the broker is unreachable, the sweep will send it."""
    try:
        send_task("questions.send_outbound_email", message_id=message_id)
    except Exception as error:  # noqa: BLE001 - any broker failure leaves the row for the sweep
        logger.warning(
            "broker unreachable; e-mail %s left for the outbox sweep: %s", message_id, error
        )


def send_outbound_email(*, message_id: int) -> bool:
    """Send one stored e-mail once. Returns True if it was sent by this call."""
    with transaction.atomic():
        message = OutboundEmail.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.sent_at is not None:
            return False
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers={"Content-Language": message.language},
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        message.attempts += 1
        try:
            email.send()
        except Exception as error:  # noqa: BLE001 - recorded and retried by the sweep
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            message.save(update_fields=["attempts", "last_error"])
            logger.warning("e-mail %s failed: %s", message.pk, message.last_error)
            return False
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "last_error", "sent_at"])
    # Ids and kinds only: addresses stay out of the logs.
    logger.info("e-mail %s sent", message.pk, extra={"email_kind": message.kind})
    return True


def pending_email_ids(*, older_than: timedelta = timedelta(seconds=30)) -> list[int]:
    """Unsent e-mails that a task should already have sent (give on_commit a head start)."""
    return list(
        OutboundEmail.objects.filter(
            sent_at__isnull=True,
            attempts__lt=MAX_SEND_ATTEMPTS,
            created_at__lte=timezone.now() - older_than,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )


def sweep_outbox() -> int:
    """Send what the broker missed. Returns how many e-mails were sent."""
    return sum(send_outbound_email(message_id=pk) for pk in pending_email_ids())
