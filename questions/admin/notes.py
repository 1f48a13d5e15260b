"""The prepared rejection notes, which the moderators write and order themselves."""

from django.contrib import admin

from questions.models import PreparedNote


@admin.register(PreparedNote)
class PreparedNoteAdmin(admin.ModelAdmin):
    list_display = ["title", "reason", "position"]
    list_editable = ["position"]
    list_filter = ["reason"]
    search_fields = ["title", "text"]
    fields = ["title", "reason", "text", "position"]
