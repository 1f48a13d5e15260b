"""tus 1.0 resumable uploads of the staff page: the protocol endpoint and the upload service."""

import base64
import io
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from media_pipeline import uploads
from media_pipeline.models import AnswerVideo, UploadSession, VideoState
from portal.roles import MODERATORS, SPOKESPERSON_STAFF
from questions.models import QuestionState
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def metadata(**values) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def create_upload(client, question, length, filetype="video/mp4", filename="réponse.mp4"):
    return client.post(
        reverse("media_pipeline:upload_create"),
        headers={
            "Tus-Resumable": "1.0.0",
            "Upload-Length": str(length),
            "Upload-Metadata": metadata(
                question=question.public_id, filename=filename, filetype=filetype
            ),
        },
    )


def patch(client, url, offset, data):
    return client.generic(
        "PATCH",
        url,
        data,
        content_type="application/offset+octet-stream",
        headers={"Tus-Resumable": "1.0.0", "Upload-Offset": str(offset)},
    )


class CutConnection(io.BytesIO):
    """A request body whose connection drops after `limit` bytes."""

    def __init__(self, data: bytes, limit: int):
        super().__init__(data)
        self.limit = limit

    def read(self, size=-1):
        if self.tell() >= self.limit:
            raise OSError("connection reset by peer")
        return super().read(min(size, self.limit - self.tell()))


def test_an_interrupted_upload_resumes_into_a_byte_identical_source(
    client, staff, selected_question, clip, django_capture_on_commit_callbacks
):
    data = clip.read_bytes()
    created = create_upload(client, selected_question, len(data))
    assert created.status_code == 201
    url = created["Location"]
    assert client.head(url)["Upload-Offset"] == "0"

    # The first piece arrives whole; the second is cut by the network halfway.
    first = len(data) // 3
    response = patch(client, url, 0, data[:first])
    assert response.status_code == 204 and response["Upload-Offset"] == str(first)
    session = UploadSession.objects.get()
    with pytest.raises(OSError):
        uploads.append_chunk(
            session=session,
            offset=first,
            stream=CutConnection(data[first:], 1000),
            chunk_length=len(data) - first,
        )
    # After a page reload the client asks where to resume: the bytes that arrived are kept.
    resume_at = int(client.head(url)["Upload-Offset"])
    assert resume_at == first + 1000
    assert patch(client, url, 0, data[:10]).status_code == 409  # a stale offset is refused

    with django_capture_on_commit_callbacks() as callbacks:
        done = patch(client, url, resume_at, data[resume_at:])
    assert done.status_code == 204 and done["Upload-Offset"] == str(len(data))
    assert len(callbacks) == 1  # processing is queued once, after commit

    video = AnswerVideo.objects.get(question=selected_question)
    assert video.state == VideoState.UPLOADED and video.uploaded_by == staff
    with storages["private"].open(video.source.name) as stored:
        assert stored.read() == data
    assert not session.temp_path.exists()
    assert done["Hlm-Video-Status"] == reverse("media_pipeline:video_status", args=[video.pk])


def test_uploads_are_refused_up_front_by_size_type_and_question_state(
    client, staff, selected_question, settings
):
    settings.MEDIA_MAX_UPLOAD_BYTES = 1000
    assert create_upload(client, selected_question, 1001).status_code == 413
    assert create_upload(client, selected_question, 10, "text/plain", "a.txt").status_code == 415
    assert (
        create_upload(
            client, selected_question, 10, "application/x-mpegurl", "list.m3u8"
        ).status_code
        == 415
    )
    approved = QuestionFactory(state=QuestionState.APPROVED)
    assert create_upload(client, approved, 10).status_code == 409
    assert not UploadSession.objects.exists()


def test_a_chunk_longer_than_the_declared_length_is_refused(client, staff, selected_question):
    url = create_upload(client, selected_question, 10)["Location"]
    assert patch(client, url, 0, b"x" * 11).status_code == 413
    assert client.head(url)["Upload-Offset"] == "0"


def test_only_video_staff_reach_the_page_and_the_endpoints(client, selected_question):
    page = reverse("media_pipeline:staff")
    assert client.get(page).status_code == 302  # to the login page
    client.force_login(UserFactory(groups=[MODERATORS]))
    assert client.get(page).status_code == 403
    assert create_upload(client, selected_question, 10).status_code == 403


def test_someone_elses_upload_is_invisible(client, staff, selected_question):
    url = create_upload(client, selected_question, 10)["Location"]
    client.force_login(UserFactory(groups=[SPOKESPERSON_STAFF]))
    assert client.head(url).status_code == 404
    assert patch(client, url, 0, b"x").status_code == 404


def test_abandoned_uploads_are_cleaned(client, staff, selected_question, settings):
    url = create_upload(client, selected_question, 100)["Location"]
    patch(client, url, 0, b"x" * 10)
    session = UploadSession.objects.get()
    assert uploads.clean_abandoned_uploads() == 0
    UploadSession.objects.update(updated_at=timezone.now() - timedelta(days=2))
    assert uploads.clean_abandoned_uploads() == 1
    assert not session.temp_path.exists() and not UploadSession.objects.exists()
    assert client.head(url).status_code == 404
