"""The tus 1.0 endpoint of the staff page's resumable uploads.

Extensions: creation, creation-with-upload, termination, checksum, expiration. Thin HTTP layer:
headers in, one call to `media_pipeline.uploads`, headers out. Errors are plain UTF-8 text in the
language of the URL, so command-line clients show them as they are.
"""

import base64
import binascii
import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _

from events.models import Event
from media_pipeline import exceptions, upload_limits, uploads, workflow
from media_pipeline.exceptions import UploadRefused
from media_pipeline.models import AnswerVideo, UploadSession
from questions.models import Question

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = ("creation", "creation-with-upload", "termination", "checksum", "expiration")
CHUNK_TYPE = "application/offset+octet-stream"
# ASCII digits only: str.isdigit() and int() also accept "²" or "٣", which are no lengths.
DIGITS = re.compile(r"[0-9]{1,18}")
# Methods a client behind a proxy that allows only POST may ask for with X-HTTP-Method-Override.
# Only POST is overridden, so the CSRF check (made on the real method) always applies.
OVERRIDABLE = frozenset({"PATCH", "DELETE", "HEAD"})


class UnsupportedVersion(UploadRefused):
    """The client speaks another version of the protocol."""

    code = "tus_version"


# The HTTP status of each refusal (uploads.py raises them without any); others are 400.
STATUS_OF_REFUSAL: dict[type[UploadRefused], int] = {
    exceptions.UploadForbidden: 403,
    exceptions.UploadNotFound: 404,
    exceptions.UploadConflict: 409,
    exceptions.UploadExpired: 410,
    UnsupportedVersion: 412,
    exceptions.UploadTooLarge: 413,
    exceptions.UnsupportedUploadType: 415,
    exceptions.UploadBusy: 423,
    exceptions.ChecksumMismatch: 460,  # tus 1.0: the chunk is discarded
}


def status_of(error: UploadRefused) -> int:
    return next((STATUS_OF_REFUSAL[k] for k in type(error).__mro__ if k in STATUS_OF_REFUSAL), 400)


def tus_response(status: int, **headers) -> HttpResponse:
    response = HttpResponse(status=status)
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return response


def refused(error: UploadRefused) -> HttpResponse:
    response = HttpResponse(
        str(error), status=status_of(error), content_type="text/plain; charset=utf-8"
    )
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    if isinstance(error, UnsupportedVersion):
        response["Tus-Version"] = TUS_VERSION
    if isinstance(error, exceptions.ChecksumMismatch):
        response.reason_phrase = "Checksum Mismatch"  # tus's own status: Django has no phrase
    return response


def capabilities() -> HttpResponse:
    """OPTIONS: what this server supports; public, like any tus server's."""
    return tus_response(
        204,
        Tus_Version=TUS_VERSION,
        Tus_Extension=",".join(TUS_EXTENSIONS),
        Tus_Max_Size=settings.MEDIA_MAX_UPLOAD_BYTES,
        Tus_Checksum_Algorithm=",".join(upload_limits.CHECKSUM_ALGORITHMS),
    )


