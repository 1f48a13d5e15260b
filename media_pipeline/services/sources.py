"""A video's source file: stored privately, then handed to the pipeline."""

import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.db import transaction

from media_pipeline import storage_ops, workflow
from media_pipeline.models import AnswerVideo, private_storage
from media_pipeline.services.queueing import queue_processing
from questions.models import Question


def attach_source(*, question: Question, file: File, actor: AbstractBaseUser | None) -> AnswerVideo:
    """Store `file` as the video's (private) source, mark it `uploaded`, queue processing.

    The (possibly large) copy to storage happens before the transaction, not inside it.
    """
    workflow.check_question_accepts_answer(question)
    source_storage = private_storage()
    name = source_storage.save(f"sources/{question.public_id}/{uuid.uuid4().hex}", file)
    try:
        with transaction.atomic():
            video, _created = AnswerVideo.objects.select_for_update().get_or_create(
                question=question
            )
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
