"""Time every kind of page in process (Flask test client) and count its SPARQL queries.

    .venv/bin/python -m bench.pages_profile --data build/kazkg.trig
    .venv/bin/python -m bench.pages_profile --data /tmp/b1000/kazkg.trig --page-cache 0 \
        --json out.json

For each route kind (home, index pages, entity pages per kind, search, downloads, report …) a
few distinct paths are requested:

* first: the first request of each distinct path, in a process whose per-build indexes (labels,
  types, search, counts …) were built at start as `kazkg serve` does (server.wsgi.warm_up; with
  --lazy, or a version without it, by one first request instead): the "process start" row. This
  is what a visitor opening a page nobody asked for since the server started waits.
* again: the same paths requested again, `--repeat` rounds (answered by the page cache when it
  is on; `--page-cache 0` shows the cost of rendering a page whose data is already indexed).

Queries are counted on the store (every `store.query` call) during each request.

With --url the same paths are asked of a running server over one kept-alive HTTP connection
(`kazkg serve`: gunicorn, its workers warmed before they fork), without query counts; --lua
writes a wrk script that rotates through every entity page of the sample:

    .venv/bin/python -m bench.pages_profile --data build/kazkg.trig --url http://127.0.0.1:5077 \
        --per-kind 100 --lua /tmp/pages.lua
    wrk -t1 -c16 -d10s -s /tmp/pages.lua http://127.0.0.1:5077
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import json
import random
import statistics
import sys
import time
from pathlib import Path

from graph.config import Config

KZ = "https://w3id.org/kazkg/ontology#"
ENTITY_KINDS = (
    ("person", "Person"),
    ("program", "Program"),
    ("region", "Region"),
    ("indicator", "Indicator"),
    ("meeting", "Meeting"),
    ("organization", "Organization"),
    ("project", "InvestmentProject"),
    ("post", "Post"),
    ("document", "NewsArticle"),
)
INDEXES = ("programs", "officials", "organizations", "regions", "indicators", "projects",
           "meetings", "documents")
SEARCHES = ("akhmetov", "Нұр-Сұлтан", "industrial program", "astana", "gdp", "minstry of industry",
            "karaganda", "export", "ахметов", "steel plant", "samruk", "nazarbayev")


class CountingStore:
    """The served store with a counter of the queries asked of it."""

    def __init__(self, store) -> None:
        self._store = store
        self.queries = 0

    def query(self, *args, **kwargs):
        self.queries += 1
        return self._store.query(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._store, name)


def pick_entities(store, id_base: str, per_kind: int, seed: int) -> dict[str, list[str]]:
    """Per kind: the most mentioned entity of the kind (the heaviest page), then a random few."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    picks: dict[str, list[str]] = {}
    for kind, cls in ENTITY_KINDS:
        members = sorted(
            r["e"].value
            for r in store.query(f"SELECT DISTINCT ?e WHERE {{ ?e a <{KZ}{cls}> }}")
            if r["e"].value.startswith(id_base) and "#" not in r["e"].value
        )
        if not members:
            continue
        top = [
            r["e"].value
            for r in store.query(
                f"SELECT ?e (COUNT(?m) AS ?n) WHERE {{ ?e a <{KZ}{cls}> . ?m <{KZ}refersTo> ?e }} "
                "GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 1"
            )
            if r["e"] is not None and r["e"].value in members
        ]
        rest = [m for m in members if m not in top]
        chosen = top + rng.sample(rest, k=min(len(rest), per_kind - len(top)))
        picks[kind] = ["/page/" + iri[len(id_base):] for iri in chosen]
    return picks


