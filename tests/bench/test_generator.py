"""The benchmark kit's generators and parsers (bench/): fast checks, no timings, no servers."""

from __future__ import annotations

import io
from collections import Counter

import pyoxigraph as ox
import pytest

from bench import corpus_gen, graph_gen, measure, queries, report

ID = "https://w3id.org/kazkg/id/"
KZ = "https://w3id.org/kazkg/ontology#"
G = "https://w3id.org/kazkg/graph/"


# --- corpus --------------------------------------------------------------------------------------


def test_corpus_is_deterministic_and_article_like(tmp_path):
    a = corpus_gen.write_corpus(12, tmp_path / "a", seed=7, progress=False)
    b = corpus_gen.write_corpus(12, tmp_path / "b", seed=7, progress=False)
    assert [p.name for p in a] == [p.name for p in b]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=True))
    texts = [p.read_text("utf-8") for p in a]
    assert all(len(t) > 500 for t in texts)
    assert any("akim" in t.lower() for t in texts)
    assert any("billion tenge" in t for t in texts)
    other = corpus_gen.write_corpus(12, tmp_path / "c", seed=8, progress=False)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in a]


def test_rewriting_a_corpus_removes_stale_files(tmp_path):
    corpus_gen.write_corpus(6, tmp_path, progress=False)
    corpus_gen.write_corpus(3, tmp_path, progress=False)
    assert len(list(tmp_path.glob("*.txt"))) == 3


def test_world_holds_one_post_per_person_at_a_time():
    world = corpus_gen.build_world(500, seed=42)
    terms = [t for ts in world.terms.values() for t in ts]
    by_person: dict = {}
    for t in terms:
        by_person.setdefault(t.person, []).append(t)
    for person, held in by_person.items():
        held.sort(key=lambda t: t.start)
        for earlier, later in zip(held, held[1:], strict=False):
            assert earlier.end <= later.start, (person, earlier.office, later.office)
    # every office has a holder on every day it exists
    assert world.holder("Prime Minister", world.terms["Prime Minister"][0].start) is not None
    assert len(world.companies) >= 30 and len(world.minor) >= 40


def test_pools_grow_with_the_corpus():
    small, large = corpus_gen.build_world(1_000), corpus_gen.build_world(20_000)
    assert len(large.companies) > len(small.companies)
    assert len(large.minor) > len(small.minor)
    assert len(large.projects) > len(small.projects)
    assert len(set(large.companies)) == len(large.companies)


# --- graph ---------------------------------------------------------------------------------------

STEMS = ["000000_0123456789abcdef", "000001_fedcba9876543210"]


def _template_trig() -> str:
    d0, d1 = (f"<{ID}doc/{s}>" for s in STEMS)
    person, official = f"<{ID}person/dana-abishova>", f"<{ID}person/serik-temirov>"
    company, project = f"<{ID}org/saryarka-steel>", f"<{ID}project/steel-plant>"
    region = f"<{ID}place/karaganda-region>"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    label = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
    docs = []
    for stem, d in zip(STEMS, (d0, d1), strict=True):
        docs.append(f"""{d} {{
  {d} {rdf_type} <{KZ}NewsArticle> .
  {d} <{KZ}fileName> "{stem}.txt" .
  {d} <{KZ}sha256> "aaaa{stem}" .
  {d} <{KZ}mentions> {person} .
  {d} <{KZ}mentions> {official} .
  {d} <{KZ}mentions> {company} .
  <{ID}doc/{stem}#char=0,5> <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf> "D. Abishova" .
  <{ID}obs/{stem}-1> {rdf_type} <{KZ}IndicatorObservation> .
  {project} {rdf_type} <{KZ}InvestmentProject> .
}}""")
    entities = f"""<{G}entities> {{
  {person} {label} "Dana Abishova"@en .
  {official} {label} "Serik Temirov"@en .
  {company} {label} "LLP \\"Saryarka Steel\\""@en .
  {project} {label} "Steel plant of LLP \\"Saryarka Steel\\""@en .
}}"""
    shared = f"""
  {person} {rdf_type} <{KZ}Person> .
  {official} {rdf_type} <{KZ}Person> .
  {company} {rdf_type} <{KZ}Company> .
  <{ID}tenure/{STEMS[0]}-1> <http://www.w3.org/ns/org#member> {official} .
  <{ID}tenure/{STEMS[0]}-1> <{KZ}post> <{ID}post/akim-of-karaganda-region> .
  <{ID}post/akim-of-karaganda-region> <http://www.w3.org/ns/org#role> <{ID}role/akim> .
"""
    reference = f"""<{G}reference> {{ {region} {label} "Karaganda region"@en . }}"""
    inferred = f"""<{G}inferred> {{
  {person} {rdf_type} <http://xmlns.com/foaf/0.1/Person> .
  <{ID}obs/{STEMS[0]}-1> {rdf_type} <http://purl.org/linked-data/cube#Observation> .
  <{ID}obs/{STEMS[1]}-1> {rdf_type} <http://purl.org/linked-data/cube#Observation> .
}}"""
    build = f"""<{G}build> {{ <{ID}build/latest> {rdf_type} <{KZ}ExtractionRun> .
  <{ID}build/latest> <http://www.w3.org/ns/prov#used> {d0} . }}"""
    asserted = (
        f"<{G}ontology> {{ <{KZ}Person> {rdf_type} <http://www.w3.org/2002/07/owl#Class> . }}"
    )
    # the shared statements (types, a tenure) sit in document 0's graph, as a build would put them
    docs[0] = docs[0][:-1] + shared + "}"
    return "\n".join([*docs, entities, reference, inferred, build, asserted])


