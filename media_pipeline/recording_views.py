"""The staff page of an event's recording (the tour day, after the event): upload it through the
same resumable pipeline as answers, follow its processing, then place each question answered on
stage on a timeline beside the video and publish those chapters.

Views are thin: permissions, one service call, a redirect back to the page with a message. The
timeline's behaviour (playhead buttons, keyboard nudges) lives in static/media_pipeline/timeline.js;
without it, the page is a plain form of typed times.
"""

import re

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from events.models import Event
from media_pipeline import selectors, workflow
from media_pipeline.exceptions import MediaPipelineError
from media_pipeline.forms import CaptionForm
from media_pipeline.models import AnswerVideo, RecordingChapter
from media_pipeline.services import recordings
from media_pipeline.views import staff_page

# "75", "75.5", "1:15", "1:15.5", "0:01:15.5" (a comma as decimal mark too, as French types it).
CLOCK = re.compile(r"^(?:(\d{1,2}):)??(?:(\d{1,3}):)?(\d{1,5}(?:[.,]\d{1,3})?)$")


def parse_clock(text: str) -> float | None:
    """Seconds from a typed time (h:mm:ss.s, m:ss.s or seconds), None if it is not one."""
    match = CLOCK.match(text.strip())
    if match is None:
        return None
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds.replace(",", "."))


def recording_event(slug: str) -> Event:
    return get_object_or_404(Event.objects.filter(is_published=True), slug=slug)


def back_to_recording(event: Event) -> HttpResponse:
    return redirect(reverse("media_pipeline:staff_recording", args=[event.slug]) + "#chapters")


@require_safe
@never_cache
@staff_page
def staff_recording(request: HttpRequest, slug: str) -> HttpResponse:
    """The recording: upload, processing status, preview and publication, then its chapters on
    a timeline beside the video."""
    event = recording_event(slug)
    video = selectors.recording_for_staff(event)
    chapters = list(video.chapters.all()) if video else []
    return render(
        request,
        "media_pipeline/staff_recording.html",
        {
            "event": event,
            "video": video,
            "controls": workflow.controls(video, request.user, event=event),
            "chapters": chapters,
            "chapters_to_publish": any(c.published_at is None for c in chapters),
            "can_publish_chapters": request.user.has_perm(workflow.PUBLISHER),
            "caption_form": CaptionForm(),
            "upload_url": reverse("media_pipeline:upload_create"),
        },
    )


def processed_recording(event: Event) -> AnswerVideo:
    return get_object_or_404(
        AnswerVideo.objects.filter(event=event, state__in=workflow.HAS_OUTPUTS)
    )


@require_POST
@staff_page
def save_chapters(request: HttpRequest, slug: str) -> HttpResponse:
    """Every chapter's typed (or playhead-set) start and end; all saved, or none."""
    event = recording_event(slug)
    video = processed_recording(event)
    chapters = list(RecordingChapter.objects.filter(recording=video).select_related("recording"))
    errors = []
    try:
        with transaction.atomic():
            for chapter in chapters:
                start = parse_clock(request.POST.get(f"start-{chapter.pk}", ""))
                end = parse_clock(request.POST.get(f"end-{chapter.pk}", ""))
                if start is None or end is None:
                    errors.append(_("Type times as minutes:seconds, e.g. 12:34.5."))
                    continue
                if (start, end) != (chapter.start_seconds, chapter.end_seconds):
                    recordings.set_chapter_times(chapter=chapter, start=start, end=end)
            if errors:
                transaction.set_rollback(True)
    except MediaPipelineError as error:
        errors.append(str(error))
    if errors:
        messages.error(request, errors[0])
    else:
        messages.success(request, _("The chapters' times were saved."))
    return back_to_recording(event)


@require_POST
@staff_page
def prefill(request: HttpRequest, slug: str) -> HttpResponse:
    """Chapters for questions put on stage since the recording was processed (others kept)."""
    event = recording_event(slug)
    video = processed_recording(event)
    before = video.chapters.count()
    added = len(recordings.prefill_chapters(video)) - before
    messages.success(
        request,
        ngettext("%(count)d chapter added.", "%(count)d chapters added.", added) % {"count": added},
    )
    return back_to_recording(event)


@require_POST
@staff_page
def publish_chapters(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish the chapters: each question answered on stage becomes answered, its author and
    supporters are told."""
    if not request.user.has_perm(workflow.PUBLISHER):
        return HttpResponse(status=403)
    event = recording_event(slug)
    video = processed_recording(event)
    try:
        answered = recordings.publish_chapters(recording=video, actor=request.user)
    except MediaPipelineError as error:
        messages.error(request, str(error))
        return back_to_recording(event)
    messages.success(
        request,
        ngettext(
            "Chapters published: %(count)d question is answered; its author and supporters "
            "are being told.",
            "Chapters published: %(count)d questions are answered; their authors and "
            "supporters are being told.",
            len(answered),
        )
        % {"count": len(answered)},
    )
    return back_to_recording(event)
