"""HTTP load: wrk for throughput and latency percentiles, a plain client for sequential timings."""

import re
import statistics
import subprocess
import time
from dataclasses import dataclass

import requests

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


@dataclass
class LoadResult:
    url: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx answers and socket errors

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.requests > 0


def duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if not match:
        raise ValueError(f"unexpected wrk duration {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def parse_wrk(url: str, output: str) -> LoadResult:
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    done = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not (latency and done and rate):
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return LoadResult(
        url=url,
        requests_per_second=float(rate.group(1)),
        p50_ms=duration_ms(latency["50"]),
        p99_ms=duration_ms(latency["99"]),
        requests=int(done.group(1)),
        errors=errors,
    )


def wrk(
    url: str, *, connections: int, seconds: int, threads: int = 2, headers: tuple[str, ...] = ()
) -> LoadResult:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-H",
        "Accept-Encoding: gzip",
        *[part for header in headers for part in ("-H", header)],
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(url, output)


def percentile(samples: list[float], pct: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


def sequential_ms(session: requests.Session, url: str, *, count: int, warmup: int) -> list[float]:
    """Wall-clock milliseconds of `count` requests one after the other (after `warmup`)."""
    timings = []
    for index in range(warmup + count):
        started = time.perf_counter()
        response = session.get(url, timeout=60)
        elapsed = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        if index >= warmup:
            timings.append(elapsed)
    return timings
