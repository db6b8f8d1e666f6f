"""The build: documents -> extraction -> linking -> RDF -> reasoning -> validation -> TriG.

The only orchestrator. Each stage is a function of the previous stage's output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing as mp
import os
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path

import pyoxigraph as ox

from . import dataset as ds
from .dataset import report_path
from .config import Config
from .convert import canonical_quads
from .documents import Document, Problem, read_corpus
from .extract import EXTRACTOR_VERSION, Resources, extract_document
from .extract.gazetteer import build_gazetteer
from .extract.model import Extraction
from .iris import Minter
from .link import Linking, link_documents
from .namespaces import RDF, Vocab
from .ontology import OntologyFiles
from .rdfize import document_quads, entity_label_quads
from .rdfize_facts import post_description_quads
from .reason import infer_owlrl
from .rules import materialise_rules
from .validate import ValidationReport, validate_store


class BuildError(Exception):
    """The build could not produce a valid dataset; the previous one is left in place."""


@dataclass
class BuildReport:
    output: str
    build_id: str = ""
    started: str = ""
    documents: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    from_cache: int = 0
    quads: int = 0
    graphs: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    facts: dict[str, int] = field(default_factory=dict)
    validation: dict = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    extractor_version: str = EXTRACTOR_VERSION
    ontology_version: str = ""

    def to_json(self) -> dict:
        return dict(self.__dict__)

    def render(self) -> str:
        lines = [f"kazkg build {self.build_id}: {self.documents} documents"
                 f" ({self.from_cache} from cache), {len(self.skipped)} skipped, {self.quads:,} quads"
                 f" -> {self.output}"]
        for problem in self.skipped:
            lines.append(f"  skipped {problem['file']}: {problem['reason']}")
        lines.append("  graphs: " + ", ".join(f"{k} {v:,}" for k, v in self.graphs.items()))
        lines.append("  entities: " + ", ".join(f"{k} {v}" for k, v in self.entities.items()))
        lines.append("  facts: " + ", ".join(f"{k} {v}" for k, v in self.facts.items()))
        counts = self.validation.get("counts", {})
        lines.append(f"  SHACL: {'conforms' if self.validation.get('conforms') else 'violations'}"
                     f" ({counts.get('Violation', 0)} violations, {counts.get('Warning', 0)} warnings,"
                     f" {counts.get('Info', 0)} info)")
        lines.append("  time: " + ", ".join(f"{k} {v:.2f}s" for k, v in self.timings.items()))
        return "\n".join(lines)


class Progress:
    """A progress line on stderr: redrawn in place on a terminal, every 10% otherwise."""

    def __init__(self, total: int, label: str, stream=None, min_total: int = 20) -> None:
        self.total, self.label, self.done = total, label, 0
        self.stream = stream or sys.stderr
        self.enabled = total >= min_total
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.perf_counter()
        self._last_decile = -1

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        rate = self.done / max(time.perf_counter() - self.start, 1e-9)
        line = f"{self.label}: {self.done}/{self.total} ({100 * self.done // self.total}%) {rate:.0f}/s"
        if self.tty:
            width = 30
            filled = width * self.done // self.total
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {line}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()
        else:
            decile = 10 * self.done // self.total
            if decile != self._last_decile:
                self._last_decile = decile
                self.stream.write(line + "\n")
                self.stream.flush()


def extractor_fingerprint(files: OntologyFiles) -> str:
    """Changes whenever extraction could give a different result: code, patterns, reference data."""
    digest = hashlib.sha256(EXTRACTOR_VERSION.encode())
    package = importlib_resources.files("graph")
    sources = sorted(Path(str(package)).glob("extract/*.py")) + sorted(
        Path(str(package)).glob("*.py")) + sorted(Path(str(package)).glob("patterns/*"))
    for path in [*sources, *files.reference_paths, files.tbox_path]:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class ExtractionCache:
    """Per-document extraction results keyed by (content hash, extractor fingerprint)."""

    def __init__(self, folder: Path | None, fingerprint: str) -> None:
        self.folder, self.fingerprint = folder, fingerprint

    def path(self, doc: Document) -> Path | None:
        return self.folder / f"{doc.sha256[:32]}-{self.fingerprint}.json" if self.folder else None

    def get(self, doc: Document) -> Extraction | None:
        path = self.path(doc)
        if path is None or not path.exists():
            return None
        try:
            extraction = Extraction.from_json(json.loads(path.read_text("utf-8")))
        except (ValueError, KeyError, TypeError):
            return None
        extraction.doc.file_name = doc.file_name
        extraction.doc.stem = doc.stem
        return extraction

    def put(self, doc: Document, extraction: Extraction) -> None:
        path = self.path(doc)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        ds.write_atomically(path, json.dumps(extraction.to_json(), ensure_ascii=False).encode())


_WORKER_RESOURCES: Resources | None = None


def _init_worker(resources: Resources, parent: int) -> None:
    global _WORKER_RESOURCES
    _WORKER_RESOURCES = resources
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """A build killed with -9 must not leave its extraction workers behind (Linux prctl)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _extract_in_worker(doc: Document) -> Extraction:
    assert _WORKER_RESOURCES is not None
    return extract_document(doc, _WORKER_RESOURCES)


