"""Running user queries in child processes that can be killed.

pyoxigraph cannot interrupt a running query, so a query that must stop at its timeout runs in a
forked child holding the same (copy-on-write) store. The parent waits up to the timeout; then it
kills the child (SIGKILL), which frees the CPU at once, and forks a fresh one. Other requests are
served meanwhile by the other children.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection

from .engine import QueryOutcome, QueryRequest

RunQuery = Callable[[QueryRequest], QueryOutcome]


class QueryTimeout(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"query stopped after {seconds:g} s (the time limit)")
        self.seconds = seconds


class WorkerCrashed(Exception):
    pass


class ExecutorBusy(Exception):
    def __init__(self) -> None:
        super().__init__("every query process is busy; try again shortly")


def _child_main(conn: Connection, run: RunQuery, after_fork: Callable[[], None]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when children stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    after_fork()
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        if request is None:
            os._exit(0)
        try:
            outcome = run(request)
        except SyntaxError as exc:
            outcome = QueryOutcome(400, "text/plain", f"Query parse error: {exc}".encode(),
                                   message=str(exc))
        except OSError as exc:  # the store itself failed (a remote endpoint unreachable …)
            outcome = QueryOutcome(502, "text/plain", f"The store failed: {exc}".encode(), message=str(exc))
        except Exception as exc:  # noqa: BLE001 - the engine refusing this query: say why, keep the child
            outcome = QueryOutcome(400, "text/plain",
                                   f"Query evaluation failed: {type(exc).__name__}: {exc}".encode(),
                                   message=str(exc))
        try:
            conn.send(outcome)
        except (BrokenPipeError, OSError):
            os._exit(0)


@dataclass
class _Child:
    process: mp.process.BaseProcess
    conn: Connection
    generation: int = 0


class QueryExecutor:
    """A pool of killable query processes, started lazily in the process that uses it."""

    def __init__(self, run: RunQuery, after_fork: Callable[[], None] = lambda: None,
                 size: int = 2, max_size: int = 8) -> None:
        self._run, self._after_fork = run, after_fork
        self.size, self.max_size = size, max(size, max_size)
        self._idle: list[_Child] = []
        self._count = 0
        self._owner = -1
        self._generation = 0  # children of older generations hold a store from before an update
        self._lock = threading.Condition()
        self._context = mp.get_context("fork")

    def _reset_if_forked(self) -> None:
        # After gunicorn forks the app into a worker, children of the parent are not ours.
        if self._owner != os.getpid():
            self._idle, self._count, self._owner = [], 0, os.getpid()
            self._lock = threading.Condition()

    def _spawn(self) -> _Child:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_child_main, args=(child, self._run, self._after_fork),
                                        daemon=True, name="kazkg-query")
        process.start()
        child.close()
        return _Child(process, parent, self._generation)

    def _acquire(self, deadline: float) -> _Child:
        with self._lock:
            while not self._idle and self._count >= self.max_size:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._lock.wait(remaining):
                    raise ExecutorBusy()
            if self._idle:
                return self._idle.pop()
            self._count += 1
        try:
            return self._spawn()
        except Exception:
            with self._lock:
                self._count -= 1
                self._lock.notify()
            raise

    def _release(self, child: _Child | None) -> None:
        stale = None
        with self._lock:
            if child is not None and child.process.is_alive() and child.generation == self._generation:
                self._idle.append(child)
            else:
                self._count -= 1
                stale = child
            self._lock.notify()
        if stale is not None and stale.process.is_alive():
            self._stop(stale)

    def _kill(self, child: _Child) -> None:
        try:
            os.kill(child.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        child.process.join(timeout=5)
        child.conn.close()

    def execute(self, request: QueryRequest, timeout: float) -> QueryOutcome:
        """Run the request in a child; raise QueryTimeout after `timeout` seconds."""
        self._reset_if_forked()
        started = time.monotonic()
        child = self._acquire(started + timeout)
        try:
            child.conn.send(request)
            remaining = max(0.0, timeout - (time.monotonic() - started))
            if not child.conn.poll(remaining):
                self._kill(child)
                child = None
                raise QueryTimeout(timeout)
            try:
                return child.conn.recv()
            except (EOFError, OSError) as exc:
                self._kill(child)
                child = None
                raise WorkerCrashed("the query process ended unexpectedly") from exc
        except (BrokenPipeError, OSError) as exc:
            if child is not None:
                self._kill(child)
                child = None
            raise WorkerCrashed(f"the query process failed: {exc}") from exc
        finally:
            self._release(child)

    def warm_up(self) -> None:
        """Start the pool's children now (after the server has forked its workers)."""
        self._reset_if_forked()
        children = [self._acquire(time.monotonic() + 5) for _ in range(self.size)]
        for child in children:
            self._release(child)

    def close(self) -> None:
        """Stop the idle children; busy ones stop when they are released. The next query forks
        fresh children (from the process as it is now)."""
        self._reset_if_forked()
        with self._lock:
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            self._generation += 1
            self._lock.notify_all()
        for child in idle:
            self._stop(child)

    def _stop(self, child: _Child) -> None:
        try:
            child.conn.send(None)
        except OSError:
            pass
        child.process.join(timeout=1)
        if child.process.is_alive():
            self._kill(child)
