"""The official Python tus client (tuspy) against the upload endpoint on a live server: upload with
checksums, stop half-way and resume from the stored URL, then send the same file again."""

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string
from tusclient import client as tus_client
from tusclient.exceptions import TusCommunicationError
from tusclient.storage.filestorage import FileStorage

from media_pipeline.models import AnswerVideo, UploadSession, VideoState
from portal.roles import SPOKESPERSON_STAFF
from questions.models import QuestionState
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

CHUNK = 16 * 1024


def signed_in_headers(user) -> dict[str, str]:
    """What a script sends: the session cookie of a signed-in staff member and a CSRF token."""
    browser = Client()
    browser.force_login(user)
    csrf = get_random_string(32)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}",
        "X-CSRFToken": csrf,
    }


def test_tuspy_uploads_resumes_and_sends_the_same_file_again(live_server, clip, tmp_path):
    question = QuestionFactory(state=QuestionState.SELECTED)
    data = clip.read_bytes()
    assert len(data) > 3 * CHUNK
    client = tus_client.TusClient(
        live_server.url + reverse("media_pipeline:upload_create"),
        headers=signed_in_headers(UserFactory(groups=[SPOKESPERSON_STAFF])),
    )
    urls = FileStorage(str(tmp_path / "tus-urls.json"))

    def uploader():
        return client.uploader(
            str(clip),
            chunk_size=CHUNK,
            metadata={"question": question.public_id, "filename": "réponse.mp4"},
            store_url=True,
            url_storage=urls,
            upload_checksum=True,  # Upload-Checksum: sha1 on every chunk
        )

    # Two chunks, then the script stops (killed, laptop closed...).
    first = uploader()
    first.upload_chunk()
    first.upload_chunk()
    assert first.offset == 2 * CHUNK

    # Started again: it finds the URL it stored, asks the server where to resume, finishes.
    second = uploader()
    assert second.url == first.url and second.offset == 2 * CHUNK
    second.upload()
    video = AnswerVideo.objects.get(question=question)
    assert video.state == VideoState.UPLOADED
    with storages["private"].open(video.source.name) as stored:
        assert stored.read() == data

    # The same file once more, with the stored URL: nothing to send, no error, nothing new.
    third = uploader()
    assert third.url == first.url and third.offset == len(data)
    third.upload()
    assert AnswerVideo.objects.get(question=question).source.name == video.source.name
    assert UploadSession.objects.count() == 1


def test_tuspy_reports_the_servers_reason_in_french(live_server, tmp_path):
    question = QuestionFactory(state=QuestionState.APPROVED)  # not selected for an answer
    note = tmp_path / "note.mp4"
    note.write_bytes(b"x" * 100)
    client = tus_client.TusClient(
        live_server.url + reverse("media_pipeline:upload_create"),
        headers=signed_in_headers(UserFactory(groups=[SPOKESPERSON_STAFF])),
    )
    with pytest.raises(TusCommunicationError) as refused:
        client.uploader(str(note), metadata={"question": question.public_id}).upload()
    assert refused.value.status_code == 409
    assert "retenue pour une réponse" in refused.value.response_content.decode("utf-8")
