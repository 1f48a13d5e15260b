"""The e-mail outbox in the admin: what is waiting, what went out, what was abandoned (and why).

Read-only: the outbox sends by itself. Addresses stay masked, in the list and in the server's
error texts, unless the user holds questions.view_citizen_email.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core.admin_privacy import PersonalDataLookupsMixin
from questions import emails
from questions.admin.masking import mask_email
from questions.admin.permissions import can_see_email
from questions.models import OutboundEmail
from questions.outbox_models import EmailKind, kind_label

SENT, WAITING, ABANDONED = "sent", "waiting", "abandoned"
# The list shows the start of an error (the whole text is its tooltip and on the e-mail's page).
ERROR_CHARS_IN_LIST = 60


class DeliveryFilter(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [(WAITING, _("Waiting")), (SENT, _("Sent")), (ABANDONED, _("Abandoned"))]

    def queryset(self, request, queryset: QuerySet[OutboundEmail]) -> QuerySet[OutboundEmail]:
        if self.value() == SENT:
            return queryset.filter(sent_at__isnull=False)
        if self.value() == ABANDONED:
            return queryset.filter(abandoned_at__isnull=False)
        if self.value() == WAITING:
            return queryset.filter(sent_at__isnull=True, abandoned_at__isnull=True)
        return queryset


class KindFilter(admin.SimpleListFilter):
    """The kinds by their names; the same `kind` parameter as the field's own filter."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return EmailKind.choices

    def queryset(self, request, queryset: QuerySet[OutboundEmail]) -> QuerySet[OutboundEmail]:
        return queryset.filter(kind=self.value()) if self.value() else queryset


def unmasked(fields: list[str]) -> list[str]:
    """The real fields instead of their masked displays, for those allowed to see addresses."""
    swap = {"masked_to": "to", "masked_error": "last_error", "short_masked_error": "short_error"}
    return [swap.get(name, name) for name in fields]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(PersonalDataLookupsMixin, admin.ModelAdmin):
    list_display = [
        "kind_name",
        "masked_to",
        "delivery",
        "attempts",
        "created_at",
        "next_attempt_at",
        "expires_at",
        "short_masked_error",
    ]
    list_filter = [DeliveryFilter, KindFilter, "language"]
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    show_full_result_count = False
    fields = [
        "kind_name",
        "masked_to",
        "language",
        "shown_subject",
        "delivery",
        "attempts",
        "created_at",
        "sent_at",
        "next_attempt_at",
        "expires_at",
        "abandoned_at",
        "masked_error",
    ]

    def get_list_display(self, request: HttpRequest) -> list[str]:
        return unmasked(self.list_display) if can_see_email(request) else self.list_display

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return unmasked(self.fields) if can_see_email(request) else self.fields

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return self.get_fields(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("kind"), ordering="kind")
    def kind_name(self, message: OutboundEmail) -> str:
        return kind_label(message.kind)

    @admin.display(description=_("recipient"))
    def masked_to(self, message: OutboundEmail) -> str:
        return mask_email(message.to)

    @admin.display(description=_("subject"))
    def shown_subject(self, message: OutboundEmail) -> str:
        # A confirmation is written by the attempt that sends it: no subject before.
        if emails.needs_rendering(message):
            return str(_("Written when it is sent"))
        return message.subject

    @admin.display(description=_("delivery"))
    def delivery(self, message: OutboundEmail) -> str:
        if message.sent_at:
            return str(_("Sent"))
        if message.abandoned_at:
            return str(_("Abandoned"))
        return str(_("Waiting"))

    @admin.display(description=_("last error"))
    def masked_error(self, message: OutboundEmail) -> str:
        # A refusal names the address: masked like the address itself.
        return message.last_error.replace(message.to, mask_email(message.to))

    @admin.display(description=_("last error"))
    def short_masked_error(self, message: OutboundEmail) -> str:
        return shortened(self.masked_error(message))

    @admin.display(description=_("last error"))
    def short_error(self, message: OutboundEmail) -> str:
        return shortened(message.last_error)


def shortened(error: str) -> str:
    """An error's start for the list, the whole text as its tooltip (the list fits a laptop)."""
    if not error:
        return ""
    return format_html(
        '<span title="{}" dir="auto">{}</span>', error, Truncator(error).chars(ERROR_CHARS_IN_LIST)
    )
