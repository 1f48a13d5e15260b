"""tus 1.0 resumable uploads of the staff page: the protocol endpoint and the upload service."""

import base64
import hashlib
import io
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import parse_http_date

from media_pipeline import upload_limits, uploads
from media_pipeline.models import AnswerVideo, UploadSession, VideoState
from portal.roles import MODERATORS, SPOKESPERSON_STAFF
from questions.models import QuestionState
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

TUS = {"Tus-Resumable": "1.0.0"}


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


def head(client, url):
    return client.head(url, headers=TUS)


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
    assert head(client, url)["Upload-Offset"] == "0"

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
    resume_at = int(head(client, url)["Upload-Offset"])
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
    assert head(client, url)["Upload-Offset"] == "0"


def test_only_video_staff_reach_the_page_and_the_endpoints(client, selected_question):
    page = reverse("media_pipeline:staff")
    assert client.get(page).status_code == 302  # to the login page
    client.force_login(UserFactory(groups=[MODERATORS]))
    assert client.get(page).status_code == 403
    assert create_upload(client, selected_question, 10).status_code == 403


def test_someone_elses_upload_is_invisible(client, staff, selected_question):
    url = create_upload(client, selected_question, 10)["Location"]
    client.force_login(UserFactory(groups=[SPOKESPERSON_STAFF]))
    assert head(client, url).status_code == 404
    assert patch(client, url, 0, b"x").status_code == 404


def test_abandoned_uploads_are_cleaned(client, staff, selected_question, settings):
    url = create_upload(client, selected_question, 100)["Location"]
    patch(client, url, 0, b"x" * 10)
    session = UploadSession.objects.get()
    assert uploads.clean_abandoned_uploads() == 0
    UploadSession.objects.update(updated_at=timezone.now() - timedelta(days=2))
    assert uploads.clean_abandoned_uploads() == 1
    assert not session.temp_path.exists() and not UploadSession.objects.exists()
    assert head(client, url).status_code == 404


# --- tus 1.0 protocol items ---------------------------------------------------------------------


def upload_url(client, question, length):
    created = create_upload(client, question, length)
    assert created.status_code == 201, created.content
    return created["Location"]


def tus_patch(client, url, offset, data, **headers):
    return client.generic(
        "PATCH",
        url,
        data,
        content_type="application/offset+octet-stream",
        headers={**TUS, "Upload-Offset": str(offset), **headers},
    )


def checksum(algorithm: str, data: bytes) -> str:
    return f"{algorithm} {base64.b64encode(hashlib.new(algorithm, data).digest()).decode()}"


def test_options_advertises_the_extensions_without_a_session(client):
    response = client.options(reverse("media_pipeline:upload_create"))
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {
        "creation",
        "creation-with-upload",
        "termination",
        "checksum",
        "expiration",
    }
    assert {"sha1", "sha256", "md5"} <= set(response["Tus-Checksum-Algorithm"].split(","))
    assert int(response["Tus-Max-Size"]) > 0
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


@pytest.mark.parametrize("version", [None, "0.2.2", "2.0.0"])
def test_an_unsupported_tus_version_is_refused_with_412(client, staff, selected_question, version):
    headers = {
        "Upload-Length": "10",
        "Upload-Metadata": metadata(question=selected_question.public_id),
    }
    if version:
        headers["Tus-Resumable"] = version
    response = client.post(reverse("media_pipeline:upload_create"), headers=headers)
    assert response.status_code == 412
    assert response["Tus-Version"] == "1.0.0"
    assert not UploadSession.objects.exists()


