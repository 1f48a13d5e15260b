"""Resumable uploads (tus 1.0): sessions, chunks appended under a file lock, the finished file
handed to the pipeline. The bytes land in a local temporary file; the HTTP side is `tus.py`.

An upload expires UPLOAD_ABANDONED_AFTER_SECONDS after its last data (finished ones too: until
then their URL still answers with the full length, so a client that kept it sends nothing again).
"""

import fcntl
import hmac
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO, Protocol

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from media_pipeline import storage_ops, workflow
from media_pipeline.exceptions import (
    ChecksumMismatch,
    UploadBusy,
    UploadConflict,
    UploadExpired,
    UploadNotFound,
    UploadRefused,
    UploadTooLarge,
)
from media_pipeline.models import AnswerVideo, UploadSession
from media_pipeline.services.sources import attach_source, check_owner_accepts_video
from media_pipeline.upload_limits import Checksum, check_declared_file, check_unfinished_uploads
from questions.models import Question


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def expires_at(session: UploadSession) -> datetime:
    return session.updated_at + timedelta(seconds=settings.UPLOAD_ABANDONED_AFTER_SECONDS)


def find_upload(*, upload_id, user: AbstractBaseUser) -> UploadSession:
    """The user's upload; 404 if unknown (or someone else's), 410 once expired (then removed)."""
    session = (
        UploadSession.objects.select_related("question", "event").filter(
            pk=upload_id, created_by=user
        )
    ).first()
    if session is None:
        raise UploadNotFound(_("This upload does not exist (or no longer exists)."))
    if expires_at(session) <= timezone.now():
        cancel_upload(session=session)
        raise UploadExpired(_("This upload has expired; start again."))
    return session


def current_video(*, question: Question | None, event: Event | None) -> AnswerVideo | None:
    owner = {"question": question} if question is not None else {"event": event}
    return AnswerVideo.objects.filter(**owner).first()


@transaction.atomic
def open_upload(
    *,
    user: AbstractBaseUser,
    length: int,
    content_type: str,
    filename: str,
    question: Question | None = None,
    event: Event | None = None,
) -> UploadSession:
    """A new upload of a question's answer, or of an event's recording (same checks: what the
    owner accepts, what the file may be, what the user already holds)."""
    owner = check_owner_accepts_video(question=question, event=event)
    workflow.UPLOAD.check(current_video(question=question, event=event))
    content_type = check_declared_file(length=length, content_type=content_type, filename=filename)
    check_unfinished_uploads(user=user, length=length)
    session = UploadSession.objects.create(
        **owner,
        created_by=user,
        length=length,
        content_type=content_type,
        filename=Path(filename).name[:255],
    )
    session.temp_path.parent.mkdir(parents=True, exist_ok=True)
    session.temp_path.touch()
    return session


def create_upload(
    *,
    user: AbstractBaseUser,
    length: int,
    content_type: str,
    filename: str,
    stream: Readable | None = None,
    chunk_length: int | None = None,
    checksum: Checksum | None = None,
    question: Question | None = None,
    event: Event | None = None,
) -> UploadSession:
    """Open an upload; with `stream` (tus `creation-with-upload`), append its first bytes too."""
    session = open_upload(
        question=question,
        event=event,
        user=user,
        length=length,
        content_type=content_type,
        filename=filename,
    )
    if stream is None:
        return session
    try:
        return append_chunk(
            session=session,
            offset=0,
            stream=stream,
            chunk_length=chunk_length,
            checksum=checksum,
        )
    except BaseException:
        # The client never learnt this upload's URL: nothing could resume it.
        cancel_upload(session=session)
        raise


def received_bytes(session: UploadSession) -> int:
    """A finished upload reports its full length. Otherwise the file on disk is the truth: a
    crash between writing and saving the offset loses nothing."""
    if session.completed_at:
        return session.length
    try:
        return min(session.temp_path.stat().st_size, session.length)
    except FileNotFoundError:
        return 0


