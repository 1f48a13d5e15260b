"""Work sent to the pipeline's workers: by task name, once the transaction commits."""

from core.tasks import queue_task_on_commit
from media_pipeline.models import AnswerVideo

TRANSCODE_TASK = "media_pipeline.tasks.transcode_video"


def queue_processing(video: AnswerVideo) -> None:
    """Send the transcode task once the current transaction has committed."""
    queue_task_on_commit(TRANSCODE_TASK, video_id=video.pk)
