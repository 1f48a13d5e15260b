"""Domain errors of the video pipeline: raised by services without any HTTP status; views, the
tus endpoint and the admin turn them into messages and responses."""

from core.errors import DomainError


class MediaPipelineError(DomainError):
    """Base class; `str(error)` (its `message`) is a human, translated reason."""

    code = "media_pipeline"


class MediaFailure(MediaPipelineError):
    """Something in the video itself failed a step; the technical log is kept for staff."""

    def __init__(self, reason: str, log: str = "") -> None:
        super().__init__(reason)
        self.log = log

    @property
    def reason(self) -> str:
        return self.message


class InvalidMedia(MediaFailure):
    """The file is not a video we accept. Never retried: the same file fails the same way."""

    code = "invalid_media"


class TranscodeFailed(MediaFailure):
    """ffmpeg failed on a file that probed fine (damaged input, resource exhaustion...)."""

    code = "transcode_failed"


class SpeechFailed(MediaFailure):
    """Speech-to-text could not draft captions (no sound, unsupported language, engine error)."""

    code = "speech_failed"


class TransientStorageError(MediaPipelineError):
    """The storage (disk or S3) failed in a way that may pass: the task retries with backoff."""

    code = "storage_unavailable"


class UploadRefused(MediaPipelineError):
    """An upload cannot be created or continued; the subclasses say why (the tus endpoint maps
    each to its HTTP status)."""

    code = "upload_refused"


class UploadForbidden(UploadRefused):
    """Not this user's to do (not staff, too many unfinished uploads)."""

    code = "upload_forbidden"


class UploadNotFound(UploadRefused):
    """No such upload for this user, or no such question."""

    code = "upload_not_found"


class UploadConflict(UploadRefused):
    """The upload or the answer is not in a state that allows this (offset, complete, published)."""

    code = "upload_conflict"


class UploadExpired(UploadRefused):
    code = "upload_expired"


class UploadTooLarge(UploadRefused):
    code = "upload_too_large"


class UnsupportedUploadType(UploadRefused):
    code = "upload_type_refused"


class UploadBusy(UploadRefused):
    """Another request of the same upload is writing."""

    code = "upload_busy"


class ChecksumMismatch(UploadRefused):
    """The chunk does not match its declared checksum; nothing of it was kept."""

    code = "checksum_mismatch"


class InvalidCaptions(MediaPipelineError):
    """A WebVTT file failed validation."""

    code = "invalid_captions"


class PublishRefused(MediaPipelineError):
    """The video cannot be published (not ready, no captions nor transcript...)."""

    code = "publish_refused"


class RetryRefused(MediaPipelineError):
    """Only a failed video can be retried by staff."""

    code = "retry_refused"
