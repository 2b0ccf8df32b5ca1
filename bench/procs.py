"""Running load in other processes: fresh interpreters (spawn), never a fork of the orchestrator."""

from __future__ import annotations

import contextlib
import multiprocessing
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext, SpawnProcess
from typing import Any, Generic, TypeVar

T = TypeVar("T")

SPAWN: SpawnContext = multiprocessing.get_context("spawn")


class ChildFailed(RuntimeError):
    """The function raised in the child process; the message holds its traceback."""


def _child(pipe: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        outcome: tuple[bool, Any] = (True, function(*args))
    except BaseException:
        outcome = (False, traceback.format_exc())
    pipe.send(outcome)
    pipe.close()


class Child(Generic[T]):
    """``function(*args)`` running in a new process; :meth:`result` waits for what it returns."""

    def __init__(self, function: Callable[..., T], *args: Any) -> None:
        self._pipe, child_end = SPAWN.Pipe(duplex=False)
        self._process: SpawnProcess = SPAWN.Process(
            target=_child, args=(child_end, function, args), daemon=True
        )
        self._process.start()
        child_end.close()

    def result(self, timeout: float) -> T:
        try:
            if not self._pipe.poll(timeout):
                raise TimeoutError(f"the load process gave no result within {timeout:.0f} s")
            ok, value = self._pipe.recv()
        except EOFError as exc:
            raise ChildFailed(f"the load process died (exit code {self._process.exitcode})") from exc
        finally:
            self.stop()
        if not ok:
            raise ChildFailed(value)
        result: T = value
        return result

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._pipe.close()


def _serve(pipe: Connection) -> None:
    while True:
        request = pipe.recv()
        if request is None:
            return
        function, args = request
        try:
            outcome: tuple[bool, Any] = (True, function(*args))
        except BaseException:
            outcome = (False, traceback.format_exc())
        pipe.send(outcome)


class LoadProcess:
    """One long-lived load process that runs the calls given to it, one at a time.

    Spawning a fresh interpreter costs a second or more on a busy 2-core machine;
    the sequential load steps of a run share this one instead.
    """

    def __init__(self) -> None:
        self._pipe, child_end = SPAWN.Pipe()
        self._process: SpawnProcess = SPAWN.Process(target=_serve, args=(child_end,), daemon=True)
        self._process.start()
        child_end.close()

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    def call(self, function: Callable[..., T], *args: Any, timeout: float) -> T:
        self.send(function, *args)
        return self.receive(timeout)

    def send(self, function: Callable[..., Any], *args: Any) -> None:
        self._pipe.send((function, args))

    def receive(self, timeout: float) -> Any:
        try:
            if not self._pipe.poll(timeout):
                self.kill()
                raise TimeoutError(f"the load process gave no result within {timeout:.0f} s")
            ok, value = self._pipe.recv()
        except EOFError as exc:
            self.kill()
            raise ChildFailed(f"the load process died (exit code {self._process.exitcode})") from exc
        if not ok:
            raise ChildFailed(value)
        return value

    def kill(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._pipe.close()

    def close(self) -> None:
        if self._process.is_alive():
            with contextlib.suppress(OSError):
                self._pipe.send(None)
            self._process.join(timeout=5)
        self.kill()


_shared: LoadProcess | None = None
_pool: list[LoadProcess] = []


def run_in_processes(function: Callable[..., T], specs: list[Any], *, timeout: float) -> list[T]:
    """``function(spec)`` for each spec at once, each in its own long-lived load process.

    The processes are kept for the next call (spawning costs a second on a busy machine);
    the results come back in the order of ``specs``.
    """
    global _pool
    alive = [p for p in _pool if p.alive]
    while len(alive) < len(specs):
        alive.append(LoadProcess())
    _pool = alive
    for process, spec in zip(_pool, specs, strict=False):
        process.send(function, spec)
    return [process.receive(timeout) for process in _pool[: len(specs)]]


def run_in_process(function: Callable[..., T], *args: Any, timeout: float) -> T:
    """``function(*args)`` in the shared load process (never this one); its result comes back pickled."""
    global _shared
    if _shared is None or not _shared.alive:
        _shared = LoadProcess()
    return _shared.call(function, *args, timeout=timeout)


def close_load_process() -> None:
    global _shared, _pool
    if _shared is not None:
        _shared.close()
        _shared = None
    for process in _pool:
        process.close()
    _pool = []
