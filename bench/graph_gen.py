"""Synthetic dataset of any size in the layout of build/kazkg.trig, without building text.

Building text takes minutes per thousand documents, so large scales are made from a real build
of a smaller corpus (the *template*, usually the 1,000-document build of bench/corpus_gen.py):
document j of the target is a copy of template document j mod K in *cohort* j div K. A copy
gets its own document IRI and file name, so its named graph, facts, mentions and inferences are
new; in cohorts after the first, the entities whose number grows with a corpus (people who hold
no public office, companies, projects, and posts in companies) get a cohort suffix in their IRI
and their names, so that a 10^5-document dataset has 100x the companies of a 10^3 one rather
than the same few hundred mentioned 100x as often. Office holders, places, programs, ministries
and indicators stay shared, as in a real corpus.

The layout is the build's: one named graph per document, graph/ontology, graph/reference,
graph/entities, graph/build, graph/asserted (everything but the inferences, each triple once),
graph/inferred, and the default graph = asserted + inferred, each triple once. Output is TriG
written as N-Triples lines inside graph blocks (no prefixes), streamed: memory holds the
template and the set of shared lines, not the output.

    python -m bench.graph_gen --template bench/work/scale-1000/kazkg.trig --docs 100000 \
        --out bench/work/graph-100000/kazkg.trig
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

BASE = "https://w3id.org/kazkg/"
ID = BASE + "id/"
KZ = BASE + "ontology#"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PROV_USED = "http://www.w3.org/ns/prov#used"
SHA = KZ + "sha256"

# Posts whose number does not grow with a corpus: there is one prime minister at a time.
OFFICE_ROLES = {
    "president",
    "prime-minister",
    "first-deputy-prime-minister",
    "deputy-prime-minister",
    "minister",
    "first-vice-minister",
    "vice-minister",
    "akim",
    "deputy-akim",
    "first-deputy-akim",
    "state-secretary",
}

STEM_MARK, IRI_MARK, NAME_MARK, HASH_MARK = "\x00", "\x01", "\x02", "\x03"
SYLLABLES = [
    "ka",
    "la",
    "ma",
    "na",
    "ra",
    "sa",
    "ta",
    "za",
    "be",
    "de",
    "ke",
    "le",
    "me",
    "ne",
    "re",
    "se",
]


def cohort_name(c: int) -> str:
    """A pronounceable, unique suffix for cohort c >= 1: 1 -> 'La', 17 -> 'LaLa'."""
    out = ""
    while c:
        c, r = divmod(c, len(SYLLABLES))
        out = SYLLABLES[r] + out
    return out.capitalize()


def doc_stem(index: int, seed: int = 42) -> str:
    """The file stem of document `index`, as bench/corpus_gen.py names its articles."""
    return f"{index:06d}_{hashlib.sha256(f'{seed}:{index}'.encode()).hexdigest()[:16]}"


def graph(name: str) -> str:
    return BASE + "graph/" + name


@dataclass
class TemplateDoc:
    stem: str
    unique: str  # the document graph's lines that name the document (they never repeat)
    shared: list[str]  # lines of the document graph that name no document (may repeat)
    inferred: str  # inferred lines that name the document
    entities: frozenset[int]  # renamable entities this document refers to


@dataclass
class Template:
    docs: list[TemplateDoc]
    fixed: dict[str, list[str]]  # ontology, reference: copied once
    entity_lines: list[tuple[str, frozenset[int]]]  # graph/entities
    inferred_shared: list[tuple[str, frozenset[int]]]
    renamable: list[str] = field(default_factory=list)
    quads: int = 0

    @property
    def size(self) -> int:
        return len(self.docs)


def _term(t) -> str:
    return str(t)


def _line(q: ox.Quad) -> str:
    return f"{q.subject} {q.predicate} {q.object} ."


def renamable_entities(store: ox.Store) -> list[str]:
    """Entities of the template that a larger corpus would have more of (see module docstring)."""
    reference = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph("reference")))
        if isinstance(q.subject, ox.NamedNode)
    }
    office_roles = "".join(f" <{ID}role/{r}>" for r in sorted(OFFICE_ROLES))
    query = f"""
      PREFIX kz: <{KZ}> PREFIX org: <{ORG}>
      SELECT DISTINCT ?e WHERE {{
        {{ ?e a kz:Person FILTER NOT EXISTS {{
             ?t org:member ?e ; kz:post/org:role ?r . VALUES ?r {{{office_roles} }} }} }}
        UNION {{ ?e a kz:Company }}
        UNION {{ ?e a kz:InvestmentProject }}
        FILTER (STRSTARTS(STR(?e), "{ID}") && !CONTAINS(STR(?e), "#") && !STRSTARTS(STR(?e), "{ID}doc/"))
      }}"""
    found = {row["e"].value for row in store.query(query, use_default_graph_as_union=True)}
    found -= reference
    # posts in a renamed company are renamed with it
    posts = f"""PREFIX org: <{ORG}> SELECT DISTINCT ?p ?o WHERE {{ ?p org:postIn ?o }}"""
    for row in store.query(posts, use_default_graph_as_union=True):
        if row["o"].value in found and row["p"].value not in reference:
            found.add(row["p"].value)
    return sorted(found)


def _name_tokens(store: ox.Store, entities: list[str]) -> dict[str, str]:
    """The word(s) that make each renamed entity's English name unique: a surname, a company name."""
    tokens: dict[str, str] = {}
    kinds = {}
    for row in store.query(
        f"PREFIX kz: <{KZ}> SELECT ?e ?c WHERE {{ ?e a ?c VALUES ?c {{ kz:Person kz:Company }} }}",
        use_default_graph_as_union=True,
    ):
        kinds[row["e"].value] = row["c"].value
    for iri in entities:
        kind = kinds.get(iri)
        if kind is None:
            continue
        for q in store.quads_for_pattern(
            ox.NamedNode(iri), ox.NamedNode(SKOS + "prefLabel"), None, None
        ):
            label = q.object.value
            if kind == KZ + "Person":
                word = label.split()[-1] if " " in label else label
            else:
                m = re.search(r"[\"“«]([^\"”»]+)[\"”»]", label)
                word = m.group(1) if m else label
            if len(word) >= 4:
                tokens[word] = iri
            break
    return tokens


