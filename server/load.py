"""`kazkg load`: put a built dataset into a store that the server then serves.

* a folder (or `oxigraph:PATH`): an on-disk Oxigraph store, built next to the target and swapped
  in by renames, so a crash leaves the previous store whole; many server processes open it
  read-only and share its pages.
* an http(s) URL: a remote SPARQL endpoint, written with SPARQL 1.1 Update graph by graph; the
  resolved default graph goes to `graph/default` (see server/remote.py), and a small
  `graph/served` graph names the build and its graphs, so the next load removes graphs that
  left the build, and servers know which build they serve.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from .backends import BackendError, file_build_id, rdf_format_of
from .remote import OWL_VERSION, PROV_USED, RemoteLoader, RemoteStore, skolemize

Log = Callable[[str], None]
BATCH = 200_000


def load_disk(data: Path, target: Path, log: Log = print) -> int:
    """Load `data` into a new on-disk store and swap it in for `target`; returns the quad count."""
    fmt = rdf_format_of(data)
    if not data.is_file():
        raise BackendError(f"dataset file not found: {data}")
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.loading"
    shutil.rmtree(staging, ignore_errors=True)
    started = time.monotonic()
    store = ox.Store(str(staging))
    count = 0
    batch: list[ox.Quad] = []
    try:
        for quad in ox.parse(path=str(data), format=fmt):
            batch.append(quad)
            if len(batch) >= BATCH:
                store.bulk_extend(batch)
                count += len(batch)
                batch = []
                log(f"  {count:,} quads ({time.monotonic() - started:.1f} s)")
        store.bulk_extend(batch)
        count += len(batch)
        store.flush()
        store.optimize()
    except (SyntaxError, ValueError, OSError) as exc:
        del store
        shutil.rmtree(staging, ignore_errors=True)
        raise BackendError(f"{data}: cannot be loaded: {exc}") from None
    del store
    (staging / "BUILD_ID").write_text(file_build_id(data) + "\n")
    retired = target.parent / f".{target.name}.retired"
    shutil.rmtree(retired, ignore_errors=True)
    if target.exists():
        target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)
    log(f"loaded {count:,} quads into {target} in {time.monotonic() - started:.1f} s")
    return count


def load_remote(data: Path, endpoint: str, update_url: str, base_iri: str, user: str | None = None,
                password: str | None = None, gsp_url: str | None = None, log: Log = print) -> int:
    """Write every graph of `data` to a remote store; returns the number of triples sent."""
    if not data.is_file():
        raise BackendError(f"dataset file not found: {data}")
    started = time.monotonic()
    local = ox.Store()
    try:
        local.bulk_load(path=str(data), format=rdf_format_of(data))
    except (SyntaxError, ValueError, OSError) as exc:
        raise BackendError(f"{data}: cannot be parsed: {exc}") from None
    build_id = file_build_id(data)
    served_graph = f"{base_iri}graph/served"
    default_graph = f"{base_iri}graph/default"
    loader = RemoteLoader(update_url, user=user, password=password, gsp_url=gsp_url)
    reader = RemoteStore(endpoint, default_graph=None)
    previous = _served_graphs(reader, served_graph, base_iri)
    graphs = sorted(local.named_graphs(), key=lambda g: g.value)
    sent = 0
    for n, graph in enumerate([ox.DefaultGraph(), *graphs], start=1):
        name = default_graph if isinstance(graph, ox.DefaultGraph) else graph.value
        triples = (skolemize(ox.Triple(q.subject, q.predicate, q.object), base_iri)
                   for q in local.quads_for_pattern(None, None, None, graph))
        sent += loader.replace_graph(name, triples)
        if n % 50 == 0 or n == len(graphs) + 1:
            log(f"  {n}/{len(graphs) + 1} graphs, {sent:,} triples ({time.monotonic() - started:.1f} s)")
    current = {default_graph, *(g.value for g in graphs)}
    for stale in sorted(previous - current):
        loader.send(f"DROP SILENT GRAPH <{stale}>")
    dataset = ox.NamedNode(f"{base_iri}dataset")
    marker = [ox.Triple(dataset, ox.NamedNode(OWL_VERSION), ox.Literal(build_id))]
    marker += [ox.Triple(dataset, ox.NamedNode(PROV_USED), ox.NamedNode(g)) for g in sorted(current)]
    loader.replace_graph(served_graph, marker)
    log(f"loaded {sent:,} triples in {len(graphs) + 1} graphs into {endpoint} "
        f"(build {build_id}) in {time.monotonic() - started:.1f} s")
    return sent


def _served_graphs(reader: RemoteStore, served_graph: str, base_iri: str) -> set[str]:
    try:
        rows = reader.query("SELECT ?g WHERE { GRAPH ?served { ?dataset ?used ?g } }", substitutions={
            ox.Variable("served"): ox.NamedNode(served_graph),
            ox.Variable("dataset"): ox.NamedNode(f"{base_iri}dataset"),
            ox.Variable("used"): ox.NamedNode(PROV_USED)})
        return {row["g"].value for row in rows}
    except (OSError, SyntaxError) as exc:
        raise BackendError(f"cannot read {reader.endpoint}: {exc}") from None
