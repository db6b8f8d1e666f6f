"""A lexical look at SPARQL text, before the engine parses it.

Only what the endpoint must know in advance: the query form (for content negotiation), whether it
is an update, SERVICE calls and dataset clauses (refused: the endpoint never makes an outbound
request), and the targets of a DESCRIBE. Comments, strings and IRIs are skipped properly, so a
keyword inside them does not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[\w:%-](?:[\w.:%-]*[\w:%-])?)?)
  | (?P<word>[A-Za-z_][\w-]*)
  | (?P<punct>[{}()\[\],;.*=!<>|&^/+-]|\S)
""", re.VERBOSE)

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


class SparqlTextError(ValueError):
    pass


def tokens(text: str) -> list[Token]:
    out = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # an unterminated string or IRI: let the engine report it
            out.append(Token("punct", text[pos], pos))
            pos += 1
            continue
        kind = m.lastgroup or "punct"
        if kind not in ("ws", "comment"):
            out.append(Token(kind, m.group(0), pos))
        pos = m.end()
    return out


@dataclass
class QueryShape:
    form: str | None  # SELECT | ASK | CONSTRUCT | DESCRIBE | UPDATE | None
    base: str | None
    prefixes: dict[str, str]
    tokens: list[Token]
    body_start: int  # index of the first token after the prologue

    @property
    def is_update(self) -> bool:
        return self.form == "UPDATE"

    def keyword_positions(self, keyword: str) -> list[int]:
        return [t.pos for t in self.tokens if t.keyword == keyword]

    def dataset_iris(self) -> list[tuple[str, str]]:
        """(FROM | FROM NAMED, IRI) clauses of the query, prefixed names expanded."""
        found = []
        toks = self.tokens
        for i, t in enumerate(toks):
            if t.keyword != "FROM":
                continue
            kind = "FROM"
            j = i + 1
            if j < len(toks) and toks[j].keyword == "NAMED":
                kind, j = "FROM NAMED", j + 1
            if j < len(toks):
                iri = self.expand(toks[j])
                if iri:
                    found.append((kind, iri))
        return found

    def expand(self, token: Token) -> str | None:
        if token.kind == "iri":
            return token.text[1:-1]
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix in self.prefixes:
                return self.prefixes[prefix] + local.replace("\\", "")
        return None


def inspect_query(text: str) -> QueryShape:
    toks = tokens(text)
    prefixes: dict[str, str] = {}
    base = None
    i = 0
    while i < len(toks):
        kw = toks[i].keyword
        if kw == "PREFIX" and i + 2 < len(toks):
            prefixes[toks[i + 1].text.rstrip(":")] = toks[i + 2].text.strip("<>")
            i += 3
        elif kw == "BASE" and i + 1 < len(toks):
            base = toks[i + 1].text.strip("<>")
            i += 2
        else:
            break
    form = None
    if i < len(toks):
        kw = toks[i].keyword
        if kw in QUERY_FORMS:
            form = kw
        elif kw in UPDATE_KEYWORDS:
            form = "UPDATE"
    if form in QUERY_FORMS and any(t.keyword in ("INSERT", "DELETE") and _is_update_verb(toks, k)
                                   for k, t in enumerate(toks)):
        form = "UPDATE"  # a query followed by an update: 'SELECT … ; INSERT DATA …'
    return QueryShape(form=form, base=base, prefixes=prefixes, tokens=toks, body_start=i)


def _is_update_verb(toks: list[Token], k: int) -> bool:
    nxt = toks[k + 1] if k + 1 < len(toks) else None
    return nxt is not None and (nxt.keyword in ("DATA", "WHERE") or nxt.text == "{")
