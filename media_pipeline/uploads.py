"""Resumable uploads (tus 1.0): sessions, chunks appended under a file lock, the finished file
handed to the pipeline. The bytes land in a local temporary file; the HTTP side is `tus.py`."""

import fcntl
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from media_pipeline import storage_ops, workflow
from media_pipeline.exceptions import UploadRefused
from media_pipeline.models import AnswerVideo, UploadSession
from media_pipeline.services import attach_source, check_question_accepts_answer
from questions.models import Question

ACCEPTED_VIDEO_TYPES = {
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/x-m4v": ".m4v",
    "video/x-matroska": ".mkv",
    "video/webm": ".webm",
    "video/x-msvideo": ".avi",
    "video/mpeg": ".mpg",
    "video/mp2t": ".ts",
    "video/3gpp": ".3gp",
    "application/mxf": ".mxf",
}
ACCEPTED_EXTENSIONS = {*ACCEPTED_VIDEO_TYPES.values(), ".mpeg", ".mts", ".m2ts"}


def check_declared_file(*, length: int, content_type: str, filename: str) -> str:
    """Refuse up front what can never be an acceptable video; return the content type kept."""
    if length <= 0:
        raise UploadRefused(_("The file is empty."))
    if length > settings.MEDIA_MAX_UPLOAD_BYTES:
        raise UploadRefused(
            _("The file is larger than the limit (%(limit)d MB).")
            % {"limit": settings.MEDIA_MAX_UPLOAD_BYTES // 1024**2},
            status=413,
        )
    extension = Path(filename).suffix.lower()
    content_type = content_type.split(";")[0].strip().lower()
    if content_type not in ACCEPTED_VIDEO_TYPES and not (
        content_type in ("", "application/octet-stream") and extension in ACCEPTED_EXTENSIONS
    ):
        raise UploadRefused(
            _("This type of file (%(type)s) is not accepted: upload a video (MP4, MOV, MKV, WebM).")
            % {"type": content_type or extension or "?"},
            status=415,
        )
    return content_type or "application/octet-stream"


@transaction.atomic
def create_upload(
    *, question: Question, user: AbstractBaseUser, length: int, content_type: str, filename: str
) -> UploadSession:
    check_question_accepts_answer(question)
    workflow.UPLOAD.check(getattr(question, "answer_video", None))
    content_type = check_declared_file(length=length, content_type=content_type, filename=filename)
    session = UploadSession.objects.create(
        question=question,
        created_by=user,
        length=length,
        content_type=content_type,
        filename=Path(filename).name[:255],
    )
    session.temp_path.parent.mkdir(parents=True, exist_ok=True)
    session.temp_path.touch()
    return session


def received_bytes(session: UploadSession) -> int:
    """The file on disk is the truth: a crash between writing and saving the offset loses
    nothing."""
    try:
        return min(session.temp_path.stat().st_size, session.length)
    except FileNotFoundError:
        return 0


def append_chunk(
    *, session: UploadSession, offset: int, stream, chunk_length: int | None
) -> UploadSession:
    """Append a request body to the upload in constant memory; finish the upload when complete.

    The file is locked while writing, so two PATCH requests of the same upload cannot interleave.
    """
    if session.completed_at:
        raise UploadRefused(_("This upload is already complete."), status=409)
    path = session.temp_path
    if not path.exists():
        raise UploadRefused(_("This upload has expired; start again."), status=410)
    with open(path, "ab") as target:
        try:
            fcntl.flock(target, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise UploadRefused(_("This upload is already receiving data."), status=423) from error
        current = target.tell()
        if offset != current:
            raise UploadRefused(_("The offset does not match the bytes received."), status=409)
        remaining = session.length - current
        if chunk_length is not None and chunk_length > remaining:
            raise UploadRefused(_("The data exceeds the declared length."), status=413)
        try:
            while remaining > 0:
                block = stream.read(min(storage_ops.COPY_CHUNK, remaining))
                if not block:
                    break
                target.write(block)
                remaining -= len(block)
        finally:
            target.flush()
            received = target.tell()
            UploadSession.objects.filter(pk=session.pk).update(
                offset=received, updated_at=timezone.now()
            )
        session.offset = received
        if received == session.length:
            finish_upload(session=session)  # still under the file lock: runs once
    return session


def finish_upload(*, session: UploadSession) -> AnswerVideo:
    """Move the complete file to private storage and hand it to the pipeline.

    Called under the upload's file lock, so it runs once per upload.
    """
    with open(session.temp_path, "rb") as handle:
        video = attach_source(
            question=session.question, file=File(handle, name="source"), actor=session.created_by
        )
    session.completed_at = timezone.now()
    UploadSession.objects.filter(pk=session.pk).update(
        completed_at=session.completed_at, updated_at=session.completed_at
    )
    session.temp_path.unlink(missing_ok=True)
    return video


@transaction.atomic
def cancel_upload(*, session: UploadSession) -> None:
    temp_path = session.temp_path
    session.delete()
    temp_path.unlink(missing_ok=True)


def clean_abandoned_uploads() -> int:
    """Delete uploads untouched for UPLOAD_ABANDONED_AFTER_SECONDS, with their temporary files."""
    limit = timezone.now() - timedelta(seconds=settings.UPLOAD_ABANDONED_AFTER_SECONDS)
    cleaned = 0
    for session in UploadSession.objects.filter(updated_at__lt=limit):
        cancel_upload(session=session)
        cleaned += 1
    return cleaned