@pytest.fixture()
def template(tmp_path):
    path = tmp_path / "template.trig"
    path.write_text(_template_trig())
    return graph_gen.load_template(path, progress=lambda s: None)


def _generate(template, docs: int) -> ox.Store:
    out = io.StringIO()
    graph_gen.generate(template, graph_gen.Target(docs), out, progress=lambda s: None)
    store = ox.Store()
    store.load(out.getvalue().encode(), format=ox.RdfFormat.TRIG)
    return store


def _graph(store: ox.Store, name) -> set:
    return {
        (q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, name)
    }


def test_renamable_entities_are_the_growing_kinds(template):
    names = set(template.renamable)
    assert f"{ID}person/dana-abishova" in names  # holds no office
    assert f"{ID}org/saryarka-steel" in names and f"{ID}project/steel-plant" in names
    assert f"{ID}person/serik-temirov" not in names  # an akim: shared by every cohort
    assert f"{ID}place/karaganda-region" not in names


def test_generated_dataset_has_the_build_layout(template):
    store = _generate(template, 5)
    docs = [g for g in store.named_graphs() if g.value.startswith(ID + "doc/")]
    assert len(docs) == 5
    default = _graph(store, ox.DefaultGraph())
    asserted, inferred = (
        _graph(store, ox.NamedNode(G + "asserted")),
        _graph(store, ox.NamedNode(G + "inferred")),
    )
    assert default == asserted | inferred
    union = set()
    for g in store.named_graphs():
        if g.value not in (G + "asserted", G + "inferred"):
            union |= _graph(store, g)
    assert asserted == union
    # every document keeps its own file name and hash
    names = [
        q.object.value
        for q in store.quads_for_pattern(
            None, ox.NamedNode(KZ + "fileName"), None, ox.DefaultGraph()
        )
    ]
    assert len(names) == len(set(names)) == 5
    hashes = [
        q.object.value
        for q in store.quads_for_pattern(None, ox.NamedNode(KZ + "sha256"), None, ox.DefaultGraph())
    ]
    assert len(set(hashes)) == 5
    used = list(
        store.quads_for_pattern(
            None, ox.NamedNode("http://www.w3.org/ns/prov#used"), None, ox.NamedNode(G + "build")
        )
    )
    assert len(used) == 5


def test_cohorts_rename_growing_entities_and_their_names(template):
    store = _generate(template, 5)  # template of 2: cohorts 0, 1 and half of 2
    persons = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, ox.NamedNode(KZ + "Person"), ox.DefaultGraph())
    }
    assert f"{ID}person/dana-abishova" in persons and f"{ID}person/dana-abishova-c1" in persons
    assert f"{ID}person/dana-abishova-c2" in persons
    assert f"{ID}person/serik-temirov" in persons and f"{ID}person/serik-temirov-c1" not in persons
    labels = {
        q.object.value
        for q in store.quads_for_pattern(
            ox.NamedNode(f"{ID}person/dana-abishova-c1"), None, None, ox.NamedNode(G + "entities")
        )
    }
    assert labels == {f"Dana Abishova-{graph_gen.cohort_name(1)}"}
    anchors = Counter(
        q.object.value
        for q in store.quads_for_pattern(
            None,
            ox.NamedNode("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf"),
            None,
            ox.DefaultGraph(),
        )
    )
    # each template document mentions her once: two copies in cohorts 0 and 1, one in cohort 2
    assert anchors["D. Abishova"] == 2 and anchors[f"D. Abishova-{graph_gen.cohort_name(1)}"] == 2
    assert anchors[f"D. Abishova-{graph_gen.cohort_name(2)}"] == 1
    # inferred statements follow their documents and entities
    assert (
        ox.Quad(
            ox.NamedNode(f"{ID}person/dana-abishova-c2"),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("http://xmlns.com/foaf/0.1/Person"),
            ox.NamedNode(G + "inferred"),
        )
        in store
    )


