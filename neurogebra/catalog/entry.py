"""One catalog entry: a named formula with its call signature, defaults, sampling domain and documentation."""
from __future__ import annotations

from dataclasses import dataclass, field

from neurogebra.domains import REAL_LINE, Domain

CATEGORIES = ("activation", "loss", "regularizer", "statistic", "metric", "transform", "algebra", "calculus",
              "optimization", "linalg")

POSITIVE = Domain(0.0)
NON_NEGATIVE = Domain(0.0, lo_closed=True)
OPEN_UNIT = Domain(0.0, 1.0)
CLOSED_UNIT = Domain(0.0, 1.0, lo_closed=True, hi_closed=True)


@dataclass(frozen=True)
class Entry:
    """Plain data: nothing is parsed until `neurogebra.catalog.formulas.entry_expr(name)` asks for the expression.

    `inputs` is the call order in formulas (`mse(y_pred, y_true)`); `params` are the optional trailing arguments
    with their defaults. `domain` maps a variable to where it is sampled (missing variables: the real line);
    `value_range` is where the entry's values lie on that domain. `deviation` says, in one line, how the entry
    differs from neurogebra 2.5.11's entry of the same name where that one is wrong (empty when it does not).
    """

    name: str
    formula: str
    inputs: tuple[str, ...]
    category: str
    description: str
    usage: str
    pros: tuple[str, ...]
    cons: tuple[str, ...]
    params: dict[str, float] = field(default_factory=dict)
    domain: dict[str, Domain] = field(default_factory=dict)
    value_range: Domain = REAL_LINE
    aliases: tuple[str, ...] = ()
    deviation: str = ""

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"{self.name}: unknown category {self.category!r}")
        unknown = set(self.domain) - set(self.inputs) - set(self.params)
        if unknown:
            raise ValueError(f"{self.name}: domain for unknown variables {sorted(unknown)}")

    @property
    def variables(self) -> tuple[str, ...]:
        """Inputs then parameters: the order of the arguments in a formula call."""
        return self.inputs + tuple(self.params)

    def domain_of(self, variable: str) -> Domain:
        return self.domain.get(variable, REAL_LINE)
