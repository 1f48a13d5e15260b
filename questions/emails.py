"""The outbox: e-mails are rows written with the change that causes them, sent by workers.

Staff actions hand the row to a worker once their transaction commits; if the broker is down, the
row waits. Citizens' requests (a question sent, a new link) never call the broker: a submission
burst costs one INSERT per e-mail and an outage cannot slow them. Beat's `dispatch-outbox` (every
OUTBOX_DISPATCH_SECONDS) sends every new row, several dispatches sharing a burst (a row taken by
one is skipped by the others); the periodic sweep sends what is due again. If the
SMTP server is down, the sweep retries with exponential backoff while the e-mail is useful (its
`expires_at`, e.g. the confirmation link's lifetime), then marks it abandoned: staff see it in
the admin, the logs say it, and /healthz's deep check reports the backlog.
"""

import functools
import logging
import smtplib
import uuid
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from core import inserts
from core.i18n import text_direction
from core.tasks import send_task
from questions.email_contexts import CONTEXTS
from questions.models import OutboundEmail, Question

logger = logging.getLogger(__name__)


class ServerUnavailable(Exception):
    """The SMTP server failed (down, timing out, refusing for now): not this e-mail's fault."""


def queue_email(
    *,
    to: str,
    kind: str,
    template: str,
    context: dict | None,
    language: str,
    question: Question | None = None,
    expires_at: datetime | None = None,
    publish: bool = True,
) -> OutboundEmail:
    """Render `<template>_subject.txt`, `.txt` and (if present) `.html` in `language`; store them.

    `context=None`: stored unrendered, rendered when it is sent (render_stored) from its question
    by its kind's builder in email_contexts: a citizen's request does not pay for the templates.
    Must run inside the transaction of the change it reports: the e-mail exists iff it commits.
    It is retried until `expires_at` (by default OUTBOX_GIVE_UP_AFTER_SECONDS from now).
    `publish=False`: no task after commit; beat's dispatch sends it within seconds.
    """
    if context is None:
        if kind not in CONTEXTS or question is None:
            raise ValueError(f"an e-mail of kind {kind!r} cannot be rendered when sent")
        subject = body_text = body_html = ""
    else:
        subject, body_text, body_html = render_email(template, context, language)
    message = OutboundEmail(
        to=to,
        kind=kind,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        template=template if context is None else "",
        language=language,
        question=question,
        message_id=new_message_id(),
        expires_at=expires_at
        or timezone.now() + timedelta(seconds=settings.OUTBOX_GIVE_UP_AFTER_SECONDS),
    )
    inserts.insert(message)  # save()'s work, its INSERT compiled once: a burst writes thousands
    if publish:
        transaction.on_commit(lambda: enqueue_sending(message.pk))
    return message


