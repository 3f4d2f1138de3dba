"""The fast pass (what diagnostics and `neurogebra check` come from) says what the detailed pass says: the same
diagnostics and the same quick fixes, wrong claims' messages in user terms included. `make test` takes every
eighth case of the corpus and every example and fixture; `make fuzz` every case (NEUROGEBRA_CORPUS_STRIDE=1)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from neurogebra.analysis import Engine, Settings, language_of
from tests.corpus.cases import CASES

ROOT = Path(__file__).resolve().parents[2]
STRIDE = int(os.environ.get("NEUROGEBRA_CORPUS_STRIDE", "8"))
FILES = sorted([*ROOT.glob("examples/*.*"), *ROOT.glob("tests/fixtures/**/*.*"), *ROOT.glob("tests/e2e/fixtures/*.*")])
DOCUMENTS = [(case.id, case.document, "ngb") for case in CASES[::STRIDE]] + [
    (str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"), language_of(str(path)))
    for path in FILES if language_of(str(path))]


def said(text: str, language: str, detail: bool) -> tuple[list, list]:
    analysis = Engine().analyze(text, language, Settings(), detail=detail)
    diagnostics = [d for s in analysis.statements for d in s.diagnostics]
    fixes = [(f.title, f.edits, f.code) for s in analysis.statements for f in s.fixes if f.kind == "quickfix"]
    return diagnostics, fixes


@pytest.mark.parametrize("name, text, language", DOCUMENTS, ids=[name for name, _, _ in DOCUMENTS])
def test_the_fast_pass_says_what_the_detailed_pass_says(name, text, language):
    assert said(text, language, detail=False) == said(text, language, detail=True)
