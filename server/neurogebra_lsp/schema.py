"""The server's settings, each declared once: `ServerSettings` below is the schema.

Each field says its JSON path below the section `neurogebra` (`gradcheck.samples`), its default (analysis's own,
from `neurogebra.analysis.model.Settings`, where analysis owns the setting), its allowed values and one sentence for
the user; the field's type is the JSON type. `SCHEMA` lists them as `Setting` records. Generated from it, never
edited by hand: the server settings in editors/vscode/package.json (`contributes.configuration`; the extension's own
settings, `EXTENSION_SETTINGS`, are left as they are), the settings table of docs/server.md and the one of
README.md. After changing a setting here:

    .venv/bin/python -m neurogebra_lsp.schema --write     # rewrite those three places
    .venv/bin/python -m neurogebra_lsp.schema --check     # say which disagree (tests/unit/test_settings_schema.py)

The server's own process loads this module: it imports nothing heavy (no SymPy, NumPy or parso).
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from neurogebra.analysis.model import Settings

SECTION = "neurogebra"
Value = bool | int | float | str
JSON_TYPES = {"bool": "boolean", "int": "integer", "float": "number", "str": "string"}

# Settings in package.json that only the VS Code extension reads (where the server is, how to trace it): the
# generator leaves them as they are, and refuses to touch a package.json with a setting that is in neither list.
EXTENSION_SETTINGS = ("server.path", "server.args", "interpreter", "trace.server")


@dataclass(frozen=True)
class Setting:
    """One setting as clients see it."""

    path: str                              # below the section, dotted: "gradcheck.samples"
    field: str                             # the ServerSettings field
    type: str                              # the JSON type: "boolean", "integer", "number" or "string"
    default: Value
    description: str                       # one sentence, markdown, the same in package.json and in the docs
    minimum: int | float | None = None
    maximum: int | float | None = None
    choices: tuple[str, ...] = ()
    interval: bool = False                 # a string that reads as an interval: "[-10, 10]", "(0, 1]"
    vscode_default: Value | None = None    # the VS Code extension's default, where it differs from the server's
    vscode_sends: bool = False             # no VS Code setting: the extension always sends `vscode_default`

    @property
    def key(self) -> str:
        """The full name, as in VS Code: `neurogebra.gradcheck.samples`."""
        return f"{SECTION}.{self.path}"


def _declare(path: str, default: Value, description: str, *, minimum: int | float | None = None,
             maximum: int | float | None = None, choices: tuple[str, ...] = (), interval: bool = False,
             vscode_default: Value | None = None, vscode_sends: bool = False) -> Any:
    """A ServerSettings field with its default and, as metadata, the rest of its schema."""
    spec = Setting(path, "", "", default, description, minimum, maximum, choices, interval, vscode_default,
                   vscode_sends)
    return field(default=default, metadata={"setting": spec})


@dataclass(frozen=True)
class ServerSettings:
    """The settings the server applies; the analysis defaults are analysis's own (`Settings`), the rest the server's."""

    samples: int = _declare(
        "gradcheck.samples", Settings.samples,
        "Points sampled in each numeric gradient check.",
        minimum=1, maximum=100_000)
    rtol: float = _declare(
        "gradcheck.rtol", Settings.rtol,
        "Relative tolerance of a numeric gradient check, a fraction of the derivative's own scale.",
        minimum=0)
    atol: float = _declare(
        "gradcheck.atol", Settings.atol,
        "Absolute floor of a numeric gradient check's tolerance; 0 judges every scale relative to itself.",
        minimum=0)
    dtype: str = _declare(
        "gradcheck.dtype", Settings.dtype,
        "The floating-point precision in which formulas are judged stable (`float32`: as ML models train).",
        choices=("float64", "float32"))
    default_domain: str = _declare(
        "defaultDomain", Settings.default_domain,
        "Where variables are sampled unless a domain is given (`@domain x in (0, 1]`, or in Python a comment "
        "`# neurogebra: domain x in (0, 1]`).",
        interval=True)
    inlay_hints: bool = _declare(
        "inlayHints.enabled", True,
        "Show the value of each evaluation (`f'(0)`, `.eval(x=0)`) at the end of its line.")
    max_derivative_order: int = _declare(
        "hover.maxDerivativeOrder", Settings.max_derivative_order,
        "Highest derivative shown when hovering a function of one variable.",
        minimum=1, maximum=10)
    rich_hover: bool = _declare(
        "hover.rich", False,
        "Add a plot of f and f′ (an SVG image) to hovers.",
        vscode_default=True)
    typeset_hover: bool = _declare(
        "hover.typeset", False,
        "The client typesets LaTeX in ```` ```math ```` blocks itself: hovers send formulas as LaTeX instead of "
        "unicode text.",
        vscode_default=True, vscode_sends=True)
    time_budget_ms: int = _declare(
        "analysis.timeBudgetMs", Settings.time_budget_ms,
        "Milliseconds one statement's symbolic work may take, a last guard (work is bounded by size first); a "
        "statement over it gets `too-complex`.",
        minimum=10, maximum=600_000)
    python: bool = _declare(
        "python.enabled", Settings.python,
        "Analyze the formula strings in Python files (`Expression(\"f\", \"x**2\")`).")
    poles: bool = _declare(
        "diagnostics.poles", Settings.poles,
        "Report the points where a formula is not finite (`log(p)` at `p = 0`) as information diagnostics, in "
        "`.ngb` files and Python formula strings; off, they are left out.")

    def analysis(self) -> Settings:
        """What analysis is told (a rich hover needs the plots)."""
        return Settings(samples=self.samples, rtol=self.rtol, atol=self.atol, dtype=self.dtype,
                        default_domain=self.default_domain,
                        max_derivative_order=self.max_derivative_order, time_budget_ms=self.time_budget_ms,
                        plots=self.rich_hover, python=self.python, poles=self.poles)


SCHEMA: tuple[Setting, ...] = tuple(
    replace(item.metadata["setting"], field=item.name, type=JSON_TYPES[str(item.type)])
    for item in fields(ServerSettings))


# ---------------------------------------------------------------------------------------- what is generated

def vscode_properties() -> dict[str, dict[str, Any]]:
    """The server settings' entries of package.json's `contributes.configuration.properties`, in order."""
    properties: dict[str, dict[str, Any]] = {}
    for setting in SCHEMA:
        if setting.vscode_sends:
            continue
        default = setting.default if setting.vscode_default is None else setting.vscode_default
        entry: dict[str, Any] = {"type": setting.type, "default": _json_number(default)}
        if setting.choices:
            entry["enum"] = list(setting.choices)
        if setting.minimum is not None:
            entry["minimum"] = setting.minimum
        if setting.maximum is not None:
            entry["maximum"] = setting.maximum
        entry["markdownDescription"] = setting.description
        properties[setting.key] = entry
    return properties


def updated_package_json(text: str) -> str:
    """package.json with its server settings generated; every other part of it as it was."""
    manifest = json.loads(text)
    properties = manifest["contributes"]["configuration"]["properties"]
    ours = {setting.key for setting in SCHEMA}
    extension = {f"{SECTION}.{path}" for path in EXTENSION_SETTINGS}
    strangers = [key for key in properties if key not in ours and key not in extension]
    if strangers:
        raise ValueError(f"package.json declares {', '.join(strangers)}, neither a server setting (schema.py) nor "
                         "one of the extension's own (EXTENSION_SETTINGS): add it to one of them, or remove it")
    kept = {key: value for key, value in properties.items() if key in extension}
    manifest["contributes"]["configuration"]["properties"] = {**kept, **vscode_properties()}
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def markdown_table(values_column: bool = True, lower_case: bool = False) -> str:
    """The settings table of docs/server.md (with the allowed values) and of README.md (without)."""
    header = ["Setting", "Default", "Values", "Meaning"] if values_column else ["Setting", "Default", "Meaning"]
    if lower_case:
        header = [name.lower() for name in header]
    rows = [header, ["---"] * len(header)]
    for setting in SCHEMA:
        cells = [f"`{setting.path}`", _default_cell(setting), _values_cell(setting), setting.description]
        rows.append(cells if values_column else cells[:2] + cells[3:])
    return "".join("| " + " | ".join(row) + " |\n" for row in rows)


BEGIN = "<!-- generated by `python -m neurogebra_lsp.schema --write` from server/neurogebra_lsp/schema.py -->\n"
END = "<!-- end of the generated table -->\n"


def updated_markdown(text: str, table: str) -> str:
    """`text` with the table between BEGIN and END replaced by `table`."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError("no generated settings table (its BEGIN and END comments) in this file")
    return text[:start + len(BEGIN)] + table + text[end:]


