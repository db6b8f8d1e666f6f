"""Proof that nothing connects out: a loopback listener that records connections, and a guard
that makes every in-process socket connection fail loudly."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator


class Listener:
    """A TCP listener on 127.0.0.1 that accepts and records every connection (it answers nothing)."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        self.connections: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="no-egress-listener")
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, addr = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections.append(addr)
            conn.close()

    def settle(self, seconds: float = 0.2) -> list[tuple[str, int]]:
        """The connections seen, after giving late ones `seconds` to arrive."""
        time.sleep(seconds)
        return list(self.connections)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()


@contextlib.contextmanager
def listener() -> Iterator[Listener]:
    server = Listener()
    try:
        yield server
    finally:
        server.close()


class ConnectionAttempt(AssertionError):
    pass


@contextlib.contextmanager
def no_outbound_connections(monkeypatch, allow_ports: frozenset[int] = frozenset()) -> Iterator[list]:
    """Every socket.connect/connect_ex/create_connection in this process is recorded and refused.

    (pyoxigraph connects from Rust, not through Python's socket module; the Listener is the proof
    for that path. This guard catches Python code that would reach out: urllib, rdflib SERVICE.)"""
    attempts: list = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def allowed(address) -> bool:
        return isinstance(address, tuple) and len(address) >= 2 and address[1] in allow_ports

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not allowed(address):
            attempts.append(address)
            raise ConnectionAttempt(f"outbound connection attempted to {address!r}")
        return real_connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not allowed(address):
            attempts.append(address)
            raise ConnectionAttempt(f"outbound connection attempted to {address!r}")
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    yield attempts
