"""The `kazkg` command rejects bad input with one clear line, never a traceback.

Each case runs `python -m server.cli …` as a real process: exit code not 0, stderr one line (after
argparse's usage lines, for argument errors) that names the offending value, and no traceback.
The cases run in parallel, once per module; each test then reads its case's outcome.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.config import PROJECT_ROOT
from tests.support.servers import clean_env, free_port

SERVE_GRACE = 3.0  # a serve that is still running this long after its banner has accepted the input


@dataclass
class Outcome:
    code: int | None  # None: still running (it accepted the arguments) and was stopped
    stderr: str
    stdout: str


@dataclass
class Case:
    argv: list[str]
    offending: list[str]  # the error line must mention one of these
    env: dict[str, str]
    serve: bool = False


def _run(case: Case) -> Outcome:
    proc = subprocess.Popen([sys.executable, "-m", "server.cli", *case.argv], cwd=PROJECT_ROOT,
                            env=clean_env(**case.env), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, start_new_session=True, text=True)
    limit = 25 if case.serve else 120
    try:
        stdout, stderr = proc.communicate(timeout=limit)
        return Outcome(proc.returncode, stderr, stdout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=10)
        return Outcome(None, stderr, stdout)


def _run_serve(case: Case) -> Outcome:
    """A serve that starts is stopped SERVE_GRACE seconds after it says it is serving."""
    proc = subprocess.Popen([sys.executable, "-m", "server.cli", *case.argv], cwd=PROJECT_ROOT,
                            env=clean_env(**case.env), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, start_new_session=True, text=True)
    deadline = time.monotonic() + 60
    banner_at = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            stdout, stderr = proc.communicate()
            return Outcome(proc.returncode, stderr, stdout)
        if banner_at is None and _listening(case.argv):
            banner_at = time.monotonic()
        if banner_at is not None and time.monotonic() - banner_at > SERVE_GRACE:
            break
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=10)
    return Outcome(None, stderr, stdout)


def _listening(argv: list[str]) -> bool:
    port = int(argv[argv.index("--port") + 1]) if "--port" in argv else 5000
    if not 0 < port < 65536:
        return False
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def error_lines(stderr: str) -> list[str]:
    """stderr without argparse's usage block (the 'usage:' line and its indented continuation)."""
    lines, in_usage = [], False
    for line in stderr.splitlines():
        if line.startswith("usage:"):
            in_usage = True
            continue
        if in_usage and (line.startswith(" ") or not line.strip()):
            continue
        in_usage = False
        if line.strip():
            lines.append(line)
    return lines


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, built) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("cli")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text((PROJECT_ROOT / "corpus" / "000_14161995b5d2d40a.txt").read_text("utf-8"))
    empty = root / "empty-corpus"
    empty.mkdir()
    bad_only = root / "bad-corpus"
    bad_only.mkdir()
    (bad_only / "empty.txt").write_bytes(b"")
    (bad_only / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    locked = root / "locked-corpus"
    locked.mkdir()
    (locked / "a.txt").write_text("Astana is the capital.")
    locked.chmod(0)
    not_rdf = root / "data.ttl"
    not_rdf.write_text("this is not turtle at all\n")
    binary_rdf = root / "binary.trig"
    binary_rdf.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    unknown = root / "data.xyz"
    unknown.write_text("<a> <b> <c> .")
    rq = root / "bad.rq"
    rq.write_bytes(b"SELECT \xff\xfe WHERE { }")
    return {"root": root, "corpus": corpus, "empty": empty, "bad_only": bad_only, "locked": locked,
            "data": built[0].data_path, "not_rdf": not_rdf, "binary_rdf": binary_rdf, "unknown": unknown,
            "bad_rq": rq, "file": PROJECT_ROOT / "README.md"}


@pytest.fixture(scope="module")
def busy_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def _cases(w: dict[str, Path], busy: int) -> dict[str, Case]:
    data, root = str(w["data"]), w["root"]
    out = str(root / "out" / "kazkg.trig")
    port = str(free_port())

    def c(argv, offending, env=None, serve=False):
        # builds that run anyway must not write into the project's build/cache
        return Case([str(a) for a in argv], offending, {"KAZKG_CACHE_DIR": str(root / "cache"), **(env or {})},
                    serve)

    def serve(extra, offending, env=None):
        return c(["serve", "--data", data, "--port", free_port(), *extra], offending, env, serve=True)

    return {
        # missing or unreadable files
        "query: missing data file": c(["query", "ASK {}", "--data", root / "missing.trig"], ["missing.trig"]),
        "validate: missing data file": c(["validate", "--data", root / "missing.trig"], ["missing.trig"]),
        "serve: missing data file": c(["serve", "--data", root / "missing.trig", "--port", port], ["missing.trig"]),
        "serve: data is a folder": c(["serve", "--data", root, "--port", free_port()], [str(root)]),
        "query: missing .rq file": c(["query", root / "missing.rq", "--data", data], ["missing.rq"]),
        "query: .rq file not UTF-8": c(["query", w["bad_rq"], "--data", data], ["bad.rq"]),
        # unknown or broken formats
        "serve: unknown format": c(["serve", "--data", w["unknown"], "--port", free_port()], [".xyz"]),
        "query: unknown format": c(["query", "ASK {}", "--data", w["unknown"]], [".xyz"]),
        "query: file that is not RDF": c(["query", "ASK {}", "--data", w["not_rdf"]], ["data.ttl"]),
        "validate: binary file": c(["validate", "--data", w["binary_rdf"]], ["binary.trig"]),
        "query: unknown --format": c(["query", "ASK {}", "--data", data, "--format", "yaml"], ["yaml"]),
        "build: unknown --reasoner": c(["build", "--corpus", w["corpus"], "--out", out, "--reasoner", "hermit"],
                                       ["hermit"]),
        "unknown command": c(["frobnicate"], ["frobnicate"]),
        "query: malformed query": c(["query", "SELECT * WHERE { ?s ?p }", "--data", data], ["1:"]),
        "query: an update": c(["query", "DROP ALL", "--data", data], ["update"]),
        # ports
        "serve: port in use": c(["serve", "--data", data, "--port", busy], [str(busy)]),
        "serve: port in use (dev)": c(["serve", "--data", data, "--port", busy, "--dev"], [str(busy)]),
        "serve: port out of range": c(["serve", "--data", data, "--port", "70000"], ["70000"]),
        "serve: port zero": c(["serve", "--data", data, "--port", "0"], ["0"]),
        "serve: port not a number": c(["serve", "--data", data, "--port", "http"], ["http"]),
        "serve: unknown host": c(["serve", "--data", data, "--host", "no-such-host.invalid", "--port", free_port()],
                                 ["no-such-host.invalid"]),
        "serve: unknown store": c(["serve", "--data", data, "--store", "mongodb://x", "--port", free_port()],
                                  ["mongodb://x"]),
        # corpora
        "build: missing corpus": c(["build", "--corpus", root / "nope", "--out", out], ["nope"]),
        "build: corpus is a file": c(["build", "--corpus", w["file"], "--out", out], ["README.md"]),
        "build: corpus without documents": c(["build", "--corpus", w["empty"], "--out", out], ["empty-corpus"]),
        "build: corpus of bad documents only": c(["build", "--corpus", w["bad_only"], "--out", out], ["bad-corpus"]),
        "build: --out is a folder": c(["build", "--corpus", w["corpus"], "--out", root], [str(root)]),
        "build: --out in a missing place": c(["build", "--corpus", w["corpus"], "--out", "/proc/kazkg/x.trig"],
                                             ["/proc/kazkg"]),
        # --jobs and other numbers
        "build: --jobs not a number": c(["build", "--corpus", w["corpus"], "--out", out, "--jobs", "many"], ["many"]),
        "build: --jobs 0": c(["build", "--corpus", w["corpus"], "--out", out, "--jobs", "0"], ["--jobs", "0"]),
        "build: --jobs negative": c(["build", "--corpus", w["corpus"], "--out", out, "--jobs", "-2"], ["-2"]),
        "query: --limit negative": c(["query", "SELECT * WHERE { ?s ?p ?o }", "--data", data, "--limit", "-1"],
                                     ["--limit", "-1"]),
        "validate: --limit not a number": c(["validate", "--data", data, "--limit", "x"], ["'x'"]),
        "serve: --workers negative": serve(["--workers", "-1"], ["--workers", "-1"]),
        "serve: --workers 0": serve(["--workers", "0"], ["--workers", "0"]),
        # environment
        "env: KAZKG_SPARQL_TIMEOUT not a number": c(["query", "ASK {}", "--data", data], ["KAZKG_SPARQL_TIMEOUT", "abc"],
                                                    {"KAZKG_SPARQL_TIMEOUT": "abc"}),
        "env: KAZKG_SPARQL_TIMEOUT negative": c(["query", "ASK {}", "--data", data], ["KAZKG_SPARQL_TIMEOUT", "-1"],
                                                {"KAZKG_SPARQL_TIMEOUT": "-1"}),
        "env: KAZKG_SPARQL_MAX_ROWS zero": c(["query", "ASK {}", "--data", data], ["KAZKG_SPARQL_MAX_ROWS", "0"],
                                             {"KAZKG_SPARQL_MAX_ROWS": "0"}),
        "env: KAZKG_JOBS not a number": c(["build", "--corpus", w["corpus"], "--out", out], ["KAZKG_JOBS"],
                                          {"KAZKG_JOBS": "lots"}),
        "env: KAZKG_BASE_IRI without a slash": c(["query", "ASK {}", "--data", data], ["http://example.org/kg"],
                                                 {"KAZKG_BASE_IRI": "http://example.org/kg"}),
        "env: KAZKG_REASONER unknown": c(["build", "--corpus", w["corpus"], "--out", out], ["pellet"],
                                         {"KAZKG_REASONER": "pellet"}),
        "env: KAZKG_MAX_REQUEST_BYTES negative": serve([], ["KAZKG_MAX_REQUEST_BYTES", "-1"],
                                                      {"KAZKG_MAX_REQUEST_BYTES": "-1"}),
        "env: KAZKG_QUERY_WORKERS negative": serve([], ["KAZKG_QUERY_WORKERS", "-1"], {"KAZKG_QUERY_WORKERS": "-1"}),
        "env: KAZKG_SERVER_WORKERS zero": c(["serve", "--data", data, "--port", free_port()],
                                            ["KAZKG_SERVER_WORKERS", "0"], {"KAZKG_SERVER_WORKERS": "0"}, serve=True),
        "env: KAZKG_MAX_DOCUMENT_BYTES not a number": c(["build", "--corpus", w["corpus"], "--out", out],
                                                        ["KAZKG_MAX_DOCUMENT_BYTES"], {"KAZKG_MAX_DOCUMENT_BYTES": "10MB"}),
        "env: KAZKG_STORE unknown": c(["serve", "--data", data, "--port", free_port()], ["redis://x"],
                                      {"KAZKG_STORE": "redis://x"}),
    }


def _xfail(reason: str):
    return pytest.mark.xfail(reason=reason, strict=True)


KNOWN: dict = {}  # cases with a known defect, as strict xfails naming it


# Cases whose process runs a whole build or a server before it fails (or never fails): slow.
SLOW = {"build: --out is a folder", "build: --out in a missing place", "build: --jobs 0", "build: --jobs negative",
        "serve: --workers 0", "env: KAZKG_MAX_REQUEST_BYTES negative", "env: KAZKG_QUERY_WORKERS negative",
        "env: KAZKG_SERVER_WORKERS zero"}
CASE_NAMES = sorted(_cases({k: Path("/x") for k in ("root", "corpus", "empty", "bad_only", "locked", "data",
                                                     "not_rdf", "binary_rdf", "unknown", "bad_rq", "file")}, 1))


def _outcomes(workspace, busy_port, slow: bool) -> dict[str, tuple[Case, Outcome]]:
    cases = {n: c for n, c in _cases(workspace, busy_port).items() if (n in SLOW) == slow}
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(_run_serve if case.serve else _run, case) for name, case in cases.items()}
        return {name: (cases[name], future.result()) for name, future in futures.items()}


