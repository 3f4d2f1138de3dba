"""A long run's statements held packed, so that memory stays bounded however long the document: compressed
pickles of CHUNK statements each, unpacked when read (a 50,000-line document's fast pass holds about 3 MB packed
instead of about 100 MB of objects). Runs of more than PACK_OVER statements collect their results this way."""
from __future__ import annotations

import heapq
import pickle
import zlib
from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import Iterable, Iterator, Sequence, overload

from neurogebra.analysis.model import Span, Statement

CHUNK = 256
PACK_OVER = 2_000


@dataclass(frozen=True, slots=True)
class Chunk:
    data: bytes
    count: int
    first: int  # the first statement's start; a chunk's statements are in document order
    last: int   # the last statement's start
    reach: Span  # every span of its statements and their references lies inside


def chunk(statements: Sequence[Statement]) -> Chunk:
    spans = [s.span for s in statements] + [r.span for s in statements for r in s.references]
    return Chunk(zlib.compress(pickle.dumps(tuple(statements), pickle.HIGHEST_PROTOCOL), 1), len(statements),
                 statements[0].span.start, statements[-1].span.start,
                 Span(min(s.start for s in spans), max(s.end for s in spans)))


def unpacked(piece: Chunk) -> tuple[Statement, ...]:
    return pickle.loads(zlib.decompress(piece.data))


class PackedStatements(Sequence[Statement]):
    """Statements in document order, packed by chunk; the chunk read last stays unpacked."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.chunks = tuple(chunks)
        self._ends = list(accumulate(c.count for c in self.chunks))
        self._open: tuple[int, tuple[Statement, ...]] = (-1, ())

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    @overload
    def __getitem__(self, index: int) -> Statement: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Statement]: ...

    def __getitem__(self, index: int | slice) -> Statement | Sequence[Statement]:
        if isinstance(index, slice):
            return tuple(self)[index]
        position = range(len(self))[index]  # IndexError as a tuple raises it
        which = next(i for i, end in enumerate(self._ends) if position < end)
        return self._chunk(which)[position - (self._ends[which] - self.chunks[which].count)]

    def __iter__(self) -> Iterator[Statement]:
        for which in range(len(self.chunks)):
            yield from self._chunk(which)

    def reaching(self, span: Span) -> Iterator[Statement]:
        """The statements of the chunks whose statements or references may overlap `span`: a superset of those
        that do, without unpacking the others."""
        for which, piece in enumerate(self.chunks):
            if piece.reach.start <= span.end and span.start <= piece.reach.end:
                yield from self._chunk(which)

    def _chunk(self, which: int) -> tuple[Statement, ...]:
        if self._open[0] != which:
            self._open = (which, unpacked(self.chunks[which]))
        return self._open[1]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]  # equal to tuples, which hash by content

    def __reduce__(self) -> tuple[type, tuple[tuple[Chunk, ...]]]:
        return PackedStatements, (self.chunks,)


class Collector:
    """A run's statements as it makes them, in any order; `result` is them in document order (a stable sort by
    start): a tuple, or, with `pack`, PackedStatements built as they come."""

    def __init__(self, pack: bool) -> None:
        self.pack = pack
        self.chunks: list[Chunk] = []
        self.pending: list[Statement] = []

    def add(self, statement: Statement) -> None:
        if self.pack and self.pending and statement.span.start < self.pending[-1].span.start:
            self._flush()
        self.pending.append(statement)
        if self.pack and len(self.pending) >= CHUNK:
            self._flush()

    def extend(self, statements: Iterable[Statement]) -> None:
        for statement in statements:
            self.add(statement)

    def _flush(self) -> None:
        if self.pending:
            self.chunks.append(chunk(self.pending))
            self.pending = []

    def result(self) -> Sequence[Statement]:
        if not self.pack:
            return tuple(sorted(self.pending, key=lambda s: s.span.start))
        self._flush()
        ordered = sorted(self.chunks, key=lambda c: c.first)
        if all(a.last < b.first for a, b in pairwise(ordered)):
            return PackedStatements(ordered)
        merged = Collector(pack=True)
        merged.extend(heapq.merge(*map(_statements, _chains(ordered)), key=lambda s: s.span.start))
        merged._flush()
        return PackedStatements(merged.chunks)


def _chains(ordered: list[Chunk]) -> list[list[Chunk]]:
    """Overlapping chunks (ordered by first start) as few chains of chunks that follow one another, so that a
    merge holds one unpacked chunk per chain."""
    chains: list[list[Chunk]] = []
    for piece in ordered:
        chain = next((c for c in chains if c[-1].last < piece.first), None)
        if chain is None:
            chains.append([piece])
        else:
            chain.append(piece)
    return chains


def _statements(chain: list[Chunk]) -> Iterator[Statement]:
    for piece in chain:
        yield from unpacked(piece)
