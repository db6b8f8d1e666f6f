"""Regression suite of the competency questions: timings per query and scale against budgets.

Two sources of timings:

    python -m bench.regress bench/results/raw/quick-memory.json   # kazkg over HTTP, from a bench run
    python -m bench.regress --data bench/work/scale-1000/kazkg.trig   # in process, pyoxigraph only

The second needs no server: it loads the dataset into pyoxigraph (as kazkg's memory backend
does), fits the parameters, and times each question (1 warm-up, then --repeats). It catches
query-shape regressions (a rewrite that makes Oxigraph pick a bad plan) in a minute. Budgets are
in bench/budgets.json; the exit status is 1 when any query is over its budget.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from . import queries
from .report import _ms, _scale, budget_for


def from_run(path: Path) -> list[dict]:
    run = json.loads(path.read_text())
    rows = []
    for s in run["scales"]:
        if "error" in s:
            continue
        kinds = {q["name"]: q["kind"] for q in s.get("queries", [])}
        for qname, per in s.get("latency", {}).items():
            t = per.get("kazkg")
            if t:
                rows.append(
                    {
                        "scale": s["scale"],
                        "query": qname,
                        "kind": kinds.get(qname, "analytic"),
                        "median_ms": t["median_ms"],
                        "rows": t["rows"],
                        "status": t["status"],
                    }
                )
        pages = [x for p in s.get("pages", {}).values() for x in p.get("samples_ms", [])]
        if pages:
            rows.append(
                {
                    "scale": s["scale"],
                    "query": "entity pages (p50)",
                    "kind": "page",
                    "median_ms": statistics.median(pages),
                    "rows": len(s["pages"]),
                    "status": "ok",
                }
            )
    return rows


def in_process(data: Path, repeats: int, scale: int | None, log=print) -> list[dict]:
    import pyoxigraph as ox

    started = time.perf_counter()
    store = ox.Store()
    store.load(path=str(data), format=ox.RdfFormat.TRIG)
    log(f"loaded {len(store):,} quads in {time.perf_counter() - started:.1f}s")
    if scale is None:
        scale = sum(1 for g in store.named_graphs() if g.value.startswith(queries.ID + "doc/"))

    def select(query: str) -> list[dict]:
        result = store.query(query)
        if isinstance(result, ox.QueryBoolean):
            return [{}] if result else []
        return [{v.value: s[v].value for v in result.variables if s[v] is not None} for s in result]

    rows = []
    for q in queries.fit_parameters(queries.competency_questions(), select, log):

        def run(text: str = q.text) -> int:
            return sum(1 for _ in store.query(text))

        t0 = time.perf_counter()
        n = run()
        first = time.perf_counter() - t0
        samples = [first] if first > 10 else []
        for _ in range(0 if first > 10 else repeats):
            t0 = time.perf_counter()
            run()
            samples.append(time.perf_counter() - t0)
        rows.append(
            {
                "scale": scale,
                "query": q.name,
                "kind": q.kind,
                "median_ms": statistics.median(samples) * 1000,
                "rows": n,
                "status": "ok",
            }
        )
        log(f"  {q.name} {rows[-1]['median_ms']:.1f} ms, {n} rows")
    return rows


def check(rows: list[dict]) -> tuple[str, int]:
    out = [
        "| docs | query | kind | rows | median ms | budget ms | |",
        "|---:|---|---|---:|---:|---:|---|",
    ]
    over = 0
    for r in rows:
        budget = budget_for(
            r["kind"] if r["kind"] in ("interactive", "analytic", "page") else "analytic",
            r["scale"],
        )
        bad = r["status"] != "ok" or r["median_ms"] is None or r["median_ms"] > budget
        over += bad
        out.append(
            f"| {_scale(r['scale'])} | {r['query']} | {r['kind']} | {r['rows'] if r['rows'] is not None else '–'} | "
            f"{_ms(r['median_ms']) if r['median_ms'] is not None else r['status']} | {budget:.0f} | "
            f"{'**OVER**' if bad else 'ok'} |"
        )
    return "\n".join(out), over


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "results", nargs="?", help="a bench run's raw JSON (bench/results/raw/<run>.json)"
    )
    p.add_argument("--data", help="time the questions in process on this dataset instead")
    p.add_argument("--scale", type=int, help="documents in --data (default: counted)")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--out", help="also write the table to this markdown file")
    args = p.parse_args(argv)
    if bool(args.results) == bool(args.data):
        p.error("give a results file or --data")
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    rows = (
        from_run(Path(args.results))
        if args.results
        else in_process(Path(args.data), args.repeats, args.scale, log)
    )
    table, over = check(rows)
    print(table)
    print(f"\n{over} of {len(rows)} over budget (bench/budgets.json)")
    if args.out:
        Path(args.out).write_text(
            table + f"\n\n{over} of {len(rows)} over budget (bench/budgets.json)\n"
        )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
