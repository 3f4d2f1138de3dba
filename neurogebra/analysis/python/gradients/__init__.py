"""Gradients written in Python code, checked from the source (issue 16): a torch.autograd.Function's backward, a
jax custom_vjp/custom_jvp rule, a NumPy f_grad beside f. styles.py finds the rules, reading.py reads their code
into SymPy, verdicts.py judges each returned gradient with claim_facts, writing.py writes fixes in the user's
framework."""
from __future__ import annotations

from neurogebra.analysis.python.gradients.reading import ModuleNames
from neurogebra.analysis.python.gradients.styles import Rule, find_rules
from neurogebra.analysis.run import key_of


def rule_key(rule: Rule, names: ModuleNames, settings_key: str) -> str:
    """What a rule's statements depend on: its code, the helpers and constants it can reach, the imports."""
    parts = [part for part in (rule.forward, rule.backward, rule.helper) if part is not None]
    reached = names.dependencies(parts)
    return key_of("gradient-rule", rule.style, rule.name, rule.nondiff, rule.wrt,
                  tuple(part.get_code() for part in parts),
                  tuple((name, (names.functions.get(name) or names.constants[name]).get_code()) for name in reached),
                  tuple(sorted(names.imports.items())), settings_key)


__all__ = ["ModuleNames", "Rule", "find_rules", "rule_key"]
