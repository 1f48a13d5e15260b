"""The moderation queue's columns: the question (title and two lines of its text), its event
and city, its state as a badge, its age. Sized in moderation.css for a 1366 px laptop."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy

from questions.models import Question


class QueueColumns:
    @admin.display(description=gettext_lazy("question"), ordering="title")
    def summary(self, question: Question) -> str:
        url = reverse("admin:questions_question_change", args=[question.pk])
        return format_html(
            '<a class="hlm-queue__title" href="{}" dir="auto">{}</a>'
            '<span class="hlm-queue__excerpt" dir="auto">{}</span>',
            url,
            question.title,
            question.text,
        )

    @admin.display(description=gettext_lazy("event"), ordering="event__starts_at")
    def event_name(self, question: Question) -> str:
        return format_html(
            '{}<span class="hlm-queue__city">{}</span>',
            question.event.i18n.title,
            question.event.city,
        )

    @admin.display(description=gettext_lazy("state"))
    def state_badge(self, question: Question) -> str:
        return format_html(
            '<span class="hlm-state hlm-state--{}">{}</span>',
            question.state,
            question.get_state_display(),
        )

    @admin.display(description=gettext_lazy("age"), ordering="created_at")
    def age(self, question: Question) -> str:
        return timesince(question.created_at, depth=1)