def route_plan(picks: dict[str, list[str]], per_kind: int) -> list[tuple[str, list[str]]]:
    plan: list[tuple[str, list[str]]] = [("home", ["/"])]
    plan.append(("index pages (8 classes)", [f"/{slug}" for slug in INDEXES]))
    plan.append(("index pages sorted", [f"/{slug}?sort=label&dir=asc" for slug in INDEXES]))
    for kind, paths in picks.items():
        plan.append((f"entity: {kind}", paths))
    if "person" in picks:
        plan.append(("entity data .ttl", [p.replace("/page/", "/data/", 1) + ".ttl"
                                          for p in picks["person"][:per_kind]]))
    plan.append(("search page", [f"/search?q={q}" for q in SEARCHES]))
    plan.append(("search.json", [f"/search.json?q={q}" for q in SEARCHES]))
    plan.append(("as of a date", ["/asof?date=2015-06-01", "/asof?date=2019-03-20",
                                  "/asof?date=2012-01-01"]))
    plan.append(("downloads", ["/downloads"]))
    plan.append(("report", ["/report"]))
    return plan


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run_http(args: argparse.Namespace) -> dict:
    """The paths asked of a running server: latency to the last byte, no query counts."""
    from urllib.parse import quote, urlsplit

    import pyoxigraph as ox

    store = ox.Store()
    started = time.perf_counter()
    store.bulk_load(path=str(args.data), format=ox.RdfFormat.TRIG)
    load_s = time.perf_counter() - started
    id_base = Config.from_env().base_iri + "id/"
    picks = pick_entities(store, id_base, args.per_kind, args.seed)
    where = urlsplit(args.url)
    conn = http.client.HTTPConnection(where.hostname, where.port or 80, timeout=60)
    build = ""

    def get(path: str) -> tuple[float, None, int]:
        nonlocal build
        path = quote(path, safe="/?=&%#:+")
        t0 = time.perf_counter()
        conn.request("GET", path, headers={"Accept": "text/html"})
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - t0) * 1000
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
        build = response.getheader("X-Kazkg-Build") or build
        return elapsed, None, len(body)

    rows = measure(get, picks, args)
    if args.lua:
        paths = [quote(p, safe="/") for kind in picks.values() for p in kind]
        random.Random(args.seed).shuffle(paths)  # noqa: S311 - a reproducible order
        write_lua(Path(args.lua), paths)
    return {"data": str(args.data), "load_s": load_s, "build_id": build, "url": args.url,
            "page_cache": "as served", "rows": rows, "picks": picks}


