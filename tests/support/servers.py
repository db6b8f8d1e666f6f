"""Real server processes on free loopback ports, and raw HTTP helpers to talk to them.

Every process started here runs in its own session (process group); it is stopped by its group
id, never by name.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.config import PROJECT_ROOT

PYTHON = sys.executable
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    """The test process's environment without KAZKG_* settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAZKG_")}
    env.update(extra)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


@dataclass
class ServerProcess:
    proc: subprocess.Popen
    port: int
    log_path: Path
    host: str = "127.0.0.1"
    history: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log(self) -> str:
        try:
            return self.log_path.read_text("utf-8", errors="replace")
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None, timeout: float = 30.0
                ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        # gunicorn workers and query processes are in the same group: make sure none is left
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)


def wait_until_serving(server: ServerProcess, timeout: float = 90.0, path: str = "/static/style.css") -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(f"server exited with {server.proc.returncode}:\n{server.log()}")
        try:
            status, _, _ = server.request("GET", path, timeout=5)
            if status == 200:
                return
            last = f"status {status}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"server did not answer within {timeout}s ({last}):\n{server.log()}")


def _start(argv: Sequence[str], port: int, log_path: Path, env: dict[str, str]) -> ServerProcess:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("wb")
    proc = subprocess.Popen(list(argv), cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    log.close()
    return ServerProcess(proc=proc, port=port, log_path=log_path)


@contextlib.contextmanager
def kazkg_serve(data: Path, log_dir: Path, *, dev: bool = False, workers: int = 2,
                env: dict[str, str] | None = None, args: Sequence[str] = ()) -> Iterator[ServerProcess]:
    """`kazkg serve --data DATA` (gunicorn, or Flask's dev server with dev=True) on a free port."""
    port = free_port()
    argv = [PYTHON, "-m", "server.cli", "serve", "--data", str(data), "--port", str(port),
            "--workers", str(workers), *(["--dev"] if dev else []), *args]
    server = _start(argv, port, log_dir / f"serve-{port}.log", clean_env(**(env or {})))
    try:
        wait_until_serving(server)
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def gunicorn_wsgi(data: Path, log_dir: Path, *, workers: int = 2, env: dict[str, str] | None = None
                  ) -> Iterator[ServerProcess]:
    """An external gunicorn serving `server.wsgi:application()`, configured by KAZKG_* only."""
    port = free_port()
    argv = [str(VENV_BIN / "gunicorn"), "server.wsgi:application()", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--worker-class", "sync", "--timeout", "60",
            "--graceful-timeout", "10", "--log-level", "warning"]
    server = _start(argv, port, log_dir / f"gunicorn-{port}.log",
                    clean_env(KAZKG_DATA_PATH=str(data), **(env or {})))
    try:
        wait_until_serving(server)
        yield server
    finally:
        server.stop()


def raw_exchange(host: str, port: int, payload: bytes, timeout: float = 10.0,
                 shutdown_write: bool = True) -> bytes:
    """Send raw bytes, read the answer until the server closes or `timeout` passes."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(payload)
        if shutdown_write:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_WR)
        chunks = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except TimeoutError:
                break
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def status_of(raw: bytes) -> int | None:
    """The status code of a raw HTTP/1.x answer, None when there is none."""
    if not raw.startswith(b"HTTP/"):
        return None
    try:
        return int(raw.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None
