"""`make run`'s script on a folder that does not exist yet, with no configuration at all: the
portal, its workers and beat start, links name the port served, media answer HTTP Range, static
files are compressed, and the supervisor says which process died and why.

The tests share one running portal (about a minute to migrate, seed and start) and run in file
order: the last ones kill its processes. The last test starts it again on the same folder, makes
it hard to stop (a stopped Celery worker and gunicorn worker, every core busy) and stops it.
"""

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.citizen_client import Citizen
from tests.production import ROOT, free_port

STARTUP_SECONDS = 600  # migrate, compilemessages, collectstatic, demo data (one transcode)
# Slow: it starts the portal's processes; the first test waits for the start.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(STARTUP_SECONDS + 300)]


@dataclass
class Run:
    process: subprocess.Popen
    port: int
    var_dir: Path
    log_path: Path

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def request(self, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.body = response.read()
        connection.close()
        return response

    def pid_of(self, name: str) -> int:
        """The pid the supervisor last started for a process (web, worker, media, beat)."""
        return int(re.findall(rf"^\[run\] {name} started \(pid (\d+)\)", self.log, re.M)[-1])


def wait_for(condition: Callable[[], object], *, seconds: float, what: str, run: Run) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        if run.process.poll() is not None:
            break
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen; the log ends with:\n{run.log[-4000:]}")


@contextmanager
def running(folder: Path, var_dir: Path, **variables: str) -> Iterator[Run]:
    """scripts/run-portal.sh with nothing configured but a var folder and a port, started."""
    log_path = folder / "run.log"
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "HLM_VAR_DIR": str(var_dir),
        "PORT": str(port),
        **variables,
    }
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            ["scripts/run-portal.sh"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, stopped as a whole below
        )
    started = Run(process=process, port=port, var_dir=var_dir, log_path=log_path)
    try:
        wait_for(
            lambda: "Hors les Murs runs at" in started.log and _answers(started, "/healthz"),
            seconds=STARTUP_SECONDS,
            what="make run's start",
            run=started,
        )
        yield started
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("make-run") / "not" / "yet" / "var"


@pytest.fixture(scope="module")
def run(tmp_path_factory, var_dir) -> Iterator[Run]:
    """The portal on a var folder it creates."""
    with running(tmp_path_factory.mktemp("first"), var_dir) as started:
        yield started


def _answers(run: Run, path: str) -> bool:
    try:
        return run.request(path).status == 200
    except OSError:
        return False


def test_the_portal_starts_on_a_var_folder_it_creates(run):
    assert (run.var_dir / "db.sqlite3").is_file()
    assert b"Hors les Murs" in run.request("/fr/").body
    password = (run.var_dir / "demo-admin-password").read_text().strip()
    assert f"Demo login: admin / {password}" in run.log


def test_beat_runs_with_its_schedule_in_the_var_folder(run):
    wait_for(
        lambda: list(run.var_dir.glob("celerybeat-schedule*")),
        seconds=120,
        what="beat writing its schedule under HLM_VAR_DIR",
        run=run,
    )
    assert "beat: Starting..." in run.log
    assert "[run] beat died" not in run.log


def test_links_and_the_emailed_confirmation_link_name_the_port_served(run):
    origin = f"http://127.0.0.1:{run.port}"
    assert f"Sitemap: {origin}/sitemap.xml" in run.request("/robots.txt").body.decode()
    sent = Citizen(origin).send_question(email="camille.port@example.org")
    assert sent.landed_on == f"{origin}/fr/questions/sent/"
    # The worker prints the e-mail (console backend) with the link the citizen would open.
    link = wait_for(
        lambda: re.search(rf"{re.escape(origin)}/fr/questions/confirm/[^/\s]+/", run.log),
        seconds=120,
        what="the confirmation e-mail",
        run=run,
    )
    assert run.request(link.group(0).removeprefix(origin)).status == 200


def test_media_answer_range_requests_so_the_mp4_can_be_sought(run):
    # The demo answer's progressive MP4 (the largest; the others are HLS init segments).
    mp4 = max((run.var_dir / "media").rglob("*.mp4"), key=lambda path: path.stat().st_size)
    url = "/media/" + mp4.relative_to(run.var_dir / "media").as_posix()
    whole = run.request(url)
    assert whole.status == 200 and whole.body == mp4.read_bytes()
    part = run.request(url, headers={"Range": "bytes=100-199"})
    assert part.status == 206
    assert part.headers["Content-Range"] == f"bytes 100-199/{mp4.stat().st_size}"
    assert part.body == mp4.read_bytes()[100:200]


