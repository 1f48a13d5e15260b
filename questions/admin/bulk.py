"""Run one decision over a selection of questions: one transaction per question, every refusal
reported with the question's name and the reason, then back to the page the user came from."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from questions.exceptions import QuestionError
from questions.models import Question

# A bulk decision is one transaction per question; beyond this, ask for a narrower selection.
MAX_BULK_DECISIONS = 500
# How many refusals a bulk action lists one by one before summarising the rest.
MAX_LISTED_REFUSALS = 20
RETURN_TO_FIELD = "_return_to"


def decide_each_by(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    service: Callable[..., Question],
    success: str,
) -> HttpResponse | None:
    """decide_each for a service that needs only the question and the actor; `success` is
    an ngettext_lazy message keyed on "count"."""
    return decide_each(
        model_admin,
        request,
        queryset,
        lambda question: service(question=question, actor=request.user),
        success=lambda n: success % {"count": n},
    )


def decide_each(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    decide: Callable[[Question], Question],
    *,
    success: Callable[[int], str],
) -> HttpResponse | None:
    """Apply one decision per question, each in its own transaction; report successes
    and every refusal with the question's name and the reason."""
    if too_many(model_admin, request, queryset):
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
        model_admin.message_user(request, success(done), messages.SUCCESS)
    report_refusals(model_admin, request, refused)
    return redirect_back(request)


def report_refusals(model_admin: admin.ModelAdmin, request: HttpRequest, refused: list[str]):
    for message in refused[:MAX_LISTED_REFUSALS]:
        model_admin.message_user(request, _("Refused: %(why)s") % {"why": message}, messages.ERROR)
    if len(refused) > MAX_LISTED_REFUSALS:
        rest = len(refused) - MAX_LISTED_REFUSALS
        model_admin.message_user(
            request,
            ngettext("… and %(count)d more refused.", "… and %(count)d more refused.", rest)
            % {"count": rest},
            messages.ERROR,
        )


def too_many(model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> bool:
    if queryset[: MAX_BULK_DECISIONS + 1].count() <= MAX_BULK_DECISIONS:
        return False
    model_admin.message_user(
        request,
        _("Select at most %(max)d questions for one decision.") % {"max": MAX_BULK_DECISIONS},
        messages.ERROR,
    )
    return True


def intermediate_page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    form,
    *,
    action: str,
    template: str,
    title: str,
) -> TemplateResponse:
    """The page that asks what a decision needs (a reason, the question to keep)."""
    questions = list(queryset.select_related("event").order_by("created_at", "pk"))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.model._meta,
        "questions": questions,
        # Cancelling a decision on one question goes back to it (return_to may be the next one).
        "cancel_to": (
            reverse("admin:questions_question_change", args=[questions[0].pk])
            if len(questions) == 1
            else ""
        ),
        "form": form,
        "action": action,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "return_to_field": RETURN_TO_FIELD,
        "return_to": safe_return_to(request) or "",
    }
    return TemplateResponse(request, template, context)


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
