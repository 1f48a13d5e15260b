"""What Chromium transfers to show the home, event and question pages (before any video plays):
every response's encoded body and headers, summed, as the network saw them."""

from collections import defaultdict
from urllib.parse import urlsplit

from benchmarks.pages import page_paths
from benchmarks.report import Section
from benchmarks.seed import BenchData

QUESTION_TARGET_BYTES = 500_000


def transferred(browser, url: str) -> dict[str, int]:
    """Bytes per kind of resource (document, stylesheet, script, font, image, media, other)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sizes: dict[str, int] = defaultdict(int)

    def count(request) -> None:
        measured = request.sizes()
        kind = request.resource_type if request.resource_type in KINDS else "other"
        sizes[kind] += measured["responseBodySize"] + measured["responseHeadersSize"]

    page.on("requestfinished", count)
    page.goto(url, wait_until="networkidle")
    context.close()
    return dict(sizes)


KINDS = ("document", "stylesheet", "script", "font", "image", "media", "fetch")


def run(base: str, data: BenchData) -> Section:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import chromium_executable

    section = Section(
        title="Page weight (transferred)",
        method=(
            "Debian's Chromium (Playwright), phone viewport, empty cache, each page loaded until "
            "the network is idle, the video not started: the sum of every response's body as "
            "transferred (compressed) and its headers, from gunicorn with the production static "
            "files (whitenoise: hashed names, the Brotli or gzip copy the browser asks for) and "
            "the page cache."
        ),
        headers=["page", "total kB", *[f"{kind} kB" for kind in KINDS], "other kB"],
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), args=["--disable-gpu", "--no-first-run"]
        )
        for name, path, _missing in page_paths(data):
            if path is None:
                continue
            sizes = transferred(browser, base + path)
            total = sum(sizes.values())
            section.rows.append(
                [
                    f"{name} `{urlsplit(path).path}`",
                    f"{total / 1000:.0f}",
                    *[f"{sizes.get(kind, 0) / 1000:.0f}" for kind in (*KINDS, "other")],
                ]
            )
            if name == "question":
                section.check(
                    f"question page ≤ {QUESTION_TARGET_BYTES / 1000:.0f} kB transferred",
                    total <= QUESTION_TARGET_BYTES,
                )
        browser.close()
    if data.question.state != "answered":
        section.notes.append(
            "The benchmark's question has no answer video: its player (hls.js) is not on the "
            "page; `make lighthouse` reports the demo's answered question with its player."
        )
    return section
