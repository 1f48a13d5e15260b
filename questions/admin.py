from django.contrib import admin

from questions.models import ModerationDecision, Question


class ModerationDecisionInline(admin.TabularInline):
    model = ModerationDecision
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "from_state", "to_state", "reason", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """A plain first version; the moderation workflow replaces it."""

    list_display = ["title", "event", "theme", "state", "created_at", "support_count", "language"]
    list_filter = ["state", "language", "theme"]
    list_select_related = ["event", "theme"]
    search_fields = ["title", "text", "display_name"]
    readonly_fields = ["state", "public_id", "support_count", "created_at", "email"]
    inlines = [ModerationDecisionInline]
