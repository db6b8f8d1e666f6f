"""Scoring extraction against gold annotations (tests/gold/SCHEMA.md), through the export views.

Matching rules (one-to-one within a document; precision = matched / extracted, recall =
matched / gold):
* persons, organizations, places, programs: an extracted entity (all the names it has in the
  document) matches a gold entity (name and aliases) when any two names match. Names match when
  equal ignoring case, punctuation and diacritics; or equal up to transliteration
  (Tasymbek/Tassymbek); or initials against a full name with the same surname ('A.Ordabayev',
  'Aidos Ordabayev'); or a surname alone against a full name; or, for people, the same given name
  and a surname one or two letters off (a typo). Organization names also match across
  'X Ministry' / 'Ministry of X' and with or without 'of Kazakhstan'.
* posts: the person matches (as above), the role matches up to the synonyms of the roles
  vocabulary ('Head of State' = President, 'governor' = akim), and the organization matches.
* quantities: the same unit and a value within 0.5 % (of the larger absolute value).
* projects: the names share at least half of their content words, or one contains the other.
* meetings: the chair matches (or neither has one), and the date matches when the gold gives one.
Attributes of matched pairs (kinds, periods, areas, dates, investment, jobs) are reported as
accuracy, separately from precision and recall.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from .config import Config
from .extract.coref import org_key
from .names import loose_key, name_key, similar_surnames
from .namespaces import Vocab
from .queries import QueryLibrary

CATEGORIES = ["persons", "posts", "organizations", "places", "programs", "quantities", "projects",
              "meetings"]
_STOP = {"the", "of", "and", "for", "in", "a", "an", "on", "to", "with", "at", "by"}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvaluationReport:
    scores: dict[str, Score]
    attributes: dict[str, list[bool]]
    documents: int

    def to_json(self) -> dict:
        return {
            "documents": self.documents,
            "scores": {k: {"precision": round(s.precision, 4), "recall": round(s.recall, 4),
                           "f1": round(s.f1, 4), "tp": s.tp, "fp": s.fp, "fn": s.fn}
                       for k, s in self.scores.items()},
            "attributes": {k: {"accuracy": round(sum(v) / len(v), 4) if v else None, "n": len(v)}
                           for k, v in sorted(self.attributes.items())},
        }

    def render(self, details: bool = False) -> str:
        lines = [f"Extraction scores over {self.documents} documents",
                 f"{'category':<15}{'precision':>10}{'recall':>10}{'F1':>8}{'matched':>9}{'extra':>7}{'missed':>8}"]
        for name in CATEGORIES:
            s = self.scores[name]
            lines.append(f"{name:<15}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>8.3f}{s.tp:>9}{s.fp:>7}{s.fn:>8}")
        lines.append("attribute accuracy of matched facts:")
        for key, values in sorted(self.attributes.items()):
            if values:
                lines.append(f"  {key:<28}{sum(values) / len(values):>7.3f}  (n={len(values)})")
        if details:
            for name in CATEGORIES:
                s = self.scores[name]
                for miss in s.misses:
                    lines.append(f"  MISSED {name}: {miss}")
                for extra in s.extras:
                    lines.append(f"  EXTRA  {name}: {extra}")
        return "\n".join(lines)


# --- name matching --------------------------------------------------------------------------------

def _initials(name: str) -> tuple[list[str], str] | None:
    m = re.fullmatch(r"\s*((?:[A-ZА-Я][a-zа-я]?\.\s?){1,2})\s*([\w'’-]+)\s*", name)
    if not m:
        return None
    return re.findall(r"[A-ZА-Я][a-zа-я]?", m.group(1)), m.group(2)


def person_names_match(a: str, b: str) -> bool:
    if name_key(a) == name_key(b) or loose_key(a) == loose_key(b):
        return True
    for x, y in ((a, b), (b, a)):
        ini = _initials(x)
        if ini and len(y.split()) >= 2:
            letters, surname = ini
            if similar_surnames(surname, y.split()[-1]) and name_key(y.split()[0]).startswith(name_key(letters[0])):
                return True
        if len(x.split()) == 1 and len(y.split()) >= 2 and loose_key(x) == loose_key(y.split()[-1]):
            return True
    pa, pb = a.split(), b.split()
    return len(pa) >= 2 and len(pb) >= 2 and loose_key(pa[0]) == loose_key(pb[0]) \
        and similar_surnames(pa[-1], pb[-1])


def names_match(kind: str, a: str, b: str) -> bool:
    if kind in ("persons", "posts"):
        return person_names_match(a, b)
    if name_key(a) == name_key(b) or loose_key(a) == loose_key(b):
        return True
    if kind == "organizations" and org_key(a) == org_key(b):
        return True
    if kind == "programs":
        ka, kb = name_key(a), name_key(b)
        return len(ka) > 8 and len(kb) > 8 and (ka in kb or kb in ka) and min(len(ka), len(kb)) / max(len(ka), len(kb)) > 0.6
    return False


def any_match(kind: str, names_a: set[str], names_b: set[str]) -> bool:
    return any(names_match(kind, a, b) for a in names_a for b in names_b)


def content_words(name: str) -> set[str]:
    return {w for w in name_key(name).split() if w not in _STOP and len(w) > 2}


def projects_match(a: str, b: str) -> bool:
    ka, kb = name_key(a), name_key(b)
    if ka in kb or kb in ka:
        return True
    wa, wb = content_words(a), content_words(b)
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) >= 0.5 and len(wa & wb) >= 2


def values_match(a: Decimal, b: Decimal) -> bool:
    if a == b:
        return True
    scale = max(abs(a), abs(b))
    return scale > 0 and abs(a - b) / scale <= Decimal("0.005")


def max_matching(n_gold: int, n_pred: int, fits) -> dict[int, int]:
    """A largest one-to-one matching gold -> predicted (augmenting paths), so that the order of
    the gold items never decides the score."""
    edges = [[j for j in range(n_pred) if fits(i, j)] for i in range(n_gold)]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(n_gold):
        augment(i, set())
    return {i: j for j, i in owner.items()}


# --- reading predictions and gold -------------------------------------------------------------------

def run_exports(store: ox.Store, queries: QueryLibrary) -> dict[str, list[dict[str, str]]]:
    out = {}
    for name in CATEGORIES:
        result = store.query(queries.get(f"export/{name}").text)
        variables = [v.value for v in result.variables]
        out[name] = [{k: t.value for k, t in zip(variables, row) if t is not None} for row in result]
    return out


def _group(rows: list[dict[str, str]], key: str) -> dict[str, list[dict[str, str]]]:
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


class RoleNames:
    """Role labels to role identifiers, from the roles vocabulary."""

    def __init__(self, store: ox.Store, vocab: Vocab) -> None:
        self.to_role: dict[str, str] = {}
        query = """SELECT ?role ?label WHERE { GRAPH <%s> { ?role a <%s> ;
                   <http://www.w3.org/2004/02/skos/core#prefLabel>|<http://www.w3.org/2004/02/skos/core#altLabel> ?label } }"""
        for row in store.query(query % (vocab.graph("reference"), vocab.term("Role"))):
            self.to_role[name_key(row["label"].value)] = row["role"].value

    def normal(self, label: str) -> str:
        return self.to_role.get(name_key(label), name_key(label))


def evaluate_store(store: ox.Store, queries: QueryLibrary, gold_dir: Path) -> EvaluationReport:
    predicted = run_exports(store, queries)
    roles = RoleNames(store, queries.vocab)
    gold_docs = {}
    for path in sorted(gold_dir.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        gold_docs[data["doc"]] = data
    scores = {name: Score() for name in CATEGORIES}
    attributes: dict[str, list[bool]] = defaultdict(list)
    by_doc = {name: _group(rows, "document") for name, rows in predicted.items()}
    for doc in sorted(gold_docs):
        gold = gold_docs[doc]
        pred = {name: by_doc[name].get(doc, []) for name in CATEGORIES}
        person_names = {iri: {r["name"] for r in rows} for iri, rows in _group(pred["persons"], "person").items()}
        org_names = {iri: {r["name"] for r in rows} for iri, rows in _group(pred["organizations"], "org").items()}
        _entities(scores, attributes, doc, "persons", gold.get("persons", []), pred["persons"], "person")
        _entities(scores, attributes, doc, "organizations", gold.get("organizations", []),
                  pred["organizations"], "org", kind_key="kind")
        _entities(scores, attributes, doc, "places", gold.get("places", []), pred["places"], "place",
                  kind_key="kind")
        _entities(scores, attributes, doc, "programs", gold.get("programs", []), pred["programs"], "program")
        _posts(scores, attributes, doc, gold, pred["posts"], person_names, org_names, roles)
        _quantities(scores, attributes, doc, gold.get("quantities", []), pred["quantities"])
        _projects(scores, attributes, doc, gold.get("projects", []), pred["projects"])
        _meetings(scores, attributes, doc, gold, pred["meetings"], person_names)
    return EvaluationReport(scores=scores, attributes=dict(attributes), documents=len(gold_docs))


def _entities(scores, attributes, doc, kind, gold_items, rows, key, kind_key=None) -> None:
    score = scores[kind]
    groups = _group(rows, key)
    iris = sorted(groups)
    pred_names = [{r["name"] for r in groups[iri]} for iri in iris]
    gold_names = [{item["name"], *item.get("aliases", [])} for item in gold_items]
    matching = max_matching(len(gold_items), len(iris),
                            lambda i, j: any_match(kind, gold_names[i], pred_names[j]))
    unmatched = {iri: pred_names[j] for j, iri in enumerate(iris) if j not in matching.values()}
    for i, item in enumerate(gold_items):
        if i not in matching:
            score.fn += 1
            score.misses.append(f"{doc}: {item['name']}")
            continue
        score.tp += 1
        hit = iris[matching[i]]
        row = groups[hit][0]
        if kind_key and item.get("kind"):
            attributes[f"{kind}.kind"].append(row.get(kind_key) == item["kind"])
        if kind == "programs":
            for attr in ("start", "end"):
                if item.get(attr) is not None:
                    attributes[f"programs.{attr}"].append(str(item[attr]) == row.get(attr))
    score.fp += len(unmatched)
    score.extras += [f"{doc}: {sorted(n)[0]}" for n in unmatched.values()]


def _posts(scores, attributes, doc, gold, rows, person_names, org_names, roles: RoleNames) -> None:
    score = scores["posts"]
    gold_person_names = {p["name"]: {p["name"], *p.get("aliases", [])} for p in gold.get("persons", [])}
    gold_org_names = {o["name"]: {o["name"], *o.get("aliases", [])} for o in gold.get("organizations", [])}
    posts = gold.get("posts", [])

    def fits(i: int, j: int) -> bool:
        post, row = posts[i], rows[j]
        g_person = gold_person_names.get(post["person"], {post["person"]})
        g_org = gold_org_names.get(post["organization"], {post["organization"]}) - {None}
        p_names = person_names.get(row["person"], set()) | {row.get("personName", "")}
        o_names = org_names.get(row["organization"], set()) | {row.get("organizationName", "")}
        # A gold post without an organization ('a deputy') is matched on person and role alone.
        org_fits = post["organization"] is None or any_match("organizations", g_org, o_names)
        return roles.normal(row["role"]) == roles.normal(post["role"]) and \
            any_match("persons", g_person, p_names) and org_fits

    matching = max_matching(len(posts), len(rows), fits)
    unmatched = [r for j, r in enumerate(rows) if j not in matching.values()]
    for i, post in enumerate(posts):
        hit = rows[matching[i]] if i in matching else None
        if hit is None:
            score.fn += 1
            score.misses.append(f"{doc}: {post['person']} / {post['role']} / {post['organization']}")
            continue
        score.tp += 1
        if post.get("place"):
            attributes["posts.place"].append(names_match("places", post["place"], hit.get("placeName", "")))
    score.fp += len(unmatched)
    score.extras += [f"{doc}: {r.get('personName')} / {r['role']} / {r.get('organizationName')}" for r in unmatched]


def _quantities(scores, attributes, doc, gold_items, rows) -> None:
    score = scores["quantities"]
    unmatched = list(rows)
    for q in gold_items:
        value = Decimal(str(q["value"]))
        candidates = [r for r in unmatched if r["unit"] == q["unit"] and values_match(Decimal(r["value"]), value)]
        if not candidates:
            score.fn += 1
            score.misses.append(f"{doc}: {q['text']} = {q['value']} {q['unit']}")
            continue
        best = max(candidates, key=lambda r: (q["text"] in r["text"] or r["text"] in q["text"],
                                              -abs(len(r["text"]) - len(q["text"]))))
        score.tp += 1
        attributes["quantities.kind"].append(best.get("kind") == q.get("kind"))
        attributes["quantities.period"].append((best.get("period") or None) == q.get("period"))
        if q.get("area"):
            attributes["quantities.area"].append(names_match("places", q["area"], best.get("area", "")))
        unmatched.remove(best)
    score.fp += len(unmatched)
    score.extras += [f"{doc}: {r['text']} = {r['value']} {r['unit']}" for r in unmatched]


def _projects(scores, attributes, doc, gold_items, rows) -> None:
    score = scores["projects"]
    matching = max_matching(len(gold_items), len(rows),
                            lambda i, j: projects_match(gold_items[i]["name"], rows[j]["name"]))
    unmatched = [r for j, r in enumerate(rows) if j not in matching.values()]
    for i, p in enumerate(gold_items):
        hit = rows[matching[i]] if i in matching else None
        if hit is None:
            score.fn += 1
            score.misses.append(f"{doc}: {p['name']}")
            continue
        score.tp += 1
        if p.get("investment_kzt") is not None:
            attributes["projects.investment"].append(
                hit.get("investment") is not None and values_match(Decimal(hit["investment"]),
                                                                   Decimal(str(p["investment_kzt"]))))
        if p.get("jobs") is not None:
            attributes["projects.jobs"].append(hit.get("jobs") is not None and
                                               Decimal(hit["jobs"]) == Decimal(p["jobs"]))
        if p.get("status"):
            attributes["projects.status"].append(hit.get("status") == p["status"])
    score.fp += len(unmatched)
    score.extras += [f"{doc}: {r['name']}" for r in unmatched]


def _meetings(scores, attributes, doc, gold, rows, person_names) -> None:
    score = scores["meetings"]
    gold_person_names = {p["name"]: {p["name"], *p.get("aliases", [])} for p in gold.get("persons", [])}
    unmatched = list(rows)
    for m in gold.get("meetings", []):
        def fits(row: dict[str, str]) -> bool:
            if m.get("chair"):
                names = person_names.get(row.get("chair", ""), set()) | {row.get("chairName", "")}
                if not any_match("persons", gold_person_names.get(m["chair"], {m["chair"]}), names):
                    return False
            elif row.get("chair"):
                return False
            return not m.get("date") or row.get("date") == m["date"]
        hit = next((r for r in unmatched if fits(r)), None)
        if hit is None:
            score.fn += 1
            score.misses.append(f"{doc}: meeting chaired by {m.get('chair')} on {m.get('date')}")
            continue
        score.tp += 1
        attributes["meetings.date"].append((hit.get("date") or None) == m.get("date"))
        unmatched.remove(hit)
    score.fp += len(unmatched)
    score.extras += [f"{doc}: meeting chaired by {r.get('chairName')} on {r.get('date')}" for r in unmatched]


def evaluate(config: Config, corpus_dir: Path, gold_dir: Path, data: Path | None = None,
             log=lambda s: None) -> EvaluationReport:
    """Build the corpus (unless a dataset is given), then score it against the gold folder."""
    from .pipeline import build
    queries = QueryLibrary(config.queries_dir, Vocab(config.base_iri))
    if data is None:
        with tempfile.TemporaryDirectory(prefix="kazkg-evaluate-") as tmp:
            out = Path(tmp) / "evaluate.trig"
            build(config.replace(data_path=out), corpus_dir=corpus_dir, out=out, log=log)
            store = ox.Store()
            store.load(path=str(out), format=ox.RdfFormat.TRIG)
    else:
        store = ox.Store()
        store.load(path=str(data), format=ox.RdfFormat.TRIG)
    return evaluate_store(store, queries, gold_dir)
