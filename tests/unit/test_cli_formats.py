"""`neurogebra check --format sarif|github|junit` on fixtures with errors, warnings and notes in an .ngb file, a
Python file and a notebook (tests/fixtures/ci): the SARIF is valid against the official SARIF 2.1.0 schema
(tests/data/sarif-schema-2.1.0.json, OASIS's errata01 schema, read from disk) and carries the text format's places,
with columns in UTF-16 code units; GitHub workflow commands parse back to the same places and messages; the JUnit
XML has one test case per file and the right counts; exit statuses are the text format's. And the pre-commit hook
manifest."""
from __future__ import annotations

import contextlib
import io
import json
import re
import xml.etree.ElementTree as ET
from importlib import metadata
from pathlib import Path

import jsonschema
import pytest

from neurogebra.analysis import Code
from neurogebra.cli import main
from neurogebra.report_formats import Finding, Place, Region, github_command

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "ci"
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
TEXT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>\w+): (?P<message>.*) "
                       r"\[(?P<code>[\w-]+)\]$")
GITHUB_LINE = re.compile(r"^::(?P<command>error|warning|notice) (?P<properties>[^:]*)::(?P<message>.*)$")
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["check", "--jobs", "1", *args])
    return status, out.getvalue()


@pytest.fixture(scope="module")
def outputs() -> dict[str, tuple[int, str]]:
    """Each format's exit status and output for the fixtures, run from their folder as CI runs from a checkout."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(FIXTURES)
        return {name: run("--format", name, ".") for name in ("text", "json", "sarif", "github", "junit")}


@pytest.fixture(scope="module")
def rows(outputs) -> list[dict]:
    return json.loads(outputs["json"][1])


@pytest.fixture(scope="module")
def sarif(outputs) -> dict:
    return json.loads(outputs["sarif"][1])


def validate(log: dict) -> list[str]:
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(log)]


def utf16_slice(line: str, start: int, end: int) -> str:
    """The text between two 1-based columns counted in UTF-16 code units."""
    units = line.encode("utf-16-le", "surrogatepass")
    return units[(start - 1) * 2:(end - 1) * 2].decode("utf-16-le", "surrogatepass")


def lines_of(uri: str) -> list[str]:
    return (FIXTURES / uri).read_text(encoding="utf-8").splitlines()


def test_every_format_exits_as_the_text_format(outputs):
    statuses = {name: status for name, (status, _) in outputs.items()}
    assert statuses == dict.fromkeys(outputs, 1)  # the fixtures have errors
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(FIXTURES)
        assert [run("--format", name, "--exit-zero", "clean.ngb", "claims.ngb")[0]
                for name in ("sarif", "github", "junit")] == [0, 0, 0]


def test_the_fixtures_have_errors_warnings_and_notes_in_every_kind_of_file(rows):
    kinds = {(Path(row["path"]).suffix, row["severity"]) for row in rows}
    assert {(".ngb", "error"), (".ngb", "warning"), (".ngb", "info"), (".py", "error"), (".py", "warning"),
            (".ipynb", "error"), (".ipynb", "warning")} <= kinds


def test_sarif_is_valid_sarif_2_1_0(sarif):
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    assert validate(sarif) == []
    assert sarif["version"] == "2.1.0" and sarif["$schema"] == SCHEMA["id"]


def test_sarif_results_are_the_text_formats_diagnostics_at_the_same_places(outputs, rows, sarif):
    texts = [TEXT_LINE.match(line) for line in outputs["text"][1].splitlines()[:-1]]
    [run_] = sarif["runs"]
    results = run_["results"]
    assert run_["columnKind"] == "utf16CodeUnits"
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == FIXTURES.as_uri() + "/"
    assert len(results) == len(rows) == len(texts)
    for result, row, text in zip(results, rows, texts):
        location = result["locations"][0]["physicalLocation"]
        region = location["region"]
        assert location["artifactLocation"] == {"uri": text["path"].removeprefix("./"), "uriBaseId": "%SRCROOT%"}
        assert (result["ruleId"], result["level"], result["message"]["text"]) == (
            text["code"], LEVELS[text["severity"]], text["message"])
        assert (region["startLine"], region["endLine"]) == (int(text["line"]), row["end_line"])
        line = lines_of(location["artifactLocation"]["uri"])[region["startLine"] - 1]
        characters = line[int(text["column"]) - 1:row["end_column"] - 1] if row["end_line"] == row["line"] else None
        if characters is not None:  # the same text, whichever way columns are counted
            assert utf16_slice(line, region["startColumn"], region["endColumn"]) == characters


def test_sarif_columns_count_utf16_code_units_after_an_astral_character(outputs, sarif):
    texts = {(m["path"].removeprefix("./"), m["code"]): m for m in map(TEXT_LINE.match,
                                                                       outputs["text"][1].splitlines()[:-1]) if m}
    parse_errors = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "parse-error"]
    assert len(parse_errors) == 2  # model.py and cells.ipynb, each after "𝑥": one character, two UTF-16 code units
    for result in parse_errors:
        location = result["locations"][0]["physicalLocation"]
        uri, region = location["artifactLocation"]["uri"], location["region"]
        line = lines_of(uri)[region["startLine"] - 1]
        assert "𝑥" in line[:int(texts[uri, "parse-error"]["column"])]
        assert region["startColumn"] == int(texts[uri, "parse-error"]["column"]) + 1
        assert utf16_slice(line, region["startColumn"], region["endColumn"]) in ("2x", "3x")


def test_sarif_rules_describe_every_diagnostic_code(sarif):
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "neurogebra" and driver["version"] == metadata.version("neurogebra")
    assert [rule["id"] for rule in driver["rules"]] == [code.value for code in Code]
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
    for result in sarif["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def apply(lines: list[str], fix: dict) -> list[str]:
    [change] = fix["artifactChanges"]
    [replacement] = change["replacements"]
    region = replacement["deletedRegion"]
    assert region["startLine"] == region["endLine"]
    line = lines[region["startLine"] - 1]
    before = utf16_slice(line, 1, region["startColumn"])
    after = line[len(before) + len(utf16_slice(line, region["startColumn"], region["endColumn"])):]
    return [*lines[:region["startLine"] - 1], before + replacement["insertedContent"]["text"] + after,
            *lines[region["startLine"]:]]


def test_sarif_fixes_are_the_quick_fixes_of_each_diagnostic(sarif):
    results = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"]): r
               for r in sarif["runs"][0]["results"]}
    claims = lines_of("claims.ngb")
    [fix] = results["claims.ngb", "gradient-mismatch"]["fixes"]
    assert fix["description"]["text"] == "Replace with the correct derivative"
    assert apply(claims, fix)[2] == "q'(x) = 2*x + 3"
    [fix] = results["claims.ngb", "undefined-name"]["fixes"]
    assert apply(claims, fix)[6] == "h(x) = sigmoid(x) * 2"
    [fix] = results["model.py", "parse-error"]["fixes"]
    assert apply(lines_of("model.py"), fix)[2].endswith('Expression("wrong", "2*x + 1")')
    # "Insert derivative" is a refactoring, not a fix of the note
    assert "fixes" not in results["claims.ngb", "non-differentiable"]


def test_sarif_related_locations_point_at_the_first_definition(sarif):
    [duplicate] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "duplicate-definition"]
    [related] = duplicate["relatedLocations"]
    region = related["physicalLocation"]["region"]
    assert related["message"]["text"] == "first definition of q"
    assert lines_of("claims.ngb")[region["startLine"] - 1].startswith("q(x) = x**2")
    assert utf16_slice(lines_of("claims.ngb")[region["startLine"] - 1], region["startColumn"],
                       region["endColumn"]) == "q"


def test_sarif_places_a_notebook_finding_in_its_json_text_and_its_cell(sarif):
    cells = json.loads((FIXTURES / "cells.ipynb").read_text(encoding="utf-8"))["cells"]
    notebook = [r for r in sarif["runs"][0]["results"]
                if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "cells.ipynb"]
    assert notebook
    for result in notebook:
        [logical] = result["locations"][0]["logicalLocations"]
        index = int(logical["fullyQualifiedName"].removeprefix("/cells/"))
        assert logical == {"name": str(index), "fullyQualifiedName": f"/cells/{index}", "kind": "object"}
        assert result["properties"]["cell"] == index + 1
        region = result["locations"][0]["physicalLocation"]["region"]
        assert cells[index]["cell_type"] == "code"
        assert result["message"]["text"].startswith(f"cell {index + 1}, line ")
        cell_line = int(result["message"]["text"].split("line ")[1].split(":")[0])
        found = utf16_slice(lines_of("cells.ipynb")[region["startLine"] - 1], region["startColumn"],
                            region["endColumn"])
        assert found in cells[index]["source"][cell_line - 1]
        assert "fixes" not in result  # a fix would have to be written with JSON escapes: notebooks have none


def test_a_file_the_checker_fails_on_is_a_tool_notification_in_sarif_and_an_error_in_junit(tmp_path, monkeypatch,
                                                                                           engine_fails_on_boom):
    (tmp_path / "crash.ngb").write_text("boom(x) = x\n", encoding="utf-8")
    (tmp_path / "wrong claim.ngb").write_text("g(x) = x**3\ng'(x) = 2*x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    outside = str(FIXTURES / "model.py")
    status, out = run("--format", "sarif", ".", outside)
    assert status == 2
    log = json.loads(out)
    assert validate(log) == []
    [invocation] = log["runs"][0]["invocations"]
    [notification] = invocation["toolExecutionNotifications"]
    assert invocation["executionSuccessful"] is False
    assert notification["descriptor"]["id"] == "internal-error" and "RecursionError" in notification["message"]["text"]
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "crash.ngb"
    locations = {r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"]
                 for r in log["runs"][0]["results"]}
    assert locations["gradient-mismatch"] == {"uri": "wrong%20claim.ngb", "uriBaseId": "%SRCROOT%"}
    assert locations["unstable-form"] == {"uri": (FIXTURES / "model.py").as_uri()}  # outside the working directory

    status, out = run("--format", "junit", ".")
    assert status == 2
    suite = ET.fromstring(out).find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "1")
    [crash] = [case for case in suite if case.get("name") == "crash.ngb"]
    assert crash.find("error").get("type") == "internal-error" and crash.find("failure") is None

    status, out = run("--format", "github", ".")
    assert status == 2
    assert "::error file=crash.ngb,title=neurogebra internal-error::the checker failed on this file" in out


def unescape(text: str) -> str:
    return re.sub("%(25|0D|0A|3A|2C)", lambda m: bytes.fromhex(m[1]).decode(), text)


def parse_github(line: str) -> tuple[str, dict[str, str], str]:
    match = GITHUB_LINE.match(line)
    assert match, line
    properties = dict(item.split("=", 1) for item in match["properties"].split(","))
    return match["command"], {key: unescape(value) for key, value in properties.items()}, unescape(match["message"])


def test_github_annotations_carry_the_text_formats_places(outputs, rows):
    lines = outputs["github"][1].splitlines()
    assert len(lines) == len(rows)
    for line, row in zip(lines, rows):
        command, properties, message = parse_github(line)
        assert command == COMMANDS[row["severity"]] and message == row["message"]
        assert properties == {"file": row["path"].removeprefix("./"), "line": str(row["line"]),
                              "col": str(row["column"]), "endLine": str(row["end_line"]),
                              "endColumn": str(row["end_column"]), "title": f"neurogebra {row['code']}"}


def test_github_escapes_what_workflow_commands_would_read():
    finding = Finding(Region(Place(2, 3, 3), Place(4, 1, 1)), "warning", "unstable-form", "50% off\r\nat x: 1, y: 2")
    line = github_command("odd, name:1.ngb", finding, failure=False)
    assert "\n" not in line and "\r" not in line
    command, properties, message = parse_github(line)
    assert (command, message) == ("warning", "50% off\r\nat x: 1, y: 2")
    assert properties == {"file": "odd, name:1.ngb", "line": "2", "endLine": "4",
                          "title": "neurogebra unstable-form"}  # columns only within one line


def test_junit_has_one_test_case_per_file_failing_on_errors(outputs, rows):
    suites = ET.fromstring(outputs["junit"][1])
    [suite] = suites.findall("testsuite")
    files = sorted(path.name for path in FIXTURES.iterdir())
    errors = {row["path"].removeprefix("./") for row in rows if row["severity"] == "error"}
    assert [case.get("name") for case in suite.findall("testcase")] == files
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == (
        str(len(files)), str(len(errors)), "0")
    assert suites.get("tests") == suite.get("tests")
    for case in suite.findall("testcase"):
        name = case.get("name")
        own = [row for row in rows if row["path"].removeprefix("./") == name]
        failure, output = case.find("failure"), case.find("system-out")
        failing = [row for row in own if row["severity"] == "error"]
        assert (failure is not None) == bool(failing)
        if failure is not None:
            assert failure.get("message") == f"{len(failing)} error(s)"
            assert [m["message"] for m in map(TEXT_LINE.match, failure.text.splitlines())] == [
                row["message"] for row in failing]
        assert (output.text.splitlines() if output is not None else []) == [
            f"{name}:{row['line']}:{row['column']}: {row['severity']}: {row['message']} [{row['code']}]"
            for row in own if row["severity"] != "error"]


def hook_manifest() -> list[dict[str, str]]:
    """.pre-commit-hooks.yaml read as the flat list of mappings it is (PyYAML is not a dependency)."""
    hooks: list[dict[str, str]] = []
    for line in (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8").splitlines():
        content = re.sub(r"\s+#.*$", "", line)
        if not content.strip() or content.startswith("#"):
            continue
        if content.startswith("- "):
            hooks.append({})
            content = content[2:]
        key, separator, value = content.strip().partition(": ")
        assert separator and hooks, f"not a flat list of mappings: {line!r}"
        hooks[-1][key] = value[1:-1].replace("''", "'") if value.startswith("'") else value
    return hooks


def test_the_pre_commit_hook_runs_neurogebra_check_on_ngb_python_and_notebook_files(tmp_path):
    [hook] = hook_manifest()
    assert {"id", "name", "entry", "language"} <= hook.keys()
    assert hook["id"] == "neurogebra-check" and hook["language"] == "python"
    command, *arguments = hook["entry"].split()
    [script] = [e for e in metadata.entry_points(group="console_scripts") if e.name == command]
    assert script.value == "neurogebra.cli:run"
    files = re.compile(hook["files"])
    assert [bool(files.search(name)) for name in ("a.ngb", "pkg/b.py", "c.ipynb", "d.txt", "e.pyc", "ngb")] == [
        True, True, True, False, False, False]
    assert hook["require_serial"] == "true"
    clean, wrong = str(FIXTURES / "clean.ngb"), str(FIXTURES / "claims.ngb")
    with contextlib.redirect_stdout(io.StringIO()):  # as pre-commit calls it: the entry, then the staged files
        assert main([*arguments, clean]) == 0
        assert main([*arguments, clean, wrong]) == 1
