"""Speech-to-text behind one small interface: an engine turns 16 kHz mono WAV into timed words.

The engine is chosen per language: `SPEECH_ENGINES` maps a language (ISO 639-1) to an engine, and
`SPEECH_ENGINE` serves every other language; each is a short name from ENGINES or the dotted path
of a class with the same shape as `SpeechEngine` (an operator's own adapter).
Nothing here touches the database: the pipeline's services call `transcribe_media` and store what it
returns.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

ENGINES = {
    "pocketsphinx": "media_pipeline.speech.pocketsphinx.PocketSphinxEngine",
    "faster-whisper": "media_pipeline.speech.whisper.FasterWhisperEngine",
}

ProgressCallback = Callable[[float], None]  # share of the audio done, 0.0 to 1.0


@dataclass(frozen=True)
class Word:
    start: float  # seconds from the start of the audio
    end: float
    text: str


class SpeechEngine(Protocol):
    name: str
    languages: frozenset[str]  # ISO 639-1 codes the engine's model can transcribe

    def transcribe(
        self, wav_path: Path, language: str, on_progress: ProgressCallback
    ) -> list[Word]: ...


@cache
def load_engine(path: str) -> SpeechEngine:
    """One engine per process: loading a model costs seconds and memory."""
    return import_string(ENGINES.get(path, path))()


def engine_name(language: str) -> str:
    return settings.SPEECH_ENGINES.get(language.split("-")[0], settings.SPEECH_ENGINE)


def get_engine(language: str) -> SpeechEngine:
    """The engine configured for `language` (a model is loaded only for languages in use)."""
    return load_engine(engine_name(language))


def supports(language: str) -> bool:
    return language.split("-")[0] in get_engine(language).languages
