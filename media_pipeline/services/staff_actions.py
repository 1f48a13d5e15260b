"""What staff decide about a video: process a failed one again, publish a ready one."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from core.page_cache import site_changed
from media_pipeline import workflow
from media_pipeline.exceptions import PublishRefused, RetryRefused
from media_pipeline.models import AnswerVideo
from media_pipeline.services.queueing import queue_processing
from questions.services import mark_question_answered


@transaction.atomic
def retry_video(*, video: AnswerVideo, actor: AbstractBaseUser | None) -> AnswerVideo:
    """Staff start a failed video again from its stored source."""
    locked = AnswerVideo.objects.select_for_update().get(pk=video.pk)
    workflow.RETRY.check(locked)
    if not locked.source:
        raise RetryRefused(_("This video has no uploaded file; upload it again."))
    workflow.RETRY.apply(locked)
    locked.attempts = 0
    locked.progress = 0
    locked.error_reason = locked.error_log = ""
    locked.save()
    queue_processing(locked)
    return locked


@transaction.atomic
def publish_video(*, video: AnswerVideo, actor: AbstractBaseUser | None) -> AnswerVideo:
    """Publish a ready video: the question becomes `answered` and its people are told."""
    locked = (
        AnswerVideo.objects.select_for_update(of=("self",))
        .select_related("question")
        .get(pk=video.pk)
    )
    workflow.PUBLISH.check(locked)
    if not locked.transcript and not locked.captions.filter(language="fr").exists():
        raise PublishRefused(
            _(
                "Add French captions or a transcript before publishing: the answer must be "
                "accessible."
            )
        )
    workflow.PUBLISH.apply(locked)
    locked.save()
    if locked.question_id:
        # An event's recording answers its questions when its chapters are published.
        mark_question_answered(question=locked.question, actor=actor)
    else:
        site_changed()  # the event page plays its recording (its question pages: with chapters)
    return locked
