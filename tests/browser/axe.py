"""axe-core (vendored from the npm registry, see package.json) run inside the page under test.

The script is evaluated through the DevTools protocol, not added as a <script> tag, so the page's
Content-Security-Policy stays enforced and axe is never served by the portal.
"""

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
# Every rule axe-core runs by default: WCAG 2.0/2.1/2.2 A and AA plus best practices.
AXE_OPTIONS = {"resultTypes": ["violations"]}
MAX_NODES_SHOWN = 5


@cache
def axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source() + "\n;undefined")
    return page.evaluate("options => window.axe.run(document, options)", AXE_OPTIONS)["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{len(violation['nodes'])} element(s)] {violation['helpUrl']}"
        )
        for node in violation["nodes"][:MAX_NODES_SHOWN]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Zero axe-core violations on the page as it is now, or a readable list of them."""
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} accessibility violation(s) on {page.url} "
        f"(lang={page.locator('html').get_attribute('lang')}):\n{describe(violations)}"
    )