def test_a_finished_upload_reports_its_full_length_until_it_expires(
    client, staff, selected_question, clip, settings
):
    data = clip.read_bytes()
    url = upload_url(client, selected_question, len(data))
    assert tus_patch(client, url, 0, data).status_code == 204
    source = AnswerVideo.objects.get(question=selected_question).source.name

    # A client that kept the URL asks where to resume the same file: nowhere, it is all there.
    finished = head(client, url)
    assert finished.status_code == 200
    assert finished["Upload-Offset"] == finished["Upload-Length"] == str(len(data))
    assert AnswerVideo.objects.get(question=selected_question).source.name == source

    UploadSession.objects.update(updated_at=timezone.now() - timedelta(days=2))
    assert head(client, url).status_code == 410
    assert head(client, url).status_code == 404  # and then it is gone


@pytest.mark.parametrize("algorithm", ["sha1", "sha256", "md5"])
def test_a_chunk_matching_its_checksum_is_kept(client, staff, selected_question, algorithm):
    url = upload_url(client, selected_question, 100)
    response = tus_patch(
        client, url, 0, b"a" * 40, **{"Upload-Checksum": checksum(algorithm, b"a" * 40)}
    )
    assert response.status_code == 204 and response["Upload-Offset"] == "40"


def test_a_chunk_with_a_wrong_checksum_is_refused_with_460_and_nothing_written(
    client, staff, selected_question
):
    url = upload_url(client, selected_question, 100)
    tus_patch(client, url, 0, b"a" * 40)
    response = tus_patch(
        client, url, 40, b"b" * 30, **{"Upload-Checksum": checksum("sha1", b"c" * 30)}
    )
    assert response.status_code == 460 and response.reason_phrase == "Checksum Mismatch"
    assert head(client, url)["Upload-Offset"] == "40"
    session = UploadSession.objects.get()
    assert session.temp_path.read_bytes() == b"a" * 40 and session.offset == 40
    # The client sends the same chunk again, intact this time.
    again = tus_patch(
        client, url, 40, b"b" * 30, **{"Upload-Checksum": checksum("sha1", b"b" * 30)}
    )
    assert again.status_code == 204 and again["Upload-Offset"] == "70"


def test_a_checksummed_chunk_cut_by_the_network_is_not_kept(selected_question, staff):
    session = uploads.create_upload(
        question=selected_question,
        user=staff,
        length=5000,
        content_type="video/mp4",
        filename="a.mp4",
    )
    data = b"x" * 3000
    with pytest.raises(OSError):
        uploads.append_chunk(
            session=session,
            offset=0,
            stream=CutConnection(data, 1000),
            chunk_length=len(data),
            checksum=upload_limits.Checksum("sha1", hashlib.sha1(data).digest()),
        )
    assert uploads.received_bytes(session) == 0


@pytest.mark.parametrize(
    ("value", "status"), [("crc32 AAAA", 400), ("sha1 not-base64!", 400), ("sha1", 460)]
)
def test_an_unusable_checksum_header_is_refused(client, staff, selected_question, value, status):
    url = upload_url(client, selected_question, 100)
    assert tus_patch(client, url, 0, b"a", **{"Upload-Checksum": value}).status_code == status
    assert head(client, url)["Upload-Offset"] == "0"


def test_every_response_of_an_unfinished_upload_says_when_it_expires(
    client, staff, selected_question, settings
):
    settings.UPLOAD_ABANDONED_AFTER_SECONDS = 3600
    created = create_upload(client, selected_question, 100)
    url = created["Location"]
    responses = [created, tus_patch(client, url, 0, b"a" * 10), head(client, url)]
    session = UploadSession.objects.get()
    for response in responses:
        expires = parse_http_date(response["Upload-Expires"])  # RFC 9110 date, else ValueError
        assert response["Upload-Expires"].endswith(" GMT")
        # An hour after the last data (earlier responses: after the data they had seen).
        assert 0 <= int(session.updated_at.timestamp() + 3600) - expires < 60

    UploadSession.objects.update(updated_at=timezone.now() - timedelta(seconds=3601))
    assert tus_patch(client, url, 10, b"a").status_code == 410
    assert not session.temp_path.exists() and not UploadSession.objects.exists()


