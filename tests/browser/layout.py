"""Layout checks a phone would fail: a page wider than its screen."""

from playwright.sync_api import Page


def too_wide(page: Page) -> str:
    """What is wrong if the page is wider than the screen, else "". Measured against the
    viewport the tab was opened with: a phone's browser zooms a wider page out to fit it, so
    innerWidth and clientWidth grow with the page and cannot tell."""
    width = page.evaluate("document.documentElement.scrollWidth")
    screen = page.viewport_size["width"]
    return f"{width} px wide on a {screen} px screen" if width > screen else ""
