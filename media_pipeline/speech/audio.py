"""The sound track of an uploaded video as 16 kHz mono 16-bit WAV, what speech engines read.

The source is hostile until proven otherwise, as in probe.py and transcode.py: ffmpeg opens local
files only (`-protocol_whitelist file`) with the demuxers of the containers the portal accepts
(`-format_whitelist`), so a playlist or manifest is never followed, and runs under a timeout and
dies with its parent.
"""

from pathlib import Path
from subprocess import TimeoutExpired

from django.conf import settings
from django.utils.translation import gettext as _

from media_pipeline import processes
from media_pipeline.exceptions import SpeechFailed
from media_pipeline.probe import FORMAT_WHITELIST

SAMPLE_RATE = 16000


def extract_command(source: Path, wav: Path) -> list[str]:
    return [
        settings.FFMPEG_BINARY,
        *("-hide_banner", "-nostdin", "-loglevel", "error", "-y"),
        *("-protocol_whitelist", "file", "-format_whitelist", FORMAT_WHITELIST),
        *("-i", str(source)),
        *("-map", "0:a:0", "-vn", "-sn", "-dn"),
        *("-ac", "1", "-ar", str(SAMPLE_RATE), "-c:a", "pcm_s16le", "-f", "wav"),
        str(wav),
    ]


def extract_audio(source: Path, wav: Path) -> Path:
    """Write the first audio stream of `source` to `wav`, or raise SpeechFailed with a reason."""
    try:
        completed = processes.run(
            extract_command(source, wav),
            capture_output=True,
            timeout=settings.SPEECH_AUDIO_TIMEOUT_SECONDS,
            check=False,
        )
    except TimeoutExpired as error:
        raise SpeechFailed(_("Extracting the sound took too long."), log=str(error)) from error
    log = completed.stderr.decode("utf-8", "replace")[-4000:]
    if completed.returncode != 0:
        if "matches no streams" in log:
            raise SpeechFailed(_("The video has no sound track to transcribe."), log=log)
        raise SpeechFailed(_("The sound track could not be read."), log=log)
    return wav
