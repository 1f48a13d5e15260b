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
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [
    "pages",
    "cpu",
    "api",
    "admin",
    "burst",
    "reach",
    "live",
    "upload",
    "transcode",
    "speech",
    "outbox",
]
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


def run_section(bench_report, title: str, function, *args, **kwargs) -> None:
    """A section that breaks is reported as such; the others still run."""
    from benchmarks.report import Section

    log(title)
    try:
        section = function(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - the report says what failed
        traceback.print_exc()
        section = Section(title=title, method="", not_measured=f"the run failed: {error!r}")
    bench_report.sections.append(section)


def main() -> int:
    args = parse_args()
    wanted = [name for name in args.only.split(",") if name]
    unknown = set(wanted) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"unknown sections: {', '.join(sorted(unknown))}")
    started = time.monotonic()
    configure_environment()

    from benchmarks import servers

    postgres_version = servers.recreate_database(os.environ["DATABASE_URL"])
    redis_version = servers.flush_redis(os.environ["REDIS_URL"])

    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks import admin, machine, pages, report, seed

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
    data = None
    if NEEDS_DATA & set(wanted):
        log("creating data")
        seeded = time.monotonic()
        data = seed.create_bench_data()
        bench_report.setup.append(
            f"Fresh PostgreSQL database `{os.environ['DATABASE_URL'].rsplit('/', 1)[-1]}`, "
            f"{seed.ADMIN_QUESTIONS:,} questions (bulk insert, {time.monotonic() - seeded:.0f} s), "
            f"Redis db `{os.environ['REDIS_URL'].rsplit('/', 1)[-1]}` flushed (cache and broker)."
        )
    if "cpu" in wanted:  # in this process, before any server shares the cores
        from benchmarks import cpu

        run_section(bench_report, "CPU time per request", cpu.run, data)
    server_log = Path(os.environ["HLM_VAR_DIR"]) / "gunicorn.log"
    if {"pages", "api", "admin", "burst", "reach", "live"} & set(wanted):
        with servers.gunicorn(args.port, dict(os.environ), args.workers, server_log) as server:
            if "pages" in wanted:
                run_section(
                    bench_report,
                    "Public pages (anonymous)",
                    pages.run,
                    server.base,
                    data,
                    seconds=args.seconds,
                    workers=args.workers,
                )
                from benchmarks import weight

                run_section(bench_report, "Page weight", weight.run, server.base, data)
            if "api" in wanted:
                from benchmarks import api

                run_section(
                    bench_report,
                    "Open-data API",
                    api.run,
                    server.base,
                    data,
                    seconds=args.seconds,
                    workers=args.workers,
                )
            if "admin" in wanted:
                run_section(bench_report, "Admin question list", admin.run, server.base, data)
            if "burst" in wanted:
                from benchmarks import burst

                run_section(
                    bench_report,
                    "Burst of submissions",
                    burst.run,
                    server.base,
                    data,
                    server_pid=server.pid,
                )
            if "reach" in wanted:
                from benchmarks import reach

                run_section(
                    bench_report,
                    "Reach counters and statistics",
                    reach.run,
                    server.base,
                    data,
                    seconds=args.seconds,
                )
            if "live" in wanted:
                from benchmarks import live

                run_section(
                    bench_report,
                    "Tour day: 1,000 clients polling the live state",
                    live.run,
                    server.base,
                    seconds=args.seconds,
                )
    if "upload" in wanted:
        from benchmarks import upload

        run_section(bench_report, "Resumable upload", upload.run, args.port + 1, server_log, data)
    if "transcode" in wanted:
        from benchmarks import transcode

        run_section(bench_report, "Transcoding", transcode.run, Path(os.environ["HLM_VAR_DIR"]))
    if "speech" in wanted:
        from benchmarks import speech

        run_section(bench_report, "Speech-to-text", speech.run, Path(os.environ["HLM_VAR_DIR"]))
    if "outbox" in wanted:
        from benchmarks import outbox

        run_section(bench_report, "E-mail outbox", outbox.run)
    bench_report.duration_s = time.monotonic() - started
    bench_report.machine["Load average at the end"] = machine.load_average()
    if set(wanted) == set(SECTIONS):
        bench_report.write(args.output)
    else:  # the other sections keep the figures of the run that measured them
        bench_report.merge_into(args.output)
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
