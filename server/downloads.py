"""The dataset as files: dumps (TriG, N-Quads, JSON-LD) with their sizes and checksums, a DCAT
catalog of them (license, version, issued, distributions; the VoID description at
/.well-known/void is server/void.py's), and the build report page.

The TriG dump of a kazkg build is the built file itself, byte for byte: its SHA-256 starts with
the build identifier, so anyone can check that a download is the version a permalink names.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import json
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, request, send_file, url_for

from graph.dataset import report_path
from graph.namespaces import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, XSD

from . import conneg
from .links import link, require_utf8_query
from .state import KazkgState, state

bp = Blueprint("downloads", __name__)
bp.before_request(require_utf8_query)
PROV = "http://www.w3.org/ns/prov#"
SPDX = "http://spdx.org/rdf/terms#"
IANA = "https://www.iana.org/assignments/media-types/"
DUMPS = {
    "trig": (conneg.TRIG, ox.RdfFormat.TRIG, "TriG"),
    "nq": (conneg.NQUADS, ox.RdfFormat.N_QUADS, "N-Quads"),
    "jsonld": (conneg.JSONLD, ox.RdfFormat.JSON_LD, "JSON-LD"),
}
DESCRIPTION_TYPES = conneg.DESCRIPTION_SUFFIXES
TITLE = "kazkg: knowledge graph of Kazakhstan's state industrial policy"
DESCRIPTION = (
    "Programs, officials, agencies, regions and economic indicators of Kazakhstan's "
    "state industrial policy, read from news articles; every fact links to the words "
    "of the article that states it."
)
RIGHTS = "Quotations from news articles remain the copyright of their publishers."


# --- the build and its files --------------------------------------------------------------------


def source_file(st: KazkgState) -> Path | None:
    """The file the server loaded, when it serves one (not an on-disk store) unchanged (no
    update applied since it was loaded)."""
    path = getattr(st.backend, "path", None)
    if getattr(st, "revision", 0):
        return None
    return path if isinstance(path, Path) and path.is_file() else None


def loaded_file(st: KazkgState) -> Path | None:
    """The file the served data was loaded from, even if updates changed the data since."""
    path = getattr(st.backend, "path", None)
    return path if isinstance(path, Path) and path.is_file() else None


def build_report(st: KazkgState) -> dict | None:
    """The build report written next to the served file, if it is this build's."""
    return st.once("build_report", lambda: _read_report(st))


