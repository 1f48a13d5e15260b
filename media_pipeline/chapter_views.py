"""The public side of an event's recording: its chapters as a WebVTT file, the `<track
kind="chapters">` of the players on the event page and on the pages of its questions."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from core.cached_pages import public_page
from core.page_cache import event_scope
from media_pipeline import workflow
from media_pipeline.models import AnswerVideo
from media_pipeline.services import recordings


@public_page(scopes=lambda kwargs: [event_scope(kwargs["slug"])])
def chapters_track(request: HttpRequest, slug: str) -> HttpResponse:
    """The published chapters of a published event's published recording (WebVTT)."""
    recording = (
        AnswerVideo.objects.filter(
            event__slug=slug, event__is_published=True, state__in=workflow.PUBLIC
        )
        .select_related("event")
        .first()
    )
    if recording is None:
        raise Http404(_("This event has no published recording."))
    return HttpResponse(recordings.webvtt(recording), content_type="text/vtt; charset=utf-8")
