"""Where the variables of a Python formula string are sampled: a comment on the formula's statement or on the
lines just above it (`# neurogebra: domain p in (0, 1)`), else the catalog's own domain when the formula passes
the variable straight to a catalog function (`bce(p, t)`: p in (0, 1)), else the default domain.

    # neurogebra: domain p in (0, 1)
    # neurogebra: domain x, y in [-1, 1]
    loss = Expression("nll", "-log(p)")   # neurogebra: domain p in (0, 1]   (on the statement's own line)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from neurogebra.analysis.lines import line_col
from neurogebra.analysis.model import Code, Diagnostic, Severity, Span
from neurogebra.analysis.ngb import parse_statement
from neurogebra.catalog import ENTRIES, canonical_name
from neurogebra.domains import Domain
from neurogebra.syntax import Node

DIRECTIVE = re.compile(r"#\s*neurogebra\s*:(?P<body>[^\r\n]*)")
KEYWORD = re.compile(r"\s*(?P<word>\S+)")
USAGE = "write # neurogebra: domain p in (0, 1)"
AT_DOMAIN = "@domain"  # a comment's `domain ...` is read as the .ngb line `@domain ...`

Domains = tuple[tuple[str, Domain], ...]


@dataclass(frozen=True)
class DomainComment:
    """One `# neurogebra:` comment: the line it applies to, and its domains or the reason it has none."""

    span: Span                # from '#' to the end of the line
    line: int                 # 0-based: its own line after code, else the first line below that is not a comment
    domains: Domains = ()
    error: Diagnostic | None = None


def domain_comments(text: str, starts: list[int], in_comment: Callable[[int], bool]) -> list[DomainComment]:
    """Every `# neurogebra:` comment of a Python text (`starts`: its line starts; `in_comment(offset)`: whether a
    '#' there starts a comment rather than sitting in a string)."""
    found = []
    for match in DIRECTIVE.finditer(text):
        if not in_comment(match.start()):
            continue
        line, _ = line_col(starts, match.start())
        after_code = text[starts[line]:match.start()].strip() != ""
        span = Span(match.start(), match.end())
        domains, error = _read(match.group("body"), match.start("body"))
        found.append(DomainComment(span, line if after_code else _code_line_below(text, starts, line),
                                   domains, error))
    return found


def _code_line_below(text: str, starts: list[int], line: int) -> int:
    """The first line after `line` that is not a comment line (a comment block applies to the code below it)."""
    below = line + 1
    while below < len(starts) and text[starts[below]:].lstrip(" \t").startswith("#"):
        below += 1
    return below


def _read(body: str, at: int) -> tuple[Domains, Diagnostic | None]:
    """`domain p, q in (0, 1)` read at document offset `at`: its domains, or the error at its exact range."""
    keyword = KEYWORD.match(body)
    if keyword is None:
        return (), _error(Span(at, at + len(body)) if body else Span(at - 1, at), f"empty neurogebra comment: {USAGE}")
    word = keyword.group("word")
    rest = body[keyword.end():].rstrip()
    word_span = Span(at + keyword.start("word"), at + keyword.end("word"))
    if word != "domain":
        return (), _error(word_span, f"unknown neurogebra comment '{word}': {USAGE}")
    if " in " not in f"{rest} ":
        return (), _error(Span(word_span.start, at + keyword.end() + len(rest)), f"expected 'in': {USAGE}")
    syntax = parse_statement(AT_DOMAIN + rest)
    base = at + keyword.end() - len(AT_DOMAIN)  # statement offsets past "@domain" map onto the comment
    if syntax.error is not None:
        start = max(base + syntax.error.offset, word_span.end) - at
        wrong = body[start:start + syntax.error.length]
        if wrong.strip():  # the .ngb reader's ranges may take in the blanks around
            start += len(wrong) - len(wrong.lstrip())
            wrong = wrong.strip()
        message = f"{syntax.error.message} ({syntax.error.hint})" if syntax.error.hint else syntax.error.message
        return (), _error(Span(at + start, at + start + max(1, len(wrong))), message)
    domain = syntax.domain
    assert domain is not None  # a domain statement without an error has its domain
    return tuple((token.name, domain) for token in syntax.domain_names), None


def _error(span: Span, message: str) -> Diagnostic:
    return Diagnostic(span, Severity.ERROR, Code.INVALID_DOMAIN, message)


def comment_domains(comments: Iterable[DomainComment], first_line: int, last_line: int) -> Domains:
    """The domains the comments give to a statement on lines first_line..last_line (a later comment wins)."""
    given: dict[str, Domain] = {}
    for comment in comments:
        if first_line <= comment.line <= last_line:
            given.update(comment.domains)
    return tuple(sorted(given.items()))


def catalog_domains(tree: Node, composed: bool) -> dict[str, Domain]:
    """The catalog's own domains of the variables a formula passes straight to catalog functions: `bce(p, t)`
    gives p the domain of bce's y_pred. In a composition (`bce + 0.1*mae`), an entry's name stands for the entry
    with its own variables. Where two entries disagree, their common part (when there is one)."""
    found: dict[str, Domain] = {}

    def meet(name: str, domain: Domain | None) -> None:
        if domain is not None:
            found[name] = domain if name not in found else intersection(found[name], domain) or found[name]

    for node in tree.walk():
        entry = ENTRIES.get(canonical_name(node.value) or "") if node.kind in ("call", "name") else None
        if entry is None:
            continue
        if node.kind == "call":
            for argument, variable in zip(node.args, entry.variables):
                if argument.kind == "name":
                    meet(argument.value, entry.domain.get(variable))
        elif composed:
            for variable, domain in entry.domain.items():
                meet(variable, domain)
    return found


def intersection(a: Domain, b: Domain) -> Domain | None:
    """The common part of two intervals, None when they do not overlap."""
    lo, lo_closed = max((a.lo, not a.lo_closed), (b.lo, not b.lo_closed))
    hi, hi_closed = min((a.hi, a.hi_closed), (b.hi, b.hi_closed))
    if not lo < hi:
        return None
    return Domain(lo, hi, not lo_closed, hi_closed)
