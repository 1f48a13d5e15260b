"""Domain errors of the video pipeline, raised by services and turned into messages by views."""


class MediaPipelineError(Exception):
    """Base class; `str(error)` is a human, translated reason."""


class InvalidMedia(MediaPipelineError):
    """The file is not a video we accept. Never retried: the same file fails the same way."""

    def __init__(self, reason: str, log: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.log = log


class TranscodeFailed(MediaPipelineError):
    """ffmpeg failed on a file that probed fine (damaged input, resource exhaustion...)."""

    def __init__(self, reason: str, log: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.log = log


class TransientStorageError(MediaPipelineError):
    """The storage (disk or S3) failed in a way that may pass: the task retries with backoff."""


class UploadRefused(MediaPipelineError):
    """A resumable upload cannot be created or continued (size, type, offset, permission)."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.status = status


class InvalidCaptions(MediaPipelineError):
    """A WebVTT file failed validation."""


class PublishRefused(MediaPipelineError):
    """The video cannot be published (not ready, no captions nor transcript...)."""


class RetryRefused(MediaPipelineError):
    """Only a failed video can be retried by staff."""


class SpeechFailed(MediaPipelineError):
    """Speech-to-text could not draft captions (no sound, unsupported language, engine error)."""

    def __init__(self, reason: str, log: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.log = log
