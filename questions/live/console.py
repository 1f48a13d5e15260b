"""The moderator's live console (staff with questions.moderate_question): one screen, for a phone
or a laptop, whose every button is a POST that calls one live service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from core.errors import DomainError
from events.models import Event
from questions import workflow
from questions.live import selectors, services
from questions.models import Question, RejectionReason

MOVE_LABELS = {"move_up": gettext_lazy("Move up"), "move_down": gettext_lazy("Move down")}


def console_page(view):
    return never_cache(
        login_required(permission_required(workflow.MODERATE, raise_exception=True)(view))
    )


@require_safe
@console_page
def console_index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "questions/live/console_index.html", {"events": selectors.console_events()}
    )


EVENT_SWITCHES = {
    "go_live": lambda event, user: services.set_live(event=event, actor=user, is_live=True),
    "end_live": lambda event, user: services.set_live(event=event, actor=user, is_live=False),
    "moderation_on": lambda event, user: services.set_live_moderation(
        event=event, actor=user, enabled=True
    ),
    "moderation_off": lambda event, user: services.set_live_moderation(
        event=event, actor=user, enabled=False
    ),
}


@require_http_methods(["GET", "POST"])
@console_page
def console(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.published(), slug=slug)
    if request.method == "POST":
        return act(request, event)
    board = selectors.console(event)
    for question in [*board.queue, *board.shortlist, *board.ranked, *filter(None, [board.now])]:
        question.live_buttons = [
            action
            for action in workflow.LIVE_ACTIONS
            if action.allows(question, request.user)
            # Rejecting from the console: the live-moderation queue only (the admin otherwise).
            and (action is not workflow.REJECT or question.is_undecided)
        ]
    return render(
        request,
        "questions/live/console.html",
        {
            "event": event,
            "board": board,
            "move_labels": MOVE_LABELS,
            "reasons": RejectionReason.choices,
        },
    )


def act(request: HttpRequest, event: Event) -> HttpResponse:
    """One button: an event switch, or a live action on one of the event's questions."""
    name = request.POST.get("action", "")
    back = reverse("live:console", kwargs={"slug": event.slug})
    try:
        if name in EVENT_SWITCHES:
            EVENT_SWITCHES[name](event, request.user)
        else:
            question = Question.objects.filter(
                event=event, public_id=request.POST.get("question", "")
            ).first()
            if question is None:
                raise Http404(_("This question does not exist."))
            services.take_live_action(
                name=name,
                question=question,
                actor=request.user,
                seen_state=request.POST.get("state", ""),
                reason=request.POST.get("reason", ""),
            )
            back += f"#q-{question.public_id}"
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(back)
