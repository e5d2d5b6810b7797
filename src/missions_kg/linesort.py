"""Sort N-Quads lines in bounded memory, and read sorted lines triple by triple.

The build's cache file is its N-Quads lines sorted as bytes (the order ``sorted(quads,
key=str)`` gives: UTF-8 keeps code point order). Sorted, a triple's quads in every graph sit
next to each other, so duplicates, the union of the graphs (each triple once) and "is this
inferred triple already asserted?" are all one streaming pass, never a set of a million
triples. :class:`Sorter` keeps at most :data:`RUN_BYTES` of lines in memory and spills sorted
runs to temporary files beside the cache; :meth:`Sorter.merged` merges them.
"""

from __future__ import annotations

import heapq
import itertools
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import iris

#: Bytes of line text kept in memory before a sorted run is written out (lines cost about
#: 40 bytes more each as Python objects).
RUN_BYTES = 48 * 1024 * 1024
_NON_ASCII = re.compile("[^\x00-\x7f]")
#: ``rdf:type`` and ``rdfs:subClassOf`` as they sit in a line of the union (spaces around):
#: what the readers of types in it look for.
TYPE_MARK = f" <{iris.RDF}type> ".encode()
SUBCLASS_MARK = f" <{iris.RDFS}subClassOf> ".encode()


class Sorter:
    """Collect lines (bytes, each ending in ``\\n``); :meth:`merged` yields them all, sorted
    (duplicates kept). Temporary runs live in ``folder``, which the caller removes (the
    build's work folder)."""

    def __init__(self, folder: Path, run_bytes: int = RUN_BYTES) -> None:
        self.folder = folder
        self.run_bytes = run_bytes
        self.lines: list[bytes] = []
        self.runs: list[Path] = []
        self.count = 0
        self._held = 0

    def add(self, lines: Iterable[bytes]) -> None:
        lines = list(lines)
        self.lines += lines
        size = sum(map(len, lines))
        self.count += len(lines)
        self._held += size
        if self._held >= self.run_bytes:
            self._spill()

    def _spill(self) -> None:
        self.lines.sort()
        fd, name = tempfile.mkstemp(prefix="run-", suffix=".nq", dir=self.folder)
        with os.fdopen(fd, "wb", buffering=1 << 20) as out:
            out.writelines(self.lines)
        self.runs.append(Path(name))
        self.lines, self._held = [], 0

    def merged(self) -> Iterator[bytes]:
        """Every line added, in sorted order; may be called more than once."""
        self.lines.sort()
        if not self.runs:
            yield from self.lines
            return
        handles = [open(run, "rb", buffering=1 << 20) for run in self.runs]
        try:
            yield from heapq.merge(*handles, self.lines)
        finally:
            for handle in handles:
                handle.close()

    def unsorted(self) -> Iterator[bytes]:
        """Every line added, runs one after the other (cheaper when order does not matter)."""
        for run in self.runs:
            with open(run, "rb", buffering=1 << 20) as handle:
                yield from handle
        yield from self.lines


def unique(lines: Iterable[bytes]) -> Iterator[bytes]:
    """Sorted lines without repeats."""
    previous = None
    for line in lines:
        if line != previous:
            yield line
            previous = line


def split_graph(line: bytes) -> tuple[bytes, bytes]:
    """``(triple, graph)`` of an N-Quads line ``S P O G .\\n`` (``G``: an IRI or blank node,
    neither holding a space)."""
    cut = line.rindex(b" ", 0, len(line) - 3)
    return line[:cut], line[cut + 1:-3]


def terms(triple: bytes) -> tuple[bytes, bytes, bytes]:
    """``(S, P, O)`` of ``S P O`` (subjects and predicates hold no space; objects may)."""
    s, p, o = triple.split(b" ", 2)
    return s, p, o


def ascii_line(line: bytes) -> bytes:
    """The same N-Triples line with every non-ASCII character written ``\\uXXXX`` (a string
    of ASCII text takes half or a quarter of the memory in Python, and in the SHACL engine).
    Valid in IRIs and literals; blank node labels are ASCII here (``loading`` relabels)."""
    if line.isascii():
        return line
    return _NON_ASCII.sub(_escape, line.decode("utf-8")).encode("ascii")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\u{code:04X}" if code < 0x10000 else f"\\U{code:08X}"


def chunks(lines: Iterable[bytes], size: int) -> Iterator[bytes]:
    """Lines joined into blocks of about ``size`` lines (for a bulk loader)."""
    iterator = iter(lines)
    while True:
        block = b"".join(itertools.islice(iterator, size))
        if not block:
            return
        yield block
