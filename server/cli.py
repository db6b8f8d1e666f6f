"""The `kazkg` command: build, serve, query, validate, evaluate, load.

Each subcommand parses its arguments and calls one function; errors are one line, no traceback.
Exit codes: 0 success, 1 failure, 2 bad arguments, 3 built but some documents were skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from graph.config import Config, ConfigError, settings_help

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3


class CommandError(Exception):
    """A command cannot do what was asked; the message says why."""


def positive_int(text: str) -> int:
    """argparse type: a whole number of at least 1 (argparse names the option in its error)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _config(args: argparse.Namespace, **overrides) -> Config:
    base = getattr(args, "base", None)
    return Config.from_env(base_iri=base, **overrides)


# --- build -----------------------------------------------------------------------------------------

def cmd_build(args: argparse.Namespace) -> int:
    from graph.pipeline import BuildError, build
    corpus = Path(args.corpus) if args.corpus else None
    if corpus is not None and not corpus.is_dir():
        raise CommandError(f"corpus folder not found: {corpus}")
    config = _config(args, jobs=args.jobs, reasoner=args.reasoner)
    out = Path(args.out) if args.out else config.data_path
    _check_writable_output(out)
    try:
        report = build(config, corpus_dir=corpus, out=out, use_cache=not args.no_cache)
    except BuildError as exc:
        raise CommandError(f"build failed: {exc}") from None
    except OSError as exc:
        raise CommandError(f"build failed writing {exc.filename or out}: {exc.strerror or exc}") from None
    print(report.render())
    return EXIT_SKIPPED if report.skipped else EXIT_OK


def _check_writable_output(out: Path) -> None:
    """Fail before a long build, not after it, when the dataset could not be written."""
    if out.is_dir():
        raise CommandError(f"--out {out} is a folder; give the path of the dataset file (e.g. {out / 'kazkg.trig'})")
    folder = out.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"cannot create the folder of --out {out}: {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CommandError(f"cannot write into {folder} (folder of --out {out})")


# --- serve -----------------------------------------------------------------------------------------

def _check_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror or exc} "
                               f"(is another server running? choose another --port)") from None


def cmd_serve(args: argparse.Namespace) -> int:
    from server import create_app
    from server.backends import BackendError, open_backend
    if not 0 < args.port < 65536:
        raise CommandError(f"--port must be between 1 and 65535, not {args.port}")
    overrides = {"data_path": Path(args.data) if args.data else None, "store": args.store,
                 "server_workers": args.workers}
    config = _config(args, **overrides)
    _check_port(args.host, args.port)
    try:
        backend = open_backend(config)
    except BackendError as exc:
        hint = " (run `make build` or `kazkg build` first)" if not args.data and not args.store else ""
        raise CommandError(f"{exc}{hint}") from None
    app = create_app(config, backend)
    print(f"kazkg: serving {backend.description} (build {backend.build_id}) "
          f"on http://{args.host}:{args.port}/ with {config.server_workers} workers", file=sys.stderr)
    if args.dev:
        app.run(host=args.host, port=args.port, threaded=True)
        return EXIT_OK
    from .wsgi import run_gunicorn

    def reload_app():
        """SIGHUP: serve the dataset as it is now (a new build), or keep the old one."""
        return create_app(config, open_backend(config))

    print(f"kazkg: `kill -HUP {os.getpid()}` serves a new build without dropping requests",
          file=sys.stderr)
    run_gunicorn(app, args.host, args.port, config, reload_app)
    return EXIT_OK


# --- query -----------------------------------------------------------------------------------------

def _load_store(path: Path):
    from server.backends import BackendError, OxigraphMemory
    try:
        return OxigraphMemory(path).load().store()
    except BackendError as exc:
        raise CommandError(str(exc)) from None


