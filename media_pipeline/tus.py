"""The tus 1.0 endpoint of the staff page's resumable uploads (core, creation, termination).

Thin HTTP layer: headers in, one call to `media_pipeline.uploads`, headers out.
"""

import base64
import binascii

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from media_pipeline import uploads
from media_pipeline.exceptions import UploadRefused
from media_pipeline.models import AnswerVideo, UploadSession
from media_pipeline.views import staff_api
from questions.models import Question

TUS_VERSION = "1.0.0"


def tus_response(status: int, **headers) -> HttpResponse:
    response = HttpResponse(status=status)
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return response


def refused(error: UploadRefused) -> HttpResponse:
    response = HttpResponse(str(error), status=error.status, content_type="text/plain")
    response["Tus-Resumable"] = TUS_VERSION
    return response


def parse_metadata(header: str) -> dict[str, str]:
    """`Upload-Metadata: key base64value,key2 base64value2` (tus 1.0)."""
    metadata = {}
    for pair in filter(None, (item.strip() for item in header.split(","))):
        key, _sep, encoded = pair.partition(" ")
        try:
            metadata[key] = base64.b64decode(encoded, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as error:
            raise UploadRefused(_("Invalid upload metadata.")) from error
    return metadata


def int_header(request: HttpRequest, name: str) -> int:
    value = request.headers.get(name, "")
    if not value.isdigit():
        raise UploadRefused(_("The %(header)s header is missing or invalid.") % {"header": name})
    return int(value)


@require_http_methods(["POST", "OPTIONS"])
@staff_api
def upload_create(request: HttpRequest) -> HttpResponse:
    if request.method == "OPTIONS":
        return tus_response(
            204,
            Tus_Version=TUS_VERSION,
            Tus_Extension="creation,termination",
            Tus_Max_Size=settings.MEDIA_MAX_UPLOAD_BYTES,
        )
    try:
        length = int_header(request, "Upload-Length")
        metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
        question = Question.objects.filter(public_id=metadata.get("question", "")).first()
        if question is None:
            raise UploadRefused(_("Unknown question."), status=404)
        session = uploads.create_upload(
            question=question,
            user=request.user,
            length=length,
            content_type=metadata.get("filetype", ""),
            filename=metadata.get("filename", ""),
        )
    except UploadRefused as error:
        return refused(error)
    location = request.build_absolute_uri(
        reverse("media_pipeline:upload_detail", args=[session.pk])
    )
    return tus_response(201, Location=location, Upload_Offset=0)


@require_http_methods(["HEAD", "PATCH", "DELETE"])
@staff_api
def upload_detail(request: HttpRequest, upload_id) -> HttpResponse:
    session = UploadSession.objects.filter(pk=upload_id, created_by=request.user).first()
    if session is None:
        return tus_response(404)
    if request.method == "HEAD":
        return tus_response(
            200,
            Upload_Offset=uploads.received_bytes(session),
            Upload_Length=session.length,
        )
    if request.method == "DELETE":
        uploads.cancel_upload(session=session)
        return tus_response(204)
    if request.content_type != "application/offset+octet-stream":
        return refused(UploadRefused(_("Unexpected content type."), status=415))
    try:
        offset = int_header(request, "Upload-Offset")
        length = request.headers.get("Content-Length", "")
        session = uploads.append_chunk(
            session=session,
            offset=offset,
            stream=request,
            chunk_length=int(length) if length.isdigit() else None,
        )
    except UploadRefused as error:
        return refused(error)
    headers = {"Upload_Offset": session.offset}
    if session.completed_at:
        video = AnswerVideo.objects.get(question_id=session.question_id)
        headers["Hlm_Video_Status"] = reverse("media_pipeline:video_status", args=[video.pk])
    return tus_response(204, **headers)
