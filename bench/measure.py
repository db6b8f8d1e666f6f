"""Timing over HTTP: one keep-alive connection per engine for latency, wrk for throughput.

Latency of a query = from sending the request to having read the whole response body (JSON
results), on an idle server, client on the same machine. Engines are interleaved query by query
and their order rotates between rounds, so that drift of a noisy host hits them alike.
"""

from __future__ import annotations

import http.client
import json
import math
import re
import shutil
import statistics
import subprocess
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .servers import BenchError, Server

JSON_RESULTS = "application/sparql-results+json"


@dataclass
class Sample:
    seconds: float
    status: int
    rows: int | None
    nbytes: int


class Client:
    """Sequential HTTP requests to one server over a kept-alive connection."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=timeout)
        self.conn.timeout = timeout
        if self.conn.sock is not None:
            self.conn.sock.settimeout(timeout)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(
        self, method: str, path: str, body: bytes | None, headers: dict, timeout: float
    ) -> tuple[Sample, bytes]:
        for attempt in (1, 2):  # a kept-alive connection the server closed: reconnect once
            conn = self._connection(timeout)
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise
                continue
            except TimeoutError:
                self.close()
                raise
            elapsed = time.perf_counter() - started
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return Sample(elapsed, response.status, None, len(data)), data
        raise AssertionError("unreachable")

    def sparql(self, query: str, timeout: float) -> Sample:
        body = urllib.parse.urlencode({"query": query}).encode()
        sample, data = self.request(
            "POST",
            self.server.query_path,
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON_RESULTS},
            timeout,
        )
        if sample.status == 200:
            try:
                parsed = json.loads(data)
                sample.rows = len(parsed["results"]["bindings"]) if "results" in parsed else 1
            except (ValueError, KeyError):
                sample.rows = None
        return sample

    def page(self, path: str, timeout: float) -> Sample:
        sample, _ = self.request("GET", path, None, {"Accept": "text/html"}, timeout)
        return sample


@dataclass
class QueryTiming:
    engine: str
    samples: list[float] = field(default_factory=list)
    rows: int | None = None
    status: str = "ok"  # ok | timeout | error NNN
    bytes: int = 0

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.samples) * 1000 if self.samples else None

    def to_json(self) -> dict:
        return {
            "engine": self.engine,
            "samples_ms": [round(s * 1000, 3) for s in self.samples],
            "median_ms": None if self.median_ms is None else round(self.median_ms, 3),
            "rows": self.rows,
            "status": self.status,
            "bytes": self.bytes,
        }


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def geomean(values: list[float]) -> float | None:
    values = [v for v in values if v and v > 0]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else None


def _timed(client: Client, query: str, timeout: float) -> tuple[Sample | None, str]:
    """One request: (sample, 'ok') or (None, 'timeout' | 'error NNN'). A server's own time limit
    (kazkg's 503, Oxigraph's error) counts as a timeout when it fires at the limit."""
    try:
        s = client.sparql(query, timeout + 5)
    except TimeoutError:
        return None, "timeout"
    if s.status != 200:
        return None, "timeout" if s.seconds >= 0.95 * timeout else f"error {s.status}"
    return s, "ok"


def repeats_after(warmup: float, repeats: int) -> int:
    """Timed repeats after a warm-up of `warmup` seconds: fewer for slow queries."""
    if warmup > 10:
        return 0  # the warm-up is the only sample
    if warmup > 2:
        return 1
    if warmup > 0.5:
        return min(3, repeats)
    return repeats


def time_queries(
    clients: dict[str, Client],
    queries: list,
    repeats: int,
    timeouts: dict[str, float],
    on_timeout: Callable[[str], None],
    log=print,
) -> dict[str, dict[str, QueryTiming]]:
    """{query name: {engine: QueryTiming}}: 1 warm-up, then up to `repeats` rounds, engines
    interleaved in rotating order. A timeout ends that engine's turn for the query (on_timeout
    may restart it)."""
    results: dict[str, dict[str, QueryTiming]] = {}
    engines = list(clients)
    for qi, q in enumerate(queries):
        timings = {e: QueryTiming(e) for e in engines}
        budget: dict[str, int] = {}
        order = engines[qi % len(engines) :] + engines[: qi % len(engines)]
        for engine in order:  # warm-up
            t = timings[engine]
            s, status = _timed(clients[engine], q.text, timeouts[engine])
            if s is None:
                t.status = status
                if status == "timeout":
                    on_timeout(engine)
                continue
            t.rows, t.bytes = s.rows, s.nbytes
            budget[engine] = repeats_after(s.seconds, repeats)
            if budget[engine] == 0:
                t.samples.append(s.seconds)
        for r in range(repeats):
            order = order[1:] + order[:1]
            for engine in order:
                t = timings[engine]
                if t.status != "ok" or budget.get(engine, 0) <= r:
                    continue
                s, status = _timed(clients[engine], q.text, timeouts[engine])
                if s is None:
                    t.status = status
                    if status == "timeout":
                        on_timeout(engine)
                    continue
                t.samples.append(s.seconds)
        results[q.name] = timings
        summary = "  ".join(
            f"{e} {t.median_ms:.1f}ms" if t.median_ms is not None else f"{e} {t.status}"
            for e, t in timings.items()
        )
        rows = next((t.rows for t in timings.values() if t.rows is not None), "-")
        log(f"  {q.name:6} rows {rows!s:>6}  {summary}")
    return results


def time_pages(client: Client, paths: list[tuple[str, str]], repeats: int, timeout: float) -> dict:
    """Sequential latency of entity pages: {path: {kind, samples_ms, status}}."""
    out = {}
    for kind, path in paths:
        try:
            first = client.page(path, timeout)
        except TimeoutError:
            out[path] = {"kind": kind, "status": "timeout", "samples_ms": []}
            continue
        samples = []
        if first.status == 200:
            for _ in range(repeats):
                samples.append(client.page(path, timeout).seconds * 1000)
        out[path] = {
            "kind": kind,
            "status": first.status,
            "bytes": first.nbytes,
            "samples_ms": [round(s, 3) for s in samples],
        }
    return out


# --- wrk -----------------------------------------------------------------------------------------

WRK_GET = """
paths = {%s}
i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], {["Accept"] = "text/html"})
end
"""

WRK_POST = """
bodies = {%s}
i = 0
request = function()
  i = i %% #bodies + 1
  return wrk.format("POST", "%s", {["Content-Type"] = "application/x-www-form-urlencoded",
                                   ["Accept"] = "%s"}, bodies[i])
