import subprocess
from pathlib import Path

import pytest
from django.core.files import File

from media_pipeline.services import sources
from portal.roles import SPOKESPERSON_STAFF
from questions.models import QuestionState
from tests.factories import QuestionFactory, UserFactory


def make_clip(
    path: Path,
    *,
    seconds: float = 3,
    size: str = "640x360",
    audio: bool = True,
    video: bool = True,
    faststart: bool = False,
    preset: str = "ultrafast",
) -> Path:
    """A real little video made by ffmpeg: test pattern and a 440 Hz tone."""
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y"]
    if video:
        command += ["-f", "lavfi", "-i", f"testsrc=size={size}:rate=25:duration={seconds}"]
    if audio:
        command += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    if video:
        command += ["-c:v", "libx264", "-preset", preset, "-pix_fmt", "yuv420p"]
    if audio:
        command += ["-c:a", "aac"]
    if faststart:
        command += ["-movflags", "+faststart"]
    command += ["-f", "mp4", str(path)]
    subprocess.run(command, check=True, timeout=120)
    return path


@pytest.fixture(autouse=True)
def small_ladder(settings):
    """Tiny clips and a short ladder keep the suite fast; the logic is the same."""
    settings.MEDIA_LADDER_HEIGHTS = [720, 360, 240]
    settings.MEDIA_HLS_SEGMENT_SECONDS = 1
    settings.MEDIA_X264_PRESET = "ultrafast"


@pytest.fixture
def selected_question(db):
    return QuestionFactory(state=QuestionState.SELECTED)


@pytest.fixture
def staff(client):
    """A logged-in member of the spokesperson's staff."""
    user = UserFactory(groups=[SPOKESPERSON_STAFF])
    client.force_login(user)
    return user


@pytest.fixture(scope="session")
def clip_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(scope="session")
def clip(clip_folder) -> Path:
    return make_clip(clip_folder / "clip.mp4")


def attach(question, path: Path, actor=None):
    with open(path, "rb") as handle:
        return sources.attach_source(question=question, file=File(handle), actor=actor)
