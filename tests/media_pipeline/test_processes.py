"""ffmpeg dies with the process that started it, even when that process is SIGKILLed."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.media_pipeline.conftest import make_clip
from tests.worker import ROOT

pytestmark = pytest.mark.slow

# A process that transcodes as a Celery pool process does, with a slow encoder setting.
TRANSCODING_PARENT = """
import sys
from pathlib import Path

import django

django.setup()
from media_pipeline.probe import probe_file
from media_pipeline.transcode import transcode

source, folder = Path(sys.argv[1]), Path(sys.argv[2])
transcode(source=source, folder=folder, facts=probe_file(source), on_progress=lambda percent: None)
"""


def children_named(parent: int, name: str) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        if text[text.index("(") + 1 : text.rindex(")")] == name and int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found


def is_running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return text[text.rindex(")") + 2 :].split()[0] != "Z"


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_ffmpeg_dies_with_the_transcoding_process_killed_by_sigkill(tmp_path, settings):
    source = make_clip(tmp_path / "answer.mp4", seconds=8, size="640x360")
    (tmp_path / "outputs").mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "MEDIA_LADDER_HEIGHTS": "360",
        "MEDIA_X264_PRESET": "veryslow",
    }
    parent = subprocess.Popen(
        [sys.executable, "-c", TRANSCODING_PARENT, str(source), str(tmp_path / "outputs")],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own group, so that the test can clean up whatever happens
    )
    try:
        (ffmpeg,) = wait_for(
            lambda: children_named(parent.pid, "ffmpeg"), timeout=60, what="ffmpeg to start"
        )
        os.kill(parent.pid, signal.SIGKILL)  # the parent only, as the OOM killer would
        parent.wait(timeout=10)
        wait_for(lambda: not is_running(ffmpeg), timeout=10, what="ffmpeg to die with its parent")
    finally:
        try:
            os.killpg(parent.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        parent.wait(timeout=10)
