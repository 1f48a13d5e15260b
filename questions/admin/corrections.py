"""A moderator corrects a question's title or text from its page in the admin (a typo, personal
data in the text) through questions.moderation.correct_question."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from questions import workflow
from questions.admin.forms import CorrectionForm
from questions.exceptions import QuestionError
from questions.moderation import correct_question


def correction_view(model_admin: admin.ModelAdmin, request: HttpRequest, pk: int) -> HttpResponse:
    question = model_admin.get_object(request, str(pk))
    if question is None:
        raise Http404
    if not workflow.can_correct(question, request.user):
        raise PermissionDenied
    back = reverse("admin:questions_question_change", args=[question.pk])
    form = CorrectionForm(
        request.POST if request.method == "POST" else None,
        initial={"title": question.title, "text": question.text},
    )
    if form.is_valid():
        try:
            corrected = correct_question(question=question, actor=request.user, **form.cleaned_data)
        except QuestionError as error:
            model_admin.message_user(request, error.message, messages.ERROR)
        else:
            if form.has_changed():
                model_admin.message_user(
                    request,
                    _("“%(title)s” is corrected; its author is told by e-mail.")
                    % {"title": corrected.title},
                    messages.SUCCESS,
                )
        return HttpResponseRedirect(back)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Correct the question"),
        "opts": model_admin.model._meta,
        "original": question,
        "form": form,
        "cancel_to": back,
    }
    return TemplateResponse(request, "admin/questions/question/correct.html", context)