def write_lua(target: Path, paths: list[str]) -> None:
    """A wrk script asking for the paths in turn (one thread), as a browser would."""
    listing = ",\n".join(json.dumps(p) for p in paths)
    target.write_text(
        f"paths = {{\n{listing}\n}}\n"
        "counter = 0\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        "  local path = paths[(counter % #paths) + 1]\n"
        "  return wrk.format(\"GET\", path, {[\"Accept\"] = \"text/html\"})\n"
        "end\n"
    )
    print(f"wrk script: {target} ({len(paths)} paths)", file=sys.stderr)


def measure(get, picks: dict[str, list[str]], args: argparse.Namespace) -> list[dict]:
    rows = []
    for name, paths in route_plan(picks, args.per_kind):
        first, first_q, sizes = [], [], []
        for path in paths:
            ms, q, size = get(path)
            first.append(ms)
            first_q.append(q)
            sizes.append(size)
        again, again_q = [], []
        for _ in range(args.repeat):
            for path in paths:
                ms, q, _ = get(path)
                again.append(ms)
                again_q.append(q)
        counted = None not in first_q
        rows.append({
            "route": name, "paths": len(paths),
            "first_p50": statistics.median(first), "first_p99": _pct(first, 0.99),
            "first_queries": statistics.mean(first_q) if counted else None,
            "first_queries_max": max(first_q) if counted else None,
            "again_p50": statistics.median(again) if again else None,
            "again_p99": _pct(again, 0.99) if again else None,
            "again_queries": statistics.mean(again_q) if counted and again_q else None,
            "kb": statistics.mean(sizes) / 1024,
            "slowest": paths[first.index(max(first))],
        })
        print(f"  {name}: first p50 {rows[-1]['first_p50']:.1f} ms", file=sys.stderr)
    return rows


def run(args: argparse.Namespace) -> dict:
    if args.url:
        return run_http(args)
    from server import create_app

    overrides: dict = {"data_path": Path(args.data)}
    fields = {f.name for f in dataclasses.fields(Config)}
    if args.page_cache is not None:
        if "page_cache_size" not in fields:
            print("note: this version has no page cache setting", file=sys.stderr)
        else:
            overrides["page_cache_size"] = args.page_cache
    config = Config.from_env(**overrides)
    started = time.perf_counter()
    app = create_app(config)
    load_s = time.perf_counter() - started
    st = app.extensions["kazkg"]
    counting = CountingStore(st.backend.store())
    st.backend.store = lambda: counting  # instance attribute shadows the method
    picks = pick_entities(counting._store, st.vocab.id, args.per_kind, args.seed)
    client = app.test_client()

    def get(path: str) -> tuple[float, int, int]:
        before = counting.queries
        t0 = time.perf_counter()
        response = client.get(path, headers={"Accept": "text/html"})
        response.get_data()
        elapsed = (time.perf_counter() - t0) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
        return elapsed, counting.queries - before, len(response.data)

    rows = []
    warm_up = None
    if not args.lazy:
        try:
            from server.wsgi import warm_up
        except ImportError:
            warm_up = None
    if warm_up is not None:
        before = counting.queries
        t0 = time.perf_counter()
        warm_up(app)
        ms, q = (time.perf_counter() - t0) * 1000, counting.queries - before
        start = "process start (warm_up: per-build indexes)"
    else:
        ms, q, _ = get("/search.json?q=warm+up")
        start = "process start (first request: per-build indexes)"
    rows.append({"route": start, "paths": 1,
                 "first_p50": ms, "first_p99": ms, "first_queries": q, "first_queries_max": q,
                 "again_p50": None, "again_p99": None, "again_queries": None, "kb": 0})
    rows += measure(get, picks, args)
    st.executor.close()
    return {"data": str(args.data), "load_s": load_s, "build_id": st.build_id,
            "page_cache": getattr(config, "page_cache_size", None), "rows": rows,
            "picks": picks}


def table(result: dict) -> str:
    lines = [
        f"data `{result['data']}` (build {result['build_id']}), "
        f"loaded in {result['load_s']:.1f} s; "
        f"page cache {result['page_cache']}",
        "",
        "| route | paths | first p50 ms | first p99 ms | queries | again p50 ms | again p99 ms "
        "| queries again | KB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def f(v, digits=1):
        return "" if v is None else f"{v:.{digits}f}"

    for r in result["rows"]:
        queries = f(r["first_queries"], 1)
        if r["first_queries"] is not None and r["first_queries_max"] != r["first_queries"]:
            queries += f" (max {r['first_queries_max']})"
        lines.append(
            f"| {r['route']} | {r['paths']} | {f(r['first_p50'])} | {f(r['first_p99'])} "
            f"| {queries} | {f(r['again_p50'])} | {f(r['again_p99'])} "
            f"| {f(r['again_queries'])} | {f(r['kb'], 0)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="build/kazkg.trig", help="dataset file to serve")
    parser.add_argument("--per-kind", type=int, default=8, help="entity pages per kind")
    parser.add_argument("--repeat", type=int, default=5, help="rounds of repeated requests")
    parser.add_argument("--page-cache", type=int, default=None,
                        help="KAZKG_PAGE_CACHE_SIZE for this run (0: off)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lazy", action="store_true",
                        help="no warm-up at start: the first requests build the indexes")
    parser.add_argument("--json", help="also write the numbers to this file")
    parser.add_argument("--url", help="ask a running server (e.g. http://127.0.0.1:5077) instead")
    parser.add_argument("--lua", help="with --url: write a wrk script rotating through the pages")
    args = parser.parse_args(argv)
    result = run(args)
    print(table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
