"""Captions (WebVTT, one file per language, its cues in rows) and the transcript of a video.
Replacing or deleting captions removes the stored file once the transaction commits.

Captions a person wrote (uploaded or saved in the editor as reviewed) count as reviewed; drafts
from speech-to-text are `automatic` and unreviewed until a staff member marks them reviewed."""

import uuid
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.page_cache import site_changed
from media_pipeline import cue_files, storage_ops, workflow
from media_pipeline.exceptions import PublishRefused
from media_pipeline.models import AnswerVideo, Caption, CaptionCue
from media_pipeline.speech.cues import Cue, to_transcript
from media_pipeline.webvtt import validate_webvtt

# Stored and served as WebVTT whatever happens to a name: never HTML a browser would run.
WEBVTT_CONTENT_TYPE = "text/vtt; charset=utf-8"


@transaction.atomic
def set_caption(
    *,
    video: AnswerVideo,
    language: str,
    content: bytes,
    label: str = "",
    automatic: bool = False,
    reviewed: bool = True,
    actor: AbstractBaseUser | None = None,
) -> Caption:
    """Validate a WebVTT file and make it the video's captions in `language` (replacing any);
    its cues are stored in rows for the editor and the search."""
    validate_webvtt(content)
    cues = cue_files.parse_cues(content)
    if language not in dict(settings.LANGUAGES):
        raise PublishRefused(_("Unknown language."))
    caption = Caption.objects.select_for_update().filter(video=video, language=language).first()
    previous = caption.file.name if caption else ""
    caption = caption or Caption(video=video, language=language)
    caption.label = label or caption.label or str(dict(settings.LANGUAGES)[language])
    caption.automatic = automatic
    if reviewed:
        caption.reviewed_at = timezone.now()
        caption.reviewed_by = actor if actor is not None and actor.is_authenticated else None
    else:
        caption.reviewed_at = caption.reviewed_by = None
    # Never the uploader's file name: ours, unguessable, always `.vtt`.
    owner = video.event.slug if video.event_id else video.question.public_id
    name = f"{owner}-{language}-{uuid.uuid4().hex[:8]}.vtt"
    upload = ContentFile(content)
    upload.content_type = WEBVTT_CONTENT_TYPE  # the object's Content-Type on S3
    caption.file.save(name, upload, save=False)
    caption.save()
    caption.cues.all().delete()
    CaptionCue.objects.bulk_create(
        CaptionCue(caption=caption, start=cue.start, end=cue.end, text=cue.text) for cue in cues
    )
    site_changed()
    if previous:
        storage = caption.file.storage
        transaction.on_commit(lambda: storage_ops.delete_names(storage, [previous]))
    return caption


@transaction.atomic
def save_caption_cues(
    *,
    video: AnswerVideo,
    language: str,
    cues: Sequence[cue_files.PlainCue],
    reviewed: bool,
    actor: AbstractBaseUser | None,
) -> Caption:
    """The editor's save: the cues become the WebVTT file of `language`, reviewed or still a
    draft; marking the French captions reviewed also rebuilds an automatic transcript."""
    cues = cue_files.checked(cues)
    existing = Caption.objects.filter(video=video, language=language).first()
    caption = set_caption(
        video=video,
        language=language,
        content=cue_files.to_webvtt(cues).encode(),
        automatic=bool(existing and existing.automatic),
        reviewed=reviewed,
        actor=actor,
    )
    if reviewed:
        transcript_from_reviewed_captions(caption)
    return caption


@transaction.atomic
def review_caption(*, caption: Caption, actor: AbstractBaseUser | None) -> Caption:
    """A staff member vouches for the captions as they are."""
    locked = Caption.objects.select_for_update().select_related("video").get(pk=caption.pk)
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = actor if actor is not None and actor.is_authenticated else None
    locked.save(update_fields=["reviewed_at", "reviewed_by", "updated_at"])
    transcript_from_reviewed_captions(locked)
    return locked


def transcript_from_reviewed_captions(caption: Caption) -> None:
    """Reviewed French captions replace an empty or automatic transcript (made from them)."""
    if caption.language != workflow.PUBLISH_CAPTION_LANGUAGE:
        return
    video = AnswerVideo.objects.select_for_update().get(pk=caption.video_id)
    if video.transcript.strip() and not video.transcript_automatic:
        return
    cues = [Cue(cue.start, cue.end, (cue.text.replace("\n", " "),)) for cue in caption.cues.all()]
    video.transcript = to_transcript(cues)
    video.transcript_automatic = False
    video.save(update_fields=["transcript", "transcript_automatic", "updated_at"])


@transaction.atomic
def edit_caption(
    *, caption: Caption, language: str, label: str, content: bytes | None = None
) -> Caption:
    """Change a caption's language, label or file (the admin's inline); without new content the
    stored file (and whether it was reviewed) is kept as it is, under a new name."""
    stored = (
        Caption.objects.select_for_update(of=("self",))
        .select_related("video__question")
        .get(pk=caption.pk)
    )
    review = {}
    if content is None:
        with stored.file.open("rb") as handle:
            content = handle.read()
        review = {"automatic": stored.automatic, "reviewed": stored.is_reviewed}
    edited = set_caption(
        video=stored.video, language=language, content=content, label=label, **review
    )
    if edited.pk != stored.pk:  # moved to another language
        delete_caption(caption=stored)
    return edited


@transaction.atomic
def delete_caption(*, caption: Caption) -> None:
    """Delete the captions as stored (whatever `caption` holds in memory), then their file."""
    stored = Caption.objects.select_for_update().filter(pk=caption.pk).first()
    if stored is None:
        return
    name, storage = stored.file.name, stored.file.storage
    stored.delete()
    site_changed()
    transaction.on_commit(lambda: storage_ops.delete_names(storage, [name]))


@transaction.atomic
def set_transcript(*, video: AnswerVideo, text: str, automatic: bool = False) -> AnswerVideo:
    """A person's transcript (reviewed), or speech-to-text's draft (`automatic`)."""
    locked = AnswerVideo.objects.select_for_update().get(pk=video.pk)
    locked.transcript = text.strip()
    locked.transcript_automatic = automatic and bool(locked.transcript)
    locked.save(update_fields=["transcript", "transcript_automatic", "updated_at"])
    site_changed()
    return locked


@transaction.atomic
def index_caption_cues(*, caption: Caption) -> int:
    """Store the cues of a caption file kept before cues had rows (search, editor); how many."""
    locked = Caption.objects.select_for_update().get(pk=caption.pk)
    with locked.file.open("rb") as handle:
        cues = cue_files.parse_cues(handle.read())
    locked.cues.all().delete()
    CaptionCue.objects.bulk_create(
        CaptionCue(caption=locked, start=cue.start, end=cue.end, text=cue.text) for cue in cues
    )
    return len(cues)
