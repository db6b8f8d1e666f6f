"""Markdown tables and an SVG chart of a benchmark run (bench/results/<run>.md, <run>.svg).

python -m bench.report bench/results/raw/quick-memory.json     # re-render a finished run
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from .machine import render as render_machine
from .measure import geomean, percentile
from .queries import budgets

ENGINE_ORDER = ["kazkg", "oxigraph", "oxigraph-mem", "rdflib-endpoint", "remote-oxigraph"]
STAGES = ["read", "extract", "link", "rdf", "reason", "validate", "write"]


def _ms(v: float | None) -> str:
    if v is None:
        return "–"
    return f"{v:.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}"


def _scale(n: int) -> str:
    exp = round(math.log10(n)) if n > 0 else 0
    return f"10^{exp}" if 10**exp == n else f"{n:,}"


def budget_for(kind: str, scale: int) -> float:
    table = budgets()["budget_ms"][kind]
    keys = sorted(int(k) for k in table)
    for k in keys:
        if scale <= k:
            return table[str(k)]
    return table[str(keys[-1])]


def engines_of(scale: dict) -> list[str]:
    present = set(scale.get("engines", {}))
    return [e for e in ENGINE_ORDER if e in present]


def mix_samples(scale: dict, engine: str, kinds: tuple[str, ...]) -> list[float]:
    kind_of = {q["name"]: q["kind"] for q in scale.get("queries", [])}
    out = []
    for qname, per in scale.get("latency", {}).items():
        t = per.get(engine)
        if t and kind_of.get(qname) in kinds:
            out.extend(t["samples_ms"])
    return out


def ratio_rows(scale: dict) -> list[dict]:
    """Per query: medians per engine and the kazkg/oxigraph and rdflib/kazkg ratios."""
    targets = budgets()["targets"]
    rows = []
    kinds = {q["name"]: q for q in scale.get("queries", [])}
    for qname, per in scale.get("latency", {}).items():
        med = {e: t["median_ms"] for e, t in per.items()}
        status = {e: t["status"] for e, t in per.items()}
        rowcounts = {e: t["rows"] for e, t in per.items() if t["rows"] is not None}
        k, o = med.get("kazkg"), med.get("oxigraph")
        within = None
        if k is not None and o is not None:
            within = k <= targets["oxigraph_ratio"] * o + targets["oxigraph_slack_ms"]
        r = med.get("rdflib-endpoint")
        rdflib_ratio = (r / k) if (r is not None and k) else None
        lower_bound = False
        if status.get("rdflib-endpoint") == "timeout" and k:
            # rdflib did not answer within its limit: the limit is a lower bound of its time
            rdflib_ratio = scale.get("timeouts", {}).get("rdflib", 0) * 1000 / k or None
            lower_bound = True
        rows.append(
            {
                "query": qname,
                "kind": kinds.get(qname, {}).get("kind", "?"),
                "medians": med,
                "status": status,
                "rows": rowcounts,
                "within": within,
                "rdflib_ratio": rdflib_ratio,
                "lower_bound": lower_bound,
                "rows_agree": len(set(rowcounts.values())) <= 1,
                "budget": budget_for(kinds.get(qname, {}).get("kind", "analytic"), scale["scale"]),
            }
        )
    return rows


def render(run: dict) -> str:
    lines = [f"# kazkg benchmark: {run['name']}", "", render_machine(run["machine"]), ""]
    st = run["settings"]
    lines += [
        f"Settings: backend **{st['backend']}**, engines {', '.join(st['engines'])}; "
        f"{st['repeats']} timed repeats per query after 1 warm-up, engines interleaved in rotating order; "
        f"kazkg result cache {'on' if st.get('cache') else 'off'}, row cap {st['max_rows']:,} "
        f"(every engine returns every row); query timeout {st['query_timeout']:.0f} s; "
        f"wrk {st['wrk_seconds']} s per run, 1 thread, on the same machine as the servers. "
        f"Latency = POST to last byte of the JSON results over a kept-alive connection.",
        "",
    ]
    scales = [s for s in run["scales"] if "error" not in s]
    for s in run["scales"]:
        if "error" in s:
            lines += [f"**{_scale(s['scale'])} documents failed**: {s['error']}", ""]
    if not scales:
        return "\n".join(lines)
    lines += render_targets(scales), ""
    lines += render_build(scales), ""
    lines += render_memory(scales), ""
    for s in scales:
        lines += render_latency(s), ""
    lines += render_pages(scales), ""
    lines += render_wrk(scales), ""
    lines += [
        f"Chart: [{run['name']}.svg]({run['name']}.svg). Raw numbers: `raw/{run['name']}.json`.",
        "",
    ]
    return "\n".join(lines)


def render_targets(scales: list[dict]) -> str:
    t = budgets()["targets"]
    out = ["## Targets of issue #7", "", "| target | scale | measured | met |", "|---|---|---|---|"]
    for s in scales:
        n, rows = s["scale"], ratio_rows(s)
        if "oxigraph" in s["engines"]:
            misses = [r for r in rows if r["within"] is False]
            worst = max(
                (r for r in rows if r["within"] is not None),
                key=lambda r: r["medians"]["kazkg"] / max(r["medians"]["oxigraph"], 1e-9),
                default=None,
            )
            detail = (
                f"{len(rows) - len(misses)}/{len(rows)} queries within; worst {worst['query']} "
                f"{_ms(worst['medians']['kazkg'])} vs {_ms(worst['medians']['oxigraph'])} ms"
                if worst
                else "–"
            )
            out.append(
                f"| /sparql within {t['oxigraph_ratio']}× + {t['oxigraph_slack_ms']:.0f} ms of "
                f"`oxigraph serve-read-only`, every query | {_scale(n)} | {detail} | "
                f"{'yes' if not misses else 'no'} |"
            )
        want = t["rdflib_geomean"].get(str(n))
        ratios = [r["rdflib_ratio"] for r in rows if r["rdflib_ratio"]]
        timeouts = sum(1 for r in rows if r["lower_bound"])
        if want and "rdflib-endpoint" in s["engines"]:
            g = geomean(ratios)
            note = (
                f" ({timeouts} rdflib timeouts counted at the limit: a lower bound)"
                if timeouts
                else ""
            )
            out.append(
                f"| geomean ≥ {want}× faster than rdflib-endpoint | {_scale(n)} | "
                f"{'≥ ' if timeouts else ''}{g:.1f}× over {len(ratios)} queries{note} | "
                f"{'yes' if g and g >= want else 'no'} |"
            )
        elif want:
            why = s.get("skipped", {}).get("rdflib-endpoint", "not run")
            out.append(
                f"| geomean ≥ {want}× faster than rdflib-endpoint | {_scale(n)} | {why} | not measured |"
            )
        if n >= 10_000:
            limit = budget_for("interactive", n)
            inter = [
                r
                for r in rows
                if r["kind"] == "interactive" and r["medians"].get("kazkg") is not None
            ]
            over = [r for r in inter if r["medians"]["kazkg"] > limit]
            worst = max(inter, key=lambda r: r["medians"]["kazkg"], default=None)
            pages = [x for p in s.get("pages", {}).values() for x in p.get("samples_ms", [])]
            p_med = percentile(pages, 50)
            out.append(
                f"| every interactive query < {limit:.0f} ms | {_scale(n)} | "
                f"{len(inter) - len(over)}/{len(inter)} under; slowest {worst['query'] if worst else '–'} "
                f"{_ms(worst['medians']['kazkg']) if worst else '–'} ms; entity pages p50 {_ms(p_med)} ms | "
                f"{'yes' if not over else 'no'} |"
            )
        w = s.get("wrk", {}).get(f"kazkg pages c{t['page_connections']}")
        if w and w.get("rps") is not None:
            ok = (
                w["rps"] >= t["page_rps"]
                and (w["p99_ms"] or 1e9) < t["page_p99_ms"]
                and not w["non2xx"]
            )
            out.append(
                f"| entity pages ≥ {t['page_rps']} req/s, p99 < {t['page_p99_ms']} ms at "
                f"{t['page_connections']} connections | {_scale(n)} | {w['rps']:.0f} req/s, "
                f"p99 {_ms(w['p99_ms'])} ms | {'yes' if ok else 'no'} |"
            )
        if n >= 100_000 and "kazkg" in s["engines"]:
            gb = s["engines"]["kazkg"]["peak_pss_mb"] / 1024
            out.append(
                f"| serving 10^5 documents in < {t['rss_gb_at_100000']} GB | {_scale(n)} | "
                f"{gb:.1f} GB (peak PSS of the server tree) | {'yes' if gb < t['rss_gb_at_100000'] else 'no'} |"
            )
        b = s.get("build", {})
        if n >= 10_000 and b.get("mode") == "corpus":
            total = b.get("seconds")
            skipped = b.get("skip_validate")
            out.append(
                f"| `kazkg build` of 10^4 documents ≤ {t['build_seconds_at_10000']} s on 2 cores | "
                f"{_scale(n)} | {total:.0f} s{' without SHACL validation' if skipped else ''} "
                f"(jobs {b.get('jobs')}) | {'no' if skipped or total > t['build_seconds_at_10000'] else 'yes'} |"
            )
    return "\n".join(out)


def render_build(scales: list[dict]) -> str:
    out = [
        "## Data and build",
        "",
        "| docs | mode | corpus MB | quads | quads/doc | TriG MB | build s | peak RSS MB | "
        + " | ".join(STAGES)
        + " | notes |",
        "|---:|---|---:|---:|---:|---:|---:|---:|" + "---:|" * len(STAGES) + "---|",
    ]
    for s in scales:
        b = s["build"]
        quads = b.get("quads") or b.get("quads_estimate")
        tm = b.get("timings", {})
        stages = " | ".join(f"{tm[k]:.1f}" if k in tm else "–" for k in STAGES)
        notes = "; ".join(b.get("notes", []))
        if b.get("mode") == "graph":
            notes = (
                f"generated from {b['template_documents']} built documents ({b['cohorts']} cohorts) "
                f"in {b['seconds']} s; " + notes
            ).rstrip("; ")
        quads_text = f"{quads:,}" + ("~" if not b.get("quads") else "") if quads else "–"
        out.append(
            f"| {s['scale']:,} | {b.get('mode')} | {b.get('corpus_mb', '–')} | {quads_text} | "
            f"{quads / s['scale']:,.0f} | {b.get('trig_mb', '–')} | "
            f"{b['seconds'] if b.get('mode') == 'corpus' else '–'} | {b.get('peak_rss_mb', '–')} | "
            f"{stages} | {notes} |"
        )
    out += [
        "",
        "Stages are `kazkg build`'s own timings (kazkg.report.json), in seconds: read the corpus, "
        "extract, link, RDF, reason (rules), validate (pySHACL), write TriG. Peak RSS: the build's "
        "process tree, sampled every second.",
    ]
    return "\n".join(out)


def render_memory(scales: list[dict]) -> str:
    out = [
        "## Load and memory",
        "",
        "| docs | engine | load s | RSS after load MB | PSS after load MB | peak PSS MB | largest process MB | notes |",
        "|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for s in scales:
        for e in engines_of(s):
            m = s["engines"][e]
            out.append(
                f"| {s['scale']:,} | {e} | {m['load_seconds']:.1f} | {m['rss_after_load_mb']:,} | "
                f"{m['pss_after_load_mb']:,} | {m['peak_pss_mb']:,} | {m['peak_largest_process_mb']:,} | "
                f"{'; '.join(m['notes'])} |"
            )
        for e, why in s.get("skipped", {}).items():
            out.append(f"| {s['scale']:,} | {e} | – | – | – | – | – | {why} |")
    out += [
        "",
        "Load: from starting the server (or `oxigraph load`) until it answers a query. Memory is "
        "summed over the server's process tree (gunicorn master, workers, their query processes); "
        "RSS counts pages that forked processes share once per process, PSS splits them, so the PSS "
        "sum is what the server costs the machine.",
    ]
    return "\n".join(out)


def render_latency(s: dict) -> str:
    engines = [e for e in ENGINE_ORDER if any(e in per for per in s.get("latency", {}).values())]
    head = " | ".join(engines)
    out = [
        f"## Competency questions at {_scale(s['scale'])} documents (median ms over HTTP)",
        "",
        f"| query | kind | rows | {head} | kazkg ÷ oxigraph | within 1.5×+2ms | rdflib ÷ kazkg | budget ms |",
        "|---|---|---:|" + "---:|" * len(engines) + "---:|---|---:|---:|",
    ]
    rows = ratio_rows(s)
    for r in rows:
        cells = []
        for e in engines:
            st = r["status"].get(e)
            cells.append(_ms(r["medians"].get(e)) if st == "ok" else (st or "–"))
        k, o = r["medians"].get("kazkg"), r["medians"].get("oxigraph")
        ratio = f"{k / o:.2f}" if k and o else "–"
        over = k is not None and k > r["budget"]
        rowtext = ",".join(str(v) for v in sorted(set(r["rows"].values()))) if r["rows"] else "–"
        if not r["rows_agree"]:
            rowtext += " (differ!)"
        out.append(
            f"| {r['query']} | {r['kind']} | {rowtext} | {' | '.join(cells)} | {ratio} | "
            f"{'–' if r['within'] is None else 'yes' if r['within'] else '**no**'} | "
            f"{('≥ ' if r['lower_bound'] else '') + _ms(r['rdflib_ratio']) if r['rdflib_ratio'] else '–'} | "
            f"{r['budget']:.0f}{' **over**' if over else ''} |"
        )
    for kinds, label in ((("interactive",), "interactive"), (("interactive", "analytic"), "all")):
        p50 = [_ms(percentile(mix_samples(s, e, kinds), 50)) for e in engines]
        p99 = [_ms(percentile(mix_samples(s, e, kinds), 99)) for e in engines]
        out.append(f"| **p50 of the {label} mix** | | | {' | '.join(p50)} | | | | |")
        out.append(f"| **p99 of the {label} mix** | | | {' | '.join(p99)} | | | | |")
    ratios = [r["rdflib_ratio"] for r in rows if r["rdflib_ratio"]]
    ox = [
        r["medians"]["kazkg"] / r["medians"]["oxigraph"]
        for r in rows
        if r["medians"].get("kazkg") and r["medians"].get("oxigraph")
    ]
    out.append("")
    summary = []
    if ox:
        summary.append(f"geomean kazkg ÷ oxigraph {geomean(ox):.2f}")
    if ratios:
        bound = "≥ " if any(r["lower_bound"] for r in rows) else ""
        summary.append(
            f"geomean rdflib-endpoint ÷ kazkg {bound}{geomean(ratios):.1f}× over {len(ratios)} queries"
            + (" (rdflib timeouts counted at the limit)" if bound else "")
        )
    params = [f"{q['name']} = {q['params']}" for q in s.get("queries", []) if q.get("params")]
    if summary:
        out.append("; ".join(summary) + ".")
    if params:
        out.append("Parameters picked from the data: " + "; ".join(params) + ".")
    return "\n".join(out)


def render_pages(scales: list[dict]) -> str:
    out = [
        "## Entity pages on kazkg (sequential, ms)",
        "",
        "| docs | pages | failed | p50 | p99 | max | slowest page |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for s in scales:
        pages = s.get("pages", {})
        samples = [x for p in pages.values() for x in p.get("samples_ms", [])]
        failed = [f"{p} ({v.get('status')})" for p, v in pages.items() if v.get("status") != 200]
        if not pages:
            continue
        slowest = max(pages.items(), key=lambda kv: max(kv[1].get("samples_ms") or [0]))
        out.append(
            f"| {s['scale']:,} | {len(pages)} | {len(failed)} | {_ms(percentile(samples, 50))} | "
            f"{_ms(percentile(samples, 99))} | {_ms(max(samples)) if samples else '–'} | "
            f"{slowest[1]['kind']} `{slowest[0]}` |"
        )
        if failed:
            out.append(
                f"| | failed pages: {', '.join(failed[:5])}{' …' if len(failed) > 5 else ''} | | | | | |"
            )
    return "\n".join(out)


def render_wrk(scales: list[dict]) -> str:
    out = [
        "## HTTP throughput (wrk)",
        "",
        "| docs | target | connections | req/s | p50 ms | p99 ms | errors |",
        "|---:|---|---:|---:|---:|---:|---|",
    ]
    for s in scales:
        for key, w in s.get("wrk", {}).items():
            rps = "–" if w["rps"] is None else f"{w['rps']:.0f}"
            errors = []
            if w.get("non2xx"):
                errors.append(f"{w['non2xx']} non-2xx")
            if w.get("socket_errors"):
                errors.append(w["socket_errors"])
            out.append(
                f"| {s['scale']:,} | {key.rsplit(' ', 1)[0]} | {w['connections']} | "
                f"{rps} | {_ms(w['p50_ms'])} | "
                f"{_ms(w['p99_ms'])} | {', '.join(errors)} |"
            )
    out += [
        "",
        "Entity pages: the sampled pages in turn (GET, text/html). /sparql: the interactive "
        "competency questions in turn (POST, JSON results); kazkg's result cache is off, so every "
        "request runs its query.",
    ]
    return "\n".join(out)


# --- chart ---------------------------------------------------------------------------------------

COLORS = {
    "kazkg": "#1f77b4",
    "oxigraph": "#ff7f0e",
    "oxigraph-mem": "#2ca02c",
    "rdflib-endpoint": "#d62728",
}


def chart(run: dict) -> str:
    """Two panels: p50 and p99 of the competency-question mix per engine and scale (log scale);
    build time per scale, by stage."""
    scales = [s for s in run["scales"] if "error" not in s]
    width, height, pad = 920, 360, 60
    panel = (width - 3 * pad) // 2
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    # panel 1: latency
    values = [
        v
        for s in scales
        for e in ENGINE_ORDER
        for p in (50, 99)
        if (v := percentile(mix_samples(s, e, ("interactive", "analytic")), p))
    ]
    x0, y0, h = pad, 40, height - 100
    svg.append(
        f'<text x="{x0}" y="24" font-size="13">Competency-question mix: p50 (solid) and p99 '
        "(dashed), ms, log scale</text>"
    )
    if values and scales:
        lo, hi = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
        hi = max(hi, lo + 1)

        def y(v: float) -> float:
            return y0 + h - (math.log10(v) - lo) / (hi - lo) * h

        def x(i: int) -> float:
            return x0 + (i + 0.5) * panel / len(scales)

        for d in range(lo, hi + 1):
            svg.append(
                f'<line x1="{x0}" x2="{x0 + panel}" y1="{y(10**d):.1f}" y2="{y(10**d):.1f}" stroke="#ddd"/>'
            )
            svg.append(
                f'<text x="{x0 - 6}" y="{y(10**d) + 4:.1f}" text-anchor="end">{10**d:g}</text>'
            )
        for i, s in enumerate(scales):
            svg.append(
                f'<text x="{x(i):.1f}" y="{y0 + h + 16}" text-anchor="middle">{_scale(s["scale"])} docs</text>'
            )
        for e in ENGINE_ORDER:
            for p, dash in ((50, ""), (99, ' stroke-dasharray="4 3"')):
                pts = [
                    (x(i), y(v))
                    for i, s in enumerate(scales)
                    if (v := percentile(mix_samples(s, e, ("interactive", "analytic")), p))
                ]
                if pts:
                    path = " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
                    svg.append(
                        f'<polyline points="{path}" fill="none" stroke="{COLORS[e]}" stroke-width="2"{dash}/>'
                    )
                    for a, b in pts:
                        svg.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{COLORS[e]}"/>')
        for j, e in enumerate(e for e in ENGINE_ORDER if any(e in s["engines"] for s in scales)):
            svg.append(
                f'<rect x="{x0 + 8}" y="{y0 + 6 + 14 * j}" width="10" height="10" fill="{COLORS[e]}"/>'
            )
            svg.append(f'<text x="{x0 + 22}" y="{y0 + 15 + 14 * j}">{e}</text>')
    # panel 2: build time by stage
    x1 = 2 * pad + panel
    svg.append(f'<text x="{x1}" y="24" font-size="13">kazkg build: seconds by stage</text>')
    builds = [
        (s["scale"], s["build"].get("timings", {})) for s in scales if s["build"].get("timings")
    ]
    if builds:
        top = max(sum(t.get(k, 0) for k in STAGES) for _, t in builds) or 1
        palette = ["#9ecae1", "#3182bd", "#fdae6b", "#e6550d", "#a1d99b", "#31a354", "#bcbddc"]
        bw = panel / len(builds) * 0.5
        for i, (n, t) in enumerate(builds):
            bx = x1 + (i + 0.25) * panel / len(builds)
            base = y0 + h
            for k, color in zip(STAGES, palette, strict=True):
                hh = t.get(k, 0) / top * h
                base -= hh
                svg.append(
                    f'<rect x="{bx:.1f}" y="{base:.1f}" width="{bw:.1f}" height="{hh:.1f}" fill="{color}"/>'
                )
            total = sum(t.get(k, 0) for k in STAGES)
            svg.append(
                f'<text x="{bx + bw / 2:.1f}" y="{base - 4:.1f}" text-anchor="middle">{total:.0f} s</text>'
            )
            svg.append(
                f'<text x="{bx + bw / 2:.1f}" y="{y0 + h + 16}" text-anchor="middle">{_scale(n)} docs</text>'
            )
        for j, (k, color) in enumerate(zip(STAGES, palette, strict=True)):
            svg.append(
                f'<rect x="{x1 + panel - 70}" y="{y0 + 6 + 14 * j}" width="10" height="10" fill="{color}"/>'
            )
            svg.append(f'<text x="{x1 + panel - 56}" y="{y0 + 15 + 14 * j}">{k}</text>')
    svg.append("</svg>")
    return "\n".join(svg)


def write(run: dict, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{run['name']}.md").write_text(render(run))
    (folder / f"{run['name']}.svg").write_text(chart(run))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m bench.report bench/results/raw/<run>.json", file=sys.stderr)
        return 2
    run = json.loads(Path(argv[0]).read_text())
    write(run, Path(__file__).resolve().parent / "results")
    print(f"wrote bench/results/{run['name']}.md and .svg", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
