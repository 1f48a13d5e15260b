"""The moderation decisions as admin actions (a selection) and as buttons (one question).

Each calls a service of questions.moderation; which button shows on a question comes from the
workflow table (questions.workflow), never from a rule written here.
"""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from questions import workflow
from questions.admin.bulk import decide_each, decide_each_by, intermediate_page, too_many
from questions.admin.forms import DuplicateForm, RejectForm
from questions.models import Question
from questions.moderation import (
    approve_question,
    mark_duplicate,
    reject_question,
    select_for_answer,
    undo_rejection,
    unselect_question,
)
from questions.selectors import merge_candidates


def one_step_decision(name: str, service, permission: str, description, done_message):
    """An admin action for a service that needs only the question and the actor;
    `done_message` is an ngettext_lazy keyed on "count"."""

    @admin.action(permissions=[permission], description=description)
    def decide(model_admin, request, queryset):
        return decide_each_by(model_admin, request, queryset, service, done_message)

    decide.__name__ = name
    return decide


approve_questions = one_step_decision(
    "approve_questions",
    approve_question,
    "moderate",
    gettext_lazy("Approve and publish"),
    ngettext_lazy(
        "%(count)d question approved and published.",
        "%(count)d questions approved and published.",
        "count",
    ),
)
select_questions = one_step_decision(
    "select_questions",
    select_for_answer,
    "select",
    gettext_lazy("Select for a video answer"),
    ngettext_lazy(
        "%(count)d question selected for an answer.",
        "%(count)d questions selected for an answer.",
        "count",
    ),
)
unselect_questions = one_step_decision(
    "unselect_questions",
    unselect_question,
    "select",
    gettext_lazy("Withdraw the selection"),
    ngettext_lazy(
        "%(count)d question no longer selected.",
        "%(count)d questions no longer selected.",
        "count",
    ),
)
undo_rejections = one_step_decision(
    "undo_rejections",
    undo_rejection,
    "moderate",
    gettext_lazy("Undo the rejection"),
    ngettext_lazy(
        "%(count)d question put back in the moderation queue.",
        "%(count)d questions put back in the moderation queue.",
        "count",
    ),
)


@admin.action(permissions=["moderate"], description=gettext_lazy("Reject with a reason…"))
def reject_questions(model_admin, request, queryset):
    if too_many(model_admin, request, queryset):
        return None
    form = RejectForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        reason, note = form.cleaned_data["reason"], form.cleaned_data["note"]
        return decide_each(
            model_admin,
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
    return intermediate_page(
        model_admin,
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
def mark_duplicates(model_admin, request, queryset):
    if too_many(model_admin, request, queryset):
        return None
    form = DuplicateForm(
        request.POST if "apply" in request.POST else None,
        candidates=merge_candidates(queryset),
    )
    if form.is_bound and form.is_valid():
        kept = form.cleaned_data["kept"]
        return decide_each(
            model_admin,
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
    return intermediate_page(
        model_admin,
        request,
        queryset,
        form,
        action="mark_duplicates",
        template="admin/questions/question/duplicate.html",
        title=_("Mark questions as duplicates"),
    )


@admin.action(
    permissions=["select"], description=gettext_lazy("Briefing for the selected questions")
)
def briefing_for_selection(model_admin, request, queryset):
    """Opens the spokesperson's briefing (page, CSV, PDF) for exactly the chosen questions that
    are selected for an answer (the only ones a briefing holds)."""
    ids = list(
        queryset.filter(state=workflow.SELECT_FOR_ANSWER.target)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    left_out = queryset.count() - len(ids)
    if not ids:
        model_admin.message_user(
            request,
            _("None of the chosen questions is selected for an answer: no briefing."),
            messages.WARNING,
        )
        return None
    if left_out:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d chosen question is not selected for an answer: left out.",
                "%(count)d chosen questions are not selected for an answer: left out.",
                left_out,
            )
            % {"count": left_out},
            messages.WARNING,
        )
    query = urlencode({"questions": ",".join(map(str, ids))})
    return HttpResponseRedirect(f"{reverse('questions:briefing')}?{query}")


ACTIONS = [
    approve_questions,
    reject_questions,
    mark_duplicates,
    select_questions,
    unselect_questions,
    undo_rejections,
    briefing_for_selection,
]
# The admin action behind each workflow action that has a button.
BUTTONS = {
    workflow.APPROVE.name: approve_questions,
    workflow.REJECT.name: reject_questions,
    workflow.MARK_DUPLICATE.name: mark_duplicates,
    workflow.UNDO_REJECTION.name: undo_rejections,
    workflow.SELECT_FOR_ANSWER.name: select_questions,
    workflow.UNSELECT.name: unselect_questions,
}


# The keys that press a decision's button on a question's page (shortcuts.js; "n" is the next
# question). Letters, so they work on any keyboard layout that types them.
SHORTCUTS = {workflow.APPROVE.name: "a", workflow.REJECT.name: "r"}
NEXT_SHORTCUT = "n"


def available_decisions(request: HttpRequest, question: Question) -> list[dict]:
    """The buttons shown on a question's page: what this user may do in this state."""
    return [
        {
            "action": BUTTONS[action.name].__name__,
            "label": action.label,
            "shortcut": SHORTCUTS.get(action.name, ""),
        }
        for action in workflow.ACTIONS
        if action.name in BUTTONS and action.allows(question, request.user)
    ]