def extract_all(docs: list[Document], resources: Resources, cache: ExtractionCache, jobs: int,
                progress: Progress) -> tuple[list[Extraction], int]:
    """Extract every document (from the cache where possible), in order."""
    results: dict[str, Extraction] = {}
    todo = []
    for doc in docs:
        cached = cache.get(doc)
        if cached is not None:
            results[doc.file_name] = cached
            progress.advance()
        else:
            todo.append(doc)
    if jobs > 1 and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                 initargs=(resources, os.getpid())) as pool:
            for doc, extraction in zip(todo, pool.map(_extract_in_worker, todo,
                                                      chunksize=max(1, len(todo) // (jobs * 8))), strict=True):
                cache.put(doc, extraction)
                results[doc.file_name] = extraction
                progress.advance()
    else:
        for doc in todo:
            extraction = extract_document(doc, resources)
            cache.put(doc, extraction)
            results[doc.file_name] = extraction
            progress.advance()
    return [results[d.file_name] for d in docs], len(docs) - len(todo)


_RDF_STATE: tuple | None = None  # what forked RDF workers read: set before the pool forks


def _rdf_in_worker(chunk: range) -> bytes:
    assert _RDF_STATE is not None
    extractions, texts, linking, minter, preferred = _RDF_STATE
    quads = []
    for i in chunk:
        x = extractions[i]
        quads.extend(document_quads(x, texts[x.doc.file_name], linking, minter, preferred))
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def rdfize_all(store: ox.Store, extractions: list[Extraction], texts: dict[str, str],
               linking: Linking, minter: Minter, preferred, jobs: int) -> None:
    """Every document's named graph into the store; with jobs > 1, made by forked workers that
    share the linking (no pickling) and send N-Quads, which the store parses natively."""
    global _RDF_STATE
    if jobs <= 1 or len(extractions) < 2 * jobs or "fork" not in mp.get_all_start_methods():
        for x in extractions:
            store.extend(document_quads(x, texts[x.doc.file_name], linking, minter, preferred))
        return
    size = max(1, len(extractions) // (jobs * 8))
    chunks = [range(i, min(i + size, len(extractions))) for i in range(0, len(extractions), size)]
    _RDF_STATE = (extractions, texts, linking, minter, preferred)
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("fork"),
                                 initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
            for data in pool.map(_rdf_in_worker, chunks):
                store.load(data, format=ox.RdfFormat.N_QUADS)
    finally:
        _RDF_STATE = None


def build(config: Config, corpus_dir: Path | None = None, out: Path | None = None,
          log: Callable[[str], None] = lambda s: print(s, file=sys.stderr),
          use_cache: bool = True) -> BuildReport:
    """Build the dataset of a corpus folder. Raises BuildError; never leaves a half-written file."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    corpus_dir = corpus_dir or config.corpus_dir
    out = out or config.data_path
    vocab = Vocab(config.base_iri)
    minter = Minter(vocab)
    layout = ds.DatasetLayout(vocab)
    files = OntologyFiles(config.ontology_dir, vocab)
    report = BuildReport(output=str(out), started=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    try:
        tbox, reference, shapes = files.tbox, files.reference, files.shapes
    except Exception as exc:  # an unreadable ontology file: name it
        raise BuildError(str(exc)) from exc
    report.ontology_version = files.version
    gazetteer = build_gazetteer(reference, tbox, vocab)
    resources = Resources(gazetteer)

    docs: list[Document] = []
    try:
        for item in read_corpus(corpus_dir, config.max_document_bytes):
            if isinstance(item, Problem):
                report.skipped.append({"file": item.file_name, "reason": item.reason})
                log(f"skipped {item}")
            else:
                docs.append(item)
    except OSError as exc:
        raise BuildError(f"cannot read corpus {corpus_dir}: {exc}") from exc
    if not docs:
        raise BuildError(f"no readable .txt documents in {corpus_dir}")
    timings["read"] = time.perf_counter() - t0

    t = time.perf_counter()
    cache = ExtractionCache(config.cache_dir if use_cache else None, extractor_fingerprint(files))
    progress = Progress(len(docs), "extracting")
    extractions, report.from_cache = extract_all(docs, resources, cache, config.jobs, progress)
    timings["extract"] = time.perf_counter() - t

    t = time.perf_counter()
    linking = link_documents(extractions, gazetteer, minter)
    timings["link"] = time.perf_counter() - t

    t = time.perf_counter()
    store = ds.new_store()
    store.extend(canonical_quads(tbox, layout.ontology))
    store.extend(canonical_quads(reference, layout.reference))
    store.extend(entity_label_quads(linking, minter, _reference_labels(gazetteer)))
    reference_subjects = {str(s) for s in reference.subjects()}
    store.extend(post_description_quads(extractions, linking, minter, gazetteer.preferred,
                                        reference_subjects))
    texts = {d.file_name: d.text for d in docs}
    rdfize_all(store, extractions, texts, linking, minter, gazetteer.preferred, config.jobs)
    store.extend(_build_graph(layout, report, docs))
    ds.build_asserted_graph(store, layout, default_too=config.reasoner == "rules")
    timings["rdf"] = time.perf_counter() - t

    t = time.perf_counter()
    if config.reasoner == "owlrl":
        ds.add_triples(store, infer_owlrl(ds.asserted_triples(store, layout)), layout.inferred)
        ds.build_default_graph(store, layout)
    else:  # fills graph/inferred and the default graph in place
        materialise_rules(store, layout, tbox, default_holds_asserted=True)
    timings["reason"] = time.perf_counter() - t

    # Validation and serialisation both only read the store: with jobs > 1 a forked process
    # validates while this one serialises; nothing is written before validation passed.
    t = time.perf_counter()
    with _Validation(store, shapes, config.validator, parallel=config.jobs > 1) as pending:
        graph_sizes: dict = {}
        data = ds.serialise_trig(store, vocab.prefixes, graph_sizes)
        report.build_id = hashlib.sha256(data).hexdigest()[:12]
        _fill_counts(report, store, layout, vocab, graph_sizes)
        timings["serialise"] = time.perf_counter() - t
        validation = pending.result()
    report.validation = validation.to_json()
    timings["validate"] = pending.seconds
    if validation.violations:
        log(validation.render())
        log("time: " + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items()))
        raise BuildError(f"SHACL validation failed with {len(validation.violations)} violations; "
                         f"{out} was not changed")
    t_write = time.perf_counter()
    ds.write_atomically(out, data)
    timings["write"] = time.perf_counter() - t_write + timings.pop("serialise")
    timings["total"] = time.perf_counter() - t0
    report.documents = len(docs)
    report.timings = {k: round(v, 3) for k, v in timings.items()}
    ds.write_atomically(report_path(out), json.dumps(report.to_json(), indent=2).encode())
    return report


_VALIDATE_STATE: tuple | None = None  # what the forked validator reads: set before it forks


def _timed_validation(args: tuple | None = None) -> tuple[ValidationReport, float]:
    """(report, seconds); in the forked worker, `args` come from _VALIDATE_STATE."""
    args = args if args is not None else _VALIDATE_STATE
    assert args is not None
    t = time.perf_counter()
    return validate_store(*args), time.perf_counter() - t


class _Validation:
    """SHACL validation of the store, in a forked process (parallel) or when asked for."""

    def __init__(self, store: ox.Store, shapes, engine: str, parallel: bool) -> None:
        self.args, self.seconds = (store, shapes, engine), 0.0
        self.parallel = parallel and "fork" in mp.get_all_start_methods()
        self.pool, self.future = None, None

    def __enter__(self) -> _Validation:
        global _VALIDATE_STATE
        if self.parallel:
            _VALIDATE_STATE = self.args
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork"),
                                            initializer=_die_with_parent, initargs=(os.getpid(),))
            self.future = self.pool.submit(_timed_validation)
        return self

    def result(self) -> ValidationReport:
        if self.future is None:
            report, self.seconds = _timed_validation(self.args)
        else:
            report, self.seconds = self.future.result()
        return report

    def __exit__(self, *exc) -> None:
        global _VALIDATE_STATE
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        _VALIDATE_STATE = None


def _reference_labels(gazetteer) -> dict[str, set[str]]:
    labels: dict[str, set[str]] = {}
    for entries in gazetteer.by_key.values():
        for e in entries:
            labels.setdefault(e.iri, set()).add(e.label)
    return labels


def _build_graph(layout: ds.DatasetLayout, report: BuildReport, docs: list[Document]) -> list[ox.Quad]:
    """Provenance of the build itself: one prov:Activity with the extractor version."""
    vocab = layout.vocab
    g = ox.NamedNode(layout.build)
    run = ox.NamedNode(vocab.entity("build", "latest"))
    kz = vocab.kz
    quads = [
        ox.Quad(run, ox.NamedNode(RDF + "type"), ox.NamedNode(kz + "ExtractionRun"), g),
        ox.Quad(run, ox.NamedNode(kz + "extractorVersion"), ox.Literal(EXTRACTOR_VERSION), g),
        ox.Quad(run, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                ox.Literal("kazkg build", language="en"), g),
    ]
    for doc in docs:
        quads.append(ox.Quad(run, ox.NamedNode("http://www.w3.org/ns/prov#used"),
                             ox.NamedNode(vocab.entity("doc", doc.stem)), g))
    return quads


def _fill_counts(report: BuildReport, store: ox.Store, layout: ds.DatasetLayout, vocab: Vocab,
                 graph_sizes: dict[ox.NamedNode | ox.DefaultGraph, int]) -> None:
    """Counts for the report; triples per graph as serialise_trig counted them."""
    report.quads = len(store)
    for name, count in graph_sizes.items():
        if isinstance(name, ox.DefaultGraph):
            continue
        key = name.value
        label = "documents" if layout.is_document_graph(key) else key.rsplit("/", 1)[-1]
        report.graphs[label] = report.graphs.get(label, 0) + count
    report.graphs["default"] = graph_sizes.get(ox.DefaultGraph(), 0)
    report.graphs = dict(sorted(report.graphs.items()))
    for label, local in (("persons", "Person"), ("organizations", "Organization"), ("places", "Place"),
                         ("programs", "Program"), ("indicators", "Indicator"), ("posts", "Post")):
        report.entities[label] = _count(store, vocab.term(local))
    for label, local in (("tenures", "Tenure"), ("observations", "IndicatorObservation"),
                         ("projects", "InvestmentProject"), ("meetings", "Meeting"),
                         ("instructions", "Instruction"), ("mentions", "Mention")):
        report.facts[label] = _count(store, vocab.term(local))


def _count(store: ox.Store, cls: str) -> int:
    result = store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{cls}> }}")
    return int(next(iter(result))["n"].value)
