"""Staff pages of the video answers and a small status endpoint (the tus endpoint is `tus.py`).

Views are thin: they check permissions, call one service and render or redirect.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from core.errors import DomainError
from media_pipeline import selectors, workflow
from media_pipeline.exceptions import MediaPipelineError
from media_pipeline.forms import CaptionForm, TranscriptForm
from media_pipeline.models import AnswerVideo
from media_pipeline.services import captions, staff_actions
from questions.models import Question

STAFF_PAGE_SIZE = 20


def staff_page(view):
    """Login required (admin login page), then the video staff permission, else 403."""
    return login_required(permission_required(workflow.STAFF, raise_exception=True)(view))


def staff_api(view):
    """Endpoints used by scripts: 403 instead of a redirect to the login page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated or not request.user.has_perm(workflow.STAFF):
            return HttpResponse(status=403)
        return view(request, *args, **kwargs)

    return wrapper


def video_status_payload(video: AnswerVideo) -> dict:
    return {
        "id": video.pk,
        "state": video.state,
        "state_label": str(video.get_state_display()),
        "progress": video.progress,
        "duration": video.duration_seconds,
        "error_reason": video.error_reason,
        "busy": workflow.is_busy(video.state),
    }


@require_safe
@never_cache
@staff_page
def staff_list(request: HttpRequest) -> HttpResponse:
    """The questions to answer (most supported first) or those answered, by event, paginated."""
    show = request.GET.get("show")
    show = show if show in selectors.STAFF_LISTS else selectors.TO_ANSWER
    events = list(selectors.events_with_questions_to_answer())
    event = next((e for e in events if str(e.pk) == request.GET.get("event", "")), None)
    questions = selectors.questions_for_answer(
        show=show,
        event_id=event.pk if event else None,
        public_id=request.GET.get("question", "")[:12],
    )
    page = Paginator(questions, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for question in page:
        video = getattr(question, "answer_video", None)
        rows.append((question, video, workflow.controls(video, request.user, question=question)))
    return render(
        request,
        "media_pipeline/staff_list.html",
        {
            "rows": rows,
            "page": page,
            "show": show,
            "events": events,
            "event": event,
            "query_string": urlencode({"show": show, **({"event": event.pk} if event else {})}),
            "caption_form": CaptionForm(),
            "upload_url": reverse("media_pipeline:upload_create"),
            "recording_events": selectors.events_for_recording(now=timezone.now()),
        },
    )


@require_safe
@never_cache
@staff_page
def staff_question(request: HttpRequest, question_id: int) -> HttpResponse:
    """One selected or answered question alone: upload, progress, captions, transcript, preview
    and publication, each action coming back here with its message next to the question."""
    question = get_object_or_404(selectors.question_for_staff_queryset(), pk=question_id)
    video = getattr(question, "answer_video", None)
    return render(
        request,
        "media_pipeline/staff_question.html",
        {
            "question": question,
            "video": video,
            "controls": workflow.controls(video, request.user, question=question),
            "on_question_page": True,
            "caption_form": CaptionForm(),
            "upload_url": reverse("media_pipeline:upload_create"),
        },
    )


@require_safe
@never_cache
@staff_api
def video_status(request: HttpRequest, video_id: int) -> JsonResponse:
    video = get_object_or_404(AnswerVideo, pk=video_id)
    return JsonResponse(video_status_payload(video))


def back_to_list(request: HttpRequest, video: AnswerVideo | None = None) -> HttpResponse:
    """Back to the question the action concerned, shown alone (on its own page if the action was
    posted from there, else in the list whatever page it was on), so the message about it appears
    next to it (staff_messages.js)."""
    if video is None:
        return redirect(reverse("media_pipeline:staff"))
    if video.event_id:  # an event's recording has a page of its own
        return redirect(reverse("media_pipeline:staff_recording", args=[video.event.slug]))
    question = Question.objects.only("public_id", "state").get(pk=video.question_id)
    if request.POST.get("back") == "question":
        url = reverse("media_pipeline:staff_question", args=[question.pk])
        return redirect(f"{url}#question-{question.public_id}")
    show = selectors.ANSWERED if question.is_answered else selectors.TO_ANSWER
    query = urlencode({"show": show, "question": question.public_id})
    return redirect(f"{reverse('media_pipeline:staff')}?{query}#question-{question.public_id}")


@require_POST
@staff_page
def retry(request: HttpRequest, video_id: int) -> HttpResponse:
    video = get_object_or_404(selectors.video_for_staff_queryset(), pk=video_id)
    try:
        staff_actions.retry_video(video=video, actor=request.user)
        messages.success(request, _("The video will be processed again."))
    except MediaPipelineError as error:
        messages.error(request, str(error))
    return back_to_list(request, video)


@require_POST
@staff_page
def publish(request: HttpRequest, video_id: int) -> HttpResponse:
    video = get_object_or_404(selectors.video_for_staff_queryset(), pk=video_id)
    if not request.user.has_perm(workflow.PUBLISH.permission):
        return HttpResponse(status=403)
    try:
        staff_actions.publish_video(video=video, actor=request.user)
        messages.success(request, _("The answer is published; the citizens are being notified."))
    except DomainError as error:  # ours or the question's
        messages.error(request, str(error))
    return back_to_list(request, video)


@require_POST
@staff_page
def add_caption(request: HttpRequest, video_id: int) -> HttpResponse:
    video = get_object_or_404(selectors.video_for_staff_queryset(), pk=video_id)
    form = CaptionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            captions.set_caption(
                video=video,
                language=form.cleaned_data["language"],
                content=form.cleaned_data["file"].read(),
                label=form.cleaned_data["label"],
            )
            messages.success(request, _("The captions were saved."))
        except MediaPipelineError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return back_to_list(request, video)


@require_POST
@staff_page
def remove_caption(request: HttpRequest, caption_id: int) -> HttpResponse:
    caption = get_object_or_404(selectors.caption_for_staff_queryset(), pk=caption_id)
    captions.delete_caption(caption=caption)
    messages.success(request, _("The captions were removed."))
    return back_to_list(request, caption.video)


@require_POST
@staff_page
def save_transcript(request: HttpRequest, video_id: int) -> HttpResponse:
    video = get_object_or_404(selectors.video_for_staff_queryset(), pk=video_id)
    form = TranscriptForm(request.POST)
    if form.is_valid():
        captions.set_transcript(video=video, text=form.cleaned_data["transcript"])
        messages.success(request, _("The transcript was saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return back_to_list(request, video)
