"""Moderation in the Django admin: the queue, decisions (single and bulk), roles, audit trail.

Every decision calls a service of questions.moderation; this module only turns requests into
service calls and domain errors into messages naming the question.
"""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import linebreaks_filter
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from core.admin_privacy import PersonalDataLookupsMixin
from questions.admin_forms import DuplicateForm, RejectForm
from questions.exceptions import QuestionError
from questions.models import PUBLIC_STATES, ModerationDecision, Question, QuestionState
from questions.moderation import (
    MERGE_TARGET_STATES,
    approve_question,
    can_undo_rejection,
    mark_duplicate,
    reject_question,
    select_for_answer,
    undo_rejection,
    unselect_question,
)
from questions.pagination import EstimatedCountPaginator

S = QuestionState
# A bulk decision is one transaction per question; beyond this, ask for a narrower selection.
MAX_BULK_DECISIONS = 500
# How many refusals a bulk action lists one by one before summarising the rest.
MAX_LISTED_REFUSALS = 20
RETURN_TO_FIELD = "_return_to"
STATE_COUNTS_CACHE_KEY = "questions:admin:state-counts:{scope}"
STATE_COUNTS_CACHE_SECONDS = 20


def can_moderate(request: HttpRequest) -> bool:
    return request.user.has_perm("questions.moderate_question")


def can_select(request: HttpRequest) -> bool:
    return request.user.has_perm("questions.select_question")


def can_see_email(request: HttpRequest) -> bool:
    return request.user.has_perm("questions.view_citizen_email")


def mask_email(address: str) -> str:
    """'camille.d@example.org' → 'c•••@•••.org': enough to tell two apart, not to write."""
    if "@" not in address:
        return "•••" if address else ""
    local, domain = address.rsplit("@", 1)
    tld = domain.rsplit(".", 1)[-1] if "." in domain else ""
    return f"{local[:1]}•••@•••.{tld}" if tld else f"{local[:1]}•••@•••"


def visible_states(request: HttpRequest) -> list[str]:
    """Moderators and superusers see every state; the spokesperson's staff only public ones."""
    if can_moderate(request):
        return list(S.values)
    return [str(state) for state in PUBLIC_STATES]


def default_state(request: HttpRequest) -> str:
    """What each role opens first: moderators the queue, the spokesperson's staff the
    published questions they choose from."""
    return S.SUBMITTED if can_moderate(request) else S.APPROVED


def selected_state(request: HttpRequest) -> str | None:
    """The state the changelist shows (None: every state the user may see)."""
    requested = request.GET.get(StateFilter.parameter_name)
    if requested == StateFilter.ALL:
        return None
    if requested in visible_states(request):
        return requested
    # An action posted without a filter applies to the chosen questions, whatever their state.
    return default_state(request) if request.method == "GET" else None


def state_counts(request: HttpRequest) -> dict[str, int]:
    """Questions per state for the user's role: one GROUP BY over an index, cached briefly
    (a moderator's own decisions clear it, see forget_state_counts)."""
    states = visible_states(request)
    key = STATE_COUNTS_CACHE_KEY.format(scope="all" if len(states) == len(S.values) else "public")
    counts = cache.get(key)
    if counts is None:
        rows = Question.objects.order_by().values_list("state").annotate(total=Count("*"))
        if len(states) < len(S.values):
            rows = rows.filter(state__in=states)
        counts = dict(rows)
        cache.set(key, counts, STATE_COUNTS_CACHE_SECONDS)
    return counts


def forget_state_counts() -> None:
    cache.delete_many([STATE_COUNTS_CACHE_KEY.format(scope=s) for s in ("all", "public")])


