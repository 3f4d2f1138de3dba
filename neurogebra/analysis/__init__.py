"""Documents -> statements with exact source ranges -> results. Protocol-free: the language server and
`neurogebra check` both stand on it. Names load on first use: the model and the names of things need no SymPy."""
from neurogebra.lazy import lazy_exports

_MODULES = {
    "budget": ("BudgetExceeded", "Cancelled"),
    "engine": ("Engine",),
    "files": ("discover", "language_of"),
    "model": ("Check", "Code", "Derivative", "Diagnostic", "DocumentAnalysis", "Edit", "Fix", "Reference",
              "ReferenceKind", "Related", "Rendered", "Settings", "Severity", "Span", "Statement", "StatementKind"),
    "names": ("CompletionItem", "Signature", "completion_items", "signature_of"),
}
_HOMES = {name: f"neurogebra.analysis.{module}" for module, names in _MODULES.items() for name in names}
__all__ = sorted(_HOMES)
__getattr__, __dir__ = lazy_exports(globals(), _HOMES)
