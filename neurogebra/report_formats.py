"""What `neurogebra check` found, in the formats people and CI read: text, JSON, SARIF 2.1.0 (GitHub code
scanning and other SARIF viewers), GitHub Actions workflow commands (annotations on a pull request) and JUnit XML
(the test reports of GitLab and Jenkins).

Plain data in, text out: `neurogebra.cli` reads the analysis and hands over each file's findings with their places
counted both ways, in characters (the text and JSON formats, GitHub annotations) and in UTF-16 code units (SARIF).
A notebook's places are in its JSON text, as everywhere in `neurogebra check`; its findings also carry their cell,
which SARIF gives as a logical location (a JSON Pointer to the cell) and every message names ("cell 3, line 2: ").
"""
from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, TextIO
from urllib.parse import quote

from neurogebra import __version__

TOOL = "neurogebra"
IO_ERROR = "io-error"
INTERNAL_ERROR = "internal-error"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SOURCE_ROOT = "%SRCROOT%"  # the uriBaseId of paths under the working directory (GitHub's convention)
NEWLINES = ["\r\n", "\r", "\n"]  # the line ends `neurogebra.analysis.lines` counts, lone \r too
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note", "hint": "note"}
GITHUB_COMMANDS = {"error": "error", "warning": "warning", "info": "notice", "hint": "notice"}


@dataclass(frozen=True)
class Rule:
    level: str  # the severity the code is reported with: "error", "warning" or "info"
    summary: str
    help: str


RULES = {
    "parse-error": Rule("error", "A statement or formula that does not parse.",
                        "The range is the text that cannot be read; the message says what was expected and, where "
                        "it can, what was meant (2x: did you mean 2*x?)."),
    "undefined-name": Rule("error", "An unknown function, variable or catalog name.",
                           "The name is neither defined in the file, a parameter, nor a catalog or math function; "
                           "the message suggests the nearest name that exists."),
    "wrong-argument-count": Rule("error", "A call with the wrong number of arguments.",
                                 "The message gives the function's parameters; call it with that many arguments."),
    "duplicate-definition": Rule("error", "A name defined twice.",
                                 "The first definition counts and this one is ignored; the related location is "
                                 "the first one. Rename one of them."),
    "cyclic-definition": Rule("error", "A definition that uses itself, directly or through others.",
                              "Definitions cannot be recursive: break the cycle the message names."),
    "dependency-error": Rule("info", "A statement that uses a definition which has an error.",
                             "Nothing is wrong here; fix the definition it uses and this statement is checked."),
    "undefined-derivative-target": Rule("error", "A derivative of a function that is not defined.",
                                        "Define the function before claiming or evaluating its derivative."),
    "missing-variables": Rule("error", "An evaluation that leaves variables without values.",
                              "Give every variable of the formula a value (f.eval(x=1, y=2) for f(x, y))."),
    "invalid-domain": Rule("error", "A malformed @domain line or `# neurogebra: domain` comment.",
                           "Write a domain as `@domain x in [a, b]` (or `# neurogebra: domain x in (0, 1]` in "
                           "Python) with open or closed ends and inf for unbounded."),
    "gradient-mismatch": Rule("error", "A claimed derivative that is wrong.",
                              "Checked symbolically and at sampled points against an exact reference: the message "
                              "gives a point where the claim and the true slope differ, and the true derivative; "
                              "the fix replaces the claim with it."),
    "unstable-form": Rule("warning", "A right formula that breaks in floating point.",
                          "The formula loses more than 5 bits on average over its domain, or gives NaN or inf where "
                          "the exact value is finite; the message says where and gives a stable form when one is "
                          "verified, which the fix writes in."),
    "non-differentiable": Rule("info", "A point where the function has no derivative (relu at 0).",
                               "The derivative takes one side's value there, as the ML frameworks do; nothing to "
                               "fix unless the point matters to you."),
    "evaluation-error": Rule("warning", "A value that is undefined (division by zero, outside the domain).",
                             "The evaluation has no value at the given point; check the point and the domain."),
    "too-complex": Rule("warning", "Symbolic work that exceeded the time budget.",
                        "The statement was not checked; simplify it or raise --time-budget-ms. The rest of the "
                        "file was checked."),
    "not-checked": Rule("info", "A gradient in Python code that was not checked.",
                        "Its code cannot be read as elementwise math (a loop, a matrix product, an unknown call); "
                        "the message says what stopped the reading. Nothing is claimed about it."),
    "shape-mismatch": Rule("error", "Vectors or matrices whose shapes do not fit.",
                           "An operator or call in a .ngb formula gets shapes it cannot take (W @ y with (m, n) and "
                           "(m,)), or a gradient claim's shape differs from its variable's; the message shows both."),
}
RULE_INDEX = {code: index for index, code in enumerate(RULES)}
FAILURES = {
    IO_ERROR: "A file that cannot be read.",
    INTERNAL_ERROR: "A file the checker failed on (a bug in neurogebra: please report it).",
}


