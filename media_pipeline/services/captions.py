"""Captions (WebVTT, one file per language) and the transcript of a video. Replacing or deleting
captions removes the stored file once the transaction commits."""

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from media_pipeline import storage_ops
from media_pipeline.exceptions import PublishRefused
from media_pipeline.models import AnswerVideo, Caption
from media_pipeline.webvtt import validate_webvtt

# Stored and served as WebVTT whatever happens to a name: never HTML a browser would run.
WEBVTT_CONTENT_TYPE = "text/vtt; charset=utf-8"


@transaction.atomic
def set_caption(*, video: AnswerVideo, language: str, content: bytes, label: str = "") -> Caption:
    """Validate a WebVTT file and make it the video's captions in `language` (replacing any)."""
    validate_webvtt(content)
    if language not in dict(settings.LANGUAGES):
        raise PublishRefused(_("Unknown language."))
    caption = Caption.objects.select_for_update().filter(video=video, language=language).first()
    previous = caption.file.name if caption else ""
    caption = caption or Caption(video=video, language=language)
    caption.label = label or str(dict(settings.LANGUAGES)[language])
    # Never the uploader's file name: ours, unguessable, always `.vtt`.
    name = f"{video.question.public_id}-{language}-{uuid.uuid4().hex[:8]}.vtt"
    upload = ContentFile(content)
    upload.content_type = WEBVTT_CONTENT_TYPE  # the object's Content-Type on S3
    caption.file.save(name, upload, save=False)
    caption.save()
    if previous:
        storage = caption.file.storage
        transaction.on_commit(lambda: storage_ops.delete_names(storage, [previous]))
    return caption


@transaction.atomic
def edit_caption(
    *, caption: Caption, language: str, label: str, content: bytes | None = None
) -> Caption:
    """Change a caption's language, label or file (the admin's inline); without new content the
    stored file is kept as it is, under a new name."""
    stored = (
        Caption.objects.select_for_update().select_related("video__question").get(pk=caption.pk)
    )
    if content is None:
        with stored.file.open("rb") as handle:
            content = handle.read()
    edited = set_caption(video=stored.video, language=language, content=content, label=label)
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
    transaction.on_commit(lambda: storage_ops.delete_names(storage, [name]))


@transaction.atomic
def set_transcript(*, video: AnswerVideo, text: str) -> AnswerVideo:
    locked = AnswerVideo.objects.select_for_update().get(pk=video.pk)
    locked.transcript = text.strip()
    locked.save(update_fields=["transcript", "updated_at"])
    return locked