def render_email(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """(subject, text body, HTML body or "") of `template` in `language`."""
    # The HTML base (questions/email/base.html) declares the reader's language and direction.
    context = {**context, "reader_language": language, "reader_direction": text_direction(language)}
    with translation.override(language):
        subject = " ".join(render_plain_text(f"{template}_subject.txt", context).split())
        body_text = render_plain_text(f"{template}.txt", context)
        try:
            body_html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            body_html = ""
    return subject, body_text, body_html


def needs_rendering(message: OutboundEmail) -> bool:
    """Queued unrendered (queue_email's `context=None`) and not rendered yet."""
    return bool(message.template) and not message.subject


def render_stored(message: OutboundEmail) -> bool:
    """Render an e-mail queued unrendered, from its question as it is now, into the row's
    fields (not saved). False if it cannot be: its question is gone (purged)."""
    question = (
        Question.objects.select_related("event").filter(pk=message.question_id).first()
        if message.question_id
        else None
    )
    if question is None:
        return False
    context = CONTEXTS[message.kind](question)
    message.subject, message.body_text, message.body_html = render_email(
        message.template, context, message.language
    )
    return True


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
    """Send one stored e-mail, at most once per call; True if it was accepted by the server.

    The row is taken (`sending_until`) and committed before the SMTP conversation, and marked
    sent right after it: a worker killed in between makes the sweep send that one e-mail again
    once `sending_until` has passed, never a whole batch; its Message-ID stays the same, so mail
    clients drop the copy. A failure is recorded on the row and retried with backoff.
    """
    try:
        return deliver(message_id)
    except ServerUnavailable:
        return False


def deliver(message_id: int, connection: BaseEmailBackend | None = None) -> bool:
    """send_outbound_email over an open connection; raises ServerUnavailable when the server
    (not the address) failed, after recording it."""
    message = take_for_sending(message_id)
    if message is None:
        return False
    try:
        if connection is not None:
            connection.open()  # kept open for the next e-mails (no-op when already open)
        build_email(message, connection).send()
    except Exception as error:  # noqa: BLE001 - recorded, retried with backoff by the sweep
        record_failure(message, error)
        if connection is not None:
            connection.close()  # reopened by the next send
        if not permanently_refused(error):
            raise ServerUnavailable from error
        return False
    OutboundEmail.objects.filter(pk=message.pk, sending_until=message.sending_until).update(
        sent_at=timezone.now(), sending_until=None, next_attempt_at=None, last_error=""
    )
    # Ids and kinds only: addresses stay out of the logs.
    logger.info("e-mail %s sent", message.pk, extra={"email_kind": message.kind})
    return True


def take_for_sending(message_id: int) -> OutboundEmail | None:
    """Lock, check and take the row for one attempt (committed); None if not to be sent now."""
    now = timezone.now()
    with transaction.atomic():
        message = (
            OutboundEmail.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        )
        if message is None or message.sent_at or message.abandoned_at:
            return None
        if message.sending_until and message.sending_until > now:
            return None  # another worker is talking to the SMTP server about it
        if message.next_attempt_at and message.next_attempt_at > now:
            return None  # backing off
        if now >= useful_until(message):
            abandon(message, now)
            return None
        fields = ["attempts", "sending_until", "message_id"]
        if needs_rendering(message):
            # Rendered once, by its first attempt: every attempt sends the same text.
            if not render_stored(message):
                message.last_error = message.last_error or "its question no longer exists"
                abandon(message, now)
                return None
            fields += ["subject", "body_text", "body_html"]
        message.attempts += 1
        message.sending_until = now + timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT_SECONDS)
        message.message_id = message.message_id or new_message_id()  # rows from before it
        message.save(update_fields=fields)
    return message


def build_email(
    message: OutboundEmail, connection: BaseEmailBackend | None = None
) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        connection=connection,
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Content-Language": message.language, "Message-ID": message.message_id},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email


def new_message_id() -> str:
    """A Message-ID in the sender's domain, unique across rows and databases."""
    return f"<outbox.{uuid.uuid4().hex}@{sender_domain(settings.DEFAULT_FROM_EMAIL)}>"


@functools.lru_cache(maxsize=8)
def sender_domain(from_email: str) -> str:
    """The domain of the sender's address (parsed once: parseaddr is slow, and every
    submission writes an e-mail)."""
    return parseaddr(from_email)[1].rpartition("@")[2] or "localhost"


def useful_until(message: OutboundEmail) -> datetime:
    return message.expires_at or message.created_at + timedelta(
        seconds=settings.OUTBOX_GIVE_UP_AFTER_SECONDS
    )


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt, capped."""
    base, cap = settings.OUTBOX_RETRY_BASE_SECONDS, settings.OUTBOX_RETRY_MAX_SECONDS
    return timedelta(seconds=min(cap, base * 2 ** min(max(attempts - 1, 0), 20)))


def record_failure(message: OutboundEmail, error: Exception) -> None:
    """Back off, or abandon at once an address the server refuses for good (5xx)."""
    now = timezone.now()
    last_error = f"{type(error).__name__}: {error}"[:2000]
    changes = {"sending_until": None, "last_error": last_error}
    if permanently_refused(error):
        changes["abandoned_at"] = now
    else:
        changes["next_attempt_at"] = min(now + retry_delay(message.attempts), useful_until(message))
    OutboundEmail.objects.filter(pk=message.pk, sending_until=message.sending_until).update(
        **changes
    )
    level = logging.ERROR if "abandoned_at" in changes else logging.WARNING
    logger.log(level, "e-mail %s failed (attempt %d): %s", message.pk, message.attempts, last_error)


def permanently_refused(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        return all(code >= 500 for code, _text in error.recipients.values())
    return False


def abandon(message: OutboundEmail, now: datetime) -> None:
    message.abandoned_at = now
    message.save(update_fields=["abandoned_at", "last_error"])
    logger.error(
        "e-mail %s abandoned after %d attempts: %s",
        message.pk,
        message.attempts,
        message.last_error or "never sent",
        extra={"email_kind": message.kind},
    )
