"""The query guard: what a query is before it runs, and whether it may run at all.

A small SPARQL lexer (:func:`analyse`) reports a query's form, dataset clauses and SERVICE
targets without parsing; :func:`guard` is the one check that the endpoint and ``dealgraph
query`` both run before the engine sees a query: read-only, nesting depth, and SERVICE calls
only to allowlisted endpoints.

The lexer and the engine's parser are two parsers, and they can disagree (pyoxigraph's is
scannerless: ``trueSERVICE`` or ``"x"@en.SERVICE`` are keywords to it). So the guard's
SERVICE check does not rest on the lexer alone (see :func:`guard`): a query that calls no
allowlisted SERVICE runs in a worker without network, and one that calls one is held to a
rule stated on its characters, which no tokenization can evade.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from .namespaces import PREFIXES

# PN_CHARS of the grammar; anything else (including Unicode spaces) is a one-character token.
_PN = (
    r"A-Za-z0-9_%\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D"
    r"\u203F-\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
    r"\U00010000-\U000EFFFF\u0300-\u036F"
)
# Runs of plain characters are taken whole and never given back (``++``, ``*+``): the same
# tokens as one character at a time, in a third less time, and no backtracking blow-up.
_TOKEN = re.compile(
    r"""
    (?P<ws>[\x20\x09\x0D\x0A]+)
   |(?P<comment>\#[^\n\r]*)
   |(?P<string>'''(?:[^'\\]++|\\.|'(?!''))*+'''|\"\"\"(?:[^"\\]++|\\.|"(?!""))*+\"\"\"
              |'(?:[^'\\\n\r]++|\\.)*+'|"(?:[^"\\\n\r]++|\\.)*+")
   |(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]++|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>)
   |(?P<var>[?$][PN]+)
   |(?P<word>(?:[PN:]|\\.)(?:[PN.:\-]++|\\.)*+)
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


class Token(NamedTuple):
    """One significant token: its kind (string, iri, var, word, punct) and text."""

    kind: str
    text: str


Span = tuple[int, int]


def _scan(text: str) -> tuple[list[Token], list[Span]]:
    """The significant tokens of *text* and where its comments are, in one pass of the lexer
    (the guard needs both; a second pass cost as much as the first)."""
    found: list[Token] = []
    comments: list[Span] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "ws":
            continue
        if kind == "comment":
            comments.append(match.span())
        else:
            found.append(Token(kind or "punct", match.group()))
    return found, comments


def tokens(text: str) -> Iterator[Token]:
    """The significant tokens of *text* (whitespace and comments dropped)."""
    return iter(_scan(text)[0])


def _blanked(text: str, comments: list[Span]) -> str:
    """*text* with the *comments* replaced by spaces (lines and columns kept)."""
    if not comments:
        return text
    parts: list[str] = []
    end = 0
    for start, stop in comments:
        parts += (text[end:start], " " * (stop - start))
        end = stop
    parts.append(text[end:])
    return "".join(parts)


def _unescape_iri(token: str) -> str:
    """The IRI of an ``<…>`` token, with \\u escapes decoded as the engine does."""
    body = token[1:-1]
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), body)


@dataclass
class QueryShape:
    """What the lexer learns about a request: its form, dataset clauses and SERVICE targets.

    ``service_targets`` holds the resolved IRI of each SERVICE, or None for a target that
    cannot be known before evaluation (a variable, an unknown prefix, a relative IRI).
    ``glued_service`` is a word that holds SERVICE without being the keyword or a local name
    (``SERVICESILENT``, ``true.SERVICE``, ``SERVICEwd:``): the engine may read a keyword there.
    ``depth`` is the deepest nesting of ``{`` ``(`` ``[`` outside strings and IRIs.
    """

    form: str | None = None  # SELECT, CONSTRUCT, DESCRIBE, ASK, or an update keyword
    has_dataset_clause: bool = False  # FROM or FROM NAMED
    service_targets: list[str | None] = field(default_factory=list)
    uses_volatile_function: bool = False  # NOW(), RAND(), UUID(), STRUUID(): differs per run
    glued_service: str | None = None
    depth: int = 0

    @property
    def is_repeatable(self) -> bool:
        """The same query on the same build gives the same answer (so it may be cached)."""
        return not self.service_targets and not self.uses_volatile_function

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_KEYWORDS


VOLATILE_FUNCTIONS = {"NOW", "RAND", "UUID", "STRUUID"}
_OPENERS = {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}


def analyse(text: str) -> QueryShape:
    """Lex *text* once and report its form, FROM clauses and SERVICE targets."""
    return _lex(text)[0]


SHORT_QUERY = 4096  # bounds what the memo below keeps to a few MB


def _lex(text: str) -> tuple[QueryShape, str]:
    """What the lexer learns about *text*, and *text* with its comments blanked.

    Short texts (most queries, and every repeated one) are remembered: the answer is a pure
    function of the text, and callers do not change it."""
    return _lex_short(text) if len(text) <= SHORT_QUERY else _lex_any(text)


@lru_cache(maxsize=512)
def _lex_short(text: str) -> tuple[QueryShape, str]:
    return _lex_any(text)


