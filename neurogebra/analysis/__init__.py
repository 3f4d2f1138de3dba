"""Documents -> statements with exact source ranges -> results. Protocol-free: the language server and
`neurogebra check` both stand on it."""
from neurogebra.analysis.budget import BudgetExceeded, Cancelled
from neurogebra.analysis.engine import Engine
from neurogebra.analysis.files import discover, language_of
from neurogebra.analysis.model import (Check, Code, Derivative, Diagnostic, DocumentAnalysis, Edit, Fix, Reference,
                                       ReferenceKind, Related, Rendered, Settings, Severity, Span, Statement,
                                       StatementKind)
from neurogebra.analysis.names import CompletionItem, Signature, completion_items, signature_of

__all__ = ["BudgetExceeded", "Cancelled", "Check", "Code", "CompletionItem", "Derivative", "Diagnostic",
           "DocumentAnalysis", "Edit", "Engine", "Fix", "Reference", "ReferenceKind", "Related", "Rendered",
           "Settings", "Severity", "Signature", "Span", "Statement", "StatementKind", "completion_items", "discover",
           "language_of", "signature_of"]
