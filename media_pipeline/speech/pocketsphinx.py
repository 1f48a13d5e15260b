"""PocketSphinx with the US-English model its wheel ships: offline, no download, English only.

Speech regions come from PocketSphinx's own voice activity detector, so each region is decoded as
one utterance and the pauses between them are real pauses (where cues and paragraphs break).
"""

import wave
from pathlib import Path

from django.utils.translation import gettext as _
from pocketsphinx import Decoder, Segmenter

from media_pipeline.exceptions import SpeechFailed
from media_pipeline.speech import ProgressCallback, Word

SAMPLE_RATE = 16000
# Silence, breath and noise tokens of the bundled model are not words.
FILLERS = {"<s>", "</s>", "<sil>", "[NOISE]", "[SPEECH]", "[BREATH]", "[COUGH]", "[UM]", "[UH]"}


class PocketSphinxEngine:
    name = "pocketsphinx"
    languages = frozenset({"en"})

    def __init__(self) -> None:
        self.decoder = Decoder(samprate=SAMPLE_RATE)
        self.frame_rate = int(self.decoder.config["frate"])

    def transcribe(
        self, wav_path: Path, language: str, on_progress: ProgressCallback
    ) -> list[Word]:
        if language.split("-")[0] not in self.languages:
            raise SpeechFailed(
                _("Automatic captions are not available in this language (%(language)s).")
                % {"language": language}
            )
        words: list[Word] = []
        with wave.open(str(wav_path), "rb") as audio:
            if audio.getframerate() != SAMPLE_RATE or audio.getnchannels() != 1:
                raise SpeechFailed(_("The sound track could not be prepared for transcription."))
            duration = audio.getnframes() / SAMPLE_RATE or 1.0
            segmenter = Segmenter(sample_rate=SAMPLE_RATE)
            for region in segmenter.segment(audio.getfp()):
                words += self.decode_region(region.pcm, region.start_time)
                on_progress(min(1.0, region.end_time / duration))
        on_progress(1.0)
        return words

    def decode_region(self, pcm: bytes, offset: float) -> list[Word]:
        self.decoder.start_utt()
        self.decoder.process_raw(pcm, full_utt=True)
        self.decoder.end_utt()
        words = []
        for segment in self.decoder.seg():
            text = segment.word.split("(")[0]  # "the(2)" is the second pronunciation of "the"
            if text in FILLERS or not text:
                continue
            words.append(
                Word(
                    start=round(offset + segment.start_frame / self.frame_rate, 3),
                    end=round(offset + (segment.end_frame + 1) / self.frame_rate, 3),
                    text=text,
                )
            )
        return words