def _query_text(arg: str, config: Config) -> str:
    """A query string, a .rq file, or the name of a stored query ('export/persons')."""
    if "{" not in arg:
        path = Path(arg)
        for candidate in (path, config.queries_dir / arg, config.queries_dir / f"{arg}.rq"):
            if candidate.is_file():
                try:
                    return candidate.read_text("utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    raise CommandError(f"cannot read query file {candidate}: {exc}") from None
        if path.suffix == ".rq":
            raise CommandError(f"query file not found: {arg}")
    return arg


def cmd_query(args: argparse.Namespace) -> int:
    from graph.namespaces import Vocab
    from server.engine import QueryRequest, execute
    from server.sparql_text import inspect_query
    config = _config(args)
    text = Vocab(config.base_iri).rebase_text(_query_text(args.query, config))
    store = _load_store(Path(args.data) if args.data else config.data_path)
    shape = inspect_query(text)
    if shape.is_update:
        raise CommandError("`kazkg query` runs queries only, not updates")
    form = shape.form or "SELECT"
    media = {"csv": "text/csv", "tsv": "text/tab-separated-values", "xml": "application/sparql-results+xml",
             "json": "application/sparql-results+json", "table": "application/sparql-results+json",
             "turtle": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json"}[args.format]
    if form in ("CONSTRUCT", "DESCRIBE") and media not in ("text/turtle", "application/n-triples",
                                                           "application/ld+json"):
        media = "text/turtle"
    elif form == "ASK" and media in ("text/csv", "text/tab-separated-values", "text/turtle"):
        media = "application/sparql-results+json"
    try:
        outcome = execute(store, QueryRequest(query=text, form=form, media_type=media,
                                              max_rows=args.limit, prefixes=Vocab(config.base_iri).prefixes))
    except SyntaxError as exc:
        raise CommandError(f"query parse error: {exc}") from None
    if args.format == "table" and form in ("SELECT", "ASK"):
        print(render_table(json.loads(outcome.body)))
    else:
        sys.stdout.buffer.write(outcome.body)
        sys.stdout.flush()
    if outcome.truncated:
        print(f"kazkg: results cut at {args.limit} rows (--limit)", file=sys.stderr)
    return EXIT_OK


def render_table(data: dict) -> str:
    """SPARQL JSON results as an aligned text table."""
    if "boolean" in data:
        return "yes" if data["boolean"] else "no"
    variables = data["head"]["vars"]
    rows = [[_cell(b.get(v)) for v in variables] for b in data["results"]["bindings"]]
    widths = [min(60, max([len(v)] + [len(r[i]) for r in rows])) for i, v in enumerate(variables)]
    line = lambda cells: "  ".join(c[:60].ljust(w) for c, w in zip(cells, widths))  # noqa: E731
    out = [line(variables), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _cell(binding: dict | None) -> str:
    if not binding:
        return ""
    if binding["type"] == "uri":
        return f"<{binding['value']}>"
    return binding["value"]


# --- validate --------------------------------------------------------------------------------------

def cmd_validate(args: argparse.Namespace) -> int:
    from graph.namespaces import Vocab
    from graph.ontology import OntologyFiles
    from graph.validate import validate_store
    config = _config(args)
    store = _load_store(Path(args.data) if args.data else config.data_path)
    shapes = OntologyFiles(config.ontology_dir, Vocab(config.base_iri)).shapes
    report = validate_store(store, shapes, config.validator)
    print(report.render(limit=args.limit))
    return EXIT_OK if not report.violations else EXIT_FAILED


# --- evaluate --------------------------------------------------------------------------------------

def cmd_evaluate(args: argparse.Namespace) -> int:
    from graph.evaluate import evaluate
    from graph.pipeline import BuildError
    config = _config(args)
    corpus = Path(args.corpus) if args.corpus else config.corpus_dir
    gold = Path(args.gold) if args.gold else config.corpus_dir.parent / "tests" / "gold"
    for folder, what in ((corpus, "corpus"), (gold, "gold")):
        if not folder.is_dir():
            raise CommandError(f"{what} folder not found: {folder}")
    if not any(gold.glob("*.json")):
        raise CommandError(f"no gold .json files in {gold}")
    try:
        report = evaluate(config, corpus, gold, data=Path(args.data) if args.data else None)
    except BuildError as exc:
        raise CommandError(f"build failed: {exc}") from None
    print(report.render(details=args.details))
    if args.json:
        Path(args.json).write_text(json.dumps(report.to_json(), indent=2))
    return EXIT_OK


# --- load ------------------------------------------------------------------------------------------

def cmd_load(args: argparse.Namespace) -> int:
    from server.backends import BackendError, store_kind
    from server.load import load_disk, load_remote
    config = _config(args, data_path=Path(args.data) if args.data else None)
    try:
        kind, where = store_kind(args.store)
    except BackendError as exc:
        raise CommandError(str(exc)) from None
    log = lambda line: print(line, file=sys.stderr)  # noqa: E731
    try:
        if kind == "memory":
            raise CommandError("the memory store needs no loading: `kazkg serve --data FILE` reads the file")
        if kind == "disk":
            load_disk(config.data_path, Path(where), log)
        else:
            password = args.password if args.password is not None else os.environ.get("KAZKG_STORE_PASSWORD")
            load_remote(config.data_path, where, args.update_url or where, config.base_iri,
                        user=args.user, password=password, gsp_url=args.gsp_url, log=log)
    except (BackendError, OSError) as exc:
        raise CommandError(str(exc)) from None
    return EXIT_OK


# --- main ------------------------------------------------------------------------------------------

def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kazkg", description="Knowledge graph of Kazakhstan's "
                                "state industrial policy: build it from news articles and serve it.",
                                epilog="Settings (environment variables):\n" + "\n".join(
                                    f"  {name} (default {default}): {help}"
                                    for name, default, help in settings_help()),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", help="base IRI (default https://w3id.org/kazkg/, or KAZKG_BASE_IRI)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build the dataset of a corpus folder")
    b.add_argument("--corpus", help="folder of .txt articles (default corpus/)")
    b.add_argument("--out", help="dataset file to write (default build/kazkg.trig)")
    b.add_argument("--jobs", type=positive_int, help="extract in N processes (default 1)")
    b.add_argument("--reasoner", choices=["rules", "owlrl"], help="rules (fast, default) or owlrl")
    b.add_argument("--no-cache", action="store_true", help="re-extract every document")
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("serve", help="serve the dataset: SPARQL endpoint and linked-data pages")
    s.add_argument("--data", help="RDF file to serve: .trig .nq .ttl .nt .jsonld .rdf (default build/kazkg.trig)")
    s.add_argument("--store", help="memory (default), a folder made by `kazkg load`, or a SPARQL endpoint URL")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    s.add_argument("--workers", type=positive_int, help="server processes (default 2)")
    s.add_argument("--dev", action="store_true", help="Flask's development server instead of gunicorn")
    s.set_defaults(func=cmd_serve)

    q = sub.add_parser("query", help="run a SPARQL query (text, .rq file, or a name under queries/)")
    q.add_argument("query", metavar="QUERY_OR_FILE")
    q.add_argument("--data", help="RDF file to query (default build/kazkg.trig)")
    q.add_argument("--format", default="table",
                   choices=["table", "csv", "tsv", "json", "xml", "turtle", "nt", "jsonld"])
    q.add_argument("--limit", type=positive_int, default=100000, help="at most this many rows (default 100000)")
    q.set_defaults(func=cmd_query)

    e = sub.add_parser("evaluate", help="score extraction against gold annotations (tests/gold/SCHEMA.md)")
    e.add_argument("--corpus", help="folder of .txt articles (default corpus/)")
    e.add_argument("--gold", help="folder of gold .json files (default tests/gold/)")
    e.add_argument("--data", help="score this dataset instead of building the corpus")
    e.add_argument("--details", action="store_true", help="list every missed and extra fact")
    e.add_argument("--json", help="also write the scores to this JSON file")
    e.set_defaults(func=cmd_evaluate)

    ld = sub.add_parser("load", help="put a built dataset into a store for `kazkg serve --store`")
    ld.add_argument("--data", help="dataset file (default build/kazkg.trig)")
    ld.add_argument("--store", required=True,
                    help="a folder (on-disk Oxigraph store, swapped in atomically) or a SPARQL endpoint URL")
    ld.add_argument("--update-url", help="where a remote store takes SPARQL Update (default: the --store URL), "
                                         "e.g. Virtuoso's http://HOST:8890/sparql-auth")
    ld.add_argument("--gsp-url", help="a Graph Store Protocol endpoint to write graphs with (faster), "
                                      "e.g. Virtuoso's http://HOST:8890/sparql-graph-crud-auth")
    ld.add_argument("--user", help="user for the update URL (HTTP Digest or Basic)")
    ld.add_argument("--password", help="password (better: KAZKG_STORE_PASSWORD)")
    ld.set_defaults(func=cmd_load)

    v = sub.add_parser("validate", help="check a dataset against ontology/shapes.ttl (SHACL)")
    v.add_argument("--data", help="dataset file (default build/kazkg.trig)")
    v.add_argument("--limit", type=positive_int, default=50, help="findings to list in full (default 50)")
    v.set_defaults(func=cmd_validate)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    try:
        return args.func(args)
    except (CommandError, ConfigError) as exc:
        print(f"kazkg {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"kazkg {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