class StateFilter(admin.SimpleListFilter):
    """Filter by state, each choice showing how many questions are in it; opens on the
    role's default state, with an explicit "All"."""

    title = gettext_lazy("state")
    parameter_name = "state"
    ALL = "all"

    def __init__(self, request, params, model, model_admin) -> None:
        self.request = request
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        counts = state_counts(request)
        labels = dict(S.choices)
        return [
            (state, f"{labels[state]} ({counts.get(state, 0)})")
            for state in visible_states(request)
        ]

    def choices(self, changelist):
        current = selected_state(self.request)
        yield {
            "selected": current is None,
            "query_string": changelist.get_query_string({self.parameter_name: self.ALL}),
            "display": _("All"),
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        state = selected_state(request)
        return queryset.filter(state=state) if state else queryset


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


@admin.register(Question)
class QuestionAdmin(PersonalDataLookupsMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "event",
        "theme",
        "state",
        "age",
        "support_count",
        "language",
        "region",
    ]
    list_display_links = ["title"]
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
    sortable_by = ["title", "age", "support_count"]
    list_per_page = 50
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    inlines = [ModerationDecisionInline]
    actions = [
        "approve_questions",
        "reject_questions",
        "mark_duplicates",
        "select_questions",
        "unselect_questions",
        "undo_rejections",
    ]
    fieldsets = [
        (
            gettext_lazy("Question"),
            {"fields": ["title", "full_text", "event", "theme", "public_link"]},
        ),
        (
            gettext_lazy("Citizen"),
            {"fields": ["display_name", "citizen_email", "region", "language"]},
        ),
        (
            gettext_lazy("Moderation"),
            {
                "fields": [
                    "state",
                    "rejection_reason",
                    "rejection_note",
                    "duplicate_of_link",
                    "duplicates_list",
                    "support_count",
                ]
            },
        ),
        (
            gettext_lazy("Dates"),
            {
                "fields": [
                    "created_at",
                    "confirmed_at",
                    "approved_at",
                    "selected_at",
                    "answered_at",
                    "rejected_at",
                    "anonymised_at",
                ]
            },
        ),
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
        "state",
        "rejection_reason",
        "rejection_note",
        "duplicate_of_link",
        "duplicates_list",
        "support_count",
        "created_at",
        "confirmed_at",
        "approved_at",
        "selected_at",
        "answered_at",
        "rejected_at",
        "anonymised_at",
    ]

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

    def changelist_view(self, request, extra_context=None):
        counts = state_counts(request)
        labels = dict(S.choices)
        extra_context = {
            **(extra_context or {}),
            "state_summary": [
                (state, labels[state], counts.get(state, 0)) for state in visible_states(request)
            ],
            "current_state": selected_state(request) or "",
        }
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["decisions"] = self.available_decisions(request, obj)
            context["return_to_field"] = RETURN_TO_FIELD
        return super().render_change_form(request, context, add, change, form_url, obj)

    def available_decisions(self, request: HttpRequest, question: Question) -> list[dict]:
        """The buttons shown on a question's page: what this user may do in this state."""
        decisions = []
        if can_moderate(request):
            if question.state == S.SUBMITTED:
                decisions.append({"action": "approve_questions", "label": _("Approve")})
            if question.state in (S.SUBMITTED, S.APPROVED):
                decisions.append({"action": "reject_questions", "label": _("Reject…")})
                decisions.append({"action": "mark_duplicates", "label": _("Mark as duplicate of…")})
            if question.state == S.REJECTED and can_undo_rejection(question):
                decisions.append({"action": "undo_rejections", "label": _("Undo the rejection")})
        if can_select(request) and question.state == S.APPROVED:
            decisions.append({"action": "select_questions", "label": _("Select for an answer")})
        if can_select(request) and question.state == S.SELECTED:
            decisions.append({"action": "unselect_questions", "label": _("Withdraw the selection")})
        return decisions

    # --- read-only displays ---------------------------------------------------------------

    @admin.display(description=gettext_lazy("age"), ordering="created_at")
    def age(self, question: Question) -> str:
        return timesince(question.created_at)

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
        return self.question_link(question.duplicate_of)

    @admin.display(description=gettext_lazy("duplicates merged into this question"))
    def duplicates_list(self, question: Question) -> str:
        duplicates = question.duplicates.order_by("created_at")
        if not duplicates:
            return "–"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li>{}</li>", ((self.question_link(other),) for other in duplicates)
            ),
        )

    def question_link(self, question: Question) -> str:
        url = reverse("admin:questions_question_change", args=[question.pk])
        return format_html('<a href="{}">{}</a> [{}]', url, question.title, question.public_id)

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

    # --- actions --------------------------------------------------------------------------

    @admin.action(permissions=["moderate"], description=gettext_lazy("Approve and publish"))
    def approve_questions(self, request, queryset):
        return self.decide_each_by(
            request,
            queryset,
            approve_question,
            ngettext_lazy(
                "%(count)d question approved and published.",
                "%(count)d questions approved and published.",
                "count",
            ),
        )

    @admin.action(permissions=["moderate"], description=gettext_lazy("Reject with a reason…"))
    def reject_questions(self, request, queryset):
        if too_many(self, request, queryset):
            return None
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason, note = form.cleaned_data["reason"], form.cleaned_data["note"]
            return self.decide_each(
                request,
                queryset,
                lambda question: reject_question(
                    question=question, actor=request.user, reason=reason, note=note
                ),
                success=lambda n: (
                    ngettext("%(count)d question rejected.", "%(count)d questions rejected.", n)
                    % {"count": n}
                ),
            )
        return self.intermediate_page(
            request,
            queryset,
            form,
            action="reject_questions",
            template="admin/questions/question/reject.html",
            title=_("Reject questions"),
        )

    @admin.action(
        permissions=["moderate"], description=gettext_lazy("Mark as duplicates of a question…")
    )
    def mark_duplicates(self, request, queryset):
        if too_many(self, request, queryset):
            return None
        form = DuplicateForm(
            request.POST if "apply" in request.POST else None,
            candidates=merge_candidates(queryset),
        )
        if form.is_bound and form.is_valid():
            kept = form.cleaned_data["kept"]
            return self.decide_each(
                request,
                queryset.exclude(pk=kept.pk),
                lambda question: mark_duplicate(question=question, of=kept, actor=request.user),
                success=lambda n: (
                    ngettext(
                        "%(count)d question merged into “%(kept)s”.",
                        "%(count)d questions merged into “%(kept)s”.",
                        n,
                    )
                    % {"count": n, "kept": kept.title}
                ),
            )
        return self.intermediate_page(
            request,
            queryset,
            form,
            action="mark_duplicates",
            template="admin/questions/question/duplicate.html",
            title=_("Mark questions as duplicates"),
        )

    @admin.action(permissions=["select"], description=gettext_lazy("Select for a video answer"))
    def select_questions(self, request, queryset):
        return self.decide_each_by(
            request,
            queryset,
            select_for_answer,
            ngettext_lazy(
                "%(count)d question selected for an answer.",
                "%(count)d questions selected for an answer.",
                "count",
            ),
        )

    @admin.action(permissions=["select"], description=gettext_lazy("Withdraw the selection"))
    def unselect_questions(self, request, queryset):
        return self.decide_each_by(
            request,
            queryset,
            unselect_question,
            ngettext_lazy(
                "%(count)d question no longer selected.",
                "%(count)d questions no longer selected.",
                "count",
            ),
        )

    @admin.action(permissions=["moderate"], description=gettext_lazy("Undo the rejection"))
    def undo_rejections(self, request, queryset):
        return self.decide_each_by(
            request,
            queryset,
            undo_rejection,
            ngettext_lazy(
                "%(count)d question put back in the moderation queue.",
                "%(count)d questions put back in the moderation queue.",
                "count",
            ),
        )

    def decide_each_by(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        service: Callable[..., Question],
        success: str,
    ) -> HttpResponse | None:
        """decide_each for a service that needs only the question and the actor; `success` is
        an ngettext_lazy message keyed on "count"."""
        return self.decide_each(
            request,
            queryset,
            lambda question: service(question=question, actor=request.user),
            success=lambda n: success % {"count": n},
        )

    def decide_each(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        decide: Callable[[Question], Question],
        *,
        success: Callable[[int], str],
    ) -> HttpResponse | None:
        """Apply one decision per question, each in its own transaction; report successes
        and every refusal with the question's name and the reason."""
        if too_many(self, request, queryset):
            return None
        done, refused = 0, []
        for question in queryset.order_by("created_at", "pk"):
            try:
                decide(question)
            except QuestionError as error:
                refused.append(error.message)
            else:
                done += 1
        if done:
            forget_state_counts()
            self.message_user(request, success(done), messages.SUCCESS)
        for message in refused[:MAX_LISTED_REFUSALS]:
            self.message_user(request, _("Refused: %(why)s") % {"why": message}, messages.ERROR)
        if len(refused) > MAX_LISTED_REFUSALS:
            rest = len(refused) - MAX_LISTED_REFUSALS
            self.message_user(
                request,
                ngettext("… and %(count)d more refused.", "… and %(count)d more refused.", rest)
                % {"count": rest},
                messages.ERROR,
            )
        return redirect_back(request)

    def intermediate_page(
        self, request, queryset, form, *, action: str, template: str, title: str
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "questions": queryset.select_related("event").order_by("created_at", "pk"),
            "form": form,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "return_to_field": RETURN_TO_FIELD,
            "return_to": safe_return_to(request) or "",
        }
        return TemplateResponse(request, template, context)


