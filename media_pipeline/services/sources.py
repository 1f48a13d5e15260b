"""A video's source file: stored privately, then handed to the pipeline."""

import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.db import transaction

from events.models import Event
from media_pipeline import storage_ops, workflow
from media_pipeline.models import AnswerVideo, private_storage
from media_pipeline.services.queueing import queue_processing
from questions.models import Question


def check_owner_accepts_video(*, question: Question | None, event: Event | None) -> dict:
    """The video's owner as model fields ({"question": …} or {"event": …}): exactly one, and
    one that may receive a video now (a selected question; an event that has started)."""
    if (question is None) == (event is None):
        raise ValueError("a video answers a question or records an event, exactly one")
    if question is not None:
        workflow.check_question_accepts_answer(question)
        return {"question": question}
    workflow.check_event_accepts_recording(event)
    return {"event": event}


def attach_source(
    *,
    file: File,
    actor: AbstractBaseUser | None,
    question: Question | None = None,
    event: Event | None = None,
) -> AnswerVideo:
    """Store `file` as the video's (private) source, mark it `uploaded`, queue processing. The
    video answers `question`, or is `event`'s recording (the same pipeline for both).

    The (possibly large) copy to storage happens before the transaction, not inside it.
    """
    owner = check_owner_accepts_video(question=question, event=event)
    folder = f"events/{event.pk}" if event is not None else question.public_id
    source_storage = private_storage()
    name = source_storage.save(f"sources/{folder}/{uuid.uuid4().hex}", file)
    try:
        with transaction.atomic():
            video, _created = AnswerVideo.objects.select_for_update().get_or_create(**owner)
            workflow.UPLOAD.apply(video)
            previous_source = video.source.name
            video.source.name = name
            video.source_size = source_storage.size(name)
            video.uploaded_by = actor if getattr(actor, "pk", None) else None
            video.progress = 0
            video.attempts = 0
            video.probe = {}
            video.error_reason = video.error_log = ""
            video.processing_deadline = video.lease_expires_at = None
            video.save()
            if previous_source:
                transaction.on_commit(
                    lambda: storage_ops.delete_names(source_storage, [previous_source])
                )
            queue_processing(video)
    except BaseException:
        storage_ops.delete_names(source_storage, [name])
        raise
    return video
