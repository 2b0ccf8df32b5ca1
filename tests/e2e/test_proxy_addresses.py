"""Behind a proxy, limits count the real client: ``rencontre serve`` believes X-Forwarded-For
from the proxies of RENCONTRE_FORWARDED_ALLOW_IPS only, and the documented nginx sets it.

Real processes: ``rencontre serve`` and Debian's nginx with ``deploy/nginx.conf``. Every
address is on the loopback network (all of 127/8 is local on Linux), so a client can
come from 127.0.0.2, 127.0.0.3… The join's per-address valve is the limit observed."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.nginx import nginx_binary, run_nginx
from tests.support import REPO, free_port

pytestmark = pytest.mark.slow

WAIT = 30.0  # seconds: functional timeouts only, generous for a noisy 2-core machine
VALVE = 3  # joins a day from one address, in these servers (see tests/api/door_support.py)


@contextlib.contextmanager
def _serve(data_dir: Path, **env: str) -> Iterator[str]:
    """``rencontre serve`` as a deployment runs it, on a free port of 127.0.0.1."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data_dir.mkdir(parents=True, exist_ok=True)
    environment = {key: value for key, value in os.environ.items() if not key.startswith("RENCONTRE_")}
    environment.update(
        RENCONTRE_DATA_DIR=str(data_dir),
        RENCONTRE_PUBLIC_BASE_URL=url,
        RENCONTRE_JOIN_ADDRESS_RATE_LIMIT=f"{VALVE}/day",
        RENCONTRE_LOG_LEVEL="warning",
        **env,
    )
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "rencontre", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=environment,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(url, process, log_path)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + WAIT
    while True:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the server did not start: {log_path.read_text(errors='replace')[-3000:]}")
        time.sleep(0.1)


@contextlib.contextmanager
def _behind_nginx(root: Path, app_url: str) -> Iterator[str]:
    """Both of nginx's upstream lines on the one instance."""
    port = int(app_url.rsplit(":", 1)[1])
    with run_nginx(nginx_binary(), root, (port, port)) as (url, _access_log):
        yield url


def _join(url: str, *, source: str, forwarded_for: str | None = None) -> int:
    """A join with a link that does not work (401) from ``source``: 429 once its address is spent."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(transport=transport, timeout=WAIT) as client:
        response = client.post(f"{url}/api/auth/join", json={"token": "x" * 40}, headers=headers)
    assert response.status_code in (401, 429), response.text
    if response.status_code == 429:
        assert response.json()["code"] == "too_many_joins_from_address"
    return response.status_code


def _spend(url: str, *, source: str, forwarded_for: str | None = None) -> None:
    for _ in range(VALVE):
        assert _join(url, source=source, forwarded_for=forwarded_for) == 401


@pytest.fixture(scope="module")
def trusting_127_0_0_2(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An instance whose only trusted proxy is 127.0.0.2."""
    with _serve(tmp_path_factory.mktemp("proxied"), RENCONTRE_FORWARDED_ALLOW_IPS="127.0.0.2") as url:
        yield url


class TestForwardedAddressesFromAnAllowedProxy:
    def test_each_forwarded_client_is_limited_on_its_own(self, trusting_127_0_0_2: str) -> None:
        _spend(trusting_127_0_0_2, source="127.0.0.2", forwarded_for="192.0.2.1")
        assert _join(trusting_127_0_0_2, source="127.0.0.2", forwarded_for="192.0.2.1") == 429
        assert _join(trusting_127_0_0_2, source="127.0.0.2", forwarded_for="192.0.2.2") == 401

    def test_the_proxy_itself_is_never_the_one_counted(self, trusting_127_0_0_2: str) -> None:
        for i in range(VALVE + 2):
            assert _join(trusting_127_0_0_2, source="127.0.0.2", forwarded_for=f"192.0.2.{100 + i}") == 401


class TestForwardedAddressesFromAnyoneElse:
    def test_a_forged_forwarded_for_from_a_client_is_ignored(self, trusting_127_0_0_2: str) -> None:
        for i in range(VALVE):
            assert _join(trusting_127_0_0_2, source="127.0.0.5", forwarded_for=f"198.51.100.{i}") == 401
        assert _join(trusting_127_0_0_2, source="127.0.0.5", forwarded_for="198.51.100.200") == 429

    def test_no_proxy_is_believed_when_none_is_set(self, tmp_path: Path) -> None:
        with _serve(tmp_path / "direct", RENCONTRE_FORWARDED_ALLOW_IPS="") as url:
            for i in range(VALVE):
                assert _join(url, source="127.0.0.1", forwarded_for=f"198.51.100.{i}") == 401
            assert _join(url, source="127.0.0.1", forwarded_for="198.51.100.200") == 429


class TestBehindTheDocumentedNginx:
    def test_clients_behind_nginx_are_counted_apart_and_cannot_forge_their_address(
        self, tmp_path: Path
    ) -> None:
        # The shipped default trusts 127.0.0.1: nginx on the same host, as deploy/nginx.conf runs.
        with _serve(tmp_path / "app") as app_url, _behind_nginx(tmp_path, app_url) as url:
            _spend(url, source="127.0.0.3")
            assert _join(url, source="127.0.0.3") == 429
            # nginx appends the address it saw: a forged one in front of it changes nothing.
            assert _join(url, source="127.0.0.3", forwarded_for="192.0.2.50") == 429
            assert _join(url, source="127.0.0.4") == 401
