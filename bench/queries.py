"""The query mix: the competency questions of queries/cq with parameters that fit the dataset.

A competency question takes its parameters in a VALUES clause. Defaults name entities of the
real corpus (a person and a figure of the first seed document), which a synthetic dataset does not
hold, so each parametrised question gets values picked from the dataset being measured, by the
pickers below: the most mentioned person, the program with most targets, and so on (popular
entities: the heavier end of typical lookups). A question whose default values already answer
keeps them. Every pick is made once per dataset and written into the results.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CQ_DIR = ROOT / "queries" / "cq"
BUDGETS = Path(__file__).resolve().parent / "budgets.json"

PREFIXES = """PREFIX kz: <https://w3id.org/kazkg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
ID = "https://w3id.org/kazkg/id/"

# name -> (picker query, how to turn its first row into the VALUES body)
PICKERS: dict[str, tuple[str, Callable[[dict], str]]] = {
    "top_person": (
        """SELECT ?e WHERE { ?d a kz:NewsArticle ; kz:mentions ?e . ?e a kz:Person }
                      GROUP BY ?e ORDER BY DESC(COUNT(?d)) ?e LIMIT 1""",
        lambda row: f"<{row['e']}>",
    ),
    "official_surname": (
        """SELECT ?label WHERE { ?t a kz:Tenure ; org:member ?p .
                              ?p skos:prefLabel ?label FILTER (lang(?label) = "en") }
                            GROUP BY ?p ?label ORDER BY DESC(COUNT(?t)) ?label LIMIT 1""",
        lambda row: json.dumps(row["label"].split()[-1]),
    ),
    "stating_surname": (
        """SELECT ?label WHERE { ?o kz:statedBy ?p .
                             ?p skos:prefLabel ?label FILTER (lang(?label) = "en") }
                           GROUP BY ?p ?label ORDER BY DESC(COUNT(?o)) ?label LIMIT 1""",
        lambda row: json.dumps(row["label"].split()[-1]),
    ),
    "program_with_targets": (
        """SELECT ?label WHERE { ?p a kz:Program ; kz:hasTarget ?o ;
                                   skos:prefLabel ?label FILTER (lang(?label) = "en") }
                                 GROUP BY ?p ?label ORDER BY DESC(COUNT(?o)) ?label LIMIT 1""",
        lambda row: json.dumps(row["label"]),
    ),
    "region_with_projects": (
        """SELECT ?label WHERE { ?p a kz:InvestmentProject ; kz:projectLocation ?l .
                                   { ?l kz:locatedIn ?r } UNION { BIND (?l AS ?r) }
                                   ?r a kz:Region ; skos:prefLabel ?label FILTER (lang(?label) = "en") }
                                 GROUP BY ?r ?label ORDER BY DESC(COUNT(?p)) ?label LIMIT 1""",
        lambda row: json.dumps(row["label"]) + "@en",
    ),
    "a_figure": (
        """SELECT ?f WHERE { ?f a kz:IndicatorObservation ; kz:evidence ?m } LIMIT 1""",
        lambda row: f"<{row['f']}>",
    ),
}

# which picker gives the values of a question; None: keep the defaults if they answer
PARAMETERS: dict[str, str | None] = {
    "02-posts-of-a-person-any-spelling": "official_surname",
    "03-akims-of-a-region-over-time": None,
    "04-figures-of-an-indicator": None,
    "05-targets-of-a-program": "program_with_targets",
    "06-map-projects-in-a-region": "region_with_projects",
    "10-evidence-of-a-fact": "a_figure",
    "11-renamed-city": None,
    "12-who-held-a-post-on-a-date": None,
    "14-documents-mentioning-an-entity": "top_person",
    "20-timeline-of-a-region": None,
    "22-what-an-official-said": "stating_surname",
    "23-inferred-facts-of-an-entity": "top_person",
}

_VALUES = re.compile(r"(VALUES\s+(?:\?\w+|\((?:\s*\?\w+)+\s*\))\s*\{)(.*?)(\})", re.S)


