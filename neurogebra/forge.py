"""MathForge: look up, search, explain, compare, combine and extend the catalog of named formulas."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping

from neurogebra.catalog import ALIASES, ENTRIES, Entry, canonical_name
from neurogebra.catalog.former_names import FORMER_NAMES
from neurogebra.catalog.formulas import catalog_functions, entry_expr, formula_function
from neurogebra.domains import REAL_LINE
from neurogebra.expression import Expression
from neurogebra.parsing import (
    CONSTANTS,
    MATH_FUNCTIONS,
    Builder,
    FormulaFunction,
    Node,
    ParseError,
    parse_formula,
    parse_tree,
)
from neurogebra.suggest import did_you_mean

if TYPE_CHECKING:
    import sympy

CUSTOM = "custom"
COMPOSED = "composed"


def stem(word: str) -> str:
    """'losses' -> 'loss', 'activations' -> 'activation' ('calculus' stays): enough to match categories and
    descriptions."""
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us")) and len(word) > 3:
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    return [stem(w) for w in re.findall(r"[a-z0-9]+", text.lower())]


def entry_metadata(entry: Entry) -> dict[str, Any]:
    return {
        "category": entry.category,
        "description": entry.description,
        "usage": entry.usage,
        "pros": entry.pros,
        "cons": entry.cons,
        "domain": {name: entry.domain_of(name) for name in entry.variables},
        "value_range": entry.value_range,
        "aliases": entry.aliases,
        "signature": entry.inputs,
        "source": entry.formula,
    }



def with_values(owner: str, defaults: Mapping[str, float], given: Mapping[str, Any],
                variables: Iterable[str]) -> dict[str, float]:
    """The parameters' `defaults` with the `given` values; a name that is not a parameter of `owner` is an error."""
    values = dict(defaults)
    for key, value in given.items():
        if key not in values:
            close = did_you_mean(key, values)
            hint = f"; did you mean {close[0]}?" if close else ""
            if not close and key in variables:
                hint = f"; {key} is a variable: give its value when you evaluate"
            raise ValueError(f"{owner} has no parameter {key!r} (its parameters: "
                             f"{', '.join(values) or 'none'}){hint}")
        values[key] = float(value)
    return values


def _symbolic_expr_of(expression: Expression) -> Callable[[], sympy.Expr]:
    """The formula body of a registered entry, read when a formula calls it."""
    return lambda: expression.symbolic_expr


