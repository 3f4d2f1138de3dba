"""The server's settings: section `neurogebra` of workspace/configuration, the same shape in initializationOptions.

    {"gradcheck": {"samples": 100, "rtol": 1e-6, "atol": 0, "dtype": "float64"}, "defaultDomain": "(-inf, inf)",
     "inlayHints": {"enabled": true}, "hover": {"maxDerivativeOrder": 3, "rich": false, "typeset": false},
     "analysis": {"timeBudgetMs": 10000}, "python": {"enabled": true}, "diagnostics": {"poles": false}}

What each setting is (path, type, default, allowed values) is declared once, in `schema.py`; this module reads the
client's values against it. A value of the wrong type or out of range (a 400-digit number too) falls back to its
default, with a message that says so, and the other settings keep their values; unknown keys are logged and
ignored. The messages are logged, and also handed to the caller (the server shows each to the user once).
"""
from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from neurogebra.analysis.ngb import parse_interval
from neurogebra.syntax import ParseError
from neurogebra_lsp.schema import SCHEMA, SECTION, ServerSettings, Setting

__all__ = ["SECTION", "ServerSettings", "merge", "parse_settings", "section_of"]

logger = logging.getLogger(__name__)


def expected(setting: Setting, value: Any) -> str | None:
    """What `setting` expected when `value` does not fit it (None when it does)."""
    if setting.type == "boolean":
        return None if isinstance(value, bool) else "true or false"
    if setting.type == "integer":
        if isinstance(value, bool) or not isinstance(value, int) or not _within(setting, value):
            return f"an integer from {setting.minimum} to {setting.maximum}"
        return None
    if setting.type == "number":
        if (isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value)
                or not _within(setting, value)):
            if setting.maximum is None:
                return f"a finite number >= {setting.minimum}"
            return f"a finite number from {setting.minimum} to {setting.maximum}"
        return None
    if setting.choices:
        return None if value in setting.choices else " or ".join(f'"{choice}"' for choice in setting.choices)
    if setting.interval:
        return _interval(value)
    return None if isinstance(value, str) else "a string"


def _finite(value: int | float) -> bool:
    """Whether `value` is a finite float, or an int that converts to one."""
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond the largest float
        return False


def _within(setting: Setting, value: float) -> bool:
    return ((setting.minimum is None or value >= setting.minimum)
            and (setting.maximum is None or value <= setting.maximum))


def _interval(value: Any) -> str | None:
    if not isinstance(value, str):
        return "an interval such as \"(-inf, inf)\" or \"[-10, 10]\""
    try:
        parse_interval(value)
    except ParseError as exc:
        return f"an interval such as \"(-inf, inf)\" or \"[-10, 10]\" ({exc.message})"
    return None


def parse_settings(raw: Any, fallbacks: list[str] | None = None) -> ServerSettings:
    """Settings from a `neurogebra` section (nested objects or dotted keys); anything missing keeps its default.
    The message of each value that falls back to its default is logged, and appended to `fallbacks`."""
    settings = ServerSettings()
    if raw is None:
        return settings
    if not isinstance(raw, Mapping):
        _fall_back(fallbacks, f"settings {SECTION}: expected an object, got {_shown(raw)}; using the defaults")
        return settings
    known = {setting.path for setting in SCHEMA}
    for path in sorted(_paths(raw) - known):
        logger.warning("settings %s.%s: unknown setting, ignored", SECTION, path)
    for setting in SCHEMA:
        value = _lookup(raw, setting.path)
        if value is _MISSING:
            continue
        wanted = expected(setting, value)
        if wanted is None:
            parsed: Any = float(value) if setting.type == "number" else value
            settings = replace(settings, **{setting.field: parsed})
        else:
            _fall_back(fallbacks, f"settings {setting.key}: expected {wanted}, got {_shown(value)}; "
                                  f"using the default {getattr(settings, setting.field)!r}")
    return settings


SHOWN_CHARS = 60  # of a bad value in a message


def _shown(value: Any) -> str:
    """`value` as Python writes it, cut short (a 400-digit number is not worth reading)."""
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]}... ({len(text)} characters)"


def _fall_back(fallbacks: list[str] | None, message: str) -> None:
    logger.warning("%s", message)
    if fallbacks is not None:
        fallbacks.append(message)


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


def _lookup(raw: Mapping[str, Any], path: str) -> Any:
    if path in raw:
        return raw[path]
    node: Any = raw
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _paths(raw: Mapping[str, Any], prefix: str = "") -> set[str]:
    found = set()
    for key, value in raw.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            found |= _paths(value, path + ".")
        else:
            found.add(path)
    return found
