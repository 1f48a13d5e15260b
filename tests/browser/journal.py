"""Evidence kept by browser tests: step screenshots and the problems a browser reported."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page


@dataclass
class StepJournal:
    """Screenshots of each step of a journey, written out only when the test fails."""

    shots: list[tuple[str, bytes]] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)

    def step(self, page: Page, name: str) -> None:
        if page not in self.pages:
            self.pages.append(page)
        try:
            self.shots.append((name, page.screenshot(full_page=True)))
        except PlaywrightError as error:  # a closed tab: keep going, the test decides
            self.shots.append((f"{name} (no screenshot: {error.message})", b""))

    def save(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for number, (name, image) in enumerate(self.shots, start=1):
            if image:
                written.append(folder / f"{number:02d}-{slug(name)}.png")
                written[-1].write_bytes(image)
        for number, page in enumerate(self.pages, start=1):
            try:  # where each tab was when the test failed
                target = folder / f"failure-tab{number}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
            except PlaywrightError:
                pass
        return written


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "step"


@dataclass
class BrowserProblems:
    """Uncaught script errors and Content-Security-Policy violations seen in the browser."""

    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def assert_none(self) -> None:
        problems = [f"script error: {e}" for e in self.page_errors]
        problems += [f"CSP violation: {v}" for v in self.csp_violations]
        assert not problems, "The browser reported:\n" + "\n".join(problems)