end
"""


def _lua_string(s: str) -> str:
    return json.dumps(s)  # a JSON string literal is a valid Lua string for ASCII content


def wrk_available() -> str:
    path = shutil.which("wrk")
    if not path:
        raise BenchError(
            "wrk is not installed: run `make bench-deps` (Debian: apt-get install -y wrk)"
        )
    return path


def run_wrk(
    url: str,
    script: str,
    workdir: Path,
    name: str,
    connections: int,
    seconds: int,
    threads: int = 1,
) -> dict:
    wrk = wrk_available()
    lua = workdir / f"{name}.lua"
    lua.write_text(script)
    cmd = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(lua),
        url,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    (workdir / f"{name}.wrk.txt").write_text(out.stdout + out.stderr)
    return parse_wrk(out.stdout) | {
        "connections": connections,
        "seconds": seconds,
        "threads": threads,
    }


def drained(result: dict, server: Server) -> dict:
    """A wrk result, after waiting for the requests wrk left in flight (recorded as drain_s)."""
    result["drain_s"] = round(wait_idle(server), 2)
    return result


def parse_wrk(text: str) -> dict:
    def ms(value: str, unit: str) -> float:
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    result: dict = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    result["rps"] = float(m.group(1)) if m else None
    for p in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{p}(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        result[f"p{p}_ms"] = ms(m.group(1), m.group(2)) if m else None
    m = re.search(r"(\d+) requests in", text)
    result["requests"] = int(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    result["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors:(.*)", text)
    result["socket_errors"] = m.group(1).strip() if m else ""
    return result


def wait_idle(server: Server, timeout: float = 300) -> float:
    """Wait until requests that wrk left in the server's queue are answered (a trivial query
    queued behind them comes back); returns the seconds waited."""
    started = time.perf_counter()
    body = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
        conn.request(
            "POST",
            server.query_path,
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON_RESULTS},
        )
        conn.getresponse().read()
        conn.close()
    except OSError:
        pass
    return time.perf_counter() - started


def wrk_pages(
    server: Server, paths: list[str], workdir: Path, connections: int, seconds: int
) -> dict:
    script = WRK_GET % ", ".join(_lua_string(p) for p in paths)
    return drained(
        run_wrk(
            server.base,
            script,
            workdir,
            f"{server.engine}-pages-c{connections}",
            connections,
            seconds,
        ),
        server,
    )


def wrk_sparql(
    server: Server, queries: list[str], workdir: Path, connections: int, seconds: int
) -> dict:
    bodies = [urllib.parse.urlencode({"query": q}) for q in queries]
    script = WRK_POST % (", ".join(_lua_string(b) for b in bodies), server.query_path, JSON_RESULTS)
    return drained(
        run_wrk(
            server.base,
            script,
            workdir,
            f"{server.engine}-sparql-c{connections}",
            connections,
            seconds,
        ),
        server,
    )
