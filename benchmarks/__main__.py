"""`make bench` (python -m benchmarks): measure the portal on this machine, write BENCHMARKS.md.

Needs PostgreSQL and Redis on loopback (BENCH_DATABASE_URL, BENCH_REDIS_URL); the benchmark
database is dropped and created afresh. `--only pages,admin` runs some sections only.
"""

import argparse
import os
import secrets
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Sections that read the seeded questions (100,000 rows take a minute to insert).
NEEDS_DATA = {"pages", "cpu", "api", "admin", "burst", "reach", "upload", "transcode"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk run")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 4)))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8900)))
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    return parser.parse_args()


def configure_environment() -> dict[str, str]:
    var_dir = ROOT / "var" / "bench"
    var_dir.mkdir(parents=True, exist_ok=True)
    values = {
        "DATABASE_URL": os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hlm_bench"
        ),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"),
        "HLM_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "CACHE_KEY_PREFIX": "hlm-bench",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        # Explicit: production mode refuses to start without EMAIL_URL; the burst's e-mails are
        # printed, not sent.
        "EMAIL_URL": "consolemail://",
        # As in production, behind one reverse proxy: the burst's citizens have their own IPs.
        "TRUSTED_PROXY_COUNT": "1",
        # wrk sends every play beacon from one address: the per-IP limit still runs (its Redis
        # counter is part of the cost), without refusing the load.
        "RATELIMIT_PLAY_PER_IP": "100000000/h",
    }
    os.environ.update(values)
    return values


def log(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


@dataclass
class Run:
    """One `make bench`: its arguments, the report it fills, the seeded data, the server."""

    args: argparse.Namespace
    wanted: list[str]
    report: Any
    data: Any = None
    server: Any = None

    def section(self, title: str, function: Callable, *args, **kwargs) -> None:
        """A section that breaks is reported as such; the others still run."""
        from benchmarks.report import Section

        log(title)
        try:
            section = function(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - the report says what failed
            traceback.print_exc()
            section = Section(title=title, method="", not_measured=f"the run failed: {error!r}")
        self.report.sections.append(section)

    @property
    def var_dir(self) -> Path:
        return Path(os.environ["HLM_VAR_DIR"])

    @property
    def server_log(self) -> Path:
        return self.var_dir / "gunicorn.log"


# --- the sections, in the order they run ---------------------------------------------------------
def cpu_section(run: Run) -> None:  # in this process, before any server shares the cores
    from benchmarks import cpu

    run.section("CPU time per request", cpu.run, run.data)


def pages_section(run: Run) -> None:
    from benchmarks import pages, weight

    base, seconds, workers = run.server.base, run.args.seconds, run.args.workers
    run.section(
        "Public pages (anonymous)", pages.run, base, run.data, seconds=seconds, workers=workers
    )
    run.section("Page weight", weight.run, base, run.data)


def api_section(run: Run) -> None:
    from benchmarks import api

    base, seconds, workers = run.server.base, run.args.seconds, run.args.workers
    run.section("Open-data API", api.run, base, run.data, seconds=seconds, workers=workers)


def admin_section(run: Run) -> None:
    from benchmarks import admin

    run.section("Admin question list", admin.run, run.server.base, run.data)


def burst_section(run: Run) -> None:
    from benchmarks import burst

    server = run.server
    run.section("Burst of submissions", burst.run, server.base, run.data, server_pid=server.pid)


def reach_section(run: Run) -> None:
    from benchmarks import reach

    base, seconds = run.server.base, run.args.seconds
    run.section("Reach counters and statistics", reach.run, base, run.data, seconds=seconds)


def live_section(run: Run) -> None:
    from benchmarks import live

    title = "Tour day: 1,000 clients polling the live state"
    run.section(title, live.run, run.server.base, seconds=run.args.seconds)


def upload_section(run: Run) -> None:  # its own server, on the next port
    from benchmarks import upload

    port = run.args.port + 1
    run.section("Resumable upload", upload.run, port, run.server_log, run.data)


def transcode_section(run: Run) -> None:
    from benchmarks import transcode

    run.section("Transcoding", transcode.run, run.var_dir)


def speech_section(run: Run) -> None:
    from benchmarks import speech

    run.section("Speech-to-text", speech.run, run.var_dir)


def outbox_section(run: Run) -> None:
    from benchmarks import outbox

    run.section("E-mail outbox", outbox.run)


BEFORE_SERVER = {"cpu": cpu_section}
ON_SERVER = {
    "pages": pages_section,
    "api": api_section,
    "admin": admin_section,
    "burst": burst_section,
    "reach": reach_section,
    "live": live_section,
}
AFTER_SERVER = {
    "upload": upload_section,
    "transcode": transcode_section,
    "speech": speech_section,
    "outbox": outbox_section,
}
SECTIONS = [*BEFORE_SERVER, *ON_SERVER, *AFTER_SERVER]


def wanted_sections(only: str) -> list[str]:
    wanted = [name for name in only.split(",") if name]
    unknown = set(wanted) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"unknown sections: {', '.join(sorted(unknown))}")
    return wanted


def prepare(args: argparse.Namespace, wanted: list[str]) -> Run:
    """A fresh database and Redis, Django set up, static files collected, data seeded if a
    section reads it; the report started with the machine's facts."""
    configure_environment()
    from benchmarks import servers

    postgres_version = servers.recreate_database(os.environ["DATABASE_URL"])
    redis_version = servers.flush_redis(os.environ["REDIS_URL"])

    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks import machine, report, seed

    bench_report = report.Report(
        command="make bench"
        + (f" BENCH_ARGS='--only {args.only}'" if args.only != ",".join(SECTIONS) else ""),
        started=datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        machine=machine.facts(postgres_version, redis_version),
    )
    bench_report.machine["Load average at the start"] = machine.load_average()
    log("migrating a fresh database, collecting static files")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    run = Run(args=args, wanted=wanted, report=bench_report)
    if NEEDS_DATA & set(wanted):
        log("creating data")
        seeded = time.monotonic()
        run.data = seed.create_bench_data()
        bench_report.setup.append(
            f"Fresh PostgreSQL database `{os.environ['DATABASE_URL'].rsplit('/', 1)[-1]}`, "
            f"{seed.ADMIN_QUESTIONS:,} questions (bulk insert, {time.monotonic() - seeded:.0f} s), "
            f"Redis db `{os.environ['REDIS_URL'].rsplit('/', 1)[-1]}` flushed (cache and broker)."
        )
    return run


def run_sections(run: Run) -> None:
    from benchmarks import servers

    def wanted(sections: dict[str, Callable[[Run], None]]) -> list[Callable[[Run], None]]:
        return [section for name, section in sections.items() if name in run.wanted]

    for section in wanted(BEFORE_SERVER):
        section(run)
    if wanted(ON_SERVER):
        args = run.args
        with servers.gunicorn(args.port, dict(os.environ), args.workers, run.server_log) as server:
            run.server = server
            for section in wanted(ON_SERVER):
                section(run)
        run.server = None
    for section in wanted(AFTER_SERVER):
        section(run)


def main() -> int:
    args = parse_args()
    wanted = wanted_sections(args.only)
    started = time.monotonic()
    run = prepare(args, wanted)
    run_sections(run)

    from benchmarks import machine

    run.report.duration_s = time.monotonic() - started
    run.report.machine["Load average at the end"] = machine.load_average()
    if set(wanted) == set(SECTIONS):
        run.report.write(args.output)
    else:  # the other sections keep the figures of the run that measured them
        run.report.merge_into(args.output)
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
