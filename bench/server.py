"""Real server processes on 127.0.0.1, their databases, and their memory.

The product and the ceiling run under the very same uvicorn command line (only
the application differs), so that the ratio between them measures the
application and nothing else.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil  # type: ignore[import-untyped]

import devtools.postgres
from devtools.postgres import POSTGRES_ADMIN_URL, create_postgres_database, drop_postgres_database
from rencontre.config import Settings

REPO = Path(__file__).resolve().parents[1]
BENCH_POSTGRES_URL = os.environ.get("RENCONTRE_BENCH_POSTGRES_URL", POSTGRES_ADMIN_URL)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def uvicorn_command(target: str, port: int, workers: int, *, factory: bool) -> list[str]:
    command = [sys.executable, "-m", "uvicorn", target]
    if factory:
        command.append("--factory")
    command += [
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
        "--proxy-headers",
        "--timeout-graceful-shutdown",
        "5",
        # As `rencontre serve` does.
        "--ws-max-size",
        str(64 * 1024),
        "--ws-per-message-deflate",
        "false",
    ]
    return command


class Server:
    """One uvicorn process (a supervisor and its workers when ``workers > 1``)."""

    def __init__(
        self,
        target: str,
        *,
        workers: int,
        env: dict[str, str],
        log_dir: Path,
        factory: bool = False,
        port: int | None = None,
    ) -> None:
        self.port = port or free_port()
        self.workers = workers
        self.command = uvicorn_command(target, self.port, workers, factory=factory)
        self.env = {**os.environ, **env}
        self.log = log_dir / f"server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 60) -> Server:
        self.launch()
        return self.wait_ready(timeout)

    def launch(self) -> None:
        """Start the process without waiting for it (several servers then start side by side)."""
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO
            )

    def wait_ready(self, timeout: float = 60) -> Server:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_tail()}")
            # With several workers, each must be up before the load starts.
            if self._healthy() and (self.workers == 1 or len(self._tree()) > self.workers):
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not become healthy:\n{self.log_tail()}")

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.url}/api/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def _tree(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def rss_bytes(self) -> int:
        total = 0
        for process in self._tree():
            with contextlib.suppress(psutil.NoSuchProcess):
                total += process.memory_info().rss
        return total

    def cpu_seconds(self) -> float:
        total = 0.0
        for process in self._tree():
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            for process in reversed(self._tree()):
                with contextlib.suppress(psutil.NoSuchProcess):
                    process.kill()
            self.process.wait()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


@dataclass
class MemorySampler:
    """Samples a server's resident memory (all its processes) in a background thread."""

    server: Server
    interval: float = 0.05
    samples: list[int] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> MemorySampler:
        self.samples.append(self.server.rss_bytes())
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.samples.append(self.server.rss_bytes())

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.samples.append(self.server.rss_bytes())

    @property
    def peak_mb(self) -> float:
        return max(self.samples, default=0) / 2**20

    @property
    def first_mb(self) -> float:
        return (self.samples[0] if self.samples else 0) / 2**20

    @property
    def last_mb(self) -> float:
        return (self.samples[-1] if self.samples else 0) / 2**20


class Database:
    """A fresh database for one configuration: a SQLite file, or a PostgreSQL database dropped after."""

    def __init__(self, kind: str, work_dir: Path) -> None:
        self.kind = kind
        self.work_dir = work_dir
        self.name = f"rencontre_bench_{os.getpid()}_{secrets.token_hex(3)}"
        self.url = ""

    def __enter__(self) -> Database:
        if self.kind == "sqlite":
            self.work_dir.mkdir(parents=True, exist_ok=True)
            self.url = f"sqlite+aiosqlite:///{self.work_dir / 'bench.db'}"
        else:
            self.url = create_postgres_database(self.name, BENCH_POSTGRES_URL)
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.kind == "postgresql":
            drop_postgres_database(self.name, BENCH_POSTGRES_URL)


def postgres_available() -> bool:
    return devtools.postgres.postgres_available(BENCH_POSTGRES_URL)


def migrate(settings: Settings) -> None:
    """``alembic upgrade head``, as ``rencontre migrate`` runs it."""
    from rencontre import migrate as migrations

    migrations.upgrade(settings)
