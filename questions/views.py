from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from questions.models import Question


def question_detail(request: HttpRequest, public_id: str, slug: str) -> HttpResponse:
    """A public question's stable page; non-public questions do not exist for the public."""
    question = get_object_or_404(
        Question.objects.public().select_related("event", "theme"), public_id=public_id
    )
    if slug != question.slug:
        return redirect(question, permanent=True)
    return render(request, "questions/detail.html", {"question": question})