class MathForge:
    """The catalog as Expressions. Construction parses nothing; entries are parsed on first use and cached.
    `register` adds entries to this forge only."""

    def __init__(self) -> None:
        self._registered: dict[str, Expression] = {}

    # ------------------------------------------------------------------------------------------ lookup
    def _known_names(self) -> list[str]:
        return sorted({*ENTRIES, *ALIASES, *self._registered})

    def _resolve(self, name: str) -> str | None:
        return name if name in self._registered else canonical_name(name)

    def _lookup(self, name: str) -> str:
        if not isinstance(name, str):
            raise TypeError("an entry is named by text")
        resolved = self._resolve(name)
        if resolved is None:
            close = did_you_mean(name, self._known_names(), 3)
            hint = f"; did you mean {' or '.join(close)}?" if close else "; see list_all() or search()"
            raise KeyError(f"no entry named {name!r}{hint}")
        return resolved

    def _base(self, name: str) -> Expression:
        if name in self._registered:
            return self._registered[name]
        entry = ENTRIES[name]
        return Expression(name, entry_expr(name), entry.params, metadata=entry_metadata(entry),
                          signature=entry.inputs, synonyms=FORMER_NAMES.get(name))

    def get(self, name: str, params: Mapping[str, float] | None = None,
            trainable: bool | Iterable[str] = False) -> Expression:
        """The entry as an Expression (aliases resolve). `params` override the defaults; `trainable=True` marks
        every parameter trainable, or pass the names of the trainable ones."""
        base = self._base(self._lookup(name))
        values = with_values(base.name, base.params, base.own_names(params or {}), [s.name for s in base.variables])
        if trainable is True or trainable is False:
            trainable_names = list(values) if trainable else []
        else:
            trainable_names = list(trainable)
        return Expression(base.name, base.symbolic_expr, values, list(base.own_names(dict.fromkeys(trainable_names))),
                          base.metadata, signature=base.metadata.get("signature", [s.name for s in base.inputs]),
                          synonyms=base.synonyms)

    def list_all(self, category: str | None = None) -> list[str]:
        """Every entry name (not aliases), sorted; only those of `category` when given ('loss' or 'losses')."""
        names = sorted({*ENTRIES, *self._registered})
        if category is None:
            return names
        categories = {self._category(n) for n in names}
        wanted = stem(category.lower())
        if wanted not in categories:
            raise ValueError(f"unknown category {category!r}; categories: {', '.join(sorted(categories))}")
        return [n for n in names if self._category(n) == wanted]

    def _category(self, name: str) -> str:
        return str(self._base_metadata(name).get("category", CUSTOM))

    # ------------------------------------------------------------------------------------------ search
    def search(self, query: str) -> list[str]:
        """Entry names matching the query's words in their name, aliases, category or text, best first."""
        exact = query.strip().lower()
        query_words = words(query)
        scores: dict[str, float] = {}
        for name in self.list_all():
            metadata = self._base_metadata(name)
            names = [name, *metadata.get("aliases", ())]
            score = 100.0 if exact in names else 0.0
            if len(query_words) > 1 and exact in str(metadata.get("description", "")).lower():
                score += 30  # the whole phrase, e.g. 'smooth relu'
            score += sum(self._score(word, names, metadata) for word in query_words)
            if score > 0:
                scores[name] = score
        return sorted(scores, key=lambda n: (-scores[n], n))

    def _base_metadata(self, name: str) -> Mapping[str, Any]:
        if name in self._registered:
            return self._registered[name].metadata
        return entry_metadata(ENTRIES[name])

    @staticmethod
    def _score(word: str, names: list[str], metadata: Mapping[str, Any]) -> float:
        """How well one query word matches an entry known by `names` (its name, then its aliases)."""
        name_parts = [part for n in names for part in words(n.replace("_", " "))]
        text = words(f"{metadata.get('description', '')} {metadata.get('usage', '')}")
        extra = words(" ".join([*metadata.get("pros", ()), *metadata.get("cons", ())]))
        score = 0.0
        if word in (stem(n) for n in names):
            score += 50
        elif word in name_parts:
            score += 25
        elif len(word) >= 3 and any(n.startswith(word) for n in names):
            score += 15
        elif len(word) >= 4 and did_you_mean(word, names):
            score += 10
        if word == stem(str(metadata.get("category", CUSTOM))):
            score += 20
        if word in text:
            score += 8
        elif len(word) >= 4 and any(w.startswith(word) for w in text):
            score += 4
        if word in extra:
            score += 2
        return score

    # ------------------------------------------------------------------------------------------ compose
    def compose(self, formula: str, /, **params: float) -> Expression:
        """A formula over entry names, e.g. 'mse + 0.1*mae' or 'huber(y_pred, y_true, 2) + l2': a bare name is
        the entry's expression with its parameters, a call fills in its arguments. Bare names that are neither
        entries nor variables of the entries used are ParseErrors. `params` set the values of the parameters of
        the bare entries (`compose("huber + mse", delta=2)`): one name, one symbol, so a value given here is the
        value of every entry with that parameter, and settles two entries' different defaults; a name that is not
        such a parameter is a ValueError."""
        tree = parse_tree(formula)
        bound: dict[str, Expression] = {}
        unknown: list[Node] = []
        variables: set[str] = set()
        for node, in_call in self._bare_names(tree, False):
            if node.kind == "call":
                resolved = self._resolve(node.value)
                if resolved is not None:
                    variables.update(self._variables(resolved))
            elif (resolved := self._resolve(node.value)) is not None:
                if node.value not in bound:
                    bound[node.value] = self.get(node.value)
                variables.update(self._variables(resolved))
            elif not in_call and node.value not in CONSTANTS and node.value not in ("True", "False"):
                unknown.append(node)
        for node in unknown:
            if node.value not in variables:
                close = did_you_mean(node.value, self._known_names())
                raise ParseError(f"unknown entry '{node.value}'", node.start, node.end - node.start,
                                 f"did you mean {close[0]}?" if close else "see MathForge().list_all()",
                                 code="undefined-name")
        defaults = self._shared_params(tree, bound, set(params))
        expr = Builder(formula, self._functions(), {n: e.symbolic_expr for n, e in bound.items()}).build(tree)
        free = {s.name for s in expr.free_symbols}
        components = list(dict.fromkeys(e.name for e in bound.values()))
        name = formula.strip()
        values = with_values(name, {k: v for k, v in defaults.items() if k in free}, params, free)
        return Expression(name, expr, values,
                          metadata={"category": COMPOSED, "components": components,
                                    "description": f"composed of {', '.join(components) or 'formulas'}"})

    def _bare_names(self, node: Node, in_call: bool) -> Iterator[tuple[Node, bool]]:
        """Name and call nodes, each with whether it sits inside a call's arguments."""
        if node.kind in ("name", "call"):
            yield node, in_call
        for arg in node.args:
            yield from self._bare_names(arg, in_call or node.kind == "call")

    def _variables(self, name: str) -> list[str]:
        base = self._base(name)
        return [*base.metadata.get("signature", ()), *(s.name for s in base.variables)]

    @staticmethod
    def _shared_params(tree: Node, bound: Mapping[str, Expression], given: set[str]) -> dict[str, float]:
        """The parameters of the bare entries; one symbol cannot hold two different defaults unless its value is
        `given`."""
        params: dict[str, float] = {}
        owners: dict[str, str] = {}
        for node in tree.walk():
            if node.kind != "name" or node.value not in bound:
                continue
            expression = bound[node.value]
            for key, value in expression.params.items():
                if key in params and params[key] != value and key not in given:
                    raise ParseError(f"parameter '{key}' is {params[key]:g} in {owners[key]} but {value:g} in "
                                     f"{expression.name}", node.start, node.end - node.start,
                                     f"give it one value, e.g. compose(..., {key}={value:g}), or call the "
                                     f"entries with explicit arguments, e.g. {expression.name}(..., {value:g})")
                params[key] = value
                owners.setdefault(key, expression.name)
        return params

    def _functions(self) -> dict[str, FormulaFunction]:
        """What formulas in this forge can call: the catalog, this forge's entries, then math (which wins)."""
        registered = {
            name: formula_function(name, expression.metadata["signature"], expression.params,
                                   _symbolic_expr_of(expression),
                                   str(expression.metadata.get("description", "")))
            for name, expression in self._registered.items()
        }
        return {**catalog_functions(), **registered, **MATH_FUNCTIONS}

    # ------------------------------------------------------------------------------------------ register
    def register(self, name: str, expression: Expression | str, *, params: Mapping[str, float] | None = None,
                 overwrite: bool = False, **metadata: Any) -> Expression:
        """Add an entry to this forge: an Expression or a formula. A formula may call entries (`x*sigmoid(x)`) but
        its bare names are variables: build sums of entries by name with `compose` and register the result.
        Metadata keywords (category, description, usage, pros, cons, domain) are kept; category defaults to
        'custom'. The entry's inputs, in alphabetical order, are its call signature in formulas."""
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("__"):
            raise ValueError(f"an entry name must be an identifier, not {name!r}")
        if name in MATH_FUNCTIONS or name in CONSTANTS:
            raise ValueError(f"{name!r} is a math function or constant and cannot be an entry name")
        if not overwrite and (name in self._registered or canonical_name(name) is not None):
            raise ValueError(f"{name!r} already exists; pass overwrite=True to replace it")
        if isinstance(expression, str):
            expression = Expression(name, parse_formula(expression, self._functions()), params)
        elif not isinstance(expression, Expression):
            raise TypeError("register an Expression or a formula string")
        values = {**expression.params, **(params or {})}
        signature = [s.name for s in expression.variables if s.name not in values]
        inherited = {k: v for k, v in expression.metadata.items() if k != "aliases"}  # a catalog entry's aliases
        merged = {"category": CUSTOM, **inherited, **metadata, "signature": tuple(signature)}
        merged["domain"] = {**{v: REAL_LINE for v in [*signature, *values]}, **merged.get("domain", {})}
        registered = Expression(name, expression.symbolic_expr, values,
                                [p for p in expression.trainable_params if p in values], merged,
                                signature=signature)
        self._registered[name] = registered
        return self.get(name)

    # ------------------------------------------------------------------------------------------ reading
    def explain(self, name: str, level: str = "intermediate") -> str:
        """A readable account of an entry: its category, call signature and domain, then `Expression.explain` at
        `level`: "beginner" (formula, description, usage), "intermediate" (adds derivatives, pros, cons) or
        "advanced" (adds LaTeX and second derivatives)."""
        expression = self.get(name)
        metadata = expression.metadata
        aliases = metadata.get("aliases", ())
        signature = ", ".join([*metadata["signature"], *(f"{k}={v:g}" for k, v in expression.params.items())])
        lines = [f"{expression.name} ({metadata.get('category', CUSTOM)}"
                 f"{'; also ' + ', '.join(aliases) if aliases else ''})",
                 f"call: {expression.name}({signature})",
                 f"domain: {self._domain_text(expression)}"]
        if "value_range" in metadata:
            lines.append(f"values in: {metadata['value_range']}")
        return "\n".join(lines + [expression.explain(level)])

    @staticmethod
    def _domain_text(expression: Expression) -> str:
        domain = expression.metadata.get("domain", {})
        return ", ".join(f"{v} ∈ {d}" for v, d in domain.items()) or "the real line"

    def compare(self, names: Iterable[str]) -> str:
        """A Markdown table with one column per entry: category, formula, derivative, domain, range, pros, cons."""
        expressions = [self.get(name) for name in names]
        if not expressions:
            raise ValueError("compare needs at least one entry name")
        rows = {"": [e.name for e in expressions]}
        rows["category"] = [str(e.metadata.get("category", CUSTOM)) for e in expressions]
        rows["formula"] = [str(e.symbolic_expr) for e in expressions]
        rows["derivative"] = [self._first_derivative(e) for e in expressions]
        rows["domain"] = [self._domain_text(e) for e in expressions]
        rows["range"] = [str(e.metadata.get("value_range", "?")) for e in expressions]
        rows["pros"] = ["; ".join(e.metadata.get("pros", ())) or "-" for e in expressions]
        rows["cons"] = ["; ".join(e.metadata.get("cons", ())) or "-" for e in expressions]
        cells = [[label, *(c.replace("|", "\\|") for c in values)] for label, values in rows.items()]
        widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
        lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in cells]
        lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
        return "\n".join(lines)

    @staticmethod
    def _first_derivative(expression: Expression) -> str:
        signature = expression.metadata.get("signature") or [s.name for s in expression.inputs]
        if not signature:
            return "-"
        return f"d/d{signature[0]} = {expression.gradient(signature[0]).symbolic_expr}"


__all__ = ["MathForge"]
