"""The SPARQL servers a benchmark compares, started and stopped by process id, with their memory.

* kazkg: the production setup, gunicorn sync workers over `server.wsgi:application()` with the
  options `kazkg serve` uses (bench/gunicorn_kazkg.py), configured by KAZKG_* variables.
* oxigraph: the bare Oxigraph server, `oxigraph serve-read-only` on a store made by `oxigraph load`.
* oxigraph-mem: the same server in memory (`oxigraph serve` without a location), loaded over HTTP:
  the same storage as kazkg's memory backend.
* rdflib-endpoint: rdflib's Dataset (default graph = the file's default graph, as for the others)
  behind rdflib-endpoint's FastAPI app under uvicorn (bench/rdflib_server.py).
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


class BenchError(Exception):
    """Something the benchmark needs is missing or broke; the message says what to do."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool(name: str) -> str:
    """An executable of the virtualenv (oxigraph, gunicorn, kazkg) or of PATH."""
    candidate = BIN / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BenchError(
            f"{name} not found: install the bench extra (make bench-deps) or put {name} on PATH"
        )
    return found


def tree_memory(pid: int) -> tuple[int, int, int]:
    """(sum of RSS, sum of PSS, largest single RSS) in bytes over a process and its descendants.

    RSS counts pages shared by forked workers once per process; PSS splits them, so the PSS sum is
    what the server costs the machine."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0, 0
    rss = pss = biggest = 0
    for p in procs:
        try:
            info = p.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
        biggest = max(biggest, info.rss)
    return rss, pss, biggest


class MemorySampler:
    """Peak memory of a process tree, sampled in a thread until stopped."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = self.peak_single = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> tuple[int, int, int]:
        rss, pss, single = tree_memory(self.pid)
        self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
        self.peak_single = max(self.peak_single, single)
        return rss, pss, single

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


@dataclass
class Server:
    """A server process of one engine; `query_path` is where SPARQL queries are POSTed."""

    engine: str
    cmd: list[str]
    port: int
    query_path: str
    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    setup_seconds: float = 0.0  # loading before the server starts (oxigraph load)
    load_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    proc: subprocess.Popen | None = None
    sampler: MemorySampler | None = None
    after_load: tuple[int, int, int] = (0, 0, 0)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float, post_start=None) -> None:
        log = (self.workdir / f"{self.engine}.log").open("ab")
        env = {**os.environ, **self.env}
        started = time.perf_counter()
        # own process group, so that stop() ends the workers and query processes too
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.sampler = MemorySampler(self.proc.pid)
        self.wait_ready(timeout, started)
        if post_start is not None:
            post_start(self)
        self.load_seconds = self.setup_seconds + time.perf_counter() - started
        time.sleep(0.5)
        self.after_load = self.sampler.sample()

    def wait_ready(self, timeout: float, started: float) -> None:
        query = urllib.parse.urlencode({"query": "ASK {}"})
        while True:
            if self.proc.poll() is not None:
                raise BenchError(
                    f"{self.engine} exited with code {self.proc.returncode} while starting; "
                    f"see {self.workdir / (self.engine + '.log')}"
                )
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request(
                    "GET",
                    f"{self.query_path}?{query}",
                    headers={"Accept": "application/sparql-results+json"},
                )
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    return
            except OSError:
                pass
            if time.perf_counter() - started > timeout:
                self.stop()
                raise BenchError(
                    f"{self.engine} not ready after {timeout:.0f}s; see "
                    f"{self.workdir / (self.engine + '.log')}"
                )
            time.sleep(0.2)

    def restart_children(self, timeout: float) -> None:
        """End the processes under the root (a server stuck in a query) and wait until the root
        has forked fresh ones that answer (bench/rdflib_server.py)."""
        try:
            children = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return
        for child in children:
            try:
                child.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(children, timeout=10)
        self.wait_ready(timeout, time.perf_counter())

    def memory_now(self) -> tuple[int, int, int]:
        return self.sampler.sample() if self.sampler else (0, 0, 0)

    def stop(self) -> None:
        if self.sampler:
            self.sampler.stop()
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


