"""Timing `kazkg build` end to end: wall time, peak memory of the process tree, stage timings.

    python -m bench.build --corpus bench/work/corpus-1000 --out bench/work/scale-1000/kazkg.trig

`--skip-validate` runs the same pipeline (graph.pipeline.build) with the SHACL stage replaced by
a no-op, for scales where pySHACL alone would take hours: the dataset is the one a build writes,
and the report says validation was skipped. Nothing in graph/ is changed; the stub lives here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from .servers import ROOT, MemorySampler, tool

JOBS_BUG = "TypeError: argument of type 'int' is not iterable"


def _driver(argv: list[str]) -> int:
    """In-process build with validation stubbed out (see module docstring)."""
    p = argparse.ArgumentParser()
    p.add_argument("--corpus", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--jobs", type=int, default=1)
    args = p.parse_args(argv)
    import graph.pipeline as pipeline
    from graph.config import Config
    from graph.validate import ValidationReport

    pipeline.validate_store = lambda store, shapes, engine="fast": ValidationReport(conforms=True)
    report = pipeline.build(
        Config.from_env(jobs=args.jobs),
        corpus_dir=Path(args.corpus),
        out=Path(args.out),
        use_cache=False,
    )
    print(report.render())
    return 0


def run_build(
    corpus: Path, out: Path, jobs: int, skip_validate: bool, timeout: float, log=print
) -> dict:
    """Build the corpus; on the known --jobs failure, retry with one job. Returns a result dict."""
    out.parent.mkdir(parents=True, exist_ok=True)
    result: dict = {"jobs_asked": jobs, "skip_validate": skip_validate, "notes": []}
    for attempt_jobs in [jobs, 1] if jobs > 1 else [1]:
        if skip_validate:
            cmd = [
                sys.executable,
                "-m",
                "bench.build",
                "--driver",
                "--corpus",
                str(corpus),
                "--out",
                str(out),
                "--jobs",
                str(attempt_jobs),
            ]
        else:
            cmd = [
                tool("kazkg"),
                "build",
                "--corpus",
                str(corpus),
                "--out",
                str(out),
                "--no-cache",
                "--jobs",
                str(attempt_jobs),
            ]
        logfile = out.parent / "build.log"
        log(f"build: {' '.join(cmd[1:])}")
        started = time.perf_counter()
        with logfile.open("w") as handle:
            proc = subprocess.Popen(cmd, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
            sampler = MemorySampler(proc.pid, interval=1.0)
            try:
                code = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                code = None
            sampler.stop()
        seconds = time.perf_counter() - started
        text = logfile.read_text(errors="replace")
        if code is None:
            result.update(status="timeout", seconds=seconds, jobs=attempt_jobs)
            result["notes"].append(f"killed after {timeout:.0f}s")
            return result
        if code != 0 and JOBS_BUG in text and attempt_jobs > 1:
            result["notes"].append(
                f"--jobs {attempt_jobs} failed in Extraction.from_json ({JOBS_BUG}); "
                "retried with --jobs 1"
            )
            log(
                f"build: --jobs {attempt_jobs} failed (Extraction.from_json); retrying with --jobs 1"
            )
            continue
        result.update(
            status="ok" if code == 0 else f"exit {code}",
            seconds=round(seconds, 2),
            jobs=attempt_jobs,
            peak_rss_mb=round(sampler.peak_rss / 2**20),
            peak_pss_mb=round(sampler.peak_pss / 2**20),
        )
        if code != 0:
            result["notes"].append(text.strip().splitlines()[-1] if text.strip() else "no output")
            return result
        report = json.loads(out.with_name(out.stem + ".report.json").read_text())
        result.update(
            timings=report["timings"],
            quads=report["quads"],
            graphs=report["graphs"],
            entities=report["entities"],
            facts=report["facts"],
            documents=report["documents"],
            validation=report.get("validation", {}).get("counts", {}),
        )
        return result
    return result


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--driver":
        return _driver(argv[1:])
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--skip-validate", action="store_true")
    p.add_argument("--timeout", type=float, default=7200)
    args = p.parse_args(argv)
    result = run_build(
        Path(args.corpus),
        Path(args.out),
        args.jobs,
        args.skip_validate,
        args.timeout,
        log=lambda s: print(s, file=sys.stderr),
    )
    print(json.dumps(result, indent=2))
    return 0 if result.get("status") == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