@pytest.fixture(scope="module")
def fast_outcomes(workspace, busy_port):
    return _outcomes(workspace, busy_port, slow=False)


@pytest.fixture(scope="module")
def slow_outcomes(workspace, busy_port):
    return _outcomes(workspace, busy_port, slow=True)


def _param(name: str):
    marks = ([KNOWN[name]] if name in KNOWN else []) + ([pytest.mark.slow] if name in SLOW else [])
    return pytest.param(name, marks=marks)


@pytest.mark.parametrize("name", [_param(n) for n in CASE_NAMES])
def test_bad_input_is_one_clear_line(request, name):
    outcomes = request.getfixturevalue("slow_outcomes" if name in SLOW else "fast_outcomes")
    case, outcome = outcomes[name]
    assert "Traceback" not in outcome.stderr, outcome.stderr[-2000:]
    assert outcome.code is not None, f"accepted: still running with {case.argv} {case.env}\n{outcome.stderr[-500:]}"
    assert outcome.code != 0, f"exit 0 for {case.argv} {case.env}\n{outcome.stderr[-500:]}"
    lines = error_lines(outcome.stderr)
    skipped = [line for line in lines if line.lstrip().startswith("skipped ")]  # the build's own report
    lines = [line for line in lines if line not in skipped]
    assert len(lines) == 1, f"expected one line, got:\n{outcome.stderr}"
    line = lines[0]
    assert line.startswith("kazkg"), line
    assert "error" in line.lower(), line
    assert all(part in line for part in case.offending), f"{line!r} does not name {case.offending}"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders without read permission")
def test_unreadable_corpus_is_one_line(workspace):
    outcome = _run(Case(["build", "--corpus", str(workspace["locked"]), "--out",
                         str(workspace["root"] / "x.trig")], ["locked-corpus"], {}))
    assert outcome.code not in (0, None) and "Traceback" not in outcome.stderr
    assert len(error_lines(outcome.stderr)) == 1 and "locked-corpus" in outcome.stderr


def test_help_lists_every_setting():
    r = subprocess.run([sys.executable, "-m", "server.cli", "--help"], capture_output=True, text=True,
                       cwd=PROJECT_ROOT, env=clean_env(), timeout=60)
    assert r.returncode == 0
    for name in ("KAZKG_SPARQL_TIMEOUT", "KAZKG_MAX_REQUEST_BYTES", "KAZKG_UPDATE_TOKEN", "KAZKG_JOBS"):
        assert name in r.stdout
