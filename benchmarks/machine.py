"""Facts about the machine and software a benchmark ran on."""

import os
import platform
import subprocess
import sys
from pathlib import Path

import django


def first_line(command: list[str]) -> str:
    try:
        output = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return "unavailable"
    return (output.stdout or output.stderr).strip().splitlines()[0] if output else "unavailable"


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024**2
    return 0.0


def os_release() -> str:
    for line in Path("/etc/os-release").read_text().splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip('"')
    return platform.platform()


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"


def facts(postgres_version: str, redis_version: str) -> dict[str, str]:
    return {
        "CPU": f"{cpu_model()}, {os.cpu_count()} cores",
        "Memory": f"{memory_gib():.1f} GiB",
        "OS": f"{os_release()}, Linux {platform.release()}",
        "Python": sys.version.split()[0],
        "Django": django.get_version(),
        "PostgreSQL": postgres_version,
        "Redis": redis_version,
        "gunicorn": first_line([sys.executable, "-m", "gunicorn", "--version"]),
        "wrk": first_line(["wrk", "--version"]).split(" Copyright")[0],
        "ffmpeg": first_line(["ffmpeg", "-hide_banner", "-version"]),
        "Commit": os.environ.get("BENCH_COMMIT")
        or first_line(["git", "rev-parse", "--short", "HEAD"]),
    }
