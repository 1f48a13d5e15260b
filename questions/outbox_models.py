"""The outbox: e-mails stored in the transaction of the change that causes them, then sent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from questions.models import Question


class EmailKind(models.TextChoices):
    """What each kind of e-mail is called for staff. Not the field's choices: a label can change,
    or a kind be added, without a migration; a kind missing here shows as its code."""

    QUESTION_CONFIRMATION = "question_confirmation", _("Question confirmation")
    SUPPORT_EMAIL_CONFIRMATION = "support_email_confirmation", _("Support confirmation")
    QUESTION_APPROVED = "question_approved", _("Question approved")
    QUESTION_REJECTED = "question_rejected", _("Question rejected")
    QUESTION_MERGED = "question_merged", _("Question merged into a duplicate")
    QUESTION_CORRECTED = "question_corrected", _("Question corrected")
    QUESTION_ANSWERED = "question_answered", _("Answer published")


def kind_label(kind: str) -> str:
    """The translated name of an e-mail kind (its code if the kind is unknown)."""
    try:
        return str(EmailKind(kind).label)
    except ValueError:
        return kind


class OutboundEmail(models.Model):
    """Outbox: e-mails written in the same transaction as the change that causes them.

    A task sends them after commit; a periodic sweep sends whatever the broker missed or the
    SMTP server refused, with backoff, until `expires_at` (when the e-mail is no longer useful,
    e.g. its confirmation link has expired); then it is `abandoned` and staff see it.
    """

    to = models.EmailField(_("recipient"))
    # Empty until sent for an e-mail rendered when it is sent (`template` set): a citizen's
    # submission stores the row only; the first attempt renders it and keeps the text.
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    template = models.CharField(max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES)
    kind = models.CharField(_("kind"), max_length=40)
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="emails"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # No attempt before this (backoff after a failure); empty: as soon as possible.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # A worker is handing it to the SMTP server; if that worker dies, it is tried again after.
    sending_until = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("useful until"), null=True, blank=True)
    abandoned_at = models.DateTimeField(_("abandoned at"), null=True, blank=True)
    # The same Message-ID for every attempt: mail clients drop the copy a crash may send.
    message_id = models.CharField(max_length=250, blank=True)

    PERSONAL_FIELDS = ("to", "body_text", "body_html")

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_unsent_idx",
                condition=Q(sent_at__isnull=True),
            ),
            models.Index(fields=["to"], name="outbox_to_idx"),
            # One confirmation e-mail per address and interval, whatever its case: the check on
            # each submission reads the address's recent rows, not a burst's.
            models.Index(Upper("to"), "kind", "created_at", name="outbox_to_upper_idx"),
        ]

    def __str__(self) -> str:
        # No address: the admin's title and breadcrumbs show it to every moderator.
        return f"{kind_label(self.kind)} #{self.pk}"