def load_template(path: Path, progress=print) -> Template:
    """Read a kazkg build and prepare its lines with markers for stem, IRI and name substitution."""
    started = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    quads = len(store)
    docs = sorted(g.value for g in store.named_graphs() if g.value.startswith(ID + "doc/"))
    stems = [d[len(ID) + 4 :] for d in docs]
    renamable = renamable_entities(store)
    index = {iri: i for i, iri in enumerate(renamable)}
    tokens = _name_tokens(store, renamable)
    token_re = (
        re.compile(
            r"\b(" + "|".join(sorted(map(re.escape, tokens), key=len, reverse=True)) + r")\b"
        )
        if tokens
        else None
    )
    stem_re = re.compile(r"(\d+_[0-9a-f]{16})")
    stem_set = set(stems)
    progress(
        f"template: {len(docs)} documents, {quads:,} quads, {len(renamable)} renamable entities "
        f"({time.perf_counter() - started:.1f}s)"
    )

    def mark(term) -> tuple[str, set[int], str | None]:
        """The term in N-Triples with markers; the renamable entities it names; the stem it names."""
        text = str(term)
        named: set[int] = set()
        stem = None
        if isinstance(term, ox.NamedNode):
            i = index.get(term.value)
            if i is not None:
                named.add(i)
                return text[:-1] + IRI_MARK + ">", named, None
        elif (
            isinstance(term, ox.Literal)
            and token_re is not None
            and term.language in (None, "", "en")
            and not isinstance(term, ox.BlankNode)
        ):

            def sub(m: re.Match) -> str:
                named.add(index[tokens[m.group(1)]])
                return m.group(1) + NAME_MARK

            text = token_re.sub(sub, text)
        m = stem_re.search(text)
        if m and m.group(1) in stem_set:
            stem = m.group(1)
            text = text.replace(stem, STEM_MARK)
        return text, named, stem

    cache: dict = {}

    def marked_line(q: ox.Quad) -> tuple[str, frozenset[int], str | None]:
        parts, named, stem = [], set(), None
        for term in (q.subject, q.predicate, q.object):
            key = (type(term), str(term))
            hit = cache.get(key)
            if hit is None:
                hit = mark(term)
                if len(cache) < 2_000_000:
                    cache[key] = hit
            parts.append(hit[0])
            named |= hit[1]
            stem = stem or hit[2]
        if q.predicate.value == SHA:  # a document's hash: one per document
            parts[2] = f'"{HASH_MARK}"'
        return " ".join(parts) + " .", frozenset(named), stem

    by_stem: dict[str, TemplateDoc] = {}
    for doc, stem in zip(docs, stems, strict=True):
        unique, shared, refs = [], [], set()
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(doc)):
            line, named, line_stem = marked_line(q)
            refs |= named
            (unique if line_stem else shared).append(line)
        by_stem[stem] = TemplateDoc(stem, "\n".join(unique) + "\n", shared, "", frozenset(refs))
    inferred_by_stem: dict[str, list[str]] = {}
    inferred_shared = []
    for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph("inferred"))):
        line, named, stem = marked_line(q)
        if stem:
            inferred_by_stem.setdefault(stem, []).append(line)
        else:
            inferred_shared.append((line, named))
    for stem, lines in inferred_by_stem.items():
        if stem in by_stem:
            by_stem[stem].inferred = "\n".join(lines) + "\n"
    entity_lines = [
        marked_line(q)[:2]
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph("entities")))
    ]
    fixed = {
        name: [
            _line(q)
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph(name)))
            if q.predicate.value != PROV_USED
        ]
        for name in ("ontology", "reference", "build")
    }
    progress(f"template: prepared in {time.perf_counter() - started:.1f}s")
    return Template(
        docs=[by_stem[s] for s in stems],
        fixed=fixed,
        entity_lines=entity_lines,
        inferred_shared=inferred_shared,
        renamable=renamable,
        quads=quads,
    )


