"""Sampling the server with py-spy while a scenario runs, and saying where the time goes.

py-spy is not a project dependency: ``.venv/bin/pip install py-spy``. It attaches
to the server's processes (``--subprocesses`` for several workers) and writes
collapsed stacks (``--format raw``), which :func:`summarise` reads: the share of
samples under each layer of the stack (inclusive), and the hottest leaf
functions (exclusive). Only the thread holding the GIL is sampled (``--gil``):
py-spy takes threads parked on a lock (the driver's worker, the thread pool) for
busy ones, and the event loop's thread is where a server like this one runs out
of CPU; the shares are of the Python time the server actually burned. Work done
with the GIL released (SQLite's own C code, socket writes) is not in them.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench.server import Server

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rencontre: encounters (scan service)", ("rencontre/encounters/",)),
    ("rencontre: badges (token, holder)", ("rencontre/badges/",)),
    ("rencontre: auth + dependencies", ("rencontre/auth/", "rencontre/dependencies.py")),
    ("rencontre: db session scope", ("rencontre/db.py",)),
    ("rencontre: rate limit", ("rencontre/kit/ratelimit.py", "/limits/")),
    ("rencontre: web middleware", ("rencontre/web.py",)),
    ("sqlalchemy ORM (session, flush, unit of work)", ("sqlalchemy/orm/",)),
    ("sqlalchemy Core (compile, execute, results)", ("sqlalchemy/engine/", "sqlalchemy/sql/")),
    ("sqlalchemy async bridge (greenlet)", ("sqlalchemy/ext/asyncio/", "sqlalchemy/util/_concurrency")),
    ("sqlalchemy pool", ("sqlalchemy/pool/",)),
    ("driver: aiosqlite / sqlite3", ("aiosqlite/", "sqlite3/")),
    ("driver: asyncpg", ("asyncpg/",)),
    ("sqlalchemy dialect", ("sqlalchemy/dialects/",)),
    ("pydantic (validation, serialisation)", ("pydantic/", "pydantic_core")),
    ("jwt (PyJWT)", ("/jwt/",)),
    ("fastapi (routing, dependencies, encoding)", ("fastapi/",)),
    ("starlette", ("starlette/",)),
    ("uvicorn + httptools", ("uvicorn/", "httptools")),
    ("asyncio / uvloop", ("asyncio/", "uvloop")),
    ("logging", ("logging/",)),
)


def available() -> bool:
    return _py_spy() is not None


def _py_spy() -> str | None:
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy")


class Profiler:
    """``with Profiler(server, path):`` samples the server for the duration of the block."""

    def __init__(self, server: Server, output: Path, *, rate: int = 200) -> None:
        self.server = server
        self.output = output
        self.rate = rate
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Profiler:
        py_spy = _py_spy()
        if py_spy is None:
            raise RuntimeError("py-spy is not installed: .venv/bin/pip install py-spy")
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                py_spy,
                "record",
                "--pid",
                str(self.server.pid),
                "--subprocesses",
                "--nonblocking",
                "--gil",
                "--rate",
                str(self.rate),
                "--format",
                "raw",
                "--output",
                str(self.output),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _frames(stack: str) -> list[str]:
    return [frame for frame in stack.split(";") if frame]


def summarise(path: Path, *, top: int = 25) -> str:
    """Inclusive shares per layer and the hottest leaf functions of a py-spy raw profile."""
    stacks: Counter[str] = Counter()
    for line in path.read_text(errors="replace").splitlines():
        stack, _, samples = line.rpartition(" ")
        if stack and samples.isdigit():
            stacks[stack] += int(samples)
    total = sum(stacks.values())
    if not total:
        return f"{path.name}: no samples\n"
    layers: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    own_code: Counter[str] = Counter()
    for stack, count in stacks.items():
        frames = _frames(stack)
        hit = {name for name, needles in LAYERS for frame in frames if any(n in frame for n in needles)}
        for name in hit:
            layers[name] += count
        if frames:
            leaves[frames[-1]] += count
        seen: set[str] = set()
        for frame in frames:
            if "rencontre/" in frame and frame not in seen:
                seen.add(frame)
                own_code[frame] += count
    lines = [f"{path.name}: {total} samples (CPU, all server processes)", "", "inclusive share by layer:"]
    for name, count in layers.most_common():
        lines.append(f"  {100 * count / total:5.1f}%  {name}")
    lines += ["", f"hottest leaf functions (exclusive), top {top}:"]
    for frame, count in leaves.most_common(top):
        lines.append(f"  {100 * count / total:5.1f}%  {_short(frame)}")
    lines += ["", "rencontre functions (inclusive), top 20:"]
    for frame, count in own_code.most_common(20):
        lines.append(f"  {100 * count / total:5.1f}%  {_short(frame)}")
    return "\n".join(lines) + "\n"


def _short(frame: str) -> str:
    for marker in ("site-packages/", "backend/", "lib/python3.11/"):
        if marker in frame:
            head, _, tail = frame.partition("(")
            return f"{head.strip()} ({tail.split(marker, 1)[-1].rstrip(')')})"
    return frame


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        sys.stdout.write(summarise(Path(argument)))