@dataclass
class Query:
    name: str  # "cq03", "page:person"
    title: str
    text: str
    kind: str  # interactive | analytic
    params: str = ""  # the VALUES body used, when changed

    def to_json(self) -> dict:
        return {"name": self.name, "title": self.title, "kind": self.kind, "params": self.params}


def budgets() -> dict:
    return json.loads(BUDGETS.read_text("utf-8"))


def kind_of(stem: str) -> str:
    return "interactive" if stem.split("-", 1)[0] in budgets()["interactive_cq"] else "analytic"


def set_values(text: str, body: str) -> str:
    """The query with the body of its first VALUES clause replaced."""
    match = _VALUES.search(text)
    if not match:
        raise ValueError("the query has no VALUES clause")
    inner = body if not match.group(1).rstrip("{").strip().endswith(")") else f"({body})"
    return text[: match.start(2)] + f" {inner} " + text[match.end(2) :]


def competency_questions() -> list[Query]:
    queries = []
    for path in sorted(CQ_DIR.glob("*.rq")):
        text = path.read_text("utf-8")
        title = text.splitlines()[0].lstrip("# ").strip()
        number = path.stem.split("-", 1)[0]
        queries.append(Query(f"cq{number}", title, text, kind_of(path.stem)))
    return queries


def fit_parameters(
    queries: list[Query], select: Callable[[str], list[dict]], log=print
) -> list[Query]:
    """Give each parametrised question values that answer on this dataset (`select` runs SPARQL
    and returns rows of plain strings)."""
    picked: dict[str, str | None] = {}
    stems = {f"cq{p.stem.split('-', 1)[0]}": p.stem for p in CQ_DIR.glob("*.rq")}
    for q in queries:
        picker = PARAMETERS.get(stems.get(q.name, ""), "absent")
        if picker == "absent":
            continue
        if picker is None:
            if select(_as_ask(q.text)):
                continue
            log(f"{q.name}: default parameters find nothing; no picker, kept")
            continue
        if picker not in picked:
            rows = select(PREFIXES + PICKERS[picker][0])
            picked[picker] = PICKERS[picker][1](rows[0]) if rows else None
        if picked[picker] is None:
            log(f"{q.name}: picker {picker} found nothing; default parameters kept")
            continue
        q.text = set_values(q.text, picked[picker])
        q.params = picked[picker]
    return queries


def _as_ask(text: str) -> str:
    """A query that returns at most one row: the question with LIMIT 1 (for an emptiness check)."""
    body = re.sub(r"ORDER BY[^}]*$", "", text.rstrip(), flags=re.S)
    return body + "\nLIMIT 1"


def entity_sample(
    select: Callable[[str], list[dict]], n: int = 24, seed: int = 42
) -> list[tuple[str, str]]:
    """(kind, IRI) of entity pages to request: the most mentioned of each kind, then a random few."""
    picks: list[tuple[str, str]] = []
    for kind, cls in (
        ("person", "kz:Person"),
        ("region", "kz:Region"),
        ("program", "kz:Program"),
        ("organization", "kz:Organization"),
    ):
        rows = select(
            PREFIXES
            + f"""SELECT ?e WHERE {{ ?d a kz:NewsArticle ; kz:mentions ?e . ?e a {cls} }}
                                     GROUP BY ?e ORDER BY DESC(COUNT(?d)) ?e LIMIT 1"""
        )
        if rows:
            picks.append((f"top {kind}", rows[0]["e"]))
    rows = select(PREFIXES + "SELECT ?d WHERE { ?d a kz:NewsArticle } LIMIT 1")
    if rows:
        picks.append(("document", rows[0]["d"]))
    rows = select(
        PREFIXES
        + """SELECT DISTINCT ?e WHERE { ?d a kz:NewsArticle ; kz:mentions ?e } LIMIT 5000"""
    )
    pool = sorted(r["e"] for r in rows if r["e"].startswith(ID) and "#" not in r["e"])
    rng = random.Random(seed)
    for iri in rng.sample(pool, k=min(len(pool), max(0, n - len(picks)))):
        picks.append(("random", iri))
    return picks


def page_path(iri: str) -> str:
    return "/page/" + iri[len(ID) :]
