"""Staff endpoints of the speech-to-text drafts: the job's status (polled like a transcode's by
status.js) and a new draft on request. Thin: permission, one service, a response."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from media_pipeline import selectors
from media_pipeline.exceptions import MediaPipelineError
from media_pipeline.models import SpeechJob
from media_pipeline.services import speech
from media_pipeline.views import back_to_list, staff_api, staff_page


def speech_status_payload(job: SpeechJob) -> dict:
    return {
        "id": job.video_id,
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "progress": job.progress,
        "language": job.language,
        "error_reason": job.error_reason,
        "busy": job.is_busy,
    }


@require_safe
@never_cache
@staff_api
def speech_status(request: HttpRequest, video_id: int) -> JsonResponse:
    job = get_object_or_404(SpeechJob, video_id=video_id)
    return JsonResponse(speech_status_payload(job))


@require_POST
@staff_page
def redraft(request: HttpRequest, video_id: int) -> HttpResponse:
    video = get_object_or_404(selectors.video_for_staff_queryset(), pk=video_id)
    try:
        speech.redraft_speech(video=video)
        messages.success(request, _("Captions will be drafted again from the video's sound."))
    except MediaPipelineError as error:
        messages.error(request, str(error))
    return back_to_list(request, video)
