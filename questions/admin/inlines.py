from django.contrib import admin
from django.utils.translation import gettext_lazy

from questions.models import ModerationDecision


class ModerationDecisionInline(admin.TabularInline):
    """The audit trail: shown on the question, never added, changed or deleted from the admin."""

    model = ModerationDecision
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "from_state", "to_state", "reason", "note"]
    readonly_fields = fields
    ordering = ["created_at", "pk"]
    verbose_name_plural = gettext_lazy("decision history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