@contextmanager
def locked_file(session: UploadSession) -> Iterator[BinaryIO]:
    """The upload's temporary file, opened for appending under an exclusive lock: two requests
    of the same upload can never write (or finish it) at the same time."""
    if not session.temp_path.exists():
        raise UploadExpired(_("This upload has expired; start again."))
    with open(session.temp_path, "ab") as target:
        try:
            fcntl.flock(target, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise UploadBusy(_("This upload is already receiving data.")) from error
        yield target


def current_offset(session: UploadSession) -> int:
    """What HEAD reports. A complete file whose hand-off to the pipeline failed (storage down,
    process killed) is handed off now, so the client never takes it for finished while no video
    was made of it."""
    received = received_bytes(session)
    if received == session.length and not session.completed_at:
        with locked_file(session):
            session.refresh_from_db(fields=["completed_at"])
            if not session.completed_at:
                finish_or_cancel(session)
    return received


def copy_body(stream: Readable, target: BinaryIO, remaining: int, hasher) -> None:
    while remaining > 0:
        block = stream.read(min(storage_ops.COPY_CHUNK, remaining))
        if not block:
            break
        target.write(block)
        if hasher is not None:
            hasher.update(block)
        remaining -= len(block)


def append_chunk(
    *,
    session: UploadSession,
    offset: int,
    stream: Readable,
    chunk_length: int | None,
    checksum: Checksum | None = None,
) -> UploadSession:
    """Append a request body to the upload in constant memory; finish the upload when complete.

    With a checksum, a chunk that does not match it (or that was cut short, so cannot be checked)
    is cut off the file again: nothing of it is kept.
    """
    if session.completed_at:
        raise UploadConflict(_("This upload is already complete."))
    with locked_file(session) as target:
        start = target.tell()
        if offset != start:
            raise UploadConflict(_("The offset does not match the bytes received."))
        remaining = session.length - start
        if chunk_length is not None and chunk_length > remaining:
            raise UploadTooLarge(_("The data exceeds the declared length."))
        hasher = checksum.hasher() if checksum else None
        try:
            copy_body(stream, target, remaining, hasher)
            target.flush()
            if checksum and not hmac.compare_digest(hasher.digest(), checksum.digest):
                raise ChecksumMismatch(_("The data does not match its checksum; send it again."))
        except BaseException:
            if checksum:
                target.truncate(start)
            raise
        finally:
            received = os.fstat(target.fileno()).st_size
            session.updated_at = timezone.now()
            UploadSession.objects.filter(pk=session.pk).update(
                offset=received, updated_at=session.updated_at
            )
            session.offset = received
        if received == session.length:
            finish_or_cancel(session)  # still under the file lock: runs once
    return session


def finish_or_cancel(session: UploadSession) -> AnswerVideo:
    """Hand the complete file to the pipeline; if the pipeline refuses it (the question is no
    longer selected, the answer got published meanwhile), the upload is removed with the reason."""
    try:
        return finish_upload(session=session)
    except UploadRefused:
        cancel_upload(session=session)
        raise


def finish_upload(*, session: UploadSession) -> AnswerVideo:
    """Move the complete file to private storage and hand it to the pipeline.

    Called under the upload's file lock, so it runs once per upload.
    """
    with open(session.temp_path, "rb") as handle:
        video = attach_source(
            question=session.question,
            event=session.event,
            file=File(handle, name="source"),
            actor=session.created_by,
        )
    session.completed_at = session.updated_at = timezone.now()
    UploadSession.objects.filter(pk=session.pk).update(
        completed_at=session.completed_at, updated_at=session.completed_at
    )
    session.temp_path.unlink(missing_ok=True)
    return video


@transaction.atomic
def cancel_upload(*, session: UploadSession) -> None:
    temp_path = session.temp_path
    UploadSession.objects.filter(pk=session.pk).delete()
    temp_path.unlink(missing_ok=True)


def clean_abandoned_uploads() -> int:
    """Delete uploads untouched for UPLOAD_ABANDONED_AFTER_SECONDS, with their temporary files."""
    limit = timezone.now() - timedelta(seconds=settings.UPLOAD_ABANDONED_AFTER_SECONDS)
    cleaned = 0
    for session in UploadSession.objects.filter(updated_at__lt=limit):
        cancel_upload(session=session)
        cleaned += 1
    return cleaned
