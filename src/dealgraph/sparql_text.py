"""A small SPARQL lexer: a query's form, dataset clauses and SERVICE targets, without parsing.

It knows exactly what the SPARQL grammar treats as strings, comments and IRIs, so a keyword
hidden in a literal or a comment is never mistaken for one, and a real keyword is never missed.
Used for checks that must run before the query reaches the engine (SERVICE allowlist,
refusing updates, honouring FROM) and that must be cheap enough to run on every request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from .namespaces import PREFIXES

# PN_CHARS of the grammar; anything else (including Unicode spaces) is a one-character token.
_PN = (
    r"A-Za-z0-9_%\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D"
    r"\u203F-\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
    r"\U00010000-\U000EFFFF\u0300-\u036F"
)
_TOKEN = re.compile(
    r"""
    (?P<ws>[\x20\x09\x0D\x0A]+)
   |(?P<comment>\#[^\n\r]*)
   |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
   |(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
   |(?P<var>[?$][PN]+)
   |(?P<word>(?:[PN:]|\\.)(?:[PN.:\-]|\\.)*)
   |(?P<punct>.)
    """.replace("PN", _PN),
    re.VERBOSE | re.DOTALL,
)
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})


@dataclass(frozen=True)
class Token:
    """One significant token: its kind (string, iri, var, word, punct) and text."""

    kind: str
    text: str


def tokens(text: str) -> Iterator[Token]:
    """The significant tokens of *text* (whitespace and comments dropped)."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind not in ("ws", "comment"):
            yield Token(kind or "punct", match.group())


def _unescape_iri(token: str) -> str:
    """The IRI of an ``<…>`` token, with \\u escapes decoded as the engine does."""
    body = token[1:-1]
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), body)


@dataclass
class QueryShape:
    """What the lexer learns about a request: its form, dataset clauses and SERVICE targets.

    ``service_targets`` holds the resolved IRI of each SERVICE, or None for a target that
    cannot be known before evaluation (a variable, an unknown prefix, a relative IRI).
    """

    form: str | None = None  # SELECT, CONSTRUCT, DESCRIBE, ASK, or an update keyword
    has_dataset_clause: bool = False  # FROM or FROM NAMED
    service_targets: list[str | None] = field(default_factory=list)
    uses_volatile_function: bool = False  # NOW(), RAND(), UUID(), STRUUID(): differs per run

    @property
    def is_repeatable(self) -> bool:
        """The same query on the same build gives the same answer (so it may be cached)."""
        return not self.service_targets and not self.uses_volatile_function

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_KEYWORDS


VOLATILE_FUNCTIONS = {"NOW", "RAND", "UUID", "STRUUID"}


def analyse(text: str) -> QueryShape:
    """Lex *text* once and report its form, FROM clauses and SERVICE targets.

    Short texts (most queries, and every repeated one) are remembered: the answer is a pure
    function of the text, and callers do not change it.
    """
    return _analyse_short(text) if len(text) <= SHORT_QUERY else _analyse(text)


SHORT_QUERY = 4096  # bounds what the memo below keeps to a few MB


@lru_cache(maxsize=512)
def _analyse_short(text: str) -> QueryShape:
    return _analyse(text)


def _analyse(text: str) -> QueryShape:
    shape = QueryShape()
    prefixes: dict[str, str] = dict(PREFIXES)  # predeclared, as the engine has them
    toks = list(tokens(text))
    i = 0
    while i < len(toks):
        tok = toks[i]
        word = tok.text.upper() if tok.kind == "word" else ""
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 2].kind == "iri":
            # Only absolute namespaces: relative ones resolve against a BASE the engine owns.
            iri = _unescape_iri(toks[i + 2].text)
            if _ABSOLUTE.match(iri):
                prefixes[toks[i + 1].text.rstrip(":")] = iri
            i += 3
            continue
        if shape.form is None and (word in QUERY_FORMS or word in UPDATE_KEYWORDS):
            shape.form = word
        elif word == "FROM":
            shape.has_dataset_clause = True
        elif word in VOLATILE_FUNCTIONS:
            shape.uses_volatile_function = True
        elif word == "SERVICE":
            j = i + 1
            if j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() == "SILENT":
                j += 1
            target = toks[j] if j < len(toks) else None
            shape.service_targets.append(_resolve_target(target, prefixes))
            i = j
        i += 1
    return shape


def _resolve_target(tok: Token | None, prefixes: dict[str, str]) -> str | None:
    """The absolute IRI a SERVICE target names, or None when it is not a fixed absolute IRI."""
    if tok is None:
        return None
    if tok.kind == "iri":
        iri = _unescape_iri(tok.text)
    elif tok.kind == "word" and ":" in tok.text:
        prefix, _, local = tok.text.partition(":")
        if prefix not in prefixes:
            return None
        iri = prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    else:
        return None
    # A relative IRI would be resolved by the engine against a base we do not control.
    return iri if _ABSOLUTE.match(iri) else None


def read_only_message(form: str | None) -> str:
    """The one sentence that refuses an update, in the CLI and over HTTP alike."""
    return f"dealgraph is read-only: {form or 'an update'} (SPARQL Update) is not accepted"