def test_cohort_names_are_unique():
    names = [graph_gen.cohort_name(c) for c in range(1, 2000)]
    assert len(set(names)) == len(names)


def test_doc_stems_match_the_corpus_generator():
    world = corpus_gen.build_world(3)
    name, _ = corpus_gen.article(world, 2)
    assert name == graph_gen.doc_stem(2) + ".txt"


# --- queries, measurement, report ----------------------------------------------------------------


def test_every_parametrised_question_has_a_values_clause():
    by_name = {q.name: q for q in queries.competency_questions()}
    assert len(by_name) >= 20
    for stem in queries.PARAMETERS:
        q = by_name[f"cq{stem.split('-', 1)[0]}"]
        assert "VALUES" in q.text
    q = by_name["cq14"]
    changed = queries.set_values(q.text, f"<{ID}person/x>")
    assert f"VALUES ?entity {{ <{ID}person/x> }}" in changed
    assert changed.replace(f"<{ID}person/x>", "") != q.text


def test_fit_parameters_uses_pickers_and_keeps_answering_defaults():
    qs = [q for q in queries.competency_questions() if q.name in ("cq03", "cq14")]

    def select(query: str) -> list[dict]:
        return [{"e": f"{ID}person/top"}] if "GROUP BY ?e" in query else [{}]

    fitted = {q.name: q for q in queries.fit_parameters(qs, select, log=lambda s: None)}
    assert fitted["cq14"].params == f"<{ID}person/top>"
    assert fitted["cq03"].params == ""


WRK_OUTPUT = """Running 8s test @ http://127.0.0.1:5000
  1 threads and 16 connections
  Latency Distribution
     50%    4.14ms
     75%    5.00ms
     90%    5.50ms
     99%   12.30ms
  30000 requests in 8.00s, 12.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   3750.10
"""


def test_parse_wrk():
    r = measure.parse_wrk(WRK_OUTPUT)
    assert r["rps"] == pytest.approx(3750.1) and r["p50_ms"] == pytest.approx(4.14)
    assert r["p99_ms"] == pytest.approx(12.3) and r["requests"] == 30000 and r["non2xx"] == 3


def test_percentiles_and_geomean():
    assert measure.percentile([1, 2, 3, 4], 50) == 2
    assert measure.percentile(list(range(1, 101)), 99) == 99
    assert measure.geomean([1, 100]) == pytest.approx(10)
    assert measure.repeats_after(0.1, 7) == 7 and measure.repeats_after(20, 7) == 0


def test_report_renders_a_minimal_run():
    timing = {
        "engine": "kazkg",
        "samples_ms": [10.0, 12.0],
        "median_ms": 11.0,
        "rows": 3,
        "status": "ok",
        "bytes": 100,
    }
    run = {
        "name": "t",
        "machine": {
            "cpu": "x",
            "logical_cpus": 2,
            "physical_cores": 2,
            "ram_gb": 1,
            "os": "l",
            "python": "3",
            "packages": {},
            "wrk": None,
            "commit": "c",
            "date": "d",
            "loadavg_start": [0, 0, 0],
        },
        "settings": {
            "backend": "memory",
            "engines": ["kazkg", "oxigraph"],
            "repeats": 2,
            "cache": False,
            "max_rows": 10,
            "query_timeout": 10,
            "wrk_seconds": 1,
        },
        "scales": [
            {
                "scale": 10000,
                "build": {
                    "mode": "graph",
                    "quads_estimate": 5,
                    "template_documents": 1,
                    "cohorts": 1,
                    "seconds": 1,
                    "notes": [],
                },
                "engines": {
                    "kazkg": {
                        "load_seconds": 1,
                        "rss_after_load_mb": 1,
                        "pss_after_load_mb": 1,
                        "peak_pss_mb": 1,
                        "peak_largest_process_mb": 1,
                        "notes": [],
                    }
                },
                "queries": [{"name": "cq03", "kind": "interactive", "params": ""}],
                "latency": {"cq03": {"kazkg": timing, "oxigraph": timing | {"engine": "oxigraph"}}},
                "pages": {},
                "wrk": {},
            }
        ],
    }
    text = report.render(run)
    assert "| cq03 | interactive | 3 |" in text and "every interactive query" in text
    assert report.chart(run).startswith("<svg")
