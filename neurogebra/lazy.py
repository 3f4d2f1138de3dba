"""Packages whose public names load on first use (so importing the package does not import SymPy)."""
from __future__ import annotations

from importlib import import_module
from typing import Any, Callable, Mapping


def lazy_exports(namespace: dict[str, Any], homes: Mapping[str, str]) -> tuple[Callable, Callable]:
    """A package's `__getattr__` and `__dir__`: `homes` maps each public name to the module defining it."""
    def __getattr__(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        # Deferred so that importing the package imports no SymPy, not to hide a cycle: the import graph test
        # (tests/unit/test_architecture.py) counts the modules of `homes` as imports of the package.
        value = getattr(import_module(homes[name]), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(homes))

    return __getattr__, __dir__
