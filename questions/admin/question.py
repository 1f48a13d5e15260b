"""The question's list and page in the admin: what is shown, to whom, and never editable."""

from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.template.defaultfilters import linebreaks_filter
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_privacy import PersonalDataLookupsMixin
from core.page_cache import ChangesPublicPagesAdmin
from questions import tallies, workflow
from questions.admin import actions
from questions.admin.bulk import RETURN_TO_FIELD
from questions.admin.columns import QueueColumns
from questions.admin.corrections import correction_view
from questions.admin.filters import StateFilter, selected_state, state_summary
from questions.admin.inlines import ModerationDecisionInline
from questions.admin.masking import mask_email, swap_email_field
from questions.admin.permissions import can_moderate, can_see_email, can_select
from questions.models import Question
from questions.pagination import EstimatedCountPaginator
from questions.selectors import next_in_queue
from questions.workflow import PUBLIC_STATES, QuestionState
from questions.workflow import QuestionState as S

DATES = [
    "created_at",
    "confirmed_at",
    "approved_at",
    "selected_at",
    "answered_at",
    "rejected_at",
    "anonymised_at",
]
MODERATION = [
    "state",
    "rejection_reason",
    "rejection_note",
    "duplicate_of_link",
    "duplicates_list",
    "support_count",
]


