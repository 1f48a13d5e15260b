from django.contrib import admin

from events.models import Event, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "city", "region", "starts_at", "questions_close_at", "is_published"]
    list_filter = ["is_published", "region"]
    search_fields = ["title", "city", "venue"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes"]
    date_hierarchy = "starts_at"
