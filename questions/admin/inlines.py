from django.contrib import admin
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from questions.models import ModerationDecision


class ModerationDecisionInline(admin.TabularInline):
    """The audit trail: shown on the question, never added, changed or deleted from the admin.
    A moderator's correction shows the citizen's words before it."""

    model = ModerationDecision
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "from_state", "to_state", "reason", "note", "before"]
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

    @admin.display(description=gettext_lazy("citizen’s words before the correction"))
    def before(self, decision: ModerationDecision) -> str:
        if not (decision.original_title or decision.original_text):  # none, or anonymised
            return "–"
        return format_html(
            '<div class="hlm-original" dir="auto"><strong>{}</strong>{}</div>',
            decision.original_title,
            linebreaks_filter(decision.original_text, autoescape=True),
        )
