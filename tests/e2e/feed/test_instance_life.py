"""One instance's life seen from its dashboards: SIGTERM closes them with a reconnect code, and
``rencontre watch`` follows the counts across a restart."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.e2e.feed.support import (
    PASSWORD,
    WAIT,
    Dashboard,
    Site,
    create_organiser,
    instance_env,
    shared_secrets,
)
from tests.support import REPO, ServerProcess, free_port

pytestmark = pytest.mark.slow


class TestGracefulShutdown:
    async def test_sigterm_closes_dashboards_with_a_reconnect_code(
        self, tmp_path: Path, sites: list[Site]
    ) -> None:
        server = ServerProcess(instance_env(tmp_path / "solo", "", shared_secrets(), "http://127.0.0.1:8000"))
        server.migrate()
        email = create_organiser(server.env)
        server.start()
        try:
            site = await Site.open(server.url, email)
            sites.append(site)
            await site.add_people(2)
            dashboard = await Dashboard.open(server.url, site)
            await site.scan(0, 1)
            await dashboard.follow(lambda s: s.seq == 1)
            assert server.process is not None
            server.process.send_signal(signal.SIGTERM)
            async with asyncio.timeout(WAIT):
                await dashboard.socket.wait_closed()
            assert dashboard.socket.close_code in (1001, 1012), dashboard.socket.close_code
            # uvicorn shuts down gracefully, then ends itself with the signal it got.
            assert await asyncio.to_thread(server.process.wait, WAIT) in (0, -signal.SIGTERM)
            assert "Traceback" not in server.log.read_text()
        finally:
            server.stop()


class TestWatchCommand:
    async def test_watch_prints_live_counts_and_resumes_after_a_restart(
        self, tmp_path: Path, sites: list[Site]
    ) -> None:
        port = free_port()
        env = instance_env(tmp_path / "watched", "", shared_secrets(), f"http://127.0.0.1:{port}")
        server = ServerProcess(env, port=port)
        server.migrate()
        email = create_organiser(env)
        server.start()
        watcher: subprocess.Popen[str] | None = None
        try:
            site = await Site.open(server.url, email)
            sites.append(site)
            refused = _watch(site.event_id, server.url, email, env, "wrong password")
            output, _ = await asyncio.to_thread(refused.communicate, timeout=60)
            assert (refused.returncode, "Error:" in output) == (1, True), output

            await site.add_people(3)
            await site.scan(0, 1)
            watcher = _watch(site.event_id, server.url, email, env, PASSWORD)
            lines = _LineReader(watcher)
            await lines.wait_for("connections 1 ")
            await site.scan(1, 0)
            assert "mutual 1 " in await lines.wait_for("connections 2 ")

            server.stop()  # SIGTERM: the watcher is told to reconnect
            await lines.wait_for("reconnecting")
            server.start()
            await site.scan(2, 0)
            line = await lines.wait_for("connections 3 ")
            assert "seq 3" in line
            assert "SECRET" not in "".join(lines.lines)
        finally:
            if watcher is not None:
                watcher.terminate()
                watcher.wait(timeout=WAIT)
            server.stop()


# --- helpers ------------------------------------------------------------------------------------


def _watch(event_id: str, url: str, email: str, env: dict[str, str], password: str) -> subprocess.Popen[str]:
    """``rencontre watch`` in its own process, output (stdout and stderr) in one pipe."""
    return subprocess.Popen(
        [sys.executable, "-m", "rencontre", "watch", event_id, "--url", url, "--email", email],
        env={**os.environ, **env, "RENCONTRE_ORGANISER_PASSWORD": password},
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
    )


class _LineReader:
    """A subprocess's output lines, read by a thread, awaited with a timeout."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._process = process
        assert process.stdout is not None
        stdout = process.stdout
        thread = threading.Thread(target=lambda: self.lines.extend(iter(stdout.readline, "")), daemon=True)
        thread.start()

    async def wait_for(self, needle: str, within: float = WAIT) -> str:
        seen = 0
        async with asyncio.timeout(within):
            while True:
                for line in self.lines[seen:]:
                    if needle in line:
                        return line
                seen = len(self.lines)
                if self._process.poll() is not None:
                    raise AssertionError(f"the watcher exited: {''.join(self.lines)}")
                await asyncio.sleep(0.05)