@dataclass
class Target:
    docs: int
    seed: int = 42

    def stem(self, j: int) -> str:
        return doc_stem(j, self.seed)


def _substitute(text: str, stem: str, cohort: int) -> str:
    iri_suffix = f"-c{cohort}" if cohort else ""
    name_suffix = f"-{cohort_name(cohort)}" if cohort else ""
    text = text.replace(IRI_MARK, iri_suffix).replace(NAME_MARK, name_suffix)
    if stem and STEM_MARK in text:
        text = text.replace(HASH_MARK, hashlib.sha256(stem.encode()).hexdigest()).replace(
            STEM_MARK, stem
        )
    return text


def _doc_parts(template: Template, target: Target, j: int) -> tuple[str, TemplateDoc, int]:
    k = template.size
    return target.stem(j), template.docs[j % k], j // k


def _present(template: Template, target: Target) -> list[set[int]]:
    """For each cohort, the renamable entities its documents refer to."""
    k = template.size
    cohorts = (target.docs + k - 1) // k
    present = [set() for _ in range(cohorts)]
    for j in range(target.docs):
        present[j // k] |= template.docs[j % k].entities
    return present


def generate(template: Template, target: Target, out, progress=print) -> dict:
    """Write the target dataset as TriG to the text stream `out`; return counts."""
    started = time.perf_counter()
    k = template.size
    present = _present(template, target)
    counts = {
        "documents": target.docs,
        "template_documents": k,
        "cohorts": len(present),
        "lines": 0,
    }

    def emit(text: str) -> None:
        out.write(text)

    def block(name: str, lines: Iterator[str]) -> None:
        emit(f"<{name}> {{\n")
        for text in lines:
            emit(text)
        emit("}\n")

    def shared_lines(lines: list[tuple[str, frozenset[int]]]) -> Iterator[str]:
        """Lines that name no document: once, then once more per cohort for renamed entities."""
        for c, entities in enumerate(present):
            for line, named in lines:
                if c == 0 and not named:
                    yield line + "\n"
                elif named and named <= entities:
                    yield _substitute(line, "", c) + "\n"

    def report(what: str, j: int) -> None:
        if target.docs >= 10_000 and (j + 1) % (target.docs // 10) == 0:
            progress(
                f"graph: {what} {j + 1}/{target.docs} documents ({time.perf_counter() - started:.0f}s)"
            )

    def doc_graph_lines(j: int, seen: set[str] | None) -> Iterator[str]:
        stem, doc, c = _doc_parts(template, target, j)
        yield _substitute(doc.unique, stem, c)
        for line in doc.shared:
            text = _substitute(line, stem, c)
            if seen is None:
                yield text + "\n"
            elif text not in seen:
                seen.add(text)
                yield text + "\n"

    def build_lines() -> Iterator[str]:
        run = f"<{ID}build/latest>"
        for line in template.fixed["build"]:
            yield line + "\n"
        for j in range(target.docs):
            yield f"{run} <{PROV_USED}> <{ID}doc/{target.stem(j)}> .\n"

    # named graphs of the documents
    for j in range(target.docs):
        stem = target.stem(j)
        block(f"{ID}doc/{stem}", doc_graph_lines(j, None))
        report("document graphs", j)
    for name in ("ontology", "reference"):
        block(graph(name), (line + "\n" for line in template.fixed[name]))
    block(graph("entities"), shared_lines(template.entity_lines))
    block(graph("build"), build_lines())

    def asserted_lines(seen: set[str]) -> Iterator[str]:
        for j in range(target.docs):
            yield from doc_graph_lines(j, seen)
            report("asserted", j)
        for name in ("ontology", "reference"):
            for line in template.fixed[name]:
                if line not in seen:
                    seen.add(line)
                    yield line + "\n"
        for text in shared_lines(template.entity_lines):
            if text[:-1] not in seen:
                seen.add(text[:-1])
                yield text
        yield from build_lines()

    def inferred_lines(seen: set[str] | None) -> Iterator[str]:
        for text in shared_lines(template.inferred_shared):
            if seen is None or text[:-1] not in seen:
                if seen is not None:
                    seen.add(text[:-1])
                yield text
        for j in range(target.docs):
            stem, doc, c = _doc_parts(template, target, j)
            yield _substitute(doc.inferred, stem, c)

    seen: set[str] = set()
    block(graph("asserted"), asserted_lines(seen))
    block(graph("inferred"), inferred_lines(None))
    progress(
        f"graph: named graphs written ({time.perf_counter() - started:.0f}s); default graph next"
    )
    # default graph: asserted + inferred, each once (document lines never repeat)
    seen = set()
    for text in asserted_lines(seen):
        emit(text)
    for text in inferred_lines(seen):
        emit(text)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--template", required=True, help="a kazkg build (.trig) of a bench/corpus_gen.py corpus"
    )
    p.add_argument("--docs", type=int, required=True, help="documents in the generated dataset")
    p.add_argument("--out", required=True, help="TriG file to write")
    p.add_argument(
        "--seed", type=int, default=42, help="seed of document names (as the corpus generator)"
    )
    args = p.parse_args(argv)
    template_path = Path(args.template)
    if not template_path.is_file():
        p.error(
            f"template not found: {template_path} (build a corpus first: python -m bench.run --scales 1000)"
        )
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    template = load_template(template_path, log)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".part")
    with tmp.open("w", encoding="utf-8", buffering=1 << 20) as handle:
        counts = generate(template, Target(args.docs, args.seed), handle, log)
    tmp.replace(out)
    log(
        f"graph: {args.docs} documents -> {out} ({out.stat().st_size / 1e6:.0f} MB) in {counts['seconds']}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
