"""faster-whisper (CTranslate2 on the CPU): Whisper's multilingual models, French included.

By default the `base` model that PyPI packages ship (packaged_model.py): offline, no download at
run time. An operator may point SPEECH_WHISPER_MODEL_DIR at a better CTranslate2 Whisper folder
(`small`, `medium`...) installed by their own means; nothing is ever fetched from a model hub
(`local_files_only`). Speech regions come from the Silero voice activity detector faster-whisper
ships, so long silences produce no invented text.
"""

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from faster_whisper import WhisperModel
from faster_whisper.tokenizer import _LANGUAGE_CODES

from media_pipeline.exceptions import SpeechFailed
from media_pipeline.speech import ProgressCallback, Word
from media_pipeline.speech.packaged_model import whisper_base_folder


def model_folder() -> Path:
    if settings.SPEECH_WHISPER_MODEL_DIR:
        return Path(settings.SPEECH_WHISPER_MODEL_DIR)
    return whisper_base_folder(Path(settings.SPEECH_MODELS_DIR))


class FasterWhisperEngine:
    name = "faster-whisper"
    languages = frozenset(_LANGUAGE_CODES)

    def __init__(self) -> None:
        folder = model_folder()
        self.name = f"faster-whisper ({folder.name})"
        self.model = WhisperModel(
            str(folder),
            device="cpu",
            compute_type=settings.SPEECH_WHISPER_COMPUTE_TYPE,
            # One core per job, as the `speech` worker runs one job per process.
            cpu_threads=settings.SPEECH_WHISPER_THREADS,
            local_files_only=True,
        )

    def transcribe(
        self, wav_path: Path, language: str, on_progress: ProgressCallback
    ) -> list[Word]:
        code = language.split("-")[0]
        if code not in self.languages:
            raise SpeechFailed(
                _("Automatic captions are not available in this language (%(language)s).")
                % {"language": language}
            )
        segments, info = self.model.transcribe(
            str(wav_path),
            language=code,
            word_timestamps=True,
            vad_filter=True,
            vad_parameters={"speech_pad_ms": 200},
            # Each segment on its own: a misheard one is not repeated down the rest of the answer.
            condition_on_previous_text=False,
        )
        duration = info.duration or 1.0
        words: list[Word] = []
        for segment in segments:  # a generator: recognition happens as it is read
            words += join_pieces(segment.words or [])
            on_progress(min(1.0, segment.end / duration))
        on_progress(1.0)
        return words


def join_pieces(pieces) -> list[Word]:
    """Whisper's words, with an elided article glued back ("l" + "'élection" → "l'élection")."""
    words: list[Word] = []
    for piece in pieces:
        text = piece.word.strip()
        if not text:
            continue
        if words and (text[0] in "'’" or words[-1].text[-1] in "'’"):
            last = words.pop()
            words.append(Word(last.start, round(float(piece.end), 3), last.text + text))
            continue
        words.append(Word(round(float(piece.start), 3), round(float(piece.end), 3), text))
    return words
