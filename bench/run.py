"""kazkg benchmark: build, load, memory, query latency side by side, HTTP throughput, per scale.

    python -m bench.run --quick                      # make bench: 10^2 and 10^3 documents
    python -m bench.run --full                       # make bench-full: 10^4 (+10^5 graph-only if it fits)
    python -m bench.run --scales 1000 --backend disk --engines kazkg,oxigraph

For each scale: a synthetic corpus is generated and built with `kazkg build` (or, in graph mode,
a dataset is generated from a built template, bench/graph_gen.py); the servers are started one
after the other (load time and memory of each measured alone), then the competency questions are
timed over HTTP on every engine, interleaved; entity pages are timed on kazkg; wrk measures
throughput. Results: bench/results/raw/<run>-<scale>.json, bench/results/<run>.md and .svg.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import psutil

from . import corpus_gen, graph_gen, measure, queries, report, servers
from .build import run_build
from .machine import describe
from .servers import ROOT, BenchError, Server

WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
ENGINES = ["kazkg", "oxigraph", "oxigraph-mem", "rdflib-endpoint"]
# measured bytes per quad of a served dataset (bench/results): sizing guard only
BYTES_PER_QUAD = {"kazkg": 420, "oxigraph-mem": 420, "rdflib-endpoint": 1400, "oxigraph": 0}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def count_quads(path: Path) -> int | None:
    """Quads of a TriG file written one statement a line (graph_gen), else None."""
    return None


# --- data ----------------------------------------------------------------------------------------


def prepare_corpus_dataset(n: int, args) -> tuple[Path, dict]:
    scale_dir = WORK / f"scale-{n}"
    data = scale_dir / "kazkg.trig"
    corpus = WORK / f"corpus-{n}"
    info_path = scale_dir / "build.json"
    if args.reuse_data and data.exists() and info_path.exists():
        log(f"{n}: reusing {data}")
        return data, json.loads(info_path.read_text())
    log(f"{n}: generating corpus")
    started = time.perf_counter()
    paths = corpus_gen.write_corpus(n, corpus, seed=args.seed, progress=True)
    corpus_seconds = time.perf_counter() - started
    skip_validate = n > args.validate_up_to
    info = run_build(corpus, data, args.jobs, skip_validate, args.build_timeout, log)
    info.update(
        mode="corpus",
        corpus_mb=round(sum(p.stat().st_size for p in paths) / 1e6, 2),
        corpus_seconds=round(corpus_seconds, 2),
    )
    if skip_validate:
        info["notes"].append(
            f"SHACL validation skipped (above --validate-up-to {args.validate_up_to}); "
            "see the build table for its measured cost at smaller scales"
        )
    if info.get("status") != "ok":
        raise BenchError(f"build of {n} documents failed: {info}")
    info["trig_mb"] = round(data.stat().st_size / 1e6, 1)
    info_path.write_text(json.dumps(info, indent=2))
    return data, info


def prepare_graph_dataset(n: int, args) -> tuple[Path, dict]:
    template = (
        Path(args.template)
        if args.template
        else WORK / f"scale-{args.template_docs}" / "kazkg.trig"
    )
    if not template.exists():
        log(f"graph mode needs a template build: building {args.template_docs} documents first")
        prepare_corpus_dataset(args.template_docs, args)
    scale_dir = WORK / f"graph-{n}"
    data = scale_dir / "kazkg.trig"
    info_path = scale_dir / "build.json"
    if args.reuse_data and data.exists() and info_path.exists():
        log(f"{n}: reusing {data}")
        return data, json.loads(info_path.read_text())
    scale_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    tpl = graph_gen.load_template(template, log)
    est = tpl.quads / tpl.size * n
    if est > args.max_quads:
        raise BenchError(
            f"graph mode: {n} documents would be ~{est / 1e6:.0f} M quads "
            f"({tpl.quads / tpl.size:.0f} per document), over --max-quads {args.max_quads:.0e}"
        )
    with data.open("w", encoding="utf-8", buffering=1 << 20) as out:
        counts = graph_gen.generate(tpl, graph_gen.Target(n, args.seed), out, log)
    info = {
        "mode": "graph",
        "status": "ok",
        "seconds": round(time.perf_counter() - started, 1),
        "template": str(template.relative_to(ROOT) if template.is_relative_to(ROOT) else template),
        "template_documents": tpl.size,
        "cohorts": counts["cohorts"],
        "documents": n,
        "quads_estimate": int(est),
        "trig_mb": round(data.stat().st_size / 1e6, 1),
        "notes": [],
    }
    info_path.write_text(json.dumps(info, indent=2))
    return data, info


# --- servers -------------------------------------------------------------------------------------


def make_kazkg_disk_store(data: Path, location: Path) -> tuple[float, str]:
    """`kazkg load --store PATH --data FILE`; before that command existed, pyoxigraph's bulk load
    into the same RocksDB layout that server/backends.OxigraphDisk opens."""
    started = time.perf_counter()
    has_load = (
        subprocess.run(
            [servers.tool("kazkg"), "load", "--help"], cwd=ROOT, capture_output=True
        ).returncode
        == 0
    )
    if has_load:
        subprocess.run(
            [servers.tool("kazkg"), "load", "--store", str(location), "--data", str(data)],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        how = "kazkg load"
    else:
        if location.exists():
            shutil.rmtree(location)
        code = (
            "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
            "s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.TRIG); s.flush(); s.optimize()"
        )
        subprocess.run([sys.executable, "-c", code, str(location), str(data)], check=True)
        how = "pyoxigraph Store(path).bulk_load"
    return time.perf_counter() - started, how


def make_remote_store(data: Path, scale_dir: Path, args) -> tuple[Server, str, float]:
    """A read-write Oxigraph server as the remote store, loaded with `kazkg load --store URL`."""
    location = scale_dir / "remote-store"
    if location.exists():
        shutil.rmtree(location)
    location.mkdir(parents=True)
    port = servers.free_port()
    remote = Server(
        "remote-oxigraph",
        [
            servers.tool("oxigraph"),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        port,
        "/query",
        scale_dir,
    )
    remote.start(args.start_timeout)
    started = time.perf_counter()
    subprocess.run(
        [
            servers.tool("kazkg"),
            "load",
            "--store",
            f"{remote.base}/query",
            "--data",
            str(data),
            "--update-url",
            f"{remote.base}/update",
            "--gsp-url",
            f"{remote.base}/store",
        ],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return remote, f"{remote.base}/query", time.perf_counter() - started


def fits(engine: str, quads: int | None) -> tuple[bool, str]:
    need = BYTES_PER_QUAD.get(engine, 0) * (quads or 0)
    available = psutil.virtual_memory().available
    if need > 0.75 * available:
        return False, (
            f"skipped: needs ~{need / 2**30:.1f} GiB at {BYTES_PER_QUAD[engine]} B/quad, "
            f"{available / 2**30:.1f} GiB available"
        )
    return True, ""


def start_servers(
    data: Path, quads: int | None, args, scale_dir: Path
) -> tuple[dict[str, Server], dict]:
    started: dict[str, Server] = {}
    skipped: dict[str, str] = {}
    order = [
        e for e in ["oxigraph", "kazkg", "oxigraph-mem", "rdflib-endpoint"] if e in args.engines
    ]
    for engine in order:
        ok, why = fits(engine, quads)
        if engine == "kazkg" and args.backend != "memory":
            ok, why = True, ""
        if not ok:
            skipped[engine] = why
            log(f"{engine}: {why}")
            continue
        log(f"{engine}: starting")
        try:
            if engine == "oxigraph":
                seconds = servers.oxigraph_store(data, scale_dir / "oxigraph-store", log)
                server = servers.oxigraph_server(
                    scale_dir / "oxigraph-store", scale_dir, seconds, args.query_timeout
                )
                server.start(args.start_timeout)
            elif engine == "oxigraph-mem":
                server, post = servers.oxigraph_memory_server(data, scale_dir, args.query_timeout)
                server.start(args.start_timeout, post_start=post)
            elif engine == "rdflib-endpoint":
                server = servers.rdflib_server(data, scale_dir)
                server.start(args.start_timeout)
            else:
                server = kazkg(data, args, scale_dir, started)
                server.start(args.start_timeout)
        except (BenchError, subprocess.CalledProcessError, OSError) as exc:
            skipped[engine] = f"failed to start: {exc}"
            log(f"{engine}: {skipped[engine]}")
            continue
        rss, pss, _ = server.after_load
        log(
            f"{engine}: ready in {server.load_seconds:.1f}s, RSS {rss / 2**20:.0f} MB, PSS {pss / 2**20:.0f} MB"
        )
        started[engine] = server
    return started, skipped


def kazkg(data: Path, args, scale_dir: Path, running: dict[str, Server]) -> Server:
    store, setup, note = None, 0.0, ""
    if args.backend == "disk":
        location = scale_dir / "kazkg-store"
        setup, how = make_kazkg_disk_store(data, location)
        store = str(location)
        note = f"KAZKG_STORE={location.name}/, made by {how} in {setup:.1f}s (included in load)"
    elif args.backend == "remote":
        if args.remote_url:
            store = args.remote_url
            note = f"remote SPARQL store {store} (loaded beforehand by you; not in load time or memory)"
        else:
            remote, store, setup = make_remote_store(data, scale_dir, args)
            running["remote-oxigraph"] = remote
            note = (
                f"remote store: a read-write `oxigraph serve` loaded by `kazkg load --store URL` in "
                f"{setup:.1f}s (included in load); its memory is reported as remote-oxigraph"
            )
    server = servers.kazkg_server(
        data,
        scale_dir,
        args.backend,
        store,
        cache=args.cache,
        max_rows=args.max_rows,
        timeout_s=args.query_timeout,
    )
    server.setup_seconds = setup
    if note:
        server.notes.append(note)
    return server


def select_via(server: Server):
    """A function running a SELECT on a server and returning rows of plain strings."""

    def select(query: str) -> list[dict]:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
        conn.request(
            "POST",
            server.query_path,
            body=urllib.parse.urlencode({"query": query}).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": measure.JSON_RESULTS,
            },
        )
        response = conn.getresponse()
        data = response.read()
        conn.close()
        if response.status != 200:
            raise BenchError(
                f"{server.engine} answered {response.status} to a picker query: {data[:300]!r}"
            )
        parsed = json.loads(data)
        if "boolean" in parsed:
            return [{}] if parsed["boolean"] else []
        return [{k: v["value"] for k, v in b.items()} for b in parsed["results"]["bindings"]]

    return select


# --- one scale -----------------------------------------------------------------------------------


def run_scale(n: int, args) -> dict:
    mode = args.mode if args.mode != "auto" else ("corpus" if n <= args.corpus_up_to else "graph")
    data, build = (
        prepare_corpus_dataset(n, args) if mode == "corpus" else prepare_graph_dataset(n, args)
    )
    scale_dir = data.parent
    quads = build.get("quads") or build.get("quads_estimate")
    result = {
        "scale": n,
        "mode": mode,
        "backend": args.backend,
        "build": build,
        "engines": {},
        "timeouts": {"query": args.query_timeout, "rdflib": args.rdflib_timeout},
        "skipped": {},
        "queries": [],
        "latency": {},
        "pages": {},
        "wrk": {},
    }
    running, result["skipped"] = start_servers(data, quads, args, scale_dir)
    if "kazkg" not in running:
        raise BenchError(f"kazkg did not start at {n} documents: {result['skipped'].get('kazkg')}")
    restarts: dict[str, int] = {}
    try:
        picker = running.get("oxigraph") or running["kazkg"]
        cq = queries.fit_parameters(queries.competency_questions(), select_via(picker), log)
        result["queries"] = [q.to_json() for q in cq]
        clients = {e: measure.Client(s) for e, s in running.items() if e in ENGINES}
        timeouts = {
            e: args.rdflib_timeout if e == "rdflib-endpoint" else args.query_timeout
            for e in clients
        }

        def on_timeout(engine: str) -> None:
            # rdflib-endpoint keeps computing a query its client gave up: end it (the others stop
            # by themselves at their time limit)
            if engine != "rdflib-endpoint":
                return
            restarts[engine] = restarts.get(engine, 0) + 1
            clients[engine].close()
            running[engine].restart_children(args.start_timeout)

        log(f"{n}: competency questions x {args.repeats} on {', '.join(clients)}")
        timings = measure.time_queries(clients, cq, args.repeats, timeouts, on_timeout, log)
        result["latency"] = {
            q: {e: t.to_json() for e, t in per.items()} for q, per in timings.items()
        }
        result["restarts"] = restarts

        log(f"{n}: entity pages")
        sample = queries.entity_sample(select_via(picker), n=args.pages)
        paths = [(kind, queries.page_path(iri)) for kind, iri in sample]
        result["pages"] = measure.time_pages(
            clients["kazkg"], paths, args.repeats, args.query_timeout
        )
        for c in clients.values():
            c.close()

        if not args.no_wrk:
            interactive = [q.text for q in cq if q.kind == "interactive"]
            page_paths = [p for _, p in paths]
            for conns in args.connections:
                log(f"{n}: wrk kazkg pages, {conns} connections, {args.wrk_seconds}s")
                result["wrk"][f"kazkg pages c{conns}"] = measure.wrk_pages(
                    running["kazkg"], page_paths, scale_dir, conns, args.wrk_seconds
                )
                for engine in ("kazkg", "oxigraph"):
                    if engine in running:
                        log(f"{n}: wrk {engine} /sparql interactive mix, {conns} connections")
                        result["wrk"][f"{engine} sparql c{conns}"] = measure.wrk_sparql(
                            running[engine], interactive, scale_dir, conns, args.wrk_seconds
                        )
                for key, w in result["wrk"].items():
                    if key.endswith(f"c{conns}"):
                        log(
                            f"  {key}: {w['rps']} req/s, p50 {w['p50_ms']} ms, p99 {w['p99_ms']} ms"
                        )
    finally:
        for engine, server in running.items():
            rss, pss, single = server.after_load
            server.stop()
            result["engines"][engine] = {
                "load_seconds": round(server.load_seconds, 2),
                "setup_seconds": round(server.setup_seconds, 2),
                "rss_after_load_mb": round(rss / 2**20),
                "pss_after_load_mb": round(pss / 2**20),
                "largest_process_after_load_mb": round(single / 2**20),
                "peak_rss_mb": round(server.sampler.peak_rss / 2**20),
                "peak_pss_mb": round(server.sampler.peak_pss / 2**20),
                "peak_largest_process_mb": round(server.sampler.peak_single / 2**20),
                "notes": server.notes,
            }
    return result


# --- main ----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__,
    )
    p.add_argument("--quick", action="store_true", help="10^2 and 10^3 documents (make bench)")
    p.add_argument(
        "--full", action="store_true", help="10^4 documents, and 10^5 graph-only if it fits"
    )
    p.add_argument("--scales", help="comma-separated document counts, e.g. 100,1000")
    p.add_argument(
        "--mode",
        choices=["auto", "corpus", "graph"],
        default="auto",
        help="corpus: generate text and kazkg build; graph: bench/graph_gen.py; "
        "auto: corpus up to --corpus-up-to",
    )
    p.add_argument("--backend", choices=["memory", "disk", "remote"], default="memory")
    p.add_argument(
        "--remote-url", help="SPARQL endpoint for --backend remote (default: the oxigraph engine)"
    )
    p.add_argument("--engines", default=",".join(ENGINES))
    p.add_argument("--repeats", type=int, help="timed repeats per query (default 5 quick, 7 full)")
    p.add_argument("--pages", type=int, default=16, help="entity pages in the sample")
    p.add_argument("--wrk-seconds", type=int, help="seconds per wrk run (default 8 quick, 15 full)")
    p.add_argument("--connections", default="16", help="wrk connections, comma-separated")
    p.add_argument("--no-wrk", action="store_true")
    p.add_argument("--jobs", type=int, default=psutil.cpu_count() or 1, help="kazkg build --jobs")
    p.add_argument("--corpus-up-to", type=int, default=10_000)
    p.add_argument(
        "--validate-up-to",
        type=int,
        help="skip SHACL validation in builds above this many documents (default 100 quick, 1000 else)",
    )
    p.add_argument("--build-timeout", type=float, default=3600)
    p.add_argument("--template", help="built dataset to generate graph-mode scales from")
    p.add_argument("--template-docs", type=int, default=1000)
    p.add_argument("--max-quads", type=float, default=60e6, help="largest graph-mode dataset")
    p.add_argument(
        "--query-timeout",
        type=float,
        help="seconds; kazkg and Oxigraph stop a query at this limit (default 10 quick, 30 full)",
    )
    p.add_argument(
        "--rdflib-timeout",
        type=float,
        help="seconds before rdflib-endpoint's answer is given up "
        "(default 10 quick, 30 full); a timeout counts as that many seconds (a lower bound)",
    )
    p.add_argument("--start-timeout", type=float, default=3600)
    p.add_argument(
        "--max-rows",
        type=int,
        default=1_000_000,
        help="KAZKG_SPARQL_MAX_ROWS: high, so every engine returns every row",
    )
    p.add_argument(
        "--cache", action="store_true", help="keep kazkg's result cache on (default off)"
    )
    p.add_argument(
        "--reuse-data", action="store_true", help="reuse built datasets of an earlier run"
    )
    p.add_argument(
        "--prepare-only", action="store_true", help="generate and build the datasets, then stop"
    )
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--name", help="result file name (default: quick|full|scales, backend)")
    args = p.parse_args(argv)
    if args.scales:
        args.scales = [int(s) for s in args.scales.split(",")]
    elif args.full:
        args.scales = [10_000, 100_000]
    else:
        args.quick = True
        args.scales = [100, 1000]
    full = args.full or max(args.scales) >= 10_000
    args.repeats = args.repeats or (7 if full else 5)
    args.wrk_seconds = args.wrk_seconds or (15 if full else 8)
    args.query_timeout = args.query_timeout or (30.0 if full else 10.0)
    if args.validate_up_to is None:
        args.validate_up_to = 100 if args.quick else 1000
    args.rdflib_timeout = args.rdflib_timeout or (30.0 if full else 10.0)
    args.connections = [int(c) for c in args.connections.split(",")]
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(args.engines) - set(ENGINES)
    if unknown:
        p.error(f"unknown engines {sorted(unknown)}; choose from {ENGINES}")
    if "kazkg" not in args.engines:
        p.error("the kazkg engine is required")
    args.name = (
        args.name
        or (
            "quick"
            if args.quick
            else "full"
            if args.full
            else "scales-" + "-".join(map(str, args.scales))
        )
        + f"-{args.backend}"
    )
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if not args.no_wrk:
            measure.wrk_available()
        servers.tool("oxigraph") if any(e.startswith("oxigraph") for e in args.engines) else None
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    WORK.mkdir(parents=True, exist_ok=True)
    (RESULTS / "raw").mkdir(parents=True, exist_ok=True)
    run = {
        "name": args.name,
        "machine": describe(),
        "settings": {k: v for k, v in vars(args).items() if k not in ("quick", "full")},
        "scales": [],
    }
    log(f"bench {args.name}: scales {args.scales}, backend {args.backend}, engines {args.engines}")
    failures = 0
    if args.prepare_only:
        for n in args.scales:
            mode = (
                args.mode
                if args.mode != "auto"
                else ("corpus" if n <= args.corpus_up_to else "graph")
            )
            data, info = (prepare_corpus_dataset if mode == "corpus" else prepare_graph_dataset)(
                n, args
            )
            log(f"{n}: {data} ({info.get('seconds')} s)")
        return 0
    for n in args.scales:
        started = time.perf_counter()
        try:
            result = run_scale(n, args)
        except BenchError as exc:
            log(f"{n}: {exc}")
            result = {"scale": n, "error": str(exc)}
            failures += 1
        result["seconds"] = round(time.perf_counter() - started, 1)
        run["scales"].append(result)
        (RESULTS / "raw" / f"{args.name}-{n}.json").write_text(json.dumps(result, indent=1))
        run["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        (RESULTS / "raw" / f"{args.name}.json").write_text(json.dumps(run, indent=1))
        report.write(run, RESULTS)
        log(f"{n}: done in {result['seconds']:.0f}s -> {RESULTS / (args.name + '.md')}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
