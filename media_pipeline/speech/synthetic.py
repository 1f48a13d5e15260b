"""Spoken clips with known words at known times, made offline by espeak-ng and ffmpeg.

Used by the tests and the benchmarks of speech-to-text: a real sound track whose every sentence and
its interval are known. espeak-ng's Klatt voices are the ones PocketSphinx's acoustic model hears
best.
"""

import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

VOICE = "en-us+klatt2"
WORDS_PER_MINUTE = 160
# espeak-ng's French voice runs its words together at 160 words a minute: Whisper base heard
# "ministère" for "ministre" and lost "citoyens" on one CPU model, not on another. At 130 it
# heard every word on both.
WORDS_PER_MINUTE_OF_VOICE = {"fr": 130}


@dataclass(frozen=True)
class Spoken:
    text: str
    start: float
    end: float


def speak(text: str, wav: Path, *, voice: str = VOICE, speed: int | None = None) -> Path:
    speed = speed or WORDS_PER_MINUTE_OF_VOICE.get(voice, WORDS_PER_MINUTE)
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(wav), text],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return wav


def make_spoken_clip(
    path: Path,
    sentences: list[str],
    *,
    pause: float = 1.0,
    voice: str = VOICE,
    video_size: str = "320x240",
) -> list[Spoken]:
    """An MP4 (test pattern + the sentences read with `pause` seconds of silence between them);
    returns each sentence's interval in the clip."""
    spoken: list[Spoken] = []
    with tempfile.TemporaryDirectory() as folder:
        track = Path(folder) / "track.wav"
        with wave.open(str(track), "wb") as output:
            for index, sentence in enumerate(sentences):
                piece = speak(sentence, Path(folder) / f"{index}.wav", voice=voice)
                with wave.open(str(piece)) as w:
                    if index == 0:
                        output.setparams(w.getparams())
                    rate = w.getframerate()
                    silence = b"\x00" * int(rate * pause) * w.getsampwidth() * w.getnchannels()
                    start = output.tell() / rate if index else 0.0
                    output.writeframes(w.readframes(w.getnframes()))
                    spoken.append(Spoken(sentence, start, output.tell() / rate))
                    output.writeframes(silence)
        subprocess.run(
            [
                settings.FFMPEG_BINARY,
                *("-hide_banner", "-loglevel", "error", "-nostdin", "-y"),
                *("-f", "lavfi", "-i", f"testsrc2=size={video_size}:rate=25"),
                *("-i", str(track)),
                *("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
                *("-c:a", "aac", "-shortest", str(path)),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return spoken