# --- engines -------------------------------------------------------------------------------------


def kazkg_server(
    data: Path,
    workdir: Path,
    backend: str,
    store: str | None,
    cache: bool,
    max_rows: int,
    timeout_s: float,
    workers: int = 2,
) -> Server:
    """kazkg under gunicorn with the production options; `store` is KAZKG_STORE for disk/remote."""
    port = free_port()
    env = {
        "KAZKG_DATA_PATH": str(data.resolve()),
        "KAZKG_STORE": store or "memory",
        "KAZKG_CACHE_SIZE": "256" if cache else "0",
        "KAZKG_SPARQL_MAX_ROWS": str(max_rows),
        "KAZKG_SPARQL_TIMEOUT": str(timeout_s),
        "KAZKG_SERVER_WORKERS": str(workers),
        "BENCH_PORT": str(port),
    }
    cmd = [
        tool("gunicorn"),
        "-c",
        str(ROOT / "bench" / "gunicorn_kazkg.py"),
        "server.wsgi:application()",
    ]
    server = Server("kazkg", cmd, port, "/sparql", workdir, env)
    server.notes.append(
        f"gunicorn sync x{workers}, backend {backend}, result cache "
        f"{'on' if cache else 'off'}, row cap {max_rows:,}"
    )
    return server


def oxigraph_store(data: Path, location: Path, progress) -> float:
    """`oxigraph load` the file into an on-disk store (reused when newer than the file)."""
    marker = location / ".bench-loaded"
    if (
        marker.exists()
        and marker.stat().st_mtime >= data.stat().st_mtime
        and marker.read_text().strip() == str(data.resolve())
    ):
        return float((location / ".bench-load-seconds").read_text())
    if location.exists():
        shutil.rmtree(location)
    location.mkdir(parents=True)
    progress(f"oxigraph load {data.name} -> {location}")
    started = time.perf_counter()
    subprocess.run(
        [tool("oxigraph"), "load", "--location", str(location), "--file", str(data)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    (location / ".bench-load-seconds").write_text(f"{seconds:.3f}")
    marker.write_text(str(data.resolve()))
    return seconds


def oxigraph_server(
    location: Path, workdir: Path, setup_seconds: float, timeout_s: float
) -> Server:
    port = free_port()
    cmd = [
        tool("oxigraph"),
        "serve-read-only",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout-s",
        str(int(timeout_s)),
    ]
    server = Server("oxigraph", cmd, port, "/query", workdir, setup_seconds=setup_seconds)
    server.notes.append(
        f"serve-read-only on a RocksDB store; `oxigraph load` took {setup_seconds:.1f}s "
        "(included in load)"
    )
    return server


def oxigraph_memory_server(data: Path, workdir: Path, timeout_s: float) -> tuple[Server, callable]:
    """`oxigraph serve` in memory; the data is POSTed to /store once it is up."""
    port = free_port()
    cmd = [
        tool("oxigraph"),
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout-s",
        str(int(timeout_s)),
    ]
    server = Server("oxigraph-mem", cmd, port, "/query", workdir)
    server.notes.append("`oxigraph serve` in memory, loaded by POST /store (included in load)")

    def post_data(s: Server) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=3600)
        size = data.stat().st_size
        with data.open("rb") as body:
            conn.request(
                "POST",
                "/store",
                body=body,
                headers={"Content-Type": "application/trig", "Content-Length": str(size)},
            )
            response = conn.getresponse()
            response.read()
        conn.close()
        if response.status not in (200, 201, 204):
            raise BenchError(f"oxigraph-mem: POST /store answered {response.status}")

    return server, post_data


def rdflib_server(data: Path, workdir: Path) -> Server:
    port = free_port()
    cmd = [sys.executable, "-m", "bench.rdflib_server", "--data", str(data), "--port", str(port)]
    server = Server("rdflib-endpoint", cmd, port, "/sparql", workdir)
    server.notes.append(
        "rdflib Dataset(default_union=False) + rdflib-endpoint under uvicorn, 1 process "
        "(forked from a loader, so a stuck query is ended without reloading)"
    )
    return server
