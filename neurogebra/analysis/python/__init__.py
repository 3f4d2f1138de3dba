"""Formula strings in Python code: run.py (the analysis of a document), walk.py (the statements found in the
code), semantics.py (what each statement computes), domains.py (domain comments), literals.py (string literals
mapped back to the source)."""
