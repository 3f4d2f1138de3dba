"""The server's settings: section `neurogebra` of workspace/configuration, the same shape in initializationOptions.

    {"gradcheck": {"samples": 100, "rtol": 1e-6, "atol": 0, "dtype": "float64"}, "defaultDomain": "(-inf, inf)",
     "inlayHints": {"enabled": true}, "hover": {"maxDerivativeOrder": 3, "rich": false, "typeset": false},
     "analysis": {"timeBudgetMs": 10000}, "python": {"enabled": true}, "diagnostics": {"poles": false}}

A value of the wrong type or out of range falls back to its default, with a log line that says so.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping

from neurogebra.analysis.model import Settings
from neurogebra.analysis.ngb import parse_interval
from neurogebra.syntax import ParseError

logger = logging.getLogger(__name__)
SECTION = "neurogebra"


@dataclass(frozen=True)
class ServerSettings:
    """The analysis defaults are analysis's own (`Settings`); the rest is the server's."""

    samples: int = Settings.samples
    rtol: float = Settings.rtol
    atol: float = Settings.atol
    dtype: str = Settings.dtype
    default_domain: str = Settings.default_domain
    inlay_hints: bool = True
    max_derivative_order: int = Settings.max_derivative_order
    rich_hover: bool = False
    typeset_hover: bool = False  # the client typesets ```math (LaTeX) blocks itself: the VS Code extension does
    time_budget_ms: int = Settings.time_budget_ms
    python: bool = Settings.python
    poles: bool = Settings.poles

    def analysis(self) -> Settings:
        """What analysis is told (a rich hover needs the plots)."""
        return Settings(samples=self.samples, rtol=self.rtol, atol=self.atol, dtype=self.dtype,
                        default_domain=self.default_domain,
                        max_derivative_order=self.max_derivative_order, time_budget_ms=self.time_budget_ms,
                        plots=self.rich_hover, python=self.python, poles=self.poles)


def _integer(low: int, high: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return f"an integer from {low} to {high}"
        return None
    return check


def _tolerance(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        return "a finite number >= 0"
    return None


def _dtype(value: Any) -> str | None:
    return None if value in ("float64", "float32") else "\"float64\" or \"float32\""


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "true or false"


def _interval(value: Any) -> str | None:
    if not isinstance(value, str):
        return "an interval such as \"(-inf, inf)\" or \"[-10, 10]\""
    try:
        parse_interval(value)
    except ParseError as exc:
        return f"an interval such as \"(-inf, inf)\" or \"[-10, 10]\" ({exc.message})"
    return None


# (JSON path under the section, ServerSettings field, check returning what was expected when the value is bad)
KEYS: tuple[tuple[str, str, Callable[[Any], str | None]], ...] = (
    ("gradcheck.samples", "samples", _integer(1, 100_000)),
    ("gradcheck.rtol", "rtol", _tolerance),
    ("gradcheck.atol", "atol", _tolerance),
    ("gradcheck.dtype", "dtype", _dtype),
    ("defaultDomain", "default_domain", _interval),
    ("inlayHints.enabled", "inlay_hints", _boolean),
    ("hover.maxDerivativeOrder", "max_derivative_order", _integer(1, 10)),
    ("hover.rich", "rich_hover", _boolean),
    ("hover.typeset", "typeset_hover", _boolean),
    ("analysis.timeBudgetMs", "time_budget_ms", _integer(10, 600_000)),
    ("python.enabled", "python", _boolean),
    ("diagnostics.poles", "poles", _boolean),
)


def parse_settings(raw: Any) -> ServerSettings:
    """Settings from a `neurogebra` section (nested objects or dotted keys); anything missing keeps its default."""
    settings = ServerSettings()
    if raw is None:
        return settings
    if not isinstance(raw, Mapping):
        logger.warning("settings %s: expected an object, got %r; using the defaults", SECTION, raw)
        return settings
    known = {path for path, _, _ in KEYS}
    for path in sorted(_paths(raw) - known):
        logger.warning("settings %s.%s: unknown setting, ignored", SECTION, path)
    for path, name, check in KEYS:
        value = _lookup(raw, path)
        if value is _MISSING:
            continue
        expected = check(value)
        if expected is None:
            settings = replace(settings, **{name: float(value) if name in ("rtol", "atol") else value})
        else:
            logger.warning("settings %s.%s: expected %s, got %r; using the default %r",
                           SECTION, path, expected, value, getattr(settings, name))
    return settings


def merge(base: Any, override: Any) -> Any:
    """`override` laid over `base`, object by object (initializationOptions under workspace/configuration)."""
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = merge(base.get(key), value)
        return merged
    return base if override is None else override


def section_of(options: Any) -> Any:
    """initializationOptions may hold the section itself or wrap it as {"neurogebra": {...}}."""
    if isinstance(options, Mapping) and isinstance(options.get(SECTION), Mapping):
        return options[SECTION]
    return options


_MISSING = object()


def _lookup(raw: Mapping, path: str) -> Any:
    if path in raw:
        return raw[path]
    node: Any = raw
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _paths(raw: Mapping, prefix: str = "") -> set[str]:
    found = set()
    for key, value in raw.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            found |= _paths(value, path + ".")
        else:
            found.add(path)
    return found