def _lex_any(text: str) -> tuple[QueryShape, str]:
    toks, comments = _scan(text)
    return _analyse(toks), _blanked(text, comments)


def _analyse(toks: list[Token]) -> QueryShape:
    shape = QueryShape()
    prefixes: dict[str, str | None] = dict(PREFIXES)  # predeclared, as the engine has them
    depth = 0
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.kind == "punct":
            depth = max(0, depth + _OPENERS.get(tok.text, 0))
            shape.depth = max(shape.depth, depth)
            i += 1
            continue
        word = tok.text.upper() if tok.kind == "word" else ""
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 2].kind == "iri":
            # A relative namespace resolves against a BASE the engine owns: unknown here.
            iri = _unescape_iri(toks[i + 2].text)
            prefixes[toks[i + 1].text.rstrip(":")] = iri if _ABSOLUTE.match(iri) else None
            i += 3
            continue
        if word and word != "SERVICE" and "SERVICE" in word:
            name, colon, _ = tok.text.partition(":")
            # SERVICE in a local name is just a name, and so is a declared prefix service:
            if not colon or ("SERVICE" in name.upper() and name not in prefixes):
                shape.glued_service = shape.glued_service or tok.text
        if shape.form is None and (word in QUERY_FORMS or word in UPDATE_KEYWORDS):
            shape.form = word
        elif word == "FROM":
            shape.has_dataset_clause = True
        elif word in VOLATILE_FUNCTIONS:
            shape.uses_volatile_function = True
        elif word == "SERVICE":
            j = i + 1
            target = toks[j] if j < len(toks) else None
            if target and target.kind == "word" and target.text.upper().startswith("SILENT"):
                # The engine takes SILENT as soon as it reads the letters, even glued to a
                # name (SILENT:x is SILENT then :x), so the target is what follows them.
                rest = target.text[len("SILENT") :]
                j += not rest
                target = Token("word", rest) if rest else (toks[j] if j < len(toks) else None)
            shape.service_targets.append(_resolve_target(target, prefixes))
            i = j
        i += 1
    return shape


def _resolve_target(tok: Token | None, prefixes: dict[str, str | None]) -> str | None:
    """The absolute IRI a SERVICE target names, or None when it is not a fixed absolute IRI."""
    if tok is None:
        return None
    if tok.kind == "iri":
        iri = _unescape_iri(tok.text)
    elif tok.kind == "word" and ":" in tok.text:
        prefix, _, local = tok.text.partition(":")
        namespace = prefixes.get(prefix)
        if namespace is None:
            return None
        iri = namespace + re.sub(r"\\(.)", r"\1", local)
    else:
        return None
    # A relative IRI would be resolved by the engine against a base we do not control.
    return iri if _ABSOLUTE.match(iri) else None


# ---------------------------------------------------------------- the guard


