"""ffprobe a local file and decide whether it is a video we accept.

Hostile files are expected. ffprobe (and ffmpeg after it) reads only local files
(`-protocol_whitelist file`) and only through the demuxers of the containers we accept
(`-format_whitelist`): a playlist or manifest (HLS, DASH, ffconcat, IMF, SDP...) is refused by
name right after ffmpeg's format detection, before its demuxer runs, so the files or URLs it names
are never opened, whatever its first bytes or extension. Each run has a timeout and dies with its
parent. A file is judged by what ffprobe says it is, never by its name.
"""

import json
import math
import re
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path
from subprocess import TimeoutExpired

from django.conf import settings
from django.utils.translation import gettext as _

from media_pipeline import processes
from media_pipeline.exceptions import InvalidMedia

# The demuxers (ffmpeg's names) of what a press team uploads: phones and cameras (MP4, MOV, 3GP),
# editing and screen-recording software (MP4, MOV, MKV, WebM, AVI), camcorders (AVCHD .mts/.m2ts
# in MPEG-TS, MPEG-PS .mpg) and broadcast cameras and exports (MXF). "mov" is the demuxer of
# mov,mp4,m4a,3gp,3g2,mj2, "matroska" of matroska,webm. None of them opens another file: MOV's
# external data references stay off (ffmpeg's `enable_drefs` default).
ACCEPTED_DEMUXERS = ("mov", "matroska", "avi", "mpegts", "mpeg", "mxf")
FORMAT_WHITELIST = ",".join(ACCEPTED_DEMUXERS)
# ffmpeg's log line when the detected format is not allowed; the prefix names the demuxer.
REFUSED_FORMAT = re.compile(r"\[([\w,]+) @ 0x[0-9a-f]+\] Format not on whitelist")
# Formats that name other files or network streams: refused by the allow-list, named in the reason.
REFERENCE_FORMATS = {
    "hls",
    "applehttp",
    "dash",
    "concat",
    "imf",
    "sdp",
    "rtsp",
    "rtp",
    "sap",
    "vobsub",
    "webm_dash_manifest",
}
# Still images and image sequences: one frame with no real duration.
IMAGE_FORMATS = {"image2", "gif", "apng", "webp", "ico", "bmp", "tiff", "svg"}
# Words of text playlists and manifests ffmpeg has no demuxer for (M3U, PLS, HDS, Smooth
# Streaming, SMIL): only used to word the reason once ffprobe has refused the file.
PLAYLIST_WORDS = (
    b"#extm3u",
    b"[playlist]",
    b"ffconcat",
    b"file '",
    b"<mpd",
    b"<smil",
    b"<manifest",
    b"<smoothstreamingmedia",
    b"<compositionplaylist",
    b"http://",
    b"https://",
    b"file:",
)


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
        "-format_whitelist",
        FORMAT_WHITELIST,
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        str(path),
    ]
    try:
        completed = processes.run(
            command, capture_output=True, timeout=settings.MEDIA_PROBE_TIMEOUT_SECONDS, check=False
        )
    except TimeoutExpired as error:
        raise InvalidMedia(_("The file took too long to analyse."), log=str(error)) from error
    log = completed.stderr.decode("utf-8", "replace")[-4000:]
    if completed.returncode != 0:
        raise InvalidMedia(unreadable_reason(path, log), log=log)
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


def unreadable_reason(path: Path, log: str) -> str:
    """Why ffprobe refused the file, in words: the format it detected, and what the bytes say."""
    refused = REFUSED_FORMAT.search(log)
    format_name = refused.group(1) if refused else ""
    names = set(format_name.split(","))
    if names & REFERENCE_FORMATS or looks_like_a_playlist(path):
        return PLAYLIST_REASON()
    if names & IMAGE_FORMATS or any(name.endswith("_pipe") for name in names):
        return _("The file is an image, not a video.")
    if format_name:
        return format_reason(format_name)
    return _("The file could not be read as a video: it is damaged, truncated or not a video.")


def looks_like_a_playlist(path: Path) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(4096).lower()
    return b"\0" not in head and any(word in head for word in PLAYLIST_WORDS)


def format_reason(format_name: str) -> str:
    return _(
        "This file format (%(format)s) is not accepted: use MP4, MOV, MKV, WebM, AVI, MPEG-TS, "
        "MPEG-PS or MXF."
    ) % {"format": format_name or "?"}


def check_format(format_name: str, log: str) -> None:
    """ffprobe applied the allow-list; this holds if FFPROBE_BINARY is something else."""
    if not set(format_name.split(",")) & set(ACCEPTED_DEMUXERS):
        raise InvalidMedia(format_reason(format_name), log=log)


def demuxer_of(facts: ProbeFacts) -> str:
    """The accepted demuxer that read the file, for ffmpeg's `-f`."""
    return next(name for name in facts.format_name.split(",") if name in ACCEPTED_DEMUXERS)


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


def duration_text(seconds: int) -> str:
    """3725 → "1 h 02 min 05 s", 125 → "2 min 05 s", 45 → "45 s"; whole minutes: "60 min"."""
    minutes, secs = divmod(seconds, 60)
    if seconds >= 60 and not secs:
        return _("%(minutes)d min") % {"minutes": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min %(seconds)02d s") % {
            "hours": hours,
            "minutes": minutes,
            "seconds": secs,
        }
    if minutes:
        return _("%(minutes)d min %(seconds)02d s") % {"minutes": minutes, "seconds": secs}
    return _("%(seconds)d s") % {"seconds": secs}


def check_limits(facts: ProbeFacts, log: str) -> None:
    if facts.duration <= 0:
        raise InvalidMedia(_("The video's duration could not be determined."), log=log)
    limit = settings.MEDIA_MAX_DURATION_SECONDS
    if facts.duration > limit:
        raise InvalidMedia(
            _("The video lasts %(duration)s; the limit is %(limit)s.")
            # Rounded up: a video over the limit never reads as equal to it.
            % {"duration": duration_text(math.ceil(facts.duration)), "limit": duration_text(limit)},
            log=log,
        )
    if facts.width <= 0 or facts.height <= 0:
        raise InvalidMedia(_("The video's picture size could not be determined."), log=log)
    # Each side against its own limit, as displayed (a portrait phone video is taller than wide).
    if facts.width > settings.MEDIA_MAX_WIDTH or facts.height > settings.MEDIA_MAX_HEIGHT:
        raise InvalidMedia(
            _(
                "The picture (%(width)d×%(height)d) is larger than the limit (%(max_width)d "
                "pixels wide, %(max_height)d pixels high)."
            )
            % {
                "width": facts.width,
                "height": facts.height,
                "max_width": settings.MEDIA_MAX_WIDTH,
                "max_height": settings.MEDIA_MAX_HEIGHT,
            },
            log=log,
        )
    if facts.fps <= 0 or facts.fps > 240:
        raise InvalidMedia(_("The video's frame rate is not usable."), log=log)
