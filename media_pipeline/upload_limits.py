"""What an upload may be before any byte is kept: its declared type and size, its checksum
algorithm, and how much one staff member may hold unfinished at once."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from media_pipeline.exceptions import (
    UnsupportedUploadType,
    UploadForbidden,
    UploadRefused,
    UploadTooLarge,
)
from media_pipeline.models import UploadSession

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
# The tus `checksum` extension: algorithms a client may name in Upload-Checksum (sha1 is required).
CHECKSUM_ALGORITHMS = ("sha1", "sha256", "sha512", "md5")


@dataclass(frozen=True)
class Checksum:
    """A chunk's declared digest (`Upload-Checksum: sha1 <base64>`)."""

    algorithm: str
    digest: bytes

    def __post_init__(self) -> None:
        if self.algorithm not in CHECKSUM_ALGORITHMS:
            raise UploadRefused(
                _("Unsupported checksum algorithm (%(algorithm)s): use one of %(supported)s.")
                % {"algorithm": self.algorithm, "supported": ", ".join(CHECKSUM_ALGORITHMS)}
            )

    def hasher(self):
        return hashlib.new(self.algorithm, usedforsecurity=False)


def check_declared_file(*, length: int, content_type: str, filename: str) -> str:
    """Refuse up front what can never be an acceptable video; return the content type kept."""
    if length <= 0:
        raise UploadRefused(_("The file is empty."))
    if length > settings.MEDIA_MAX_UPLOAD_BYTES:
        raise UploadTooLarge(
            _("The file is larger than the limit (%(limit)d MB).")
            % {"limit": settings.MEDIA_MAX_UPLOAD_BYTES // 1024**2}
        )
    extension = Path(filename).suffix.lower()
    content_type = content_type.split(";")[0].strip().lower()
    if content_type not in ACCEPTED_VIDEO_TYPES and not (
        content_type in ("", "application/octet-stream") and extension in ACCEPTED_EXTENSIONS
    ):
        raise UnsupportedUploadType(
            _("This type of file (%(type)s) is not accepted: upload a video (MP4, MOV, MKV, WebM).")
            % {"type": content_type or extension or "?"}
        )
    return content_type or "application/octet-stream"


def check_unfinished_uploads(*, user: AbstractBaseUser, length: int) -> None:
    """Cap what one user may hold at once (rows and temporary files kept until they expire).

    Called in the creation's transaction with the user's row locked, so two simultaneous
    creations cannot both slip under the cap.
    """
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    live_since = timezone.now() - timedelta(seconds=settings.UPLOAD_ABANDONED_AFTER_SECONDS)
    held = UploadSession.objects.filter(
        created_by=user, completed_at__isnull=True, updated_at__gt=live_since
    ).aggregate(count=Count("pk"), total=Sum("length"))
    hours = max(1, settings.UPLOAD_ABANDONED_AFTER_SECONDS // 3600)
    if held["count"] >= settings.UPLOAD_MAX_UNFINISHED_PER_USER:
        raise UploadForbidden(
            ngettext(
                "You already have %(count)d unfinished upload, the most allowed at once: finish "
                "it first (an abandoned upload is removed %(hours)d hours after its last data).",
                "You already have %(count)d unfinished uploads, the most allowed at once: finish "
                "one first (an abandoned upload is removed %(hours)d hours after its last data).",
                held["count"],
            )
            % {"count": held["count"], "hours": hours}
        )
    total = (held["total"] or 0) + length
    if total > settings.UPLOAD_MAX_UNFINISHED_BYTES_PER_USER:
        raise UploadForbidden(
            _(
                "Your unfinished uploads would add up to %(total)s, over the limit of %(limit)s: "
                "finish one first (an abandoned upload is removed %(hours)d hours after its last "
                "data)."
            )
            % {
                "total": filesizeformat(total),
                "limit": filesizeformat(settings.UPLOAD_MAX_UNFINISHED_BYTES_PER_USER),
                "hours": hours,
            }
        )
