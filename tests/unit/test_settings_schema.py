"""schema.py: each setting declared once; package.json, docs/server.md and README.md say what it says."""
from __future__ import annotations

import json
import logging
import re
import shutil
from dataclasses import fields
from pathlib import Path

import pytest

from neurogebra.analysis.model import Settings
from neurogebra_lsp.schema import (
    BEGIN,
    END,
    EXTENSION_SETTINGS,
    SCHEMA,
    SECTION,
    ServerSettings,
    main,
    markdown_table,
    updated_markdown,
    updated_package_json,
    vscode_properties,
)
from neurogebra_lsp.settings import parse_settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "editors/vscode/package.json"
SETTINGS_TS = ROOT / "editors/vscode/src/settings.ts"
GENERATED = ("editors/vscode/package.json", "docs/server.md", "README.md")
REGENERATE = "run .venv/bin/python -m neurogebra_lsp.schema --write"


def properties() -> dict[str, dict]:
    return json.loads(PACKAGE.read_text(encoding="utf-8"))["contributes"]["configuration"]["properties"]


def generated_table(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1, f"{path.name}: the generated table's comments"
    return text[text.index(BEGIN) + len(BEGIN):text.index(END)]


# ------------------------------------------------------------------------------------------------ the schema

def test_every_field_is_one_setting_with_its_own_path():
    assert [setting.field for setting in SCHEMA] == [item.name for item in fields(ServerSettings)]
    assert len({setting.path for setting in SCHEMA}) == len(SCHEMA)
    assert all(setting.type in ("boolean", "integer", "number", "string") for setting in SCHEMA)


def test_the_analysis_defaults_are_analysis_own():
    own = {item.name for item in fields(Settings)}
    shared = [setting for setting in SCHEMA if setting.field in own]
    assert len(shared) == 9
    for setting in shared:
        assert setting.default == getattr(Settings, setting.field), setting.path
    assert ServerSettings().analysis() == Settings()
    assert {setting.field: setting.default for setting in SCHEMA} == vars(ServerSettings())


def test_every_default_is_a_valid_value_of_its_setting(caplog):
    def nested(values: dict[str, object]) -> dict:
        root: dict = {}
        for path, value in values.items():
            *parents, last = path.split(".")
            node = root
            for part in parents:
                node = node.setdefault(part, {})
            node[last] = value
        return root

    with caplog.at_level(logging.WARNING, logger="neurogebra_lsp.settings"):
        assert parse_settings(nested({s.path: s.default for s in SCHEMA})) == ServerSettings()
        vscode = {s.path: s.vscode_default for s in SCHEMA if s.vscode_default is not None}
        assert vscode == {"hover.rich": True, "hover.typeset": True}
        assert parse_settings(nested(vscode)) == ServerSettings(rich_hover=True, typeset_hover=True)
    assert caplog.records == []


def test_ranges_are_complete_and_descriptions_are_one_sentence():
    for setting in SCHEMA:
        if setting.type == "integer":
            assert setting.minimum is not None and setting.maximum is not None, setting.path
        if setting.type == "number":
            assert setting.minimum is not None, setting.path
        if setting.type != "string":
            assert not setting.choices and not setting.interval, setting.path
        text = setting.description
        assert text[0].isupper() and text.endswith(".") and "|" not in text and "\n" not in text, setting.path
        assert ". " not in text.replace("e.g. ", ""), f"{setting.path}: one sentence"


def test_out_of_range_values_are_refused_at_both_ends(caplog):
    with caplog.at_level(logging.WARNING, logger="neurogebra_lsp.settings"):
        for setting in SCHEMA:
            for bad in (setting.minimum, setting.maximum):
                if bad is not None:
                    step = 1 if setting.type == "integer" else 1e-9
                    value = bad - step if bad == setting.minimum else bad + step
                    assert parse_settings({setting.path: value}) == ServerSettings(), setting.path
    assert len(caplog.records) == sum((s.minimum is not None) + (s.maximum is not None) for s in SCHEMA)


# ------------------------------------------------------------------------------------------------ package.json

def test_package_json_declares_each_server_setting_as_the_schema_does():
    declared = properties()
    for setting in SCHEMA:
        if setting.vscode_sends:
            assert setting.key not in declared, f"{setting.key} is sent by the extension, not a VS Code setting"
            continue
        entry = declared[setting.key]
        assert entry["type"] == setting.type, setting.key
        default = setting.default if setting.vscode_default is None else setting.vscode_default
        assert entry["default"] == default and type(entry["default"]) in (type(default), int), setting.key
        assert entry.get("enum") == (list(setting.choices) if setting.choices else None), setting.key
        assert entry.get("minimum") == setting.minimum and entry.get("maximum") == setting.maximum, setting.key
        assert entry["markdownDescription"] == setting.description, setting.key
        assert "description" not in entry, setting.key


def test_package_json_has_no_other_settings_than_the_server_and_the_extension_ones():
    ours = {setting.key for setting in SCHEMA if not setting.vscode_sends}
    extension = {f"{SECTION}.{path}" for path in EXTENSION_SETTINGS}
    assert set(properties()) == ours | extension
    assert list(properties())[-len(ours):] == list(vscode_properties()), "in the schema's order, after the others"


def test_package_json_is_exactly_what_the_generator_writes():
    text = PACKAGE.read_text(encoding="utf-8")
    assert updated_package_json(text) == text, REGENERATE


def test_the_generator_refuses_a_setting_nobody_declared():
    manifest = json.loads(PACKAGE.read_text(encoding="utf-8"))
    manifest["contributes"]["configuration"]["properties"]["neurogebra.hover.colour"] = {"type": "string"}
    with pytest.raises(ValueError, match="neurogebra.hover.colour"):
        updated_package_json(json.dumps(manifest))


def test_the_extension_tells_its_own_settings_from_the_servers_the_same_way():
    """settings.ts sends every package.json setting except its client-only prefixes, and adds what it sends itself."""
    source = SETTINGS_TS.read_text(encoding="utf-8")
    prefixes = re.findall(r"'([^']+)'", re.search(r"CLIENT_ONLY_PREFIXES = \[(.*?)\]", source).group(1))
    for path in EXTENSION_SETTINGS:
        assert path.startswith(tuple(prefixes)), path
    for setting in SCHEMA:
        assert not setting.path.startswith(tuple(prefixes)), f"{setting.path} would never reach the server"
        if setting.vscode_sends:
            assert f"['{setting.path}', {json.dumps(setting.vscode_default)}]" in source, setting.path
    test = (ROOT / "editors/vscode/test/settings.test.ts").read_text(encoding="utf-8")
    listed = re.findall(r"'([^']+)'", re.search(r"const extensionOnly = \[(.*?)\]", test).group(1))
    assert listed == list(EXTENSION_SETTINGS)


# ------------------------------------------------------------------------------------------------ the docs

def test_the_server_docs_table_is_the_schema():
    table = generated_table(ROOT / "docs/server.md")
    assert table == markdown_table(), REGENERATE
    rows = table.splitlines()[2:]
    assert [row.split(" | ")[0] for row in rows] == [f"| `{setting.path}`" for setting in SCHEMA]
    samples = rows[0]
    assert samples == "| `gradcheck.samples` | `100` | 1 to 100000 | Points sampled in each numeric gradient check. |"
    assert "| `hover.rich` | `false` (VS Code: `true`) | `true` or `false` |" in table
    assert "| `gradcheck.rtol` | `1e-6` | a finite number ≥ 0 |" in table


def test_the_readme_table_is_the_schema():
    table = generated_table(ROOT / "README.md")
    assert table == markdown_table(False, lower_case=True), REGENERATE
    assert table.startswith("| setting | default | meaning |\n")
    assert all(f"`{setting.path}`" in table and setting.description in table for setting in SCHEMA)


def test_the_docs_say_how_the_tables_are_made():
    docs = (ROOT / "docs/server.md").read_text(encoding="utf-8")
    assert "python -m neurogebra_lsp.schema --write" in docs.replace(BEGIN, "")


def test_a_table_without_its_comments_is_an_error():
    with pytest.raises(ValueError, match="no generated settings table"):
        updated_markdown("| a | b |\n", markdown_table())


# ------------------------------------------------------------------------------------------------ the generator

def test_check_finds_nothing_stale_in_the_repository(capsys):
    assert main(["--check", "--root", str(ROOT)]) == 0
    assert capsys.readouterr().out == ""


def test_write_rewrites_exactly_the_stale_files(tmp_path, capsys):
    for name in GENERATED:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    docs = tmp_path / "docs/server.md"
    docs.write_text(docs.read_text(encoding="utf-8").replace("Points sampled in each", "Points in each"),
                    encoding="utf-8")
    package = tmp_path / "editors/vscode/package.json"
    package.write_text(package.read_text(encoding="utf-8").replace('"default": 100,', '"default": 7,'),
                       encoding="utf-8")
    assert main(["--check", "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().out == "stale: editors/vscode/package.json\nstale: docs/server.md\n"
    assert main(["--write", "--root", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "rewrote: editors/vscode/package.json\nrewrote: docs/server.md\n"
    for name in GENERATED:
        assert (tmp_path / name).read_text(encoding="utf-8") == (ROOT / name).read_text(encoding="utf-8"), name
