"""A running server takes a new build on SIGHUP without dropping a request, and keeps serving
the old build when the new file cannot be loaded."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from graph.config import PROJECT_ROOT

KAZKG = PROJECT_ROOT / ".venv" / "bin" / "kazkg"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _build_of(port: int) -> str:
    url = f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D"
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/json"}),
                                timeout=5) as response:
        return response.headers["X-Kazkg-Build"]


def _replace(target: Path, source: Path) -> None:
    """As `kazkg build` does: a new file renamed over the old one."""
    staging = target.with_suffix(".next.trig")
    shutil.copyfile(source, staging)
    os.replace(staging, target)


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    return False


@pytest.mark.slow
def test_sighup_rolls_over_to_a_new_build_without_dropping_requests(tmp_path, dataset_path):
    served = tmp_path / "served.trig"
    shutil.copyfile(dataset_path, served)
    other = tmp_path / "other.trig"
    other.write_text('<http://example.org/a> <http://example.org/b> "a new build" .\n')
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen([str(KAZKG), "serve", "--data", str(served), "--port", str(port), "--workers", "2"],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        assert _wait_for(lambda: _build_of(port), 60), (tmp_path / "server.log").read_text()
        before = _build_of(port)
        failures: list[str] = []
        answered = [0]
        stop = threading.Event()

        def hammer() -> None:
            while not stop.is_set():
                try:
                    _build_of(port)
                    answered[0] += 1
                except (OSError, urllib.error.URLError) as exc:
                    failures.append(repr(exc))

        threads = [threading.Thread(target=hammer) for _ in range(3)]
        for t in threads:
            t.start()
        time.sleep(1)
        _replace(served, other)
        server.send_signal(signal.SIGHUP)
        changed = _wait_for(lambda: _build_of(port) != before, 30)
        time.sleep(1)
        stop.set()
        for t in threads:
            t.join()
        assert changed, (tmp_path / "server.log").read_text()
        assert failures == [] and answered[0] > 20

        served.write_text("this is not RDF <<<")
        server.send_signal(signal.SIGHUP)
        time.sleep(3)
        assert _build_of(port) != before  # still the second build
        assert "reload failed" in (tmp_path / "server.log").read_text()
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
