"""Where a video's outputs live in storage: answers/<question>/<version>/, one version current.

A retry or a new source writes a new version; the previous one is removed after the switch, and
versions left by a dead worker are removed before the next attempt.
"""

import logging
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage, storages

from media_pipeline import storage_ops
from media_pipeline.exceptions import TransientStorageError
from media_pipeline.models import AnswerVideo

logger = logging.getLogger(__name__)

# A short storage hiccup is retried on the spot (seconds between tries) before the task retries
# later with backoff, which means transcoding again.
STORAGE_RETRY_DELAYS = (2, 10)


def public_storage() -> Storage:
    return storages["default"]


def outputs_prefix(video: AnswerVideo) -> str:
    if video.event_id:
        return f"recordings/{video.event.slug}"
    return f"answers/{video.question.public_id}"


def version_prefix(video: AnswerVideo, version: str) -> str:
    return f"{outputs_prefix(video)}/{version}"


def work_folder(video_id: int, attempt: int) -> Path:
    """A local folder per attempt; folders of earlier (dead) attempts of the video are removed."""
    root = Path(settings.UPLOAD_TEMP_DIR) / "transcode"
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob(f"video-{video_id}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"video-{video_id}-{attempt}-", dir=root))


def remove_orphan_outputs(video: AnswerVideo) -> None:
    """Delete output versions other than the current one (left by a worker that died)."""
    storage = public_storage()
    prefix = outputs_prefix(video)
    try:
        folders, _files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for folder in folders:
        if folder not in (video.output_version, "captions"):
            storage_ops.delete_tree(storage, f"{prefix}/{folder}")


def upload_with_retries(storage: Storage, folder: Path, prefix: str) -> list[str]:
    for delay in (*STORAGE_RETRY_DELAYS, None):
        try:
            return storage_ops.upload_folder(storage, folder, prefix)
        except TransientStorageError as error:
            if delay is None:
                raise
            logger.warning("storage error under %s, retrying in %ss: %s", prefix, delay, error)
            time.sleep(delay)
    raise AssertionError("unreachable")