def _json_number(value: Value) -> Value:
    """0.0 as 0, as package.json writes it; everything else as it is."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _literal(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        mantissa, _, exponent = repr(value).partition("e")
        return mantissa + ("e" + str(int(exponent)) if exponent else "")
    if isinstance(value, str):
        return json.dumps(value)
    return str(value)


def _default_cell(setting: Setting) -> str:
    cell = f"`{_literal(setting.default)}`"
    if setting.vscode_sends and setting.vscode_default is not None:
        return cell + f" (the VS Code extension sends `{_literal(setting.vscode_default)}`)"
    if setting.vscode_default is not None:
        return cell + f" (VS Code: `{_literal(setting.vscode_default)}`)"
    return cell


def _values_cell(setting: Setting) -> str:
    if setting.choices:
        return " or ".join(f"`{choice}`" for choice in setting.choices)
    if setting.interval:
        return "an interval: `[-10, 10]`, `(0, 1]`, `(-inf, inf)`, ..."
    if setting.type == "boolean":
        return "`true` or `false`"
    if setting.type == "integer":
        return f"{setting.minimum} to {setting.maximum}"
    if setting.type == "number" and setting.maximum is None:
        return f"a finite number ≥ {_literal(float(setting.minimum or 0))}"
    return f"a finite number from {setting.minimum} to {setting.maximum}"


# ---------------------------------------------------------------------------------------- the generator

def generated_files(root: Path) -> dict[Path, str]:
    """Each generated file of the repository at `root`, with the text it should have."""
    package, server, readme = root / "editors/vscode/package.json", root / "docs/server.md", root / "README.md"
    return {
        package: updated_package_json(package.read_text(encoding="utf-8")),
        server: updated_markdown(server.read_text(encoding="utf-8"), markdown_table()),
        readme: updated_markdown(readme.read_text(encoding="utf-8"), markdown_table(False, lower_case=True)),
    }


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m neurogebra_lsp.schema",
                                     description="Write (or check) the files generated from the settings schema.")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="rewrite the files that disagree")
    action.add_argument("--check", action="store_true", help="list the files that disagree; exit 1 if any")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2],
                        help="the repository (default: the one this module is in)")
    args = parser.parse_args(argv)
    stale = {path: text for path, text in generated_files(args.root).items()
             if path.read_text(encoding="utf-8") != text}
    for path, text in stale.items():
        if args.write:
            path.write_text(text, encoding="utf-8")
        print(f"{'rewrote' if args.write else 'stale'}: {path.relative_to(args.root)}")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
