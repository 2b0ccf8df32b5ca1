"""What the host is doing: a calibration figure, and the database server's own CPU.

The machine is shared and its speed for identical work swings (up to 2.2× within an
hour, issue 21): :func:`calibrate` times a fixed piece of pure-Python work before and
after each measurement, and the table prints it beside the row, so a slow moment
shows. :class:`PostgresCpu` reads ``/proc`` for the PostgreSQL backends serving one
database, whose CPU is the database's share of a row.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

CALIBRATION_LOOPS = 200_000
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _work(loops: int) -> int:
    total = 0
    for i in range(loops):
        total = (total + i * i) % 1_000_003
    return total


def calibrate(repeats: int = 3) -> float:
    """Milliseconds for a fixed loop of interpreted arithmetic (median of ``repeats``)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        _work(CALIBRATION_LOOPS)
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def _cpu_seconds(pid: str) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


class PostgresCpu:
    """CPU seconds of the PostgreSQL backends connected to one database, read from /proc.

    A backend's process title names its database (``postgres: 15/main: user db host …``).
    The server's shared processes (WAL writer, checkpointer) also serve other databases of
    the cluster and are left out: this is what our statements cost, not the cluster's upkeep.
    """

    def __init__(self, database: str) -> None:
        self.database = database
        self._start: dict[str, float] = {}

    def _backends(self) -> dict[str, float]:
        found: dict[str, float] = {}
        needle = f" {self.database} ".encode()
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                title = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
                if title.startswith(b"postgres:") and needle in title:
                    found[entry] = _cpu_seconds(entry)
            except OSError:
                continue
        return found

    def start(self) -> None:
        self._start = self._backends()

    def seconds(self) -> float:
        """CPU since :meth:`start`; a backend started since counts from zero."""
        now = self._backends()
        return sum(cpu - self._start.get(pid, 0.0) for pid, cpu in now.items())
