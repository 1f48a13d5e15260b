"""Caption files (WebVTT, SubRip) to and from plain cues, through webvtt-py. Pure, no ORM.

The editor and the search work on cues (start, end, text); the player reads the WebVTT file made
from them. Cue text is kept as the reader sees it: markup tags dropped, entities decoded.
"""

import html
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from media_pipeline.exceptions import InvalidCaptions
from media_pipeline.webvtt import MAX_CAPTION_BYTES

FORMATS = ("vtt", "srt")
MAX_CUES = 5000
MAX_CUE_CHARS = 500


@dataclass(frozen=True)
class PlainCue:
    start: float
    end: float
    text: str

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


def stamp_seconds(stamp) -> float:
    """webvtt-py's Timestamp (its *_in_seconds are whole seconds) as seconds to the millisecond."""
    return round(
        stamp.hours * 3600 + stamp.minutes * 60 + stamp.seconds + stamp.milliseconds / 1000, 3
    )


def parse_cues(raw: bytes, *, file_format: str = "vtt") -> list[PlainCue]:
    """The cues of a WebVTT or SubRip file, or InvalidCaptions with a human reason."""
    if file_format not in FORMATS:
        raise InvalidCaptions(_("Captions must be a WebVTT (.vtt) or SubRip (.srt) file."))
    if len(raw) > MAX_CAPTION_BYTES:
        raise InvalidCaptions(
            _("The captions file is larger than %(size)d KB.") % {"size": MAX_CAPTION_BYTES // 1024}
        )
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as error:
        raise InvalidCaptions(_("The captions file must be encoded in UTF-8.")) from error
    # Imported here: management commands run from an app's folder (makemessages) would find
    # media_pipeline/webvtt.py under the library's name at import time.
    import webvtt
    from webvtt.errors import MalformedFileError

    try:
        parsed = webvtt.from_buffer(io.StringIO(text), format=file_format)
    except (MalformedFileError, ValueError, IndexError) as error:
        raise InvalidCaptions(
            _("The captions file could not be read: %(error)s") % {"error": error}
        ) from error
    cues = [
        PlainCue(
            stamp_seconds(caption.start_time),
            stamp_seconds(caption.end_time),
            html.unescape(caption.text).strip(),
        )
        for caption in parsed
    ]
    return checked(cues)


def checked(cues: Iterable[PlainCue]) -> list[PlainCue]:
    """Cues sorted by start, each with text and a positive duration, or InvalidCaptions."""
    cues = sorted(cues, key=lambda cue: (cue.start, cue.end))
    if not cues:
        raise InvalidCaptions(_("The captions file contains no cue."))
    if len(cues) > MAX_CUES:
        raise InvalidCaptions(_("Too many cues (%(count)d at most).") % {"count": MAX_CUES})
    for number, cue in enumerate(cues, start=1):
        if cue.start < 0 or cue.end <= cue.start:
            raise InvalidCaptions(
                _("Cue %(number)d must end after it starts.") % {"number": number}
            )
        if not cue.text.strip():
            raise InvalidCaptions(_("Cue %(number)d has no text.") % {"number": number})
        if len(cue.text) > MAX_CUE_CHARS:
            raise InvalidCaptions(
                _("Cue %(number)d is longer than %(count)d characters.")
                % {"number": number, "count": MAX_CUE_CHARS}
            )
    return cues


def timestamp(seconds: float, separator: str = ".") -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cue_lines(text: str) -> list[str]:
    # A blank line would end the cue: lines of a cue are never empty.
    return [line.strip() for line in text.split("\n") if line.strip()]


def to_webvtt(cues: Sequence[PlainCue]) -> str:
    blocks = ["WEBVTT"]
    for cue in cues:
        lines = "\n".join(escape(line) for line in cue_lines(cue.text))
        blocks.append(f"{timestamp(cue.start)} --> {timestamp(cue.end)}\n{lines}")
    return "\n\n".join(blocks) + "\n"


def to_srt(cues: Sequence[PlainCue]) -> str:
    blocks = []
    for number, cue in enumerate(cues, start=1):
        lines = "\n".join(cue_lines(cue.text))
        blocks.append(
            f"{number}\n{timestamp(cue.start, ',')} --> {timestamp(cue.end, ',')}\n{lines}"
        )
    return "\n\n".join(blocks) + "\n"