class QueryRefusedError(ValueError):
    """The guard refuses the query: an HTTP-like ``status`` and a one-sentence message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def __reduce__(self) -> tuple:  # it crosses process boundaries (the guard's process)
        return (QueryRefusedError, (self.status, self.message))


class ServiceRefusedError(QueryRefusedError):
    """The query calls a SERVICE that is not on the allowlist (or cannot be pinned to it)."""

    def __init__(self, message: str) -> None:
        super().__init__(403, message)

    def __reduce__(self) -> tuple:
        return (ServiceRefusedError, (self.message,))


@dataclass(frozen=True)
class GuardedQuery:
    """A query the guard lets run: the ``text`` to give the engine, what the lexer saw, and
    the allowlisted endpoints it calls (``services``; empty: it needs no network)."""

    text: str
    shape: QueryShape
    services: tuple[str, ...] = ()

    @property
    def needs_network(self) -> bool:
        return bool(self.services)


MAX_DEPTH = 200  # measured: pyoxigraph overflows an 8 MB stack near 3,000 nested groups

_WS = r"[\x20\x09\x0D\x0A]"
_SERVICE_LETTERS = re.compile("service", re.IGNORECASE)  # Unicode folding: ſ counts too
_PINNED = re.compile(
    rf"service{_WS}+(?:silent{_WS}+)?(?!silent)"
    rf"(?:<(?P<iri>[^<>\"{{}}|^`\\\x00-\x20]*)>"
    rf"|(?P<prefix>[A-Za-z][A-Za-z0-9_\-]*)?:(?P<local>[A-Za-z0-9_\-]*){_WS}*(?=\{{))",
    re.IGNORECASE,
)
_CODEPOINT_ESCAPE = re.compile(r"\\[uU]")


def guard(
    text: str,
    allowed: Iterable[str],
    *,
    sandboxed: bool = True,
    max_depth: int = MAX_DEPTH,
) -> GuardedQuery:
    """Check *text* before any evaluation; raise :class:`QueryRefusedError` when it may not run.

    1. An update is refused (403); nesting deeper than *max_depth* is refused (400): the
       engine's recursive parser would overflow its stack.
    2. The lexer's view: every SERVICE keyword must name an allowlisted absolute IRI, and no
       word may hold SERVICE glued to something else (403, with the target named).
    3. The characters' view, which no parser differential can evade. Comments are blanked
       (the text the engine gets is the blanked one, so what is checked is what runs). If the
       letters ``service`` (any case) appear anywhere followed by an allowlisted target, the
       query needs network, and then *every* occurrence of those letters, wherever it stands
       (literal, IRI, variable, name), must be ``SERVICE [SILENT] <allowlisted IRI>`` or a
       prefixed name declared exactly once with an absolute namespace, and the text may hold
       no ``\\u`` escape. A SERVICE keyword is seven contiguous letters in the text the
       engine parses, so whatever the engine takes for one is one of these occurrences.
    4. A query that needs no network runs where there is none (*sandboxed*: a worker without
       network interfaces), so a SERVICE the guard did not see has nothing to reach. Without
       such a sandbox, the rule of 3 applies to every query.
    """
    allowed = frozenset(allowed)
    shape, blanked = _lex(text)
    if shape.is_update:
        raise QueryRefusedError(403, read_only_message(shape.form))
    if shape.depth > max_depth:
        raise QueryRefusedError(
            400,
            f"query nested too deeply: {shape.depth} levels of brackets, the limit is "
            f"{max_depth}; flatten the groups",
        )
    check_services(shape, allowed)
    services = _pinned_services(blanked, allowed)
    if services or not sandboxed:
        _check_every_occurrence(blanked, allowed)
        return GuardedQuery(blanked, shape, tuple(sorted(set(services))))
    return GuardedQuery(text, shape)


def check_services(shape: QueryShape, allowed: frozenset[str]) -> None:
    """Raise :class:`ServiceRefusedError` unless every SERVICE the lexer saw is allowlisted."""
    if shape.glued_service:
        raise ServiceRefusedError(
            f"SERVICE refused: {shape.glued_service!r} holds SERVICE glued to another word; "
            "write SERVICE <endpoint> with spaces around it"
        )
    for target in shape.service_targets:
        if target is None:
            raise ServiceRefusedError(
                "SERVICE refused: the target must be a fixed absolute IRI "
                "(variables, relative IRIs and undeclared prefixes are not allowed)"
            )
        if target not in allowed:
            raise ServiceRefusedError(
                f"SERVICE <{target}> refused: this endpoint only federates with {_listing(allowed)}"
            )


def blank_comments(text: str) -> str:
    """*text* with every comment replaced by spaces (lines and columns kept)."""
    return _lex(text)[1]


def _pinned_services(text: str, allowed: frozenset[str]) -> list[str]:
    """The allowlisted endpoints that occurrences of ``service`` in *text* are pinned to."""
    found = []
    for match in _SERVICE_LETTERS.finditer(text):
        target = _pinned_target(text, match.start())
        if target in allowed:
            found.append(target)
    return found


def _pinned_target(text: str, at: int) -> str | None:
    """The IRI the SERVICE at *at* is pinned to, when its target is beyond doubt."""
    pinned = _PINNED.match(text, at)
    if pinned is None:
        return None
    if pinned.group("iri") is not None:
        return pinned.group("iri")
    prefix = pinned.group("prefix") or ""
    declared = re.findall(
        rf"prefix{_WS}*{re.escape(prefix)}{_WS}*:{_WS}*<([^<>]*)>", text, re.IGNORECASE
    )
    mentions = len(re.findall(rf"prefix{_WS}*{re.escape(prefix)}{_WS}*:", text, re.I))
    if len(declared) == 1 and mentions == 1:
        namespace: str | None = declared[0]
    elif mentions == 0:
        namespace = PREFIXES.get(prefix)
    else:
        namespace = None
    if namespace is None or not _ABSOLUTE.match(namespace):
        return None
    return namespace + pinned.group("local")


def _check_every_occurrence(text: str, allowed: frozenset[str]) -> None:
    """Raise unless every ``service`` in *text* is pinned to an allowlisted endpoint."""
    if escape := _CODEPOINT_ESCAPE.search(text):
        line, column = _position(text, escape.start())
        raise ServiceRefusedError(
            f"SERVICE refused: a query that calls SERVICE may not use \\u escapes (line {line}, "
            f"column {column}); write the characters themselves"
        )
    for match in _SERVICE_LETTERS.finditer(text):
        if _pinned_target(text, match.start()) not in allowed:
            line, column = _position(text, match.start())
            raise ServiceRefusedError(
                f"SERVICE refused: {match.group()!r} at line {line}, column {column} is not "
                f"SERVICE <endpoint> with an endpoint of {_listing(allowed)}; a query that "
                "calls SERVICE (or runs where no sandbox is available) may use the word "
                "only in such calls"
            )


def _position(text: str, at: int) -> tuple[int, int]:
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def _listing(allowed: frozenset[str]) -> str:
    return ", ".join(sorted(allowed)) or "none"


def read_only_message(form: str | None) -> str:
    """The one sentence that refuses an update, in the CLI and over HTTP alike."""
    return f"dealgraph is read-only: {form or 'an update'} (SPARQL Update) is not accepted"
