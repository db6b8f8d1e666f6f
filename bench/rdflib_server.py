"""rdflib-endpoint serving a dataset file the way the others do: the default graph is the file's.

(`rdflib-endpoint serve` makes the default graph the union of all graphs; on kazkg's layout that
union holds the same triples as the default graph, but every pattern then scans every graph.)

rdflib cannot stop a running query, and rdflib-endpoint evaluates it in its event loop, so a query
the benchmark gave up on would hold the server for minutes. The dataset is therefore loaded once
in this process and served by a forked child; the benchmark ends a stuck child (SIGKILL to the
children of this process) and a fresh one is forked from the loaded dataset in about a second.

    python -m bench.rdflib_server --data build/kazkg.trig --port 8001
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time

import uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True)
    p.add_argument("--port", type=int, required=True)
    args = p.parse_args(argv)
    started = time.perf_counter()
    dataset = Dataset(default_union=False)
    dataset.parse(args.data, format="trig")
    print(
        f"rdflib: {len(dataset)} default-graph triples loaded in {time.perf_counter() - started:.1f}s",
        file=sys.stderr,
        flush=True,
    )
    app = SparqlEndpoint(graph=dataset, path="/sparql", enable_update=False, cors_enabled=False)
    while True:
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            uvicorn.run(
                app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False
            )
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
            return 0  # the child ended by itself or by SIGTERM: stop serving
        print(
            "rdflib: serving child killed (a query was given up); forking a fresh one",
            file=sys.stderr,
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
