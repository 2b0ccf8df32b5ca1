"""Debian's nginx with the documented ``deploy/nginx.conf``, in front of instances on 127.0.0.1."""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.support import REPO, free_port, require_or_skip

NGINX = Path("/usr/sbin/nginx")
WAIT = 30.0  # seconds: functional timeouts only, generous for a noisy 2-core machine


def nginx_binary() -> str:
    """nginx's path, or the test is skipped (failed in CI) with how to install it."""
    found = str(NGINX) if NGINX.exists() else shutil.which("nginx")
    require_or_skip(found is not None, f"nginx (apt-get install -y nginx-light; looked at {NGINX})")
    assert found is not None
    return found


@contextlib.contextmanager
def run_nginx(
    binary: str, root: Path, upstream_ports: tuple[int, int], feed_port: int | None = None
) -> Iterator[tuple[str, Path]]:
    """nginx on a free port, every path under ``root``; yields its URL and its access log.

    Dashboards go to ``feed_port`` (a feed-only process), or to the first instance without one.
    """
    prefix = root / "nginx"
    (prefix / "logs").mkdir(parents=True)
    (prefix / "tmp").mkdir()
    port = free_port()
    rendered = (
        (REPO / "deploy" / "nginx.conf")
        .read_text()
        .replace("${RENCONTRE_LISTEN}", f"127.0.0.1:{port}")
        .replace("${RENCONTRE_UPSTREAM_1}", f"127.0.0.1:{upstream_ports[0]}")
        .replace("${RENCONTRE_UPSTREAM_2}", f"127.0.0.1:{upstream_ports[1]}")
        .replace("${RENCONTRE_FEED_UPSTREAM}", f"127.0.0.1:{feed_port or upstream_ports[0]}")
    )
    assert "${RENCONTRE_" not in rendered
    config = prefix / "nginx.conf"
    config.write_text(rendered)
    error_log = prefix / "logs" / "error.log"
    command = [binary, "-p", str(prefix), "-c", str(config), "-e", str(error_log)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=WAIT)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"nginx did not start: {error_log.read_text()}")
            time.sleep(0.1)
        yield url, prefix / "logs" / "access.log"
    finally:
        process.send_signal(signal.SIGQUIT)  # nginx's graceful stop
        try:
            process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
