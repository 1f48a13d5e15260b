"""A strict-enough WebVTT check: what a browser needs to show the captions, nothing hostile."""

import re

from django.utils.translation import gettext as _

from media_pipeline.exceptions import InvalidCaptions

MAX_CAPTION_BYTES = 512 * 1024
TIMESTAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
CUE_TIMING = re.compile(rf"^{TIMESTAMP}[ \t]+-->[ \t]+{TIMESTAMP}(?:[ \t].*)?$")


def seconds(hours: str | None, minutes: str, secs: str, millis: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs) + int(millis) / 1000


def validate_webvtt(raw: bytes) -> str:
    """Return the text of a valid WebVTT file or raise InvalidCaptions with a human reason."""
    if len(raw) > MAX_CAPTION_BYTES:
        raise InvalidCaptions(
            _("The captions file is larger than %(size)d KB.") % {"size": MAX_CAPTION_BYTES // 1024}
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidCaptions(_("The captions file must be encoded in UTF-8.")) from error
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        raise InvalidCaptions(_("The captions file must start with the line “WEBVTT”."))
    if "\x00" in text:
        raise InvalidCaptions(_("The captions file contains invalid characters."))
    previous_start = -1.0
    cues = 0
    for number, line in enumerate(lines, start=1):
        if "-->" not in line:
            continue
        match = CUE_TIMING.match(line.strip())
        if not match:
            raise InvalidCaptions(_("Line %(line)d: the cue timing is invalid.") % {"line": number})
        start, end = seconds(*match.groups()[:4]), seconds(*match.groups()[4:])
        if end <= start:
            raise InvalidCaptions(
                _("Line %(line)d: a cue must end after it starts.") % {"line": number}
            )
        if start < previous_start:
            raise InvalidCaptions(
                _("Line %(line)d: cues must be in chronological order.") % {"line": number}
            )
        previous_start = start
        cues += 1
    if cues == 0:
        raise InvalidCaptions(_("The captions file contains no cue."))
    return text
