"""ffprobe a local file and decide whether it is a video we accept.

Hostile files are expected: ffprobe only reads local files (`-protocol_whitelist file`), runs under
a timeout, and a file is judged by what ffprobe says it is, never by its name.
"""

import json
import subprocess
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from media_pipeline.exceptions import InvalidMedia

# Formats that reference other files or URLs: a "video" that is really a list of other things.
PLAYLIST_FORMATS = {"hls", "applehttp", "concat", "ffconcat", "dash", "webm_dash_manifest", "smil"}
# Still images and image sequences: one frame with no real duration.
IMAGE_FORMATS = {"image2", "gif", "apng", "webp", "ico", "bmp", "tiff", "svg"}
# Containers that cameras, phones and editing software produce.
ACCEPTED_FORMATS = {
    "mov",
    "mp4",
    "m4a",
    "3gp",
    "3g2",
    "mj2",
    "matroska",
    "webm",
    "avi",
    "mpegts",
    "mpeg",
    "flv",
    "asf",
    "mxf",
    "ogg",
    "dv",
}


@dataclass(frozen=True)
class ProbeFacts:
    format_name: str
    duration: float
    size: int
    width: int  # as displayed, after rotation
    height: int
    rotation: int
    video_codec: str
    audio_codec: str  # "" when the file has no sound
    fps: float
    bit_rate: int

    @property
    def has_audio(self) -> bool:
        return bool(self.audio_codec)

    def as_dict(self) -> dict:
        return asdict(self)


def run_ffprobe(path: Path) -> dict:
    command = [
        settings.FFPROBE_BINARY,
        "-v",
        "error",
        "-protocol_whitelist",
        "file",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        str(path),
    ]
    try:
        completed = subprocess.run(
            command, capture_output=True, timeout=settings.MEDIA_PROBE_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise InvalidMedia(_("The file took too long to analyse."), log=str(error)) from error
    log = completed.stderr.decode("utf-8", "replace")[-4000:]
    if completed.returncode != 0:
        raise InvalidMedia(
            _("The file could not be read as a video: it is damaged, truncated or not a video."),
            log=log,
        )
    try:
        return json.loads(completed.stdout) | {"_log": log}
    except json.JSONDecodeError as error:
        raise InvalidMedia(_("The file could not be analysed."), log=log) from error


def probe_file(path: Path) -> ProbeFacts:
    """Return the facts of an acceptable video, or raise InvalidMedia with a human reason."""
    size = path.stat().st_size
    if size == 0:
        raise InvalidMedia(_("The file is empty."))
    if size > settings.MEDIA_MAX_UPLOAD_BYTES:
        raise InvalidMedia(_("The file is larger than the allowed size."))
    if looks_like_a_playlist(path):
        raise InvalidMedia(PLAYLIST_REASON())
    data = run_ffprobe(path)
    log = data.pop("_log", "")
    format_info = data.get("format") or {}
    check_format(format_info.get("format_name", ""), log)
    streams = data.get("streams") or []
    video = first_stream(streams, "video")
    if video is None:
        raise InvalidMedia(_("The file has no video track."), log=log)
    audio = first_stream(streams, "audio")
    facts = ProbeFacts(
        format_name=format_info.get("format_name", ""),
        duration=parse_duration(format_info, video),
        size=size,
        rotation=rotation_of(video),
        width=0,
        height=0,
        video_codec=video.get("codec_name", ""),
        audio_codec=(audio or {}).get("codec_name", ""),
        fps=frame_rate(video),
        bit_rate=int(float(format_info.get("bit_rate") or 0)),
    )
    width, height = int(video.get("width") or 0), int(video.get("height") or 0)
    if facts.rotation % 180:
        width, height = height, width
    facts = ProbeFacts(**{**facts.as_dict(), "width": width, "height": height})
    check_limits(facts, log)
    return facts


def PLAYLIST_REASON() -> str:  # noqa: N802 - a constant, translated when used
    return _("The file is a playlist or a manifest, not a video: upload the video itself.")


# Text formats that point at other files: refused before any demuxer opens them.
PLAYLIST_SIGNATURES = (b"#EXTM3U", b"ffconcat", b"file '", b"<?xml", b"<MPD", b"<smil")


def looks_like_a_playlist(path: Path) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(PLAYLIST_SIGNATURES)


def check_format(format_name: str, log: str) -> None:
    names = set(format_name.split(","))
    if names & PLAYLIST_FORMATS:
        raise InvalidMedia(PLAYLIST_REASON(), log=log)
    if names & IMAGE_FORMATS or any(name.endswith("_pipe") for name in names):
        raise InvalidMedia(_("The file is an image, not a video."), log=log)
    if not names & ACCEPTED_FORMATS:
        raise InvalidMedia(
            _("This file format (%(format)s) is not accepted: use MP4, MOV, MKV or WebM.")
            % {"format": format_name or "?"},
            log=log,
        )


def first_stream(streams: list[dict], codec_type: str) -> dict | None:
    for stream in streams:
        # A cover picture inside an audio file is a "video" stream too: not a video.
        if stream.get("codec_type") == codec_type and not (stream.get("disposition") or {}).get(
            "attached_pic"
        ):
            return stream
    return None


def parse_duration(format_info: dict, video: dict) -> float:
    for value in (format_info.get("duration"), video.get("duration")):
        try:
            if value is not None and float(value) > 0:
                return float(value)
        except ValueError:
            continue
    return 0.0


def rotation_of(video: dict) -> int:
    for side_data in video.get("side_data_list") or []:
        if "rotation" in side_data:
            return int(float(side_data["rotation"])) % 360
    rotate = (video.get("tags") or {}).get("rotate")
    return int(rotate) % 360 if rotate and rotate.lstrip("-").isdigit() else 0


def frame_rate(video: dict) -> float:
    for key in ("avg_frame_rate", "r_frame_rate"):
        try:
            rate = Fraction(video.get(key) or "0/1")
        except (ValueError, ZeroDivisionError):
            continue
        if rate > 0:
            return round(float(rate), 3)
    return 0.0


def check_limits(facts: ProbeFacts, log: str) -> None:
    if facts.duration <= 0:
        raise InvalidMedia(_("The video's duration could not be determined."), log=log)
    if facts.duration > settings.MEDIA_MAX_DURATION_SECONDS:
        raise InvalidMedia(
            _("The video lasts %(duration)d minutes; the limit is %(limit)d minutes.")
            % {
                "duration": round(facts.duration / 60),
                "limit": settings.MEDIA_MAX_DURATION_SECONDS // 60,
            },
            log=log,
        )
    if facts.width <= 0 or facts.height <= 0:
        raise InvalidMedia(_("The video's picture size could not be determined."), log=log)
    if max(facts.width, facts.height) > max(settings.MEDIA_MAX_WIDTH, settings.MEDIA_MAX_HEIGHT):
        raise InvalidMedia(
            _("The picture (%(width)d×%(height)d) is larger than the limit (%(max)d pixels).")
            % {
                "width": facts.width,
                "height": facts.height,
                "max": max(settings.MEDIA_MAX_WIDTH, settings.MEDIA_MAX_HEIGHT),
            },
            log=log,
        )
    if facts.fps <= 0 or facts.fps > 240:
        raise InvalidMedia(_("The video's frame rate is not usable."), log=log)
