"""Fixtures for the organiser-console browser tests: a real server process
(``tests.support.ServerProcess``) with one organiser, Debian's Chromium at 1280×800,
a fresh browser context per tab with axe-core served from the app's origin (the
strict CSP stays on), CSP violations and page errors recorded.

Test modules load this file with ``pytest_plugins``; every fixture here is named
``console_*``, so none clashes with the PWA's in ``tests/e2e/conftest.py``."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.console_helpers import (
    ARTIFACTS,
    AXE_PATH,
    AXE_SOURCE,
    CHROMIUM,
    CHROMIUM_ARGS,
    CSP_WATCH,
    DIST,
    VIEWPORT,
    ConsoleServer,
    ConsoleTab,
    running_console_server,
)
from tests.support import require_or_skip


@pytest.fixture(scope="session")
def console_chromium() -> Path:
    require_or_skip(CHROMIUM.exists(), f"Chromium at {CHROMIUM} (apt-get install -y chromium)")
    require_or_skip(
        (DIST / "console.html").exists(), "the built console in frontend/dist (cd frontend && npm run build)"
    )
    require_or_skip(AXE_SOURCE.exists(), "axe-core in frontend/node_modules (cd frontend && npm ci)")
    return CHROMIUM


@pytest.fixture(scope="session")
def console_server(
    console_chromium: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ConsoleServer]:
    with running_console_server(tmp_path_factory.mktemp("console-server")) as console:
        yield console


# Module scope: a live sync Playwright keeps an event loop in this thread, which
# would stop asyncio tests collected later from starting theirs; and only one can
# run at a time, so none may outlive its module.
@pytest.fixture(scope="module")
def console_playwright(console_chromium: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def console_browser(console_playwright: Any, console_chromium: Path) -> Iterator[Any]:
    browser = console_playwright.chromium.launch(
        executable_path=str(console_chromium), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def console_artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def console_tab(console_browser: Any, console_server: ConsoleServer) -> Iterator[Callable[..., ConsoleTab]]:
    """``console_tab(locale="en-GB")``: a fresh browser context (own storage) on the console."""
    opened: list[Any] = []

    def open_tab(locale: str = "en-GB", permissions: list[str] | None = None) -> ConsoleTab:
        context = console_browser.new_context(
            viewport=VIEWPORT,
            locale=locale,
            permissions=permissions or [],
            timezone_id="America/New_York",  # not the event's: times must follow the event's zone
            accept_downloads=True,
            base_url=console_server.url,
        )
        context.add_init_script(CSP_WATCH)
        source = AXE_SOURCE.read_bytes()
        context.route(
            f"**{AXE_PATH}",
            lambda route: route.fulfill(status=200, content_type="text/javascript", body=source),
        )
        opened.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        return ConsoleTab(page, context, errors)

    yield open_tab
    for context in opened:
        with contextlib.suppress(Exception):  # already closed by the test
            context.close()