def swap_email_field(fields):
    return [("email" if name == "citizen_email" else name) for name in fields]


def merge_candidates(queryset: QuerySet) -> QuerySet:
    """Questions a selection may be merged into: live ones of the same events, most supported
    first, plus the selected questions themselves (one of them may be the one to keep)."""
    selected = list(queryset.values_list("pk", "event_id"))
    pks = [pk for pk, _event in selected]
    events = {event for _pk, event in selected}
    same_events = (
        Question.objects.filter(event__in=events, state__in=MERGE_TARGET_STATES)
        .order_by("-support_count", "created_at")
        .values_list("pk", flat=True)[:30]
    )
    return (
        Question.objects.filter(pk__in=[*pks, *same_events], state__in=MERGE_TARGET_STATES)
        .select_related("event")
        .order_by("-support_count", "created_at")
    )


def too_many(model_admin, request: HttpRequest, queryset: QuerySet) -> bool:
    if queryset[: MAX_BULK_DECISIONS + 1].count() <= MAX_BULK_DECISIONS:
        return False
    model_admin.message_user(
        request,
        _("Select at most %(max)d questions for one decision.") % {"max": MAX_BULK_DECISIONS},
        messages.ERROR,
    )
    return True


def safe_return_to(request: HttpRequest) -> str | None:
    """The page a decision taken on a question's page goes back to (same host only)."""
    target = request.POST.get(RETURN_TO_FIELD, "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def redirect_back(request: HttpRequest) -> HttpResponseRedirect | None:
    target = safe_return_to(request)
    return HttpResponseRedirect(target) if target else None
