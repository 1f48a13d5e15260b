"""The caption editor's page and endpoints (staff): load the cues of one language, save them
(reviewed or still a draft), read an imported WebVTT or SubRip file. Thin: permission, one
service, a response. The page's behaviour lives in static/media_pipeline/caption_editor.js."""

import json

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from media_pipeline import cue_files, selectors, workflow
from media_pipeline.exceptions import MediaPipelineError
from media_pipeline.models import AnswerVideo, Caption
from media_pipeline.services import captions
from media_pipeline.speech.cues import MAX_CHARS_PER_SECOND, MAX_LINE_CHARS
from media_pipeline.views import staff_api, staff_page

MAX_IMPORT_BYTES = 512 * 1024


def editable_video(video_id: int, language: str) -> AnswerVideo:
    if language not in dict(settings.LANGUAGES):
        raise Http404("unknown language")
    video = get_object_or_404(selectors.video_for_editor_queryset(), pk=video_id)
    if not video.mp4:
        raise Http404("the video has not been processed")
    return video


def caption_state(caption: Caption | None) -> dict:
    """What the page needs of the stored captions: cues, review, version (for local drafts)."""
    if caption is None:
        return {"cues": [], "reviewed": False, "automatic": False, "version": ""}
    return {
        "cues": [
            cue_files.PlainCue(cue.start, cue.end, cue.text).as_dict() for cue in caption.cues.all()
        ],
        "reviewed": caption.is_reviewed,
        "automatic": caption.automatic,
        "version": caption.updated_at.isoformat() if caption.updated_at else str(caption.pk),
    }


@require_safe
@never_cache
@staff_page
def editor(request: HttpRequest, video_id: int, language: str) -> HttpResponse:
    video = editable_video(video_id, language)
    by_language = {caption.language: caption for caption in video.captions.all()}
    caption = by_language.get(language)
    source = by_language.get(workflow.PUBLISH_CAPTION_LANGUAGE)
    data = {
        "videoId": video.pk,
        "language": language,
        "saveUrl": reverse("media_pipeline:caption_save", args=[video.pk, language]),
        "importUrl": reverse("media_pipeline:caption_import", args=[video.pk, language]),
        "loginUrl": redirect_to_login(request.get_full_path()).url,
        "maxLineChars": MAX_LINE_CHARS,
        "maxCharsPerSecond": MAX_CHARS_PER_SECOND,
        "stored": caption_state(caption),
        # Another language may start from a copy of the French cues (times kept).
        "copyFrom": caption_state(source)["cues"] if source and language != source.language else [],
    }
    return render(
        request,
        "media_pipeline/caption_editor/page.html",
        {
            "video": video,
            "question": video.question,
            "language": language,
            "language_name": dict(settings.LANGUAGES)[language],
            "caption": caption,
            "languages": [(code, name, by_language.get(code)) for code, name in settings.LANGUAGES],
            "editor_data": data,
        },
    )


def cues_from_payload(raw: list) -> list[cue_files.PlainCue]:
    try:
        return [
            cue_files.PlainCue(float(cue["start"]), float(cue["end"]), str(cue["text"]).strip())
            for cue in raw
        ]
    except (TypeError, KeyError, ValueError) as error:
        raise ValueError("malformed cues") from error


@require_POST
@staff_api
def save(request: HttpRequest, video_id: int, language: str) -> JsonResponse:
    """JSON in ({"cues": [...], "reviewed": bool}), the stored state out (or a reason, 400)."""
    video = editable_video(video_id, language)
    try:
        payload = json.loads(request.body)
        cues = cues_from_payload(payload["cues"])
        caption = captions.save_caption_cues(
            video=video,
            language=language,
            cues=cues,
            reviewed=bool(payload.get("reviewed")),
            actor=request.user,
        )
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "malformed request"}, status=400)
    except MediaPipelineError as error:
        return JsonResponse({"error": str(error)}, status=400)
    caption = selectors.caption_for_editor(caption.pk)
    return JsonResponse(caption_state(caption))


@require_POST
@staff_api
def import_file(request: HttpRequest, video_id: int, language: str) -> JsonResponse:
    """An uploaded .vtt or .srt file read by webvtt-py into cues (nothing stored)."""
    editable_video(video_id, language)
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": "no file"}, status=400)
    file_format = "srt" if upload.name.lower().endswith(".srt") else "vtt"
    try:
        cues = cue_files.parse_cues(upload.read(MAX_IMPORT_BYTES + 1), file_format=file_format)
    except MediaPipelineError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"cues": [cue.as_dict() for cue in cues]})