def tus_endpoint(*methods: str) -> Callable:
    """Method override, OPTIONS, staff only (403), the Tus-Resumable check (412), and
    UploadRefused turned into its status with a plain-text reason."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            override = request.headers.get("X-HTTP-Method-Override", "").strip().upper()
            if request.method == "POST" and override in OVERRIDABLE:
                request.method = override
            if request.method == "OPTIONS":
                return capabilities()
            if request.method not in methods:
                return HttpResponseNotAllowed([*methods, "OPTIONS"])
            try:
                if not request.user.has_perm(workflow.STAFF):
                    raise exceptions.UploadForbidden(
                        _("Only the spokesperson's staff, signed in, can upload videos.")
                    )
                if request.headers.get("Tus-Resumable") != TUS_VERSION:
                    raise UnsupportedVersion(
                        _("This server speaks tus %(version)s only.") % {"version": TUS_VERSION}
                    )
                return view(request, *args, **kwargs)
            except UploadRefused as error:
                return refused(error)

        return wrapper

    return decorator


def parse_metadata(header: str) -> dict[str, str]:
    """`Upload-Metadata: key base64value,key2 base64value2` (tus 1.0)."""
    metadata = {}
    for pair in filter(None, (item.strip() for item in header.split(","))):
        key, _sep, encoded = pair.partition(" ")
        try:
            value = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as error:
            raise UploadRefused(_("Invalid upload metadata.")) from error
        if "\x00" in value:  # no database stores it, and no file name or id holds one
            raise UploadRefused(_("Invalid upload metadata."))
        metadata[key] = value
    return metadata


def int_header(request: HttpRequest, name: str, *, required: bool = True) -> int | None:
    value = request.headers.get(name)
    if value is None and not required:
        return None
    if value is None or not DIGITS.fullmatch(value.strip()):
        raise UploadRefused(_("The %(header)s header is missing or invalid.") % {"header": name})
    return int(value)


def checksum_header(request: HttpRequest) -> upload_limits.Checksum | None:
    """`Upload-Checksum: sha1 <base64 digest>` (tus `checksum` extension)."""
    value = request.headers.get("Upload-Checksum")
    if value is None:
        return None
    algorithm, _sep, encoded = value.strip().partition(" ")
    try:
        digest = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error as error:
        raise UploadRefused(
            _("The %(header)s header is missing or invalid.") % {"header": "Upload-Checksum"}
        ) from error
    return upload_limits.Checksum(algorithm.strip().lower(), digest)


def progress_headers(session: UploadSession) -> dict[str, object]:
    """Upload-Offset, then the expiry of an unfinished upload or the status URL of its video."""
    headers: dict[str, object] = {"Upload_Offset": uploads.received_bytes(session)}
    if session.completed_at:
        owner = (
            {"question_id": session.question_id}
            if session.question_id
            else {"event_id": session.event_id}
        )
        video = AnswerVideo.objects.only("pk").filter(**owner).first()
        if video is not None:  # staff may have deleted it since
            headers["Hlm_Video_Status"] = reverse("media_pipeline:video_status", args=[video.pk])
    else:
        headers["Upload_Expires"] = http_date(uploads.expires_at(session).timestamp())
    return headers


def chunk_arguments(request: HttpRequest) -> dict:
    """The request body as a chunk for `uploads`: stream, announced length, checksum."""
    return {
        "stream": request,
        "chunk_length": int_header(request, "Content-Length", required=False),
        "checksum": checksum_header(request),
    }


def video_owner(metadata: dict[str, str]) -> dict:
    """What the upload is for: `question` (its public id) or `event` (its slug, the recording)."""
    if "question" in metadata and "event" in metadata:
        raise UploadRefused(_("An upload answers a question or records an event, not both."))
    if "event" in metadata:
        event = Event.objects.filter(slug=metadata["event"]).first()
        if event is None:
            raise exceptions.UploadNotFound(_("Unknown event."))
        return {"event": event}
    question = Question.objects.filter(public_id=metadata.get("question", "")).first()
    if question is None:
        raise exceptions.UploadNotFound(_("Unknown question."))
    return {"question": question}


@tus_endpoint("POST")
def upload_create(request: HttpRequest) -> HttpResponse:
    length = int_header(request, "Upload-Length")
    metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
    # creation-with-upload: the request may carry the first bytes.
    with_data = request.content_type == CHUNK_TYPE
    session = uploads.create_upload(
        **video_owner(metadata),
        user=request.user,
        length=length,
        content_type=metadata.get("filetype", ""),
        filename=metadata.get("filename", ""),
        **(chunk_arguments(request) if with_data else {}),
    )
    location = request.build_absolute_uri(
        reverse("media_pipeline:upload_detail", args=[session.pk])
    )
    return tus_response(201, Location=location, **progress_headers(session))


@tus_endpoint("HEAD", "PATCH", "DELETE")
def upload_detail(request: HttpRequest, upload_id) -> HttpResponse:
    session = uploads.find_upload(upload_id=upload_id, user=request.user)
    if request.method == "HEAD":
        uploads.current_offset(session)
        return tus_response(200, Upload_Length=session.length, **progress_headers(session))
    if request.method == "DELETE":
        uploads.cancel_upload(session=session)
        return tus_response(204)
    if request.content_type != CHUNK_TYPE:
        raise exceptions.UnsupportedUploadType(_("Unexpected content type."))
    session = uploads.append_chunk(
        session=session, offset=int_header(request, "Upload-Offset"), **chunk_arguments(request)
    )
    return tus_response(204, **progress_headers(session))
