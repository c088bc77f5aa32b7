"""Headless Chromium for the map tests, with every network request blocked.

Tests marked ``browser`` are skipped where /usr/bin/chromium is missing,
unless MAPPER_REQUIRE_BROWSER=1 (CI), in which case they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _browser_missing_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _browser_missing_reason()
    if reason is None or os.environ.get("MAPPER_REQUIRE_BROWSER") == "1":
        return
    skip = pytest.mark.skip(reason=f"browser tests need Chromium: {reason}")
    skipped = 0
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
            skipped += 1
    config.stash[_SKIPPED] = (skipped, reason)


# How many browser tests were skipped, and why (set at collection, read at the end).
_SKIPPED = pytest.StashKey[tuple[int, str]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter: object, exitstatus: int, config: pytest.Config):
    """Say at the very end, loudly, that the browser tests did not run and how to run them.

    A wrapper tried first is the outermost: this prints after pytest's own short
    summary, just above the final count, where a reader of ``make test`` looks.
    """
    result = yield
    skipped, reason = config.stash.get(_SKIPPED, (0, ""))
    if skipped:
        tr = terminalreporter
        tr.section("BROWSER TESTS SKIPPED", sep="!", red=True, bold=True)
        tr.write_line(
            f"{skipped} browser test{'s were' if skipped != 1 else ' was'} SKIPPED: {reason}.",
            red=True,
            bold=True,
        )
        tr.write_line(
            "They check what the map draws and what its panel says; nothing else does. "
            "Install Chromium and run them:"
        )
        tr.write_line(
            "    sudo apt-get install chromium    (Debian/Ubuntu; gives /usr/bin/chromium)"
        )
        tr.write_line(
            "CI sets MAPPER_REQUIRE_BROWSER=1, which fails these tests instead of skipping."
        )
    return result


@dataclass
class PageLog:
    """What a page did: console errors, uncaught exceptions and blocked requests."""

    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    reason = _browser_missing_reason()
    if reason is not None:
        pytest.fail(f"MAPPER_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def open_map(browser: object) -> Iterator[object]:
    """Open a saved map: ``open_map(path, fragment="", width=1280, height=800) -> (page, log)``."""
    contexts = []

    def _open(
        path: Path, *, fragment: str = "", width: int = 1280, height: int = 800
    ) -> tuple[object, PageLog]:
        log = PageLog()
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)

        def route(r: object) -> None:
            url = r.request.url
            if url.startswith(("file://", "data:")):
                r.continue_()
            else:
                log.blocked.append(url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda msg: log.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: log.errors.append(str(exc)))
        page.goto(Path(path).resolve().as_uri() + (f"#{fragment}" if fragment else ""))
        page.wait_for_function("window.mapperMap !== undefined", timeout=15000)
        return page, log

    yield _open
    for context in contexts:
        context.close()