def test_static_files_are_served_compressed(run):
    page = run.request("/fr/").body.decode()
    stylesheet = re.search(r'href="(/static/css/portal[^"]*\.css)"', page).group(1)
    response = run.request(stylesheet, headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"


def test_a_killed_media_worker_is_named_restarted_and_the_web_server_stays_up(run):
    first = run.pid_of("media")
    os.kill(first, signal.SIGKILL)
    wait_for(
        lambda: f"[run] media (pid {first}) died: killed by signal KILL" in run.log,
        seconds=30,
        what="the supervisor reporting the dead media worker",
        run=run,
    )
    wait_for(lambda: run.pid_of("media") != first, seconds=30, what="a new media worker", run=run)
    assert run.request("/healthz").status == 200


def test_a_media_worker_that_keeps_dying_is_left_down_loudly_with_the_web_server_up(run):
    for _ in range(6):
        if "Not restarting it" in run.log:
            break
        pid = run.pid_of("media")
        os.kill(pid, signal.SIGKILL)
        wait_for(
            lambda pid=pid: f"media (pid {pid}) died" in run.log,
            seconds=30,
            what="the supervisor noticing the dead media worker",
            run=run,
        )
        wait_for(
            lambda pid=pid: "Not restarting it" in run.log or run.pid_of("media") != pid,
            seconds=30,
            what="a restart or giving up",
            run=run,
        )
    assert "!!! Not restarting it: the web server stays up" in run.log
    assert "media is down: video answers are not transcoded" in run.log
    assert run.request("/fr/").status == 200


def test_when_the_web_server_dies_everything_stops_and_the_log_says_why(run):
    web = run.pid_of("web")
    os.kill(web, signal.SIGKILL)
    assert run.process.wait(timeout=90) == 128 + signal.SIGKILL
    assert f"[run] web (gunicorn, pid {web}) stopped: killed by signal KILL" in run.log
    assert run.log.rstrip().endswith("[run] stopped")
    deadline = time.monotonic() + 30
    while _group_alive(run.process.pid):  # gunicorn's own workers leave once their master is gone
        assert time.monotonic() < deadline, "processes of make run are left behind"
        time.sleep(0.5)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


STOP_SECONDS = 5  # RUN_STOP_SECONDS: how long its processes have to end before being killed


def test_stopping_under_load_kills_what_does_not_stop_and_leaves_nothing_behind(
    tmp_path_factory, var_dir
):
    with running(
        tmp_path_factory.mktemp("second"), var_dir, RUN_STOP_SECONDS=str(STOP_SECONDS)
    ) as run:
        # A Celery worker and one of gunicorn's workers that cannot act on TERM (stopped), on a
        # machine whose every core is busy. (Stopped before it handles TERM, the worker would
        # die of it: wait until it is ready.)
        wait_for(
            lambda: re.search(r"^worker \| .* ready\.$", run.log, re.M),
            seconds=120,
            what="the Celery worker ready",
            run=run,
        )
        worker = run.pid_of("worker")
        gunicorn_worker = _gunicorn_workers(run.pid_of("web"))[0]
        os.kill(worker, signal.SIGSTOP)
        os.kill(gunicorn_worker, signal.SIGSTOP)
        burners = [
            subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(2 * (os.cpu_count() or 1))
        ]
        try:
            os.killpg(run.process.pid, signal.SIGTERM)  # as CI and a terminal's Ctrl-C do
            # Bounded: STOP_SECONDS, then KILL and a few seconds (a hang would block forever).
            assert run.process.wait(timeout=STOP_SECONDS + 60) == 0
        finally:
            for burner in burners:
                burner.kill()
                burner.wait()
        assert (
            f"[run] worker (pid {worker}) still runs after {STOP_SECONDS} s: killing it" in run.log
        )
        assert re.search(rf"^\[run\] killing what is left .*\b{gunicorn_worker}\b", run.log, re.M)
        assert run.log.rstrip().endswith("[run] stopped")
        deadline = time.monotonic() + 10
        while _group_alive(run.process.pid):  # the output prefixers end with their programs
            assert time.monotonic() < deadline, "processes of make run are left behind"
            time.sleep(0.5)


def _gunicorn_workers(master: int) -> list[int]:
    """The master's children but its output prefixer (sed)."""
    listed = subprocess.run(
        ["pgrep", "-P", str(master), "-f", "gunicorn"], capture_output=True, text=True, check=True
    )
    return [int(child) for child in listed.stdout.split()]


def test_a_second_term_during_the_stop_does_not_cut_it_short(tmp_path_factory, var_dir):
    """`make run` stopped from CI or a terminal: make forwards the TERM it gets to the script,
    which also gets its process group's own. The second one must not end the stop half-way,
    and every program stops by itself: none has to be killed (Celery's pool processes, when the
    group's TERM reached them, died under their worker, which then hung until killed)."""
    with running(tmp_path_factory.mktemp("third"), var_dir) as run:
        for name in ("default", "media", "speech"):
            wait_for(
                lambda name=name: re.search(rf"\b{name}@\S+ ready\.$", run.log, re.M),
                seconds=120,
                what=f"the {name} Celery worker ready",
                run=run,
            )
        os.killpg(run.process.pid, signal.SIGTERM)
        time.sleep(0.3)
        os.kill(run.process.pid, signal.SIGTERM)  # make's forwarded copy, a moment later
        assert run.process.wait(timeout=STOP_SECONDS + 60) == 0
        assert run.log.rstrip().endswith("[run] stopped")
        assert "killing" not in run.log