@admin.register(Question)
class QuestionAdmin(
    ChangesPublicPagesAdmin, QueueColumns, PersonalDataLookupsMixin, admin.ModelAdmin
):
    # The queue at 1366 px: the question (title, two lines of text) takes the room it needs, the
    # rest is short; the state shows only when no state is chosen (get_list_display).
    list_display = [
        "summary",
        "event_name",
        "theme",
        "language",
        "region",
        "age",
        "support_count",
    ]
    list_display_links = None
    list_filter = [
        StateFilter,
        "event",
        "theme",
        "region",
        "language",
        ("created_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["event", "theme"]
    search_fields = ["title", "text", "display_name"]
    search_help_text = gettext_lazy("Searches titles, texts and display names.")
    sortable_by = ["summary", "age", "support_count"]
    list_per_page = 50
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    inlines = [ModerationDecisionInline]
    actions = actions.ACTIONS
    fieldsets = [
        (
            gettext_lazy("Question"),
            {"fields": ["title", "full_text", "event", "theme", "public_link"]},
        ),
        (
            gettext_lazy("Citizen"),
            {"fields": ["display_name", "citizen_email", "region", "language"]},
        ),
        (gettext_lazy("Moderation"), {"fields": MODERATION}),
        (gettext_lazy("Dates"), {"fields": DATES}),
    ]
    # Only the theme may be corrected; the citizen's words and the workflow fields never.
    readonly_fields = [
        "title",
        "full_text",
        "event",
        "public_link",
        "display_name",
        "citizen_email",
        "region",
        "language",
        *MODERATION,
        *DATES,
    ]

    # --- the statistics' aggregates follow what the admin changes (its save is atomic) ----

    def save_model(self, request, obj, form, change) -> None:
        before = Question.objects.select_for_update().get(pk=obj.pk) if change else None
        super().save_model(request, obj, form, change)
        if before is not None:
            tallies.replaced(before, obj)
        else:
            tallies.questions_created([obj])

    def delete_model(self, request, obj) -> None:
        tallies.questions_deleted([obj.pk])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        tallies.questions_deleted(list(queryset.values_list("pk", flat=True)))
        super().delete_queryset(request, queryset)

    # --- who sees what --------------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not can_moderate(request):
            queryset = queryset.filter(state__in=PUBLIC_STATES)
        return queryset

    def get_ordering(self, request):
        # The moderation queue is worked oldest first; everything else newest first.
        if selected_state(request) == S.SUBMITTED:
            return ["created_at", "pk"]
        return ["-created_at", "-pk"]

    def has_add_permission(self, request) -> bool:
        # Questions come from citizens through the public form and its confirmation e-mail.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting a question would delete its decision history with it. A citizen's erasure
        # request goes through `manage.py delete_personal_data`, which keeps what must be kept.
        return False

    def view_on_site(self, question: Question) -> str | None:
        # Only public questions have a page; a link to a 404 would mislead.
        return question.get_absolute_url() if question.is_public else None

    def has_moderate_permission(self, request) -> bool:
        return can_moderate(request)

    def has_select_permission(self, request) -> bool:
        return can_select(request)

    def get_list_display(self, request):
        if selected_state(request):
            return self.list_display
        return [*self.list_display[:2], "state_badge", *self.list_display[2:]]

    def changelist_view(self, request, extra_context=None):
        state = selected_state(request)
        extra_context = {
            **(extra_context or {}),
            "state_summary": state_summary(request),
            "current_state": state or "",
            "title": QuestionState(state).label if state else _("All questions"),
        }
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["decisions"] = actions.available_decisions(request, obj)
            context["can_correct"] = workflow.can_correct(obj, request.user)
            context["return_to_field"] = RETURN_TO_FIELD
            context["return_to"] = request.path
            if can_moderate(request):
                context["next_url"] = next_url(obj)
                context["next_shortcut"] = actions.NEXT_SHORTCUT
                # A decision on a question of the queue opens the next one.
                if workflow.APPROVE.allows(obj):
                    context["return_to"] = context["next_url"]
                    context["opens_next"] = True
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        if "_savenext" in request.POST and can_moderate(request):
            self.message_user(request, _("“%(title)s” was saved.") % {"title": obj.title})
            return HttpResponseRedirect(next_url(obj))
        return super().response_change(request, obj)

    def get_urls(self):
        return [
            path(
                "next/",
                self.admin_site.admin_view(self.next_view),
                name="questions_question_next",
            ),
            path(
                "<int:pk>/correct/",
                self.admin_site.admin_view(partial(correction_view, self)),
                name="questions_question_correct",
            ),
            *super().get_urls(),
        ]

    def next_view(self, request: HttpRequest) -> HttpResponseRedirect:
        """The next question of the queue after ?after=<id> (or the first), else the queue."""
        if not can_moderate(request):
            raise PermissionDenied
        after_id = request.GET.get("after", "")
        after = Question.objects.filter(pk=after_id).first() if after_id.isdigit() else None
        following = next_in_queue(after=after)
        if following is None:
            self.message_user(request, _("The moderation queue is empty."), messages.SUCCESS)
            return HttpResponseRedirect(
                f"{reverse('admin:questions_question_changelist')}?state={S.SUBMITTED}"
            )
        return HttpResponseRedirect(reverse("admin:questions_question_change", args=[following.pk]))

    def get_fieldsets(self, request, obj=None):
        if not can_see_email(request):
            return self.fieldsets
        return [
            (name, {**options, "fields": swap_email_field(options["fields"])})
            for name, options in self.fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        if not can_see_email(request):
            return self.readonly_fields
        return swap_email_field(self.readonly_fields)

    # --- read-only displays ---------------------------------------------------------------

    @admin.display(description=gettext_lazy("question"))
    def full_text(self, question: Question) -> str:
        return linebreaks_filter(question.text, autoescape=True)

    @admin.display(description=gettext_lazy("e-mail address"))
    def citizen_email(self, question: Question) -> str:
        # Replaced by the real field for holders of questions.view_citizen_email (get_fields).
        return mask_email(question.email)

    @admin.display(description=gettext_lazy("public page"))
    def public_link(self, question: Question) -> str:
        if not question.is_public:
            return _("Not public (“%(state)s”)") % {"state": question.get_state_display()}
        return format_html(
            '<a href="{}">{}</a>', question.get_absolute_url(), question.get_absolute_url()
        )

    @admin.display(description=gettext_lazy("duplicate of"))
    def duplicate_of_link(self, question: Question) -> str:
        if question.duplicate_of_id is None:
            return "–"
        return question_link(question.duplicate_of)

    @admin.display(description=gettext_lazy("duplicates merged into this question"))
    def duplicates_list(self, question: Question) -> str:
        duplicates = question.duplicates.order_by("created_at")
        if not duplicates:
            return "–"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((question_link(other),) for other in duplicates)),
        )


def next_url(question: Question) -> str:
    """Where "next in the queue" leads from this question (decided when followed)."""
    return f"{reverse('admin:questions_question_next')}?after={question.pk}"


def question_link(question: Question) -> str:
    url = reverse("admin:questions_question_change", args=[question.pk])
    return format_html('<a href="{}">{}</a> [{}]', url, question.title, question.public_id)
