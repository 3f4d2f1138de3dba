"""Rewrites against cancellation (filled in by the cancellation rules)."""
RULES: tuple = ()
