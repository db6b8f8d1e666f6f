"""Builds survive faults: bad documents are reported and skipped while the rest builds (exit 3), a
failed or killed build leaves the last good dataset byte for byte, and a later build is clean.

Kills are real: `kazkg build` runs as a process and gets SIGKILL after various delays, at the
moment it writes the dataset, or exactly between two steps of the write (by a SIGKILL the process
sends itself from a patched os function: the same effect as kill -9 at that instant).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pyoxigraph as ox
import pytest

from graph.config import PROJECT_ROOT
from graph.dataset import report_path
from server.cli import main
from tests.support.servers import clean_env

CORPUS = PROJECT_ROOT / "corpus"
GOOD = ["000_14161995b5d2d40a.txt", "004_acb551a7375be794.txt"]
DOC = "https://w3id.org/kazkg/id/doc/"


def _document_graphs(path: Path) -> set[str]:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TRIG)
    return {g.value[len(DOC):] for g in store.named_graphs() if g.value.startswith(DOC)}


def _parses(path: Path) -> bool:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TRIG)
    return len(store) > 0


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".partial")))


def _kazkg_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"KAZKG_CACHE_DIR": str(tmp_path / "cache"), **extra}


# --- bad documents -------------------------------------------------------------------------------

@pytest.fixture()
def mixed_corpus(tmp_path) -> tuple[Path, dict[str, str], set[str]]:
    """(corpus, {bad file: expected reason}, stems expected in the dataset)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in GOOD:
        shutil.copy(CORPUS / name, corpus / name)
    text = (CORPUS / GOOD[1]).read_text("utf-8")
    (corpus / "bom.txt").write_bytes(b"\xef\xbb\xbf" + (CORPUS / "001_eea2bc2dadb3a9ba.txt").read_bytes())
    (corpus / "crlf.txt").write_bytes((CORPUS / "002_87f882a9c259f7ac.txt").read_bytes().replace(b"\n", b"\r\n"))
    cut = text.encode("utf-8")[: len(text) // 3]
    (corpus / "truncated-ascii.txt").write_bytes(cut[: cut.rfind(b" ")])
    accented = "Kassymbek – the Minister of Industry – visited Almaty’s plants. " * 20
    data = accented.encode("utf-8")
    middle = data.index("’".encode()) + 1  # inside the three bytes of ’
    (corpus / "truncated-utf8.txt").write_bytes(data[:middle])
    bad = {
        "empty.txt": "empty",
        "blank.txt": "empty",
        "binary.txt": "binary file (contains NUL bytes)",
        "utf16.txt": "binary file (contains NUL bytes)",
        "controls.txt": "binary file (too many control characters)",
        "cp1252.txt": "not UTF-8 (invalid byte 0x96 at byte 7, line 1)",
        "truncated-utf8.txt": f"not UTF-8 (invalid byte 0xe2 at byte {middle - 1}, line 1)",
        "huge.txt": "too large (60,000 bytes; the limit is 50,000)",
        "nodigits.txt": "no text (no letters)",
        "zz-duplicate.txt": f"duplicate of {GOOD[0]}",
    }
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.txt").write_bytes(b" \n\n\t  \r\n")
    (corpus / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (corpus / "utf16.txt").write_bytes(text.encode("utf-16"))
    (corpus / "controls.txt").write_bytes(b"Astana \x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e\x0f\x10\x11\x12" * 30)
    (corpus / "cp1252.txt").write_bytes("Astana – café, Kazakhstan’s capital".encode("cp1252"))
    (corpus / "huge.txt").write_bytes((b"Astana is the capital of Kazakhstan. " * 2000)[:60_000])
    (corpus / "nodigits.txt").write_bytes(b"2012 - 2020 ... 12,5 % / 3.4 " * 10)
    shutil.copy(CORPUS / GOOD[0], corpus / "zz-duplicate.txt")
    # not documents: ignored, and a FIFO must not make the build wait for a writer
    (corpus / "folder.txt").mkdir()
    (corpus / "notes.md").write_text("not an article")
    os.mkfifo(corpus / "fifo.txt")
    stems = {Path(n).stem for n in GOOD} | {"bom", "crlf", "truncated-ascii"}
    return corpus, bad, stems


def test_bad_documents_are_reported_and_skipped_and_the_rest_builds(tmp_path, mixed_corpus, monkeypatch, capsys):
    corpus, bad, stems = mixed_corpus
    for key, value in _kazkg_env(tmp_path, KAZKG_MAX_DOCUMENT_BYTES="50000").items():
        monkeypatch.setenv(key, value)
    out = tmp_path / "out" / "kazkg.trig"
    code = main(["build", "--corpus", str(corpus), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 3, captured.out + captured.err
    for name, reason in bad.items():
        assert f"skipped {name}: {reason}" in captured.out, f"{name} not reported as {reason!r}:\n{captured.out}"
    assert f"{len(bad)} skipped" in captured.out.splitlines()[0]
    assert "Traceback" not in captured.err
    assert _document_graphs(out) == stems
    report = json.loads(report_path(out).read_text("utf-8"))
    assert {s["file"]: s["reason"] for s in report["skipped"]} == bad
    assert report["documents"] == len(stems)


def test_a_build_without_problems_exits_0(tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / GOOD[0], corpus / GOOD[0])
    monkeypatch.setenv("KAZKG_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["build", "--corpus", str(corpus), "--out", str(tmp_path / "k.trig")]) == 0
    assert "0 skipped" in capsys.readouterr().out


def test_a_failed_build_leaves_the_previous_dataset(tmp_path, built, monkeypatch, capsys):
    out = tmp_path / "out" / "kazkg.trig"
    out.parent.mkdir()
    shutil.copy(built[0].data_path, out)
    shutil.copy(report_path(built[0].data_path), report_path(out))
    before, report_before = out.read_bytes(), report_path(out).read_bytes()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00" * 100)
    monkeypatch.setenv("KAZKG_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["build", "--corpus", str(corpus), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "no readable .txt documents" in err and "Traceback" not in err
    assert out.read_bytes() == before and report_path(out).read_bytes() == report_before
    assert _leftovers(out.parent) == []


# --- kill -9 -------------------------------------------------------------------------------------

def _build_argv(corpus: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "server.cli", "build", "--corpus", str(corpus), "--out", str(out), *extra]


def _start(argv: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(argv, cwd=PROJECT_ROOT, env=clean_env(**env), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def _kill(proc: subprocess.Popen) -> bool:
    """SIGKILL the build and everything it started; False when it had finished already."""
    finished = proc.poll() is not None
    if not finished:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return not finished


@pytest.fixture()
def last_good(tmp_path, built) -> tuple[Path, bytes, bytes]:
    """An output folder holding a good dataset (and its report) from an earlier build."""
    out = tmp_path / "out" / "kazkg.trig"
    out.parent.mkdir()
    shutil.copy(built[0].data_path, out)
    shutil.copy(report_path(built[0].data_path), report_path(out))
    return out, out.read_bytes(), report_path(out).read_bytes()


@pytest.fixture()
def grown_corpus(corpus_copy) -> Path:
    """The corpus plus one article: a finished build would change the dataset."""
    extra = sorted((PROJECT_ROOT / "tests" / "devset" / "corpus").glob("*.txt"))[0]
    shutil.copy(extra, corpus_copy / "005_extra.txt")
    return corpus_copy


@pytest.fixture()
def small_corpus(tmp_path) -> Path:
    """Two articles and a new one: quick to build, and different from the last good dataset."""
    corpus = tmp_path / "small-corpus"
    corpus.mkdir()
    for name in GOOD:
        shutil.copy(CORPUS / name, corpus / name)
    extra = sorted((PROJECT_ROOT / "tests" / "devset" / "corpus").glob("*.txt"))[0]
    shutil.copy(extra, corpus / "005_extra.txt")
    return corpus


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_the_last_good_dataset(tmp_path, last_good, grown_corpus):
    out, good, good_report = last_good
    env = _kazkg_env(tmp_path)
    # a reference build elsewhere, with its own cache: how long a build takes, and what it writes
    reference = tmp_path / "reference" / "kazkg.trig"
    started = time.monotonic()
    ref = subprocess.run(_build_argv(grown_corpus, reference, "--no-cache"), cwd=PROJECT_ROOT,
                         env=clean_env(**_kazkg_env(tmp_path / "ref")), capture_output=True, timeout=300)
    duration = time.monotonic() - started
    assert ref.returncode == 0, ref.stderr.decode()[-2000:]
    killed = 0
    for fraction in (0.15, 0.4, 0.6, 0.8):
        proc = _start(_build_argv(grown_corpus, out), env)
        time.sleep(duration * fraction)
        if not _kill(proc):  # it finished first (the cache makes later builds faster)
            assert out.read_bytes() == reference.read_bytes()
            out.write_bytes(good)
            report_path(out).write_bytes(good_report)
            continue
        killed += 1
        if out.read_bytes() != good:  # killed just after its rename (a loaded machine): the complete new one
            assert out.read_bytes() == reference.read_bytes(), f"dataset mangled by a build killed at {fraction:.0%}"
            out.write_bytes(good)
            report_path(out).write_bytes(good_report)
            continue
        assert report_path(out).read_bytes() == good_report
        assert _parses(out)
    # and at the moment it writes: as soon as its temporary file appears
    proc = _start(_build_argv(grown_corpus, out), env)
    deadline = time.monotonic() + 3 * duration + 30
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name.startswith(f".{out.name}.") for p in out.parent.iterdir()):
            break
        time.sleep(0.001)
    killed += _kill(proc)
    if out.read_bytes() != good:  # the rename happened before the kill: then it is the complete new one
        assert out.read_bytes() == reference.read_bytes()
    assert _parses(out)
    assert killed >= 3, "the builds finished before they could be killed"
    # a build after all this, reusing the cache the killed builds wrote, is exactly the clean build
    final = subprocess.run(_build_argv(grown_corpus, out), cwd=PROJECT_ROOT, env=clean_env(**env),
                           capture_output=True, timeout=300)
    assert final.returncode == 0, final.stderr.decode()[-2000:]
    assert out.read_bytes() == reference.read_bytes()
    assert json.loads(report_path(out).read_text("utf-8"))["build_id"] == \
        json.loads(report_path(reference).read_text("utf-8"))["build_id"]


INJECT = textwrap.dedent("""
    import os, signal, sys
    where, target = sys.argv[1], sys.argv[2]
    real_fsync, real_replace = os.fsync, os.replace

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def fsync(fd):
        real_fsync(fd)
        if where == "after-data-written" and os.readlink(f"/proc/self/fd/{fd}").startswith(
                os.path.join(os.path.dirname(target), "." + os.path.basename(target) + ".")):
            die()

    def replace(src, dst, *args, **kwargs):
        if where == "before-rename" and os.fspath(dst) == target:
            die()
        real_replace(src, dst, *args, **kwargs)
        if where == "between-dataset-and-report" and os.fspath(dst) == target:
            die()

    os.fsync, os.replace = fsync, replace
    from server.cli import main
    sys.exit(main(sys.argv[3:]))
""")


@pytest.mark.slow
@pytest.mark.parametrize("where", ["after-data-written", "before-rename"])
def test_a_kill_while_writing_leaves_the_last_good_dataset(tmp_path, last_good, small_corpus, where):
    out, good, good_report = last_good
    script = tmp_path / "inject.py"
    script.write_text(INJECT)
    r = subprocess.run([sys.executable, str(script), where, str(out), "build", "--corpus", str(small_corpus),
                        "--out", str(out)], cwd=PROJECT_ROOT, env=clean_env(**_kazkg_env(tmp_path)),
                       capture_output=True, timeout=300)
    assert r.returncode == -signal.SIGKILL, f"the injected kill did not happen: {r.stderr.decode()[-1000:]}"
    assert out.read_bytes() == good and report_path(out).read_bytes() == good_report
    assert _parses(out)


@pytest.mark.slow
def test_a_kill_between_dataset_and_report_never_shows_another_builds_report(tmp_path, last_good, small_corpus):
    """Two files cannot be renamed at once: the report names its dataset's build id, and the server
    shows a report only when the id matches, so a kill between the renames costs the report, never
    its truthfulness."""
    out, good, _ = last_good
    script = tmp_path / "inject.py"
    script.write_text(INJECT)
    r = subprocess.run([sys.executable, str(script), "between-dataset-and-report", str(out), "build",
                        "--corpus", str(small_corpus), "--out", str(out)], cwd=PROJECT_ROOT,
                       env=clean_env(**_kazkg_env(tmp_path)), capture_output=True, timeout=300)
    assert r.returncode == -signal.SIGKILL, r.stderr.decode()[-1000:]
    assert _parses(out) and out.read_bytes() != good
    on_disk = json.loads(report_path(out).read_text("utf-8"))
    from graph.config import Config
    from server import create_app
    app = create_app(Config.from_env(environ={}, data_path=out))
    served = app.test_client().get("/report.json").get_json()
    assert on_disk["build_id"] != served["build_id"]  # the stale report is still on disk …
    assert served["report"] is None  # … and is not shown for this build


@pytest.mark.slow
def test_killing_a_parallel_build_leaves_no_orphan_workers(tmp_path, last_good, grown_corpus):
    out, good, _ = last_good
    for folder in ("devset", "devset2"):
        for path in sorted((PROJECT_ROOT / "tests" / folder / "corpus").glob("*.txt")):
            shutil.copy(path, grown_corpus / f"{folder}-{path.name}")
    proc = _start(_build_argv(grown_corpus, out, "--jobs", "2", "--no-cache"), _kazkg_env(tmp_path))
    parent = psutil.Process(proc.pid)
    workers: list[psutil.Process] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and len(workers) < 2:
        workers = parent.children(recursive=True)
        time.sleep(0.05)
    assert len(workers) >= 2, "the parallel extraction never started"
    os.kill(proc.pid, signal.SIGKILL)  # the build process only, as an OOM killer would
    proc.wait(timeout=30)
    gone, alive = psutil.wait_procs(workers, timeout=15)
    try:
        assert not alive, f"extraction workers outlived the killed build: {[p.pid for p in alive]}"
    finally:
        for p in alive:
            p.kill()
    assert out.read_bytes() == good


# --- a running server and a new build ------------------------------------------------------------

@pytest.mark.slow
def test_a_running_server_keeps_answering_while_the_dataset_is_rebuilt(tmp_path, last_good, small_corpus):
    from tests.support.servers import kazkg_serve
    out, good, _ = last_good
    query = "/sparql?query=ASK%7B%3Fs%3Fp%3Fo%7D"
    with kazkg_serve(out, tmp_path / "logs", workers=2) as server:
        proc = _start(_build_argv(small_corpus, out), _kazkg_env(tmp_path))
        failures, answered = [], 0
        while proc.poll() is None:
            status, headers, _ = server.request("GET", query, headers={"Accept": "application/sparql-results+json"})
            answered += 1
            if status != 200:
                failures.append(status)
        assert proc.returncode == 0
        for _ in range(20):
            status, _, _ = server.request("GET", query, headers={"Accept": "application/sparql-results+json"})
            answered += 1
            if status != 200:
                failures.append(status)
        assert not failures and answered > 20
        assert server.alive()


@pytest.mark.slow
def test_a_running_server_picks_up_a_new_build_without_dropping_requests(tmp_path, last_good, small_corpus):
    import threading

    from tests.support.servers import kazkg_serve
    out, good, _ = last_good
    accept = {"Accept": "application/sparql-results+json"}
    with kazkg_serve(out, tmp_path / "logs", workers=2) as server:
        _, headers, _ = server.request("GET", "/sparql?query=ASK%7B%7D", headers=accept)
        old_id = headers.get("x-kazkg-build")
        r = subprocess.run(_build_argv(small_corpus, out), cwd=PROJECT_ROOT, env=clean_env(**_kazkg_env(tmp_path)),
                           capture_output=True, timeout=300)
        assert r.returncode == 0
        failures, seen, stop = [], [], threading.Event()

        def hammer(k: int) -> None:  # clients that keep asking through the whole rollover
            n = 0
            while not stop.is_set():
                n += 1
                try:
                    status, h, _ = server.request("GET", f"/sparql?query=ASK%7B%7D%23{k}-{n}", headers=accept)
                except OSError as exc:
                    failures.append(str(exc))
                    continue
                if status != 200:
                    failures.append(status)
                seen.append(h.get("x-kazkg-build"))

        threads = [threading.Thread(target=hammer, args=(k,)) for k in range(3)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        os.kill(server.pid, signal.SIGHUP)  # the documented rollover: `kill -HUP <pid>`
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and (not seen or seen[-1] == old_id):
            time.sleep(0.1)
        time.sleep(1.5)  # and a while after the switch
        stop.set()
        for t in threads:
            t.join(timeout=30)
        assert not failures, failures[:5]
        assert seen and seen[-1] != old_id, f"still serving build {old_id} 15 s after the new build and SIGHUP"
        assert len(seen) > 30
        status, _, body = server.request("GET", "/sparql?query=" +
                                         "ASK%7B%3Chttps%3A%2F%2Fw3id.org%2Fkazkg%2Fid%2Fdoc%2F005_extra%3E%3Fp%3Fo%7D",
                                         headers=accept)
        assert status == 200 and b"true" in body


@pytest.mark.slow
def test_a_broken_new_dataset_does_not_replace_the_served_one(tmp_path, last_good):
    from tests.support.servers import kazkg_serve
    out, good, _ = last_good
    accept = {"Accept": "application/sparql-results+json"}
    with kazkg_serve(out, tmp_path / "logs", workers=2) as server:
        _, headers, _ = server.request("GET", "/sparql?query=ASK%7B%7D", headers=accept)
        served = headers.get("x-kazkg-build")
        broken = out.with_name(".broken.tmp")
        broken.write_bytes(good[: len(good) // 2] + b"\n<<< not TriG >>>\n")
        os.replace(broken, out)  # a truncated dataset arrives (a copy tool cut short)
        os.kill(server.pid, signal.SIGHUP)
        failures = []
        deadline = time.monotonic() + 8
        n = 0
        while time.monotonic() < deadline:
            n += 1
            try:
                status, headers, _ = server.request("GET", f"/sparql?query=ASK%7B%7D%23{n}", headers=accept)
            except OSError as exc:
                failures.append(str(exc))
                continue
            if status != 200 or headers.get("x-kazkg-build") != served:
                failures.append((status, headers.get("x-kazkg-build")))
            time.sleep(0.05)
        assert not failures, failures[:5]
        assert server.alive()