def test_creation_with_upload_takes_the_first_bytes_or_the_whole_file(
    client, staff, selected_question, clip
):
    data = clip.read_bytes()
    created = client.post(
        reverse("media_pipeline:upload_create"),
        data[:1000],
        content_type="application/offset+octet-stream",
        headers={
            **TUS,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": metadata(question=selected_question.public_id, filetype="video/mp4"),
            "Upload-Checksum": checksum("sha1", data[:1000]),
        },
    )
    assert created.status_code == 201 and created["Upload-Offset"] == "1000"
    url = created["Location"]
    done = tus_patch(client, url, 1000, data[1000:])
    assert done.status_code == 204 and done["Upload-Offset"] == str(len(data))

    other = QuestionFactory(state=QuestionState.SELECTED)
    whole = client.post(
        reverse("media_pipeline:upload_create"),
        data,
        content_type="application/offset+octet-stream",
        headers={
            **TUS,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": metadata(question=other.public_id, filetype="video/mp4"),
        },
    )
    assert whole.status_code == 201 and whole["Upload-Offset"] == str(len(data))
    video = AnswerVideo.objects.get(question=other)
    assert whole["Hlm-Video-Status"] == reverse("media_pipeline:video_status", args=[video.pk])
    assert "Upload-Expires" not in whole


def test_creation_with_upload_and_a_wrong_checksum_creates_nothing(
    client, staff, selected_question, settings
):
    response = client.post(
        reverse("media_pipeline:upload_create"),
        b"a" * 10,
        content_type="application/offset+octet-stream",
        headers={
            **TUS,
            "Upload-Length": "100",
            "Upload-Metadata": metadata(question=selected_question.public_id, filetype="video/mp4"),
            "Upload-Checksum": checksum("sha1", b"b" * 10),
        },
    )
    assert response.status_code == 460
    assert not UploadSession.objects.exists()
    assert not list((settings.UPLOAD_TEMP_DIR / "tus").glob("*.part"))


def test_x_http_method_override_turns_a_post_into_patch_head_or_delete(
    client, staff, selected_question
):
    url = upload_url(client, selected_question, 100)
    patched = client.post(
        url,
        b"a" * 10,
        content_type="application/offset+octet-stream",
        headers={**TUS, "Upload-Offset": "0", "X-HTTP-Method-Override": "PATCH"},
    )
    assert patched.status_code == 204 and patched["Upload-Offset"] == "10"
    headed = client.post(url, headers={**TUS, "X-HTTP-Method-Override": "HEAD"})
    assert headed.status_code == 200 and headed["Upload-Offset"] == "10"
    # Only POST can be overridden, so the CSRF check of the real method always applies.
    assert client.get(url, headers={**TUS, "X-HTTP-Method-Override": "DELETE"}).status_code == 405
    deleted = client.post(url, headers={**TUS, "X-HTTP-Method-Override": "DELETE"})
    assert deleted.status_code == 204 and not UploadSession.objects.exists()


def test_the_override_goes_through_the_csrf_check(selected_question):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(UserFactory(groups=[SPOKESPERSON_STAFF]))
    created = create_upload(csrf_client, selected_question, 10)
    assert created.status_code == 403 and b"CSRF" in created.content


def test_errors_are_plain_utf8_text_in_the_language_of_the_url(client, staff, selected_question):
    response = create_upload(client, selected_question, 10, "text/plain", "note.txt")
    assert response.status_code == 415
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "n’est pas accepté" in response.content.decode("utf-8")
    with translation.override("en"):
        english_url = reverse("media_pipeline:upload_create")
    english = client.post(
        english_url,
        headers={**TUS, "Upload-Length": "10", "Upload-Metadata": metadata(question="nope")},
    )
    assert english.status_code == 404 and english.content.decode() == "Unknown question."


