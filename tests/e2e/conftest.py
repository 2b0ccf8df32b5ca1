"""Browser tests: a real server process, Debian's headless Chromium, a fake camera
playing a real badge QR code. Skipped (with the reason) where Chromium or the built
PWA is missing, except in CI (CI=true), where that is a failure."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.server import FRONTEND_DIST, Backend, LiveServer, run_server
from tests.support import require_or_skip

CHROMIUM = Path(os.environ.get("RENCONTRE_E2E_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PHONE = {"width": 360, "height": 740}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    require_or_skip(CHROMIUM.exists(), f"Chromium at {CHROMIUM} (apt-get install -y chromium)")
    require_or_skip(
        (FRONTEND_DIST / "index.html").exists() and (FRONTEND_DIST / "sw.js").exists(),
        "the built PWA in frontend/dist (cd frontend && npm ci && npm run build)",
    )
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with run_server(tmp_path_factory.mktemp("e2e-server")) as server:
        yield server


@pytest.fixture(scope="session")
def backend(live_server: LiveServer) -> Backend:
    return Backend(live_server.base_url)


# Module scope, not session: a live sync Playwright keeps an event loop running in
# this thread, and asyncio tests collected after it would fail to start theirs.
@pytest.fixture(scope="module")
def playwright_instance(chromium_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def chromium_args(camera_file: Path | None, *, grant_camera: bool = True) -> list[str]:
    args = list(CHROMIUM_ARGS)
    if camera_file is not None:
        args += ["--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={camera_file}"]
        if grant_camera:
            args.append("--use-fake-ui-for-media-stream")
    return args


CONTEXT_OPTIONS: dict[str, Any] = {
    "viewport": PHONE,
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "fr-FR",
    "timezone_id": "Europe/Paris",
}

# Every page records CSP violations, so a test fails if the strict policy blocks anything.
CSP_WATCH = """
document.addEventListener('securitypolicyviolation', (event) => {
  (window.__cspViolations ||= []).push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def launch_phone(
    playwright: Any,
    chromium: Path,
    profile: Path,
    *,
    camera: Path | None = None,
    grant_camera: bool = True,
) -> Any:
    """A persistent phone profile (Chromium calls incognito contexts never installable).

    ``camera`` plays that Y4M file as the camera; without ``grant_camera`` the
    page is refused camera access. Reusing ``profile`` reopens the same phone.
    """
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(chromium),
        headless=True,
        args=chromium_args(camera, grant_camera=grant_camera),
        permissions=["camera"] if camera is not None and grant_camera else [],
        **CONTEXT_OPTIONS,
    )
    context.add_init_script(CSP_WATCH)
    return context


@pytest.fixture
def phone(playwright_instance: Any, chromium_path: Path, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """``phone(camera=path, profile=dir)``: open a phone; all are closed after the test."""
    opened: list[Any] = []

    def open_phone(
        *, camera: Path | None = None, grant_camera: bool = True, profile: Path | None = None
    ) -> Any:
        context = launch_phone(
            playwright_instance,
            chromium_path,
            profile or tmp_path / f"profile-{len(opened)}",
            camera=camera,
            grant_camera=grant_camera,
        )
        opened.append(context)
        return context

    yield open_phone
    for context in opened:
        with contextlib.suppress(Exception):  # already closed by the test
            context.close()
