"""What analysis yields, as plain data: offsets into the document text and ready-to-show strings.

No SymPy objects and no protocol types: the language server and `neurogebra check` both read these, and they
cross process boundaries cheaply.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum
from typing import Callable, Iterable, Sequence

from neurogebra.verdict import Verdict


class Severity(IntEnum):
    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4


class Code(str, Enum):
    """Stable diagnostic codes (documented in README)."""

    PARSE_ERROR = "parse-error"
    UNDEFINED_NAME = "undefined-name"
    WRONG_ARGUMENT_COUNT = "wrong-argument-count"
    DUPLICATE_DEFINITION = "duplicate-definition"
    CYCLIC_DEFINITION = "cyclic-definition"
    DEPENDENCY_ERROR = "dependency-error"
    UNDEFINED_FUNCTION_DERIVATIVE = "undefined-derivative-target"
    MISSING_VARIABLES = "missing-variables"
    INVALID_DOMAIN = "invalid-domain"
    GRADIENT_MISMATCH = "gradient-mismatch"
    UNSTABLE_FORM = "unstable-form"
    NON_DIFFERENTIABLE = "non-differentiable"
    EVALUATION_ERROR = "evaluation-error"
    TOO_COMPLEX = "too-complex"
    NOT_CHECKED = "not-checked"  # code that cannot be read as elementwise math (a loop, a matrix product)
    SHAPE_MISMATCH = "shape-mismatch"  # vectors and matrices whose shapes do not fit (W @ y)


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open [start, end) offsets into the document text (Python string indices)."""

    start: int
    end: int

    def contains(self, offset: int) -> bool:
        return self.start <= offset <= self.end


@dataclass(frozen=True, slots=True)
class Related:
    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    span: Span
    severity: Severity
    code: Code
    message: str
    related: tuple[Related, ...] = ()
    pole: bool = False  # a note on a point where the function is not finite (reported when Settings.poles)