@dataclass(frozen=True)
class Place:
    """A 1-based line and column, the column counted in characters and in UTF-16 code units."""

    line: int
    column: int
    utf16_column: int


@dataclass(frozen=True)
class Region:
    start: Place
    end: Place  # just after the last character


@dataclass(frozen=True)
class Note:
    region: Region
    message: str


@dataclass(frozen=True)
class Replacement:
    region: Region
    text: str


@dataclass(frozen=True)
class SuggestedFix:
    title: str
    replacements: tuple[Replacement, ...]


@dataclass(frozen=True)
class Finding:
    region: Region
    severity: str  # "error", "warning", "info" or "hint"
    code: str
    message: str
    notes: tuple[Note, ...] = ()
    fixes: tuple[SuggestedFix, ...] = ()
    cell: int | None = None  # in a notebook: the cell's number among all its cells, markdown too (1-based)


@dataclass(frozen=True)
class CheckedFile:
    path: str
    findings: tuple[Finding, ...]
    failure: str | None = None  # IO_ERROR or INTERNAL_ERROR: the file was not checked; its one finding says why


def json_rows(files: Iterable[CheckedFile]) -> list[dict]:
    return [{"path": file.path, "line": f.region.start.line, "column": f.region.start.column,
             "end_line": f.region.end.line, "end_column": f.region.end.column, "severity": f.severity,
             "code": f.code, "message": f.message} for file in files for f in file.findings]


def write_json(files: list[CheckedFile], out: TextIO) -> None:
    json.dump(json_rows(files), out, indent=2, ensure_ascii=False)
    out.write("\n")


def text_line(path: str, finding: Finding) -> str:
    start = finding.region.start
    return f"{path}:{start.line}:{start.column}: {finding.severity}: {finding.message} [{finding.code}]"


def write_text(files: list[CheckedFile], out: TextIO) -> None:
    for file in files:
        for finding in file.findings:
            out.write(text_line(file.path, finding) + "\n")
    counts = {name: sum(f.severity == name for file in files for f in file.findings)
              for name in ("error", "warning", "info")}
    out.write(f"{len(files)} file(s) checked: {counts['error']} error(s), {counts['warning']} warning(s), "
              f"{counts['info']} info\n")


def under_working_directory(path: str) -> str | None:
    """The path relative to the working directory, with forward slashes; None when it is outside."""
    try:
        relative = Path(os.path.relpath(os.path.abspath(path)))
    except ValueError:  # on another drive (Windows)
        return None
    return None if relative.parts[:1] == ("..",) else relative.as_posix()


def shown_path(path: str) -> str:
    return under_working_directory(path) or path


# SARIF 2.1.0 (OASIS): https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html


def information_uri() -> str | None:
    """The project's address, from the installed package's metadata (pyproject's [project.urls])."""
    from importlib import metadata  # 20 ms to import: only SARIF needs it

    try:
        found = metadata.metadata(TOOL)
    except metadata.PackageNotFoundError:
        return None
    return next((entry.partition(",")[2].strip() for entry in found.get_all("Project-URL") or []), None)


def artifact_location(path: str) -> dict:
    """Relative to the working directory (the repository root in CI), else an absolute file URI."""
    relative = under_working_directory(path)
    if relative is None:
        return {"uri": Path(os.path.abspath(path)).as_uri()}
    return {"uri": quote(relative), "uriBaseId": SOURCE_ROOT}


def sarif_region(region: Region) -> dict:
    return {"startLine": region.start.line, "startColumn": region.start.utf16_column,
            "endLine": region.end.line, "endColumn": region.end.utf16_column}


def physical_location(path: str, region: Region) -> dict:
    return {"artifactLocation": artifact_location(path), "region": sarif_region(region)}


def sarif_result(path: str, finding: Finding) -> dict:
    location: dict = {"physicalLocation": physical_location(path, finding.region)}
    if finding.cell is not None:  # the cell object in the notebook's JSON, by JSON Pointer (SARIF §3.33.7)
        location["logicalLocations"] = [{"name": str(finding.cell - 1), "fullyQualifiedName":
                                         f"/cells/{finding.cell - 1}", "kind": "object"}]
    result: dict = {"ruleId": finding.code, "ruleIndex": RULE_INDEX[finding.code],
                    "level": SARIF_LEVELS[finding.severity], "message": {"text": finding.message},
                    "locations": [location]}
    if finding.cell is not None:
        result["properties"] = {"cell": finding.cell}
    if finding.notes:
        result["relatedLocations"] = [{"id": number, "physicalLocation": physical_location(path, note.region),
                                       "message": {"text": note.message}}
                                      for number, note in enumerate(finding.notes, 1)]
    if finding.fixes:
        result["fixes"] = [{"description": {"text": fix.title}, "artifactChanges": [
            {"artifactLocation": artifact_location(path), "replacements": [
                {"deletedRegion": sarif_region(r.region), "insertedContent": {"text": r.text}}
                for r in fix.replacements]}]} for fix in finding.fixes]
    return result


