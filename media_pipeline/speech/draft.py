"""A video's sound track into draft captions and a transcript, with progress (0-100)."""

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from media_pipeline.exceptions import SpeechFailed
from media_pipeline.speech import Word, get_engine
from media_pipeline.speech.audio import extract_audio
from media_pipeline.speech.cues import Cue, to_transcript, to_webvtt, words_to_cues

EXTRACTION_SHARE = 5.0  # of the progress bar: extracting the sound is quick next to recognition


@dataclass(frozen=True)
class Draft:
    language: str
    engine: str
    words: list[Word]
    cues: list[Cue]
    webvtt: str
    transcript: str
    log: str


def draft_captions(*, source: Path, language: str, on_progress: Callable[[float], None]) -> Draft:
    """Recognise the speech of `source` (a local, probed video) in `language`."""
    engine = get_engine(language)
    if language.split("-")[0] not in engine.languages:
        raise SpeechFailed(
            _("Automatic captions are not available in this language (%(language)s).")
            % {"language": language}
        )
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=settings.SPEECH_WORK_DIR) as folder:
        wav = extract_audio(source, Path(folder) / "audio.wav")
        on_progress(EXTRACTION_SHARE)
        words = engine.transcribe(
            wav,
            language,
            lambda share: on_progress(EXTRACTION_SHARE + (100 - EXTRACTION_SHARE) * share),
        )
    if not words:
        raise SpeechFailed(_("No speech was recognised in the sound track."))
    cues = words_to_cues(words)
    return Draft(
        language=language,
        engine=engine.name,
        words=words,
        cues=cues,
        webvtt=to_webvtt(cues),
        transcript=to_transcript(cues),
        log=f"{engine.name}: {len(words)} words, {len(cues)} cues in "
        f"{time.monotonic() - started:.1f} s",
    )