@dataclass(frozen=True, slots=True)
class Edit:
    span: Span
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A change the user may choose (a code action); nothing applies it but the user."""

    title: str
    edits: tuple[Edit, ...]
    kind: str  # "quickfix" or "refactor"
    code: Code | None = None  # the diagnostic it fixes
    preferred: bool = False


@dataclass(frozen=True, slots=True)
class Rendered:
    """One formula, three ways: SymPy text (valid input again), one line of unicode to read (x² + 3·x), and LaTeX
    for clients that typeset (empty in the fast pass, which feeds diagnostics only)."""

    plain: str
    unicode: str
    latex: str = ""

    def labelled(self, label: str) -> str:
        return f"{label} = {self.unicode}"


@dataclass(frozen=True, slots=True)
class Derivative:
    variable: str
    order: int
    label: str  # f'(x), ∂g/∂y, d²f/dx²
    formula: Rendered
    self_form: Rendered | None = None  # the derivative written with the function itself: s*(1 - s)


class StatementKind(str, Enum):
    FUNCTION = "function"        # f(x) = ...
    CONSTANT = "constant"        # lr = 0.1
    CLAIM = "claim"              # f'(x) = ..., ∂g/∂x = ...
    EVALUATION = "evaluation"    # f'(0), g(1, 2), f'(x)
    DOMAIN = "domain"            # @domain x in [-10, 10]
    SHAPE = "shape"              # @shape W: (m, n)
    FORMULA = "formula"          # a formula string in Python: Expression("name", "...")
    CATALOG = "catalog"          # forge.get("relu")
    GRADIENT = "gradient"        # f.gradient("x") in Python
    EVAL_CALL = "eval-call"      # f.eval(x=0) in Python
    INVALID = "invalid"          # a line that does not parse as any statement


class ReferenceKind(str, Enum):
    FUNCTION = "function"        # a user function defined in the document
    CONSTANT = "constant"
    CATALOG = "catalog"
    MATH = "math"                # exp, log, ...
    VARIABLE = "variable"        # a formal parameter or free variable
    PARAMETER = "parameter"      # a function's own parameter in its definition
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Reference:
    """A name as it appears in the text, and what it refers to."""

    name: str
    span: Span
    kind: ReferenceKind
    is_definition: bool = False
    target: Span | None = None  # the defining name's span, for names defined in the document


@dataclass(frozen=True, slots=True)
class Check:
    """A gradcheck verdict as shown to users: `message` in full, `finding` without the derivative it restates
    (for a hover that shows the derivative beside it)."""

    variable: str
    verdict: Verdict
    message: str
    finding: str


@dataclass(frozen=True, slots=True)
class Statement:
    kind: StatementKind
    span: Span                         # the whole statement (a line in .ngb; the call in Python)
    text: str                          # its source text (the cache key together with its dependencies)
    name: str | None = None            # the defined or referenced function name
    name_span: Span | None = None
    params: tuple[str, ...] = ()       # a definition's formal parameters (the function's inputs)
    formula_span: Span | None = None   # where the formula text is in the document
    label: str = ""                    # how to show it: "f(x)", "f'(x)", "∂g/∂x", "relu(x)"
    formula: Rendered | None = None    # the function body, the claim, or the evaluated expression
    variables: tuple[str, ...] = ()
    derivatives: tuple[Derivative, ...] = ()
    value: Rendered | None = None      # the value or simplified result of an evaluation
    stable_form: Rendered | None = None
    description: str = ""              # a catalog entry's description
    checks: tuple[Check, ...] = ()
    references: tuple[Reference, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    fixes: tuple[Fix, ...] = ()
    plot: str | None = None            # an SVG of f and f' over the domain, when asked for


@dataclass(frozen=True, slots=True)
class DocumentAnalysis:
    language: str                      # "ngb" or "python"
    text: str
    statements: Sequence[Statement] = ()  # in document order; a long run's are packed (analysis.packed)
    reused: int = 0                    # statements taken from the cache, for tests and benchmarks

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for s in self.statements for d in s.diagnostics]

    def diagnostics_only(self) -> "DocumentAnalysis":
        """The statements that have diagnostics, with nothing else: what publishing diagnostics needs, at a
        fraction of the size (it crosses a process boundary)."""
        kept = tuple(Statement(s.kind, s.span, "", diagnostics=s.diagnostics) for s in self.statements
                     if s.diagnostics)
        return DocumentAnalysis(self.language, "", kept, self.reused)

    def statements_at(self, offset: int) -> list[Statement]:
        return [s for s in self.reaching(Span(offset, offset)) if s.span.contains(offset)]

    def references_at(self, offset: int) -> list[Reference]:
        return [r for s in self.reaching(Span(offset, offset)) for r in s.references if r.span.contains(offset)]

    def reaching(self, span: Span) -> Iterable[Statement]:
        """At least the statements whose span or references overlap `span` (of packed ones, only the chunks that
        can hold such a statement are unpacked)."""
        reaching = getattr(self.statements, "reaching", None)
        return self.statements if reaching is None else reaching(span)


@dataclass(frozen=True)
class Settings:
    """What analysis can be told. These defaults are the settings' defaults everywhere: the server's settings
    schema (`neurogebra_lsp.schema`, from which the editors' settings and the docs are generated) and
    `neurogebra check` take them from here."""

    samples: int = 100
    rtol: float = 1e-6
    atol: float = 0.0                  # an absolute floor; 0: every scale is judged relative to itself
    dtype: str = "float64"             # the precision formulas are judged in: "float64" or "float32"
    default_domain: str = "(-inf, inf)"
    max_derivative_order: int = 3
    time_budget_ms: int = 10_000       # a last guard: symbolic work is bounded by size first
    plots: bool = False
    python: bool = True
    poles: bool = False                # report poles (log(p) at p = 0) as information, in .ngb and Python formulas


@dataclass(frozen=True)
class Focus:
    """The part of a document to analyze first (what the editor shows of a big document opened cold), and who
    gets its analysis before the rest is done."""

    span: Span
    show: Callable[[DocumentAnalysis], None]