def tool_notification(file: CheckedFile) -> dict:
    [finding] = file.findings
    return {"level": "error", "message": {"text": finding.message},
            "descriptor": {"id": finding.code, "index": list(FAILURES).index(finding.code)},
            "locations": [{"physicalLocation": {"artifactLocation": artifact_location(file.path)}}]}


def sarif_log(files: list[CheckedFile]) -> dict:
    """One run; results for the diagnostics, tool execution notifications for the files not checked."""
    driver: dict = {"name": TOOL, "version": __version__, "semanticVersion": __version__}
    uri = information_uri()
    if uri:
        driver["informationUri"] = uri
    driver["rules"] = [{"id": code, "shortDescription": {"text": rule.summary}, "help": {"text": rule.help},
                        "defaultConfiguration": {"level": SARIF_LEVELS[rule.level]}}
                       for code, rule in RULES.items()]
    driver["notifications"] = [{"id": code, "shortDescription": {"text": summary}}
                               for code, summary in FAILURES.items()]
    invocation: dict = {"executionSuccessful": not any(file.failure == INTERNAL_ERROR for file in files)}
    notifications = [tool_notification(file) for file in files if file.failure]
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "originalUriBaseIds": {SOURCE_ROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
        "columnKind": "utf16CodeUnits",
        "newlineSequences": NEWLINES,
        "results": [sarif_result(file.path, f) for file in files if not file.failure for f in file.findings],
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def write_sarif(files: list[CheckedFile], out: TextIO) -> None:
    json.dump(sarif_log(files), out, indent=2, ensure_ascii=False)
    out.write("\n")


# GitHub Actions workflow commands: `::error file=...,line=...::message`; the runner makes each an annotation.


def github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(path: str, finding: Finding, failure: bool) -> str:
    start, end = finding.region.start, finding.region.end
    properties = {"file": shown_path(path)}
    if not failure:  # a file that was not checked is annotated as a whole
        one_line = start.line == end.line  # GitHub takes columns on one line only
        properties |= {"line": str(start.line), "col": str(start.column) if one_line else "",
                       "endLine": str(end.line), "endColumn": str(end.column) if one_line else ""}
    properties["title"] = f"{TOOL} {finding.code}"
    listed = ",".join(f"{key}={github_property(value)}" for key, value in properties.items() if value)
    return f"::{GITHUB_COMMANDS[finding.severity]} {listed}::{github_data(finding.message)}"


def write_github(files: list[CheckedFile], out: TextIO) -> None:
    for file in files:
        for finding in file.findings:
            out.write(github_command(file.path, finding, file.failure is not None) + "\n")


# JUnit XML: one test suite for the run and one test case per file, which fails when the file has errors (each
# error a line of the failure's text, warnings and notes in its output) and is an error when it was not checked.

NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """XML 1.0 has no way to write control characters or lone surrogates: they become U+FFFD."""
    return NOT_IN_XML.sub("\ufffd", text)


def junit_case(file: CheckedFile) -> ET.Element:
    path = shown_path(file.path)
    case = ET.Element("testcase", classname=f"{TOOL}.check", name=xml_text(path), file=xml_text(path))
    if file.failure:
        [finding] = file.findings
        ET.SubElement(case, "error", message=xml_text(finding.message), type=finding.code).text = \
            xml_text(text_line(path, finding))
        return case
    errors = [f for f in file.findings if f.severity == "error"]
    others = [f for f in file.findings if f.severity != "error"]
    if errors:
        failure = ET.SubElement(case, "failure", message=f"{len(errors)} error(s)", type=errors[0].code)
        failure.text = xml_text("\n".join(text_line(path, f) for f in errors))
    if others:
        ET.SubElement(case, "system-out").text = xml_text("\n".join(text_line(path, f) for f in others))
    return case


def junit_xml(files: list[CheckedFile]) -> ET.Element:
    counts = {"tests": str(len(files)),
              "failures": str(sum(not file.failure and any(f.severity == "error" for f in file.findings)
                                  for file in files)),
              "errors": str(sum(file.failure is not None for file in files))}
    suites = ET.Element("testsuites", {"name": f"{TOOL} check", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": f"{TOOL} check", **counts, "skipped": "0"})
    suite.extend(junit_case(file) for file in files)
    return suites


def write_junit(files: list[CheckedFile], out: TextIO) -> None:
    tree = junit_xml(files)
    ET.indent(tree)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree, encoding="unicode") + "\n")


FORMATS: dict[str, Callable[[list[CheckedFile], TextIO], None]] = {
    "text": write_text, "json": write_json, "sarif": write_sarif, "github": write_github, "junit": write_junit}
