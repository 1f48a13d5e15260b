"""The state filter of the question list: each role's default state, counts per state."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from questions.admin.permissions import can_moderate, default_state, visible_states
from questions.selectors import state_counts
from questions.workflow import QuestionState as S


def selected_state(request: HttpRequest) -> str | None:
    """The state the changelist shows (None: every state the user may see)."""
    requested = request.GET.get(StateFilter.parameter_name)
    if requested == StateFilter.ALL:
        return None
    if requested in visible_states(request):
        return requested
    # An action posted without a filter applies to the chosen questions, whatever their state.
    return default_state(request) if request.method == "GET" else None


def counts_for(request: HttpRequest) -> dict[str, int]:
    """Questions per state, over the states this user's role may see."""
    return state_counts(public_only=not can_moderate(request))


def state_summary(request: HttpRequest) -> list[tuple[str, str, int]]:
    """(state, label, count) for each state the user may see, in the workflow's order."""
    counts, labels = counts_for(request), dict(S.choices)
    return [(state, labels[state], counts.get(state, 0)) for state in visible_states(request)]


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
        return [(state, f"{label} ({count})") for state, label, count in state_summary(request)]

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