def _read_report(st: KazkgState) -> dict | None:
    source = loaded_file(st)
    if source is None or not report_path(source).is_file():
        return None
    try:
        data = json.loads(report_path(source).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("build_id") == st.backend.build_id else None


def issued(st: KazkgState) -> dt.datetime | None:
    """When this build was made: the report's start time, else the file's modification time."""
    report = build_report(st)
    if report and report.get("started"):
        try:
            return dt.datetime.fromisoformat(report["started"])
        except ValueError:
            pass
    source = loaded_file(st)
    if source is None:
        return None
    return dt.datetime.fromtimestamp(source.stat().st_mtime, dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class FileFacts:
    size: int
    sha256: str


def file_facts(st: KazkgState, path: Path) -> FileFacts:
    key = f"file_facts:{path}"
    if key not in st.memo:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        st.memo[key] = FileFacts(path.stat().st_size, digest.hexdigest())
    return st.memo[key]


def can_dump(st: KazkgState, ext: str) -> bool:
    """The served file is in this format, or the store can write the dataset (not a remote one)."""
    source = source_file(st)
    return (source is not None and source.suffix.lower().lstrip(".") == ext) or hasattr(
        st.store(), "dump"
    )


def dump_path(st: KazkgState, ext: str) -> Path:
    """The dump in one format: the served file itself for its own format, else written once."""
    source = source_file(st)
    fmt = DUMPS[ext][1]
    if source is not None and source.suffix.lower().lstrip(".") == ext:
        return source
    lock = st.memo.setdefault("dump_lock", threading.Lock())
    with lock:
        folder = st.memo.get("dump_dir")
        if folder is None:
            folder = st.memo["dump_dir"] = Path(tempfile.mkdtemp(prefix="kazkg-dumps-"))
            atexit.register(shutil.rmtree, folder, True)
        path = folder / f"kazkg-{st.build_id}.{ext}"
        if not path.exists():
            partial = path.with_suffix(".partial")
            st.store().dump(
                str(partial),
                format=fmt,
                prefixes=st.vocab.prefixes if fmt == ox.RdfFormat.TRIG else None,
            )
            partial.rename(path)
    return path


def known_facts(st: KazkgState, ext: str) -> FileFacts | None:
    """Size and checksum of a dump, when the file exists already (never generated for a page)."""
    source = source_file(st)
    if source is not None and source.suffix.lower().lstrip(".") == ext:
        return file_facts(st, source)
    folder = st.memo.get("dump_dir")
    path = folder / f"kazkg-{st.build_id}.{ext}" if folder else None
    return file_facts(st, path) if path and path.exists() else None


# --- routes -------------------------------------------------------------------------------------


@bp.route("/downloads")
def downloads_page() -> str:
    st = state()
    files = [
        {
            "ext": ext,
            "name": f"kazkg-{st.build_id}.{ext}",
            "media": media,
            "label": name,
            "url": url_for("downloads.dump", ext=ext),
            "facts": known_facts(st, ext),
            "offered": can_dump(st, ext),
        }
        for ext, (media, _, name) in DUMPS.items()
    ]
    about = dataset_about(st)
    return render_template(
        "downloads.html",
        files=files,
        build_id=st.build_id,
        issued=issued(st),
        about=about,
        license=link(about["license"]) if about["license"] else None,
        descriptions=DESCRIPTION_TYPES,
        rights=RIGHTS,
    )


@bp.route("/downloads/kazkg.<ext>")
def dump(ext: str) -> Response:
    if ext not in DUMPS:
        abort(404)
    st = state()
    media = DUMPS[ext][0]
    if not can_dump(st, ext):
        return Response(
            "404 Not Found: this server reads a remote store and offers no dumps; ask the store's "
            "owner, or use the SPARQL endpoint\n",
            status=404,
            mimetype="text/plain",
        )
    response = send_file(
        dump_path(st, ext),
        mimetype=media,
        conditional=True,
        etag=st.build_id,
        download_name=f"kazkg-{st.build_id}.{ext}",
        as_attachment=False,
    )
    response.headers["Content-Type"] = f"{media}; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="kazkg-{st.build_id}.{ext}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/dcat")
@bp.route("/dcat.<ext>")
def dcat(ext: str | None = None) -> Response:
    """The DCAT catalog: the dataset, its dumps with sizes and checksums, the SPARQL service."""
    if ext is None:
        media = conneg.negotiate(
            request.headers.get("Accept"), list(DESCRIPTION_TYPES.values()), conneg.GRAPH_ALIASES
        )
        if media is None:
            abort(406)
    elif ext in DESCRIPTION_TYPES:
        media = DESCRIPTION_TYPES[ext]
    else:
        abort(404)
    st = state()
    fmt = conneg.RDF_FORMAT[media]
    prefixes = {
        "dcat": DCAT,
        "dcterms": DCTERMS,
        "xsd": XSD,
        "rdfs": RDFS,
        "owl": OWL,
        "prov": PROV,
        "spdx": SPDX,
        "foaf": FOAF,
        "kz": st.vocab.kz,
    }
    body = ox.serialize(
        dcat_triples(st, request.url_root),
        format=fmt,
        prefixes=prefixes if fmt == ox.RdfFormat.TURTLE else None,
    )
    response = Response(body, content_type=f"{media}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


# --- descriptions (VoID, DCAT) ------------------------------------------------------------------


def dataset_about(st: KazkgState) -> dict:
    """License, ontology and extractor versions as the dataset states them (None if it doesn't)."""
    if "dataset_about" not in st.memo:
        about = {
            "ontology": None,
            "ontology_version": None,
            "license": None,
            "extractor_version": None,
        }
        for row in st.queries.run(st.store(), "pages/dataset-about"):
            for key, var in (
                ("ontology", "ontology"),
                ("ontology_version", "ontologyVersion"),
                ("license", "license"),
                ("extractor_version", "extractorVersion"),
            ):
                if row[var] is not None and about[key] is None:
                    about[key] = row[var].value
        st.memo["dataset_about"] = about
    return st.memo["dataset_about"]


def dataset_iri(st: KazkgState) -> ox.NamedNode:
    return ox.NamedNode(st.vocab.base + "dataset")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + "integer"))


def _common(st: KazkgState, root: str) -> list[ox.Triple]:
    """What both descriptions say about the dataset: title, license, version, issued."""
    ds = dataset_iri(st)
    about = dataset_about(st)
    t = [
        ox.Triple(ds, _n(DCTERMS + "title"), ox.Literal(TITLE, language="en")),
        ox.Triple(ds, _n(DCTERMS + "description"), ox.Literal(DESCRIPTION, language="en")),
        ox.Triple(ds, _n(DCAT + "version"), ox.Literal(st.build_id)),
        ox.Triple(ds, _n(OWL + "versionInfo"), ox.Literal(st.build_id)),
        ox.Triple(ds, _n(DCTERMS + "rights"), ox.Literal(RIGHTS, language="en")),
        ox.Triple(ds, _n(DCAT + "landingPage"), _n(root)),
        ox.Triple(ds, _n(RDFS + "seeAlso"), _n(root + "report")),
    ]
    if about["license"]:
        t.append(ox.Triple(ds, _n(DCTERMS + "license"), _n(about["license"])))
    if about["ontology"]:
        t.append(ox.Triple(ds, _n(DCTERMS + "conformsTo"), _n(about["ontology"])))
    when = issued(st)
    if when is not None:
        t.append(
            ox.Triple(
                ds,
                _n(DCTERMS + "issued"),
                ox.Literal(when.isoformat(), datatype=_n(XSD + "dateTime")),
            )
        )
    return t


def dcat_triples(st: KazkgState, root: str) -> list[ox.Triple]:
    ds = dataset_iri(st)
    catalog = _n(root + "dcat#catalog")
    service = _n(root + "sparql")
    about = dataset_about(st)
    t = [
        ox.Triple(catalog, _n(RDF + "type"), _n(DCAT + "Catalog")),
        ox.Triple(catalog, _n(DCTERMS + "title"), ox.Literal("kazkg catalog", language="en")),
        ox.Triple(catalog, _n(DCAT + "dataset"), ds),
        ox.Triple(catalog, _n(DCAT + "service"), service),
        ox.Triple(catalog, _n(FOAF + "homepage"), _n(root)),
        ox.Triple(ds, _n(RDF + "type"), _n(DCAT + "Dataset")),
        *_common(st, root),
        # The VoID description (statistics, vocabularies, links) of the same dataset.
        ox.Triple(ds, _n(RDFS + "seeAlso"), _n(root + ".well-known/void")),
        ox.Triple(service, _n(RDF + "type"), _n(DCAT + "DataService")),
        ox.Triple(service, _n(DCAT + "endpointURL"), service),
        ox.Triple(service, _n(DCAT + "servesDataset"), ds),
        ox.Triple(
            service, _n(DCTERMS + "conformsTo"), _n("https://www.w3.org/TR/sparql11-protocol/")
        ),
    ]
    if about["extractor_version"]:
        t.append(
            ox.Triple(
                ds, _n(st.vocab.kz + "extractorVersion"), ox.Literal(about["extractor_version"])
            )
        )
    for ext, (media, _, name) in DUMPS.items():
        dist = _n(root + f"downloads/kazkg.{ext}")
        t += [
            ox.Triple(ds, _n(DCAT + "distribution"), dist),
            ox.Triple(dist, _n(RDF + "type"), _n(DCAT + "Distribution")),
            ox.Triple(
                dist,
                _n(DCTERMS + "title"),
                ox.Literal(f"The whole dataset as {name}", language="en"),
            ),
            ox.Triple(dist, _n(DCAT + "downloadURL"), dist),
            ox.Triple(dist, _n(DCAT + "accessURL"), _n(root + "downloads")),
            ox.Triple(dist, _n(DCAT + "mediaType"), _n(IANA + media)),
            ox.Triple(dist, _n(DCTERMS + "format"), ox.Literal(name)),
        ]
        if about["license"]:
            t.append(ox.Triple(dist, _n(DCTERMS + "license"), _n(about["license"])))
        facts = known_facts(st, ext)
        if facts is not None:
            checksum = ox.BlankNode()
            t += [
                ox.Triple(dist, _n(DCAT + "byteSize"), _int(facts.size)),
                ox.Triple(dist, _n(SPDX + "checksum"), checksum),
                ox.Triple(checksum, _n(SPDX + "algorithm"), _n(SPDX + "checksumAlgorithm_sha256")),
                ox.Triple(checksum, _n(SPDX + "checksumValue"), ox.Literal(facts.sha256)),
            ]
    return t


# --- the build report -----------------------------------------------------------------------------


@bp.route("/report")
def report_page() -> str:
    st = state()
    report = build_report(st)
    from .pages import class_counts

    live = [(link(cls), n) for cls, n in class_counts(st)]
    return render_template(
        "report.html",
        report=report,
        build_id=st.build_id,
        live_counts=live,
        scores=extraction_scores(st, compute=False),
        can_score=_gold_folder(st) is not None,
        changes=(report or {}).get("changes"),
        previous=(report or {}).get("previous"),
        updates=getattr(st, "revision", 0),
    )


@bp.route("/report/scores")
def scores_page() -> str:
    """Extraction scores against the gold annotations; scoring loads the extractor's name
    matching once per process, so it has its own page (the report stays fast)."""
    st = state()
    return render_template(
        "scores.html",
        scores=extraction_scores(st),
        build_id=st.build_id,
        can_score=_gold_folder(st) is not None,
    )


@bp.route("/report.json")
def report_json() -> Response:
    st = state()
    body = {
        "build_id": st.build_id,
        "report": build_report(st),
        "scores": extraction_scores(st, compute=request.args.get("scores") == "1"),
    }
    response = Response(json.dumps(body, indent=2), mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def extraction_scores(st: KazkgState, compute: bool = True) -> dict | None:
    """Precision, recall and F1 against the gold annotations: from the build report when it has
    them, else (when `compute`) scored once, if the gold files describe the served documents."""
    report = build_report(st)
    if report and report.get("evaluation"):
        return report["evaluation"]
    if "extraction_scores" not in st.memo:
        if not compute:
            return None
        gold = _gold_folder(st)
        if gold is None:
            st.memo["extraction_scores"] = None
        else:
            from graph.evaluate import evaluate_store  # loads the extractor's name matching

            st.memo["extraction_scores"] = evaluate_store(st.store(), st.queries, gold).to_json()
    return st.memo["extraction_scores"]


def _gold_folder(st: KazkgState) -> Path | None:
    """The gold annotations (tests/gold next to the corpus), if they describe only served
    documents of a kazkg build; scores of other data would mean nothing."""
    if "gold_folder" not in st.memo:
        st.memo["gold_folder"] = None
        gold = st.config.corpus_dir.parent / "tests" / "gold"
        files = sorted(gold.glob("*.json")) if gold.is_dir() else []
        if build_report(st) is not None and files:
            try:
                gold_docs = {json.loads(p.read_text("utf-8")).get("doc") for p in files}
            except (OSError, ValueError):
                gold_docs = set()
            from .entity import documents

            served = {d.file for d in documents(st).values()}
            if gold_docs and gold_docs <= served:
                st.memo["gold_folder"] = gold
    return st.memo["gold_folder"]
