"""Browser tests: Debian's chromium driven by Playwright for Python against pytest-django's live
server, with axe-core (vendored, `vendor/`) injected into each key page. Screenshots at 1280 and
390 px go to tests/e2e/artifacts/ (ignored by git) for people to look at.

They run in their own pytest pass (`-m e2e`, one runner), after the others: the live server
needs a transactional database, which is emptied after each test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import service_missing

ARTIFACTS = Path(__file__).parent / "artifacts"
AXE = Path(__file__).parent / "vendor" / "axe-4.11.0.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Chromium as root in a closed network: no sandbox, no background connections.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
# Rule exclusions, decided once here (none so far).
AXE_DISABLED_RULES: list[str] = []


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        service_missing(f"chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the test's thread; the test's own database
    # calls (set-up, checks, teardown) are plain synchronous calls all the same.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


def new_context(browser: Any, **options: Any) -> Any:
    """A browser context whose every page carries axe-core. It comes in as an init script (the
    DevTools protocol's, outside the page's Content-Security-Policy, which refuses any inline
    script: a script tag added by the test would be blocked, as it should be)."""
    context = browser.new_context(**options)
    context.add_init_script(path=str(AXE))
    return context


def accessibility_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, one readable line each."""
    result = page.evaluate(
        """async (disabled) => {
            const rules = Object.fromEntries(disabled.map((id) => [id, {enabled: false}]));
            const result = await axe.run(document, {rules});
            return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5)}));
        }""",
        AXE_DISABLED_RULES,
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['nodes'])}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def check_page(page: Any, name: str) -> None:
    """No serious or critical accessibility violation, at 1280 and at 390 px; a screenshot of
    each width; and at 390 px nothing wider than the screen."""
    ARTIFACTS.mkdir(exist_ok=True)
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
        violations = accessibility_violations(page)
        assert not violations, f"{name} at {width} px:\n" + "\n".join(violations)
        if label == "phone":
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width, f"{name} is {overflow} px wide at {width} px"
    page.set_viewport_size({"width": 1280, "height": 800})