@pytest.mark.parametrize("value", ["²", "١٠", "1e3", "-1", " ", "10" * 10])
def test_lengths_and_offsets_other_than_ascii_digits_are_refused_with_400(
    client, staff, selected_question, value
):
    created = client.post(
        reverse("media_pipeline:upload_create"),
        headers={
            **TUS,
            "Upload-Length": value,
            "Upload-Metadata": metadata(question=selected_question.public_id, filetype="video/mp4"),
        },
    )
    assert created.status_code == 400 and "Upload-Length" in created.content.decode()
    url = upload_url(client, selected_question, 100)
    patched = tus_patch(client, url, value, b"a")
    assert patched.status_code == 400 and "Upload-Offset" in patched.content.decode()


def test_metadata_with_a_nul_byte_is_refused_with_400(client, staff, selected_question):
    response = client.post(
        reverse("media_pipeline:upload_create"),
        headers={
            **TUS,
            "Upload-Length": "10",
            "Upload-Metadata": metadata(question=selected_question.public_id + "\x00"),
        },
    )
    assert response.status_code == 400
    assert not UploadSession.objects.exists()


def test_each_user_holds_a_limited_number_and_size_of_unfinished_uploads(
    client, staff, selected_question, settings
):
    settings.UPLOAD_MAX_UNFINISHED_PER_USER = 2
    settings.UPLOAD_MAX_UNFINISHED_BYTES_PER_USER = 1000
    upload_url(client, selected_question, 400)
    refused = create_upload(client, selected_question, 700)
    assert refused.status_code == 403
    text = refused.content.decode().replace("\xa0", " ")
    assert "Vos envois inachevés totaliseraient 1,1 Kio" in text and "1000 octets" in text
    url = upload_url(client, selected_question, 500)
    too_many = create_upload(client, selected_question, 10)
    assert too_many.status_code == 403 and "2 envois inachevés" in too_many.content.decode()
    assert UploadSession.objects.count() == 2

    # Someone else is not held back; a finished or expired upload no longer counts.
    client.force_login(UserFactory(groups=[SPOKESPERSON_STAFF]))
    upload_url(client, selected_question, 900)
    client.force_login(staff)
    tus_patch(client, url, 0, b"a" * 500)
    UploadSession.objects.filter(created_by=staff, length=400).update(
        updated_at=timezone.now() - timedelta(days=2)
    )
    assert create_upload(client, selected_question, 10).status_code == 201


def test_a_complete_file_whose_hand_off_failed_is_handed_off_when_the_client_asks(
    client, staff, selected_question, clip, monkeypatch
):
    data = clip.read_bytes()
    url = upload_url(client, selected_question, len(data))
    session = UploadSession.objects.get()
    real_attach = uploads.attach_source

    def storage_down(**kwargs):
        raise OSError("storage unavailable")

    monkeypatch.setattr(uploads, "attach_source", storage_down)
    with pytest.raises(OSError):
        uploads.append_chunk(session=session, offset=0, stream=io.BytesIO(data), chunk_length=None)
    assert not AnswerVideo.objects.filter(question=selected_question).exists()

    monkeypatch.setattr(uploads, "attach_source", real_attach)
    response = head(client, url)
    assert response.status_code == 200 and response["Upload-Offset"] == str(len(data))
    video = AnswerVideo.objects.get(question=selected_question)
    with storages["private"].open(video.source.name) as stored:
        assert stored.read() == data


def test_a_file_the_pipeline_refuses_at_the_end_removes_the_upload(
    client, staff, selected_question
):
    url = upload_url(client, selected_question, 10)
    selected_question.__class__.objects.filter(pk=selected_question.pk).update(
        state=QuestionState.APPROVED
    )
    response = tus_patch(client, url, 0, b"a" * 10)
    assert response.status_code == 409
    assert "retenue pour une réponse" in response.content.decode()
    assert head(client, url).status_code == 404  # a client starts again, and is told why
