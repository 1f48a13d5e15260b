"""What the probe accepts and how it says no: picture limits per side, durations in words."""

import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from media_pipeline.exceptions import InvalidMedia
from media_pipeline.probe import duration_text, probe_file
from tests.media_pipeline.conftest import make_clip

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def portrait_clip(clip_folder) -> Path:
    """A phone filmed upright: 480×360 pictures with a 90° rotation, shown 360 wide, 480 high."""
    base = make_clip(clip_folder / "landscape.mp4", seconds=1, size="480x360", audio=False)
    rotated = clip_folder / "portrait.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(base), "-c", "copy"]
        + ["-metadata:s:v:0", "rotate=90", str(rotated)],
        check=True,
        timeout=60,
    )
    return rotated


@pytest.fixture(scope="session")
def long_clip(clip_folder) -> Path:
    """1 h 02 min 05 s of a tiny still picture at one frame a second: a long file made fast."""
    path = clip_folder / "long.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi"]
        + ["-i", "color=c=navy:size=32x32:rate=1:duration=3725"]
        + ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path)],
        check=True,
        timeout=120,
    )
    return path


def refusal(path: Path, language: str = "en") -> str:
    with translation.override(language), pytest.raises(InvalidMedia) as refused:
        probe_file(path)
    return str(refused.value)


@pytest.mark.parametrize(
    ("limits", "accepted"),
    [
        ({"MEDIA_MAX_WIDTH": 639}, False),  # the width limit alone takes effect
        ({"MEDIA_MAX_HEIGHT": 359}, False),
        ({"MEDIA_MAX_WIDTH": 640, "MEDIA_MAX_HEIGHT": 360}, True),
        ({"MEDIA_MAX_WIDTH": 360, "MEDIA_MAX_HEIGHT": 640}, False),  # 640 wide: too wide
    ],
)
def test_each_side_is_held_to_its_own_limit(clip, settings, limits, accepted):
    for name, value in limits.items():
        setattr(settings, name, value)
    if accepted:
        assert (probe_file(clip).width, probe_file(clip).height) == (640, 360)
    else:
        assert refusal(clip) == (
            f"The picture (640×360) is larger than the limit ({settings.MEDIA_MAX_WIDTH} pixels "
            f"wide, {settings.MEDIA_MAX_HEIGHT} pixels high)."
        )


@pytest.mark.parametrize(
    ("limits", "accepted"),
    [
        ({"MEDIA_MAX_WIDTH": 400}, True),  # shown 360 wide
        ({"MEDIA_MAX_HEIGHT": 400}, False),  # shown 480 high
        ({"MEDIA_MAX_WIDTH": 360, "MEDIA_MAX_HEIGHT": 480}, True),
    ],
)
def test_a_portrait_video_is_measured_as_it_is_shown(portrait_clip, settings, limits, accepted):
    for name, value in limits.items():
        setattr(settings, name, value)
    if accepted:
        facts = probe_file(portrait_clip)
        assert (facts.width, facts.height, facts.rotation) == (360, 480, 90)
    else:
        assert refusal(portrait_clip).startswith("The picture (360×480) is larger than the limit")


def test_a_video_over_the_duration_limit_is_told_in_hours_minutes_and_seconds(long_clip, settings):
    assert settings.MEDIA_MAX_DURATION_SECONDS == 3600
    assert refusal(long_clip, "fr") == "La vidéo dure 1 h 02 min 05 s ; la limite est de 60 min."
    assert refusal(long_clip, "en") == "The video lasts 1 h 02 min 05 s; the limit is 60 min."

    settings.MEDIA_MAX_DURATION_SECONDS = 3724
    assert refusal(long_clip, "fr") == (
        "La vidéo dure 1 h 02 min 05 s ; la limite est de 1 h 02 min 04 s."
    )


def test_a_video_a_fraction_of_a_second_too_long_never_reads_as_the_limit(tmp_path, settings):
    settings.MEDIA_MAX_DURATION_SECONDS = 2
    clip = make_clip(tmp_path / "two-and-a-half.mp4", seconds=2.5, size="64x48", audio=False)
    assert refusal(clip, "fr") == "La vidéo dure 3 s ; la limite est de 2 s."


@pytest.mark.parametrize(
    ("seconds", "french"),
    [(45, "45 s"), (60, "1 min"), (125, "2 min 05 s"), (3600, "60 min"), (3725, "1 h 02 min 05 s")],
)
def test_durations_in_words(seconds, french):
    with translation.override("fr"):
        assert duration_text(seconds) == french


def test_a_probe_over_its_time_limit_is_stopped_with_a_reason(clip, settings):
    settings.MEDIA_PROBE_TIMEOUT_SECONDS = 0.001
    assert refusal(clip) == "The file took too long to analyse."
