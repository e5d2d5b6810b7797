"""Where a triple is written: the file, and the line near which a person will find it.

Neither parser reports positions, so this searches the text: the focus node as the file
spells it (``<IRI>`` or any ``prefix:local`` its ``@prefix``/``PREFIX`` lines allow), as
subject first, then the predicate (``a`` for ``rdf:type``) and the value within the same
statement. "Near line N" is the promise, not more: a file that writes the focus in a way this
does not recognise (a relative IRI, a blank node) gets its name without a line.
"""

from __future__ import annotations

import re
from pathlib import Path

from .iris import RDF

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>",
                     re.IGNORECASE | re.MULTILINE)
_LOCAL = re.compile(r"[\w\-.%:]*[\w\-%:]|")
_END = r"(?![\w\-.%:]*[\w\-%:])"  # not followed by more of a prefixed name
WINDOW = 60  # lines after the subject within which its predicate is looked for
SCAN_LINES = 20_000  # a larger file is searched by its subjects only (an index, not a scan)
_FIRST = re.compile(r"^\s*(<[^>\s]*>|[A-Za-z_][\w.-]*:[\w\-.%:]*[\w\-%:]|:[\w\-.%:]*)")


class Locator:
    """Find lines in a project's files; each file is read once per locator."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._texts: dict[str, tuple | None] = {}

    def _read(self, name: str):
        if name not in self._texts:
            path = Path(name)
            path = path if path.is_absolute() else self.root / path
            try:
                text = path.read_text(encoding="utf-8-sig", errors="replace")
            except OSError:
                self._texts[name] = None
            else:
                prefixes = {ns: p or "" for p, ns in _PREFIX.findall(text)}
                lines = text.splitlines()
                starts: dict[str, list[int]] = {}  # first token of a line -> its lines
                for i, line in enumerate(lines):
                    token = _FIRST.match(line)
                    if token:
                        starts.setdefault(token.group(1), []).append(i)
                self._texts[name] = (lines, prefixes, starts)
        return self._texts[name]

    def line(self, name: str, focus: str, predicate: str | None = None,
             value: str | None = None) -> int | None:
        """The 1-based line of ``name`` nearest to where ``focus predicate value`` is
        written (IRIs as plain text; ``value`` in N-Triples form), or None."""
        found = self._read(name)
        if found is None or not focus or focus.startswith("_:"):
            return None
        lines, prefixes, first = found
        spellings = _spellings(focus, prefixes)
        subject = _pattern(spellings)
        starts = sorted(i for s in spellings for i in first.get(s, ())
                        if subject.match(_code(lines[i]).lstrip()))
        if not starts:  # written as an object only: search every line (a bounded file)
            if len(lines) > SCAN_LINES:
                return None
            starts = [i for i, text in enumerate(lines) if subject.search(_code(text))]
            if not starts:
                return None
        if predicate is None or predicate.startswith(("^", "(")):
            return starts[0] + 1
        names = _spellings(predicate, prefixes) + (["a"] if predicate == RDF + "type" else [])
        wanted = _pattern(names)
        literal = _value_pattern(value, prefixes)
        best = None
        for start in starts:
            for i in range(start, min(start + WINDOW, len(lines))):
                code = _code(lines[i])
                if i > start and subject.match(code.lstrip()):
                    break  # the next statement about the same subject
                segment = code[subject.search(code).end():] if i == start else code
                if wanted.search(segment):
                    if literal is None or literal.search(segment):
                        return i + 1
                    best = best or i + 1
                if code.rstrip().endswith("."):
                    break  # the end of the statement
        return best or starts[0] + 1


def _code(text: str) -> str:
    """A line without its comment (a ``#`` outside IRIs and strings, roughly)."""
    if "#" not in text:
        return text
    out, quote, depth = [], "", 0
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "<":
            depth += 1
        elif char == ">":
            depth = max(0, depth - 1)
        elif char == "#" and not depth:
            break
        out.append(char)
    return "".join(out)


def _spellings(iri: str, prefixes: dict[str, str]) -> list[str]:
    out = [f"<{iri}>"]
    for ns, prefix in prefixes.items():
        if ns and iri.startswith(ns):
            local = iri[len(ns):]
            if _LOCAL.fullmatch(local):
                out.append(f"{prefix}:{local}")
    return out


def _pattern(spellings: list[str]) -> re.Pattern:
    return re.compile(r"(?<![\w\-.%:<])(?:" + "|".join(map(re.escape, spellings)) + ")" + _END)


def _value_pattern(value: str | None, prefixes: dict[str, str]) -> re.Pattern | None:
    if not value:
        return None
    if value.startswith("<") and value.endswith(">"):
        return _pattern(_spellings(value[1:-1], prefixes))
    match = re.match(r'^"(.*)"', value)
    if match is None:
        return None
    lexical = match.group(1).replace('\\"', '"').replace("\\\\", "\\")
    return re.compile(re.escape(lexical))
