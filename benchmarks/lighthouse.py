"""`make lighthouse`: Lighthouse's accessibility, SEO and performance scores of the home, event
and question pages, in French and Arabic, on a phone (Lighthouse's default) and a desktop.

The portal runs as in production (gunicorn, DEBUG off, benchmarks.settings) on a fresh SQLite
database under var/lighthouse/ with the demo data (`seed_demo`: its answered question has a real,
published video). Lighthouse (pinned in benchmarks/lighthouse-cli/, installed with `npm ci` on
first use) drives Debian's Chromium headless. The JSON reports stay in var/lighthouse/; the scores
and every failed audit are printed and written to their section of BENCHMARKS.md.
Not a test: Lighthouse takes about 15 s a page.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CLI_DIR = Path(__file__).parent / "lighthouse-cli"
LIGHTHOUSE = CLI_DIR / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["accessibility", "seo", "performance"]
LANGUAGES = ["fr", "ar"]
FORM_FACTORS = ["mobile", "desktop"]
TARGETS = {"accessibility": 100, "seo": 100, "performance": 90}
# Shown with each performance score: what it is made of.
PERFORMANCE_METRICS = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "CLS": "cumulative-layout-shift",
    "transferred": "total-byte-weight",
}
TITLE = "Lighthouse: accessibility, SEO and performance"
RUN_TIMEOUT_SECONDS = 180


@dataclass
class Result:
    language: str
    page: str
    form_factor: str
    url: str
    scores: dict[str, int]
    failed: list[str] = field(default_factory=list)  # "audit-id: title"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make lighthouse", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("LIGHTHOUSE_PORT", 8950)))
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument(
        "--form-factors", default=",".join(FORM_FACTORS), help="mobile,desktop or one of them"
    )
    return parser.parse_args()


def log(text: str) -> None:
    print(f"[lighthouse] {text}", file=sys.stderr, flush=True)


def lighthouse_cli() -> Path:
    if not LIGHTHOUSE.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm is missing: run `scripts/system-deps.sh test`")
        log("installing Lighthouse (npm ci)")
        subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=CLI_DIR, check=True
        )
    return LIGHTHOUSE


def configure_environment(port: int) -> Path:
    """A fresh var/ folder, SQLite and no Redis: nothing shared with other databases."""
    var_dir = ROOT / "var" / "lighthouse"
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_STORAGE"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "HLM_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_DEBUG": "false",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "SITE_URL": f"http://127.0.0.1:{port}",  # canonical links on the served origin
            "EMAIL_URL": "consolemail://",  # production mode wants one said explicitly
            "LOG_LEVEL": "WARNING",
        }
    )
    return var_dir


def manage(*arguments: str) -> None:
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, check=True)


def pages_to_check() -> dict[str, str]:
    """name → path (French) of the pages measured: home, an event, the answered question."""
    import django

    django.setup()
    from django.urls import reverse
    from django.utils import translation

    from portal.reach.selectors import answered_questions

    question = answered_questions().first()  # answered, its video published (the workflow's rule)
    if question is None:
        raise SystemExit("seed_demo made no question answered by a published video")
    with translation.override("fr"):
        return {
            "home": reverse("home"),
            "event": reverse("events:detail", kwargs={"slug": question.event.slug}),
            "question": question.get_absolute_url(),
        }


def in_language(path: str, language: str) -> str:
    return f"/{language}/" + path.removeprefix("/fr/")


def run_lighthouse(url: str, form_factor: str, report: Path) -> dict:
    from tests.browser.conftest import chromium_executable

    command = [
        str(lighthouse_cli()),
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    subprocess.run(
        command,
        env={**os.environ, "CHROME_PATH": chromium_executable()},
        check=True,
        timeout=RUN_TIMEOUT_SECONDS,
    )
    return json.loads(report.read_text(encoding="utf-8"))


def summarise(lhr: dict) -> tuple[dict[str, int], list[str]]:
    scores = {name: round(lhr["categories"][name]["score"] * 100) for name in CATEGORIES}
    audit_ids = {
        ref["id"]
        for name in ("accessibility", "seo")
        for ref in lhr["categories"][name]["auditRefs"]
    }
    metrics = [
        f"{label} {lhr['audits'][audit_id].get('displayValue', '?')}"
        for label, audit_id in PERFORMANCE_METRICS.items()
        if audit_id in lhr["audits"]
    ]
    failed = [", ".join(metrics)] + [
        f"{audit_id}: {lhr['audits'][audit_id]['title']}"
        for audit_id in sorted(audit_ids)
        if lhr["audits"][audit_id]["scoreDisplayMode"] in {"binary", "numeric"}
        and (lhr["audits"][audit_id]["score"] or 0) < 1
    ]
    return scores, failed


def section(results: list[Result], lighthouse_version: str):
    from benchmarks.report import Section

    measured = Section(
        title=TITLE,
        method=(
            f"Lighthouse {lighthouse_version} (`make lighthouse`, pinned in "
            "benchmarks/lighthouse-cli/), categories accessibility, SEO and performance, "
            "Debian's Chromium headless; phone = Lighthouse's default mobile emulation "
            "(simulated slow 4G and 4× CPU slowdown), desktop = its desktop preset. The portal "
            "as in production (gunicorn, DEBUG off, collected and compressed static files, the "
            "page cache on) with the demo data; the question is the demo's answered question "
            "with its published video. Each page is loaded once before it is measured (the "
            "page cache is warm, as for any visitor but the first)."
        ),
        headers=[
            "page",
            "language",
            "device",
            "accessibility",
            "SEO",
            "performance",
            "performance metrics; failed audits",
        ],
    )
    for result in results:
        measured.rows.append(
            [
                f"{result.page} `{urlsplit(result.url).path}`",
                result.language,
                result.form_factor,
                str(result.scores["accessibility"]),
                str(result.scores["seo"]),
                str(result.scores["performance"]),
                "; ".join(result.failed) or "none",
            ]
        )
    for category in ("accessibility", "seo"):
        measured.check(
            f"{category} {TARGETS[category]} on every page",
            all(result.scores[category] >= TARGETS[category] for result in results),
        )
    measured.check(
        f"performance ≥ {TARGETS['performance']} on every page (mobile)",
        all(
            result.scores["performance"] >= TARGETS["performance"]
            for result in results
            if result.form_factor == "mobile"
        ),
    )
    return measured


def main() -> int:
    args = parse_args()
    started = time.monotonic()
    form_factors = [name for name in args.form_factors.split(",") if name]
    var_dir = configure_environment(args.port)
    version = subprocess.run(
        [str(lighthouse_cli()), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    log("migrating a fresh SQLite database, loading the demo data")
    manage("migrate", "--noinput", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    manage("seed_demo")
    pages = pages_to_check()

    from benchmarks import machine, report, servers

    results = []
    server_log = var_dir / "gunicorn.log"
    with servers.gunicorn(args.port, dict(os.environ), 2, server_log) as server:
        for language in LANGUAGES:
            for page, path in pages.items():
                url = server.base + in_language(path, language)
                urllib.request.urlopen(url, timeout=60).close()  # warm the page cache
                for form_factor in form_factors:
                    log(f"{form_factor} {url}")
                    lhr = run_lighthouse(
                        url, form_factor, var_dir / f"{language}-{page}-{form_factor}.json"
                    )
                    scores, failed = summarise(lhr)
                    results.append(Result(language, page, form_factor, url, scores, failed))
                    print(
                        f"{language} {page:9} {form_factor:8} "
                        + " ".join(f"{name} {score}" for name, score in scores.items())
                        + "".join(f"\n    failed {audit}" for audit in failed),
                        flush=True,
                    )
    bench_report = report.Report(
        command="make lighthouse",
        started=datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        duration_s=time.monotonic() - started,
        machine={"Chromium": machine.first_line([_chromium(), "--version"])},
    )
    bench_report.sections.append(section(results, version))
    bench_report.merge_into(args.output)
    log(f"wrote {args.output.name}; the reports are in {var_dir}")
    below = [
        result
        for result in results
        if any(result.scores[name] < target for name, target in TARGETS.items())
    ]
    return 1 if below else 0


def _chromium() -> str:
    from tests.browser.conftest import chromium_executable

    return chromium_executable()


if __name__ == "__main__":
    sys.exit(main())
