"""A long run's statements are packed as they are made (analysis.packed): they read back as the same statements in
document order, and a long document's analysis is the same packed or not, however few definitions a run holds."""
from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurogebra.analysis import Engine, ngb_run, packed, run
from neurogebra.analysis.model import Reference, ReferenceKind, Settings, Span, Statement, StatementKind
from neurogebra.analysis.packed import Collector, PackedStatements

SETTINGS = Settings(time_budget_ms=20_000, max_derivative_order=1)


def statement(start: int, length: int, reference_at: int | None) -> Statement:
    references = () if reference_at is None else (
        Reference("f", Span(reference_at, reference_at + 1), ReferenceKind.FUNCTION),)
    return Statement(StatementKind.EVALUATION, Span(start, start + length), f"s{start}", references=references)


made = st.lists(st.builds(statement, st.integers(0, 5_000), st.integers(0, 30),
                          st.none() | st.integers(0, 5_100)), max_size=700, unique_by=lambda s: s.span.start)


@given(made, st.integers(0, 9_999))
def test_packed_statements_read_back_in_document_order(statements, seed):
    order = sorted(statements, key=lambda s: (s.span.start * 7919 + seed) % 10_007)  # made in any order
    collector = Collector(pack=True)
    collector.extend(order)
    result = collector.result()
    expected = tuple(sorted(statements, key=lambda s: s.span.start))
    assert isinstance(result, PackedStatements) and result == expected and len(result) == len(expected)
    assert list(result) == list(expected) and result[3:9] == expected[3:9]
    if expected:
        assert result[-1] == expected[-1] and result[len(expected) // 2] == expected[len(expected) // 2]
    assert pickle.loads(pickle.dumps(result)) == expected
    point = Span(2_500, 2_510)
    reaching = list(result.reaching(point))
    assert all(s in reaching for s in expected
               if s.span.start <= point.end and point.start <= s.span.end
               or any(r.span.start <= point.end and point.start <= r.span.end for r in s.references))


def test_unpacked_collection_is_a_sorted_tuple():
    collector = Collector(pack=False)
    collector.extend([statement(9, 1, None), statement(2, 1, None)])
    assert collector.result() == (statement(2, 1, None), statement(9, 1, None))


def test_an_index_out_of_range_raises_as_a_tuple_does():
    collector = Collector(pack=True)
    collector.add(statement(0, 1, None))
    with pytest.raises(IndexError):
        collector.result()[1]


def long_document(definitions: int) -> str:
    """Definitions used again far below them, so that a run holding few definitions must take them back."""
    head = "".join(f"f{i}(x) = x**2 + {i}*x\n" for i in range(definitions))
    uses = "".join(f"f{i}'(x) = 2*x + {i + (i % 5 == 0)}\nf{i}({i % 3})\n" for i in range(definitions))
    return head + uses


def test_a_long_document_is_the_same_packed_or_not_and_holding_few_definitions(monkeypatch):
    text = long_document(60)
    monkeypatch.setattr(run, "PACK_OVER", 10**9)
    plain = Engine().analyze(text, "ngb", SETTINGS, detail=False)
    assert isinstance(plain.statements, tuple)
    monkeypatch.setattr(run, "PACK_OVER", 10)
    monkeypatch.setattr(packed, "CHUNK", 16)
    monkeypatch.setattr(ngb_run, "KEPT_DEFINITIONS", 3)
    for cache_size in (5_000, 4):  # a definition comes back from the statement cache, or is computed again
        lean = Engine(cache_size).analyze(text, "ngb", SETTINGS, detail=False)
        assert isinstance(lean.statements, PackedStatements)
        assert lean.statements == plain.statements  # `reused` counts the definitions taken back
        assert lean.statements_at(text.index("f7'")) == plain.statements_at(text.index("f7'"))
