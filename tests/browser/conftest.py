"""Browser tests: Playwright drives Debian's Chromium against the portal on a loopback live server.

No browser is ever downloaded (`playwright install` is never needed): the `chromium` Debian package
provides the binary (`scripts/system-deps.sh test`); `CHROMIUM_EXECUTABLE` overrides its path.
Screenshots of every recorded step (and of every open page) land under `test-results/` when a test
fails.
"""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page

from tests.browser.journal import BrowserProblems, StepJournal
from tests.browser.media import SMALL_LADDER
from tests.worker import running_worker

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
BROWSER_TIMEOUT_MS = 15_000


def chromium_executable() -> str:
    """Debian's real Chromium binary (the /usr/bin/chromium wrapper only adds a shell warning)."""
    candidates = [
        os.environ.get("CHROMIUM_EXECUTABLE", ""),
        "/usr/lib/chromium/chromium",
        shutil.which("chromium") or "",
    ]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise RuntimeError("Chromium is missing: run `scripts/system-deps.sh test` (Debian's chromium)")


def pytest_collection_modifyitems(config, items) -> None:
    """Browser tests run last and carry the `browser` and `slow` markers.

    Playwright's sync API keeps an event loop running in the main thread until the session ends;
    running the browser tests last keeps Django's async-safety check intact for every other test.
    """
    browser_dir = Path(__file__).parent
    browser_items = [item for item in items if browser_dir in Path(item.path).parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.slow)
    others = [item for item in items if item not in set(browser_items)]
    items[:] = others + browser_items


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session", autouse=True)
def _django_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an asyncio loop in the main thread; our code has no async
    views, so Django's guard against ORM calls from async code is a false alarm here."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": chromium_executable(),
        "args": [
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--autoplay-policy=no-user-gesture-required",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    return live_server.url


@pytest.fixture
def problems(request) -> Iterator[BrowserProblems]:
    """Uncaught script errors and CSP violations in any tab fail the test that caused them."""
    found = BrowserProblems()
    yield found
    if not getattr(getattr(request.node, "report_call", None), "failed", False):
        found.assert_none()


@pytest.fixture
def journal(request, output_path) -> Iterator[StepJournal]:
    """`journal.step(page, "what the user just did")` keeps a screenshot of each step; they are
    written to test-results/<test>/ only if the test fails."""
    recorder = StepJournal()
    yield recorder
    failed = any(
        getattr(getattr(request.node, f"report_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    if failed:
        recorder.save(Path(output_path))


def _watch(context: BrowserContext, problems: BrowserProblems) -> BrowserContext:
    context.set_default_timeout(BROWSER_TIMEOUT_MS)

    def on_page(page: Page) -> None:
        page.on("pageerror", lambda error: problems.page_errors.append(f"{page.url}: {error}"))
        page.on("console", lambda message: _on_console(page, message, problems))

    context.on("page", on_page)
    return context


def _on_console(page: Page, message: ConsoleMessage, problems: BrowserProblems) -> None:
    if message.type == "error" and re.search("Content Security Policy", message.text):
        problems.csp_violations.append(f"{page.url}: {message.text}")


@pytest.fixture
def desktop(new_context, problems) -> Page:
    """A desktop browser tab (1280×720) whose script errors and CSP violations are recorded."""
    return _watch(new_context(viewport={"width": 1280, "height": 720}), problems).new_page()


@pytest.fixture
def phone(new_context, problems) -> Page:
    """A phone-sized touch browser tab (390×844, like current mid-range phones)."""
    return _watch(new_context(**PHONE), problems).new_page()


@pytest.fixture
def new_tab(new_context, problems):
    """Make more tabs, each in its own context (own cookies): `new_tab(phone=True, locale="ar")`."""

    def make(*, phone: bool = False, **context_args) -> Page:
        options = {**(PHONE if phone else {"viewport": {"width": 1280, "height": 720}})}
        options.update(context_args)
        return _watch(new_context(**options), problems).new_page()

    return make


@pytest.fixture
def worker(live_server, settings) -> Iterator[None]:
    """A real Celery worker (both queues) on the test database, storage and e-mail folders."""
    mail_dir = Path(settings.VAR_DIR) / "worker-mail"
    shutil.rmtree(mail_dir, ignore_errors=True)
    mail_dir.mkdir(parents=True, exist_ok=True)
    media_env = {
        **SMALL_LADDER,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "UPLOAD_TEMP_DIR": str(settings.UPLOAD_TEMP_DIR),
        "SITE_URL": live_server.url,
    }
    with running_worker(queues="default,media", env=media_env, log_name="browser-worker.log"):
        yield


@pytest.fixture
def worker_mail_dir(settings) -> Path:
    return Path(settings.VAR_DIR) / "worker-mail"


@pytest.fixture
def site_url(live_server, settings) -> str:
    """Links in e-mails rendered by the test process point at the live server."""
    settings.SITE_URL = live_server.url
    return live_server.url
