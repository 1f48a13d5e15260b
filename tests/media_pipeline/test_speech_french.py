"""French drafts: the real faster-whisper engine with the Whisper base model PyPI packages ship,
on French speech espeak-ng reads for the test (a robotic voice: words chosen that it says well)."""

import io
import re
import subprocess

import pytest
import webvtt
from django.test import override_settings
from django.utils import translation

from media_pipeline.exceptions import SpeechFailed
from media_pipeline.speech import engine_name, supports
from media_pipeline.speech.draft import draft_captions
from media_pipeline.speech.packaged_model import MODEL_BIN_SIZE, whisper_base_folder
from media_pipeline.speech.synthetic import make_spoken_clip

pytestmark = pytest.mark.slow

SENTENCES = [
    "Le ministre a répondu aux questions sur les élections.",
    "La France soutient les étudiants de la région.",
    "Les citoyens posent des questions au ministre.",
    "La politique étrangère de la France est une priorité.",
]
PAUSE = 1.2
# Whisper times words from its attention, less tightly than PocketSphinx's frames, and the voice
# activity detector pads each region: a cue may start up to half a second before its sentence.
TOLERANCE = 0.5


def words_of(text: str) -> set[str]:
    return set(re.findall(r"[\w']+", text.lower()))


@pytest.fixture(scope="module")
def spoken_clip(tmp_path_factory):
    path = tmp_path_factory.mktemp("speech-fr") / "spoken.mp4"
    return path, make_spoken_clip(path, SENTENCES, pause=PAUSE, voice="fr")


@pytest.fixture(scope="module")
def draft(spoken_clip):
    path, _spoken = spoken_clip
    progress: list[float] = []
    result = draft_captions(source=path, language="fr", on_progress=progress.append)
    return result, progress


def test_french_is_drafted_by_whisper_and_english_still_by_pocketsphinx():
    assert supports("fr") and engine_name("fr") == "faster-whisper"
    assert supports("en") and engine_name("en") == "pocketsphinx"
    assert not supports("ar")


def test_most_spoken_french_words_come_back(draft):
    result, _progress = draft
    expected = words_of(" ".join(SENTENCES))
    heard = words_of(result.transcript)
    assert len(expected & heard) / len(expected) >= 0.6, result.transcript
    assert {"ministre", "questions", "france", "région", "citoyens", "priorité"} <= heard  # accents


def test_each_french_cue_shows_while_its_sentence_is_spoken(draft, spoken_clip):
    result, _progress = draft
    _path, spoken = spoken_clip
    for sentence in spoken:  # every sentence gets a cue
        assert any(sentence.start - TOLERANCE <= c.start <= sentence.end for c in result.cues)
    for cue in result.cues:
        sentence = next(s for s in spoken if s.start - TOLERANCE <= cue.start <= s.end + TOLERANCE)
        following = [s.start for s in spoken if s.start > sentence.start]
        assert cue.start < cue.end < (following[0] if following else sentence.end + 2), cue


def test_the_french_draft_is_webvtt_that_a_parser_reads_and_progress_reaches_100(draft):
    result, progress = draft
    parsed = webvtt.from_buffer(io.StringIO(result.webvtt))
    assert [c.text.replace("\n", " ") for c in parsed] == [cue.text for cue in result.cues]
    assert progress == sorted(progress) and progress[-1] == 100.0
    assert result.engine == "faster-whisper (whisper-base)" and result.language == "fr"


@pytest.mark.parametrize("sound", ["sine=frequency=440:duration=6", "anoisesrc=d=6:c=pink:a=0.3"])
def test_a_tone_or_noise_gets_no_invented_words(tmp_path, sound):
    """Whisper invents text on sounds without speech (in French, famously "Sous-titres réalisés
    par..."); the voice activity detector leaves it nothing to hear, so the job fails with a
    reason instead of drafting captions nobody said."""
    clip = tmp_path / "no-speech.mp4"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x120:d=6"]
        + ["-f", "lavfi", "-i", sound, "-c:v", "libx264", "-c:a", "aac", "-shortest", str(clip)],
        check=True,
    )
    with translation.override("en"), pytest.raises(SpeechFailed, match="No speech was recognised"):
        draft_captions(source=clip, language="fr", on_progress=lambda _: None)


def test_the_packaged_model_is_joined_once_and_a_damaged_copy_is_rebuilt(tmp_path):
    folder = whisper_base_folder(tmp_path)
    model = folder / "model.bin"
    assert model.stat().st_size == MODEL_BIN_SIZE
    assert {p.name for p in folder.iterdir()} == {
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
    }  # no half-written file left behind
    joined_at = model.stat().st_mtime_ns
    assert whisper_base_folder(tmp_path) == folder and model.stat().st_mtime_ns == joined_at
    with open(model, "r+b") as handle:  # a copy cut short (disk full, killed worker)
        handle.truncate(1000)
    whisper_base_folder(tmp_path)
    assert model.stat().st_size == MODEL_BIN_SIZE


@override_settings(SPEECH_ENGINES={}, SPEECH_ENGINE="pocketsphinx")
def test_without_a_french_engine_configured_french_is_not_drafted():
    assert not supports("fr")
