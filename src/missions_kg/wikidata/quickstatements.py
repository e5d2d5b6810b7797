"""QuickStatements v1: one tab-separated line per statement and source.

``Q1 <TAB> P161 <TAB> Q2 <TAB> P4633 <TAB> "Jeanne Renoir" <TAB> S854 <TAB> "https://…"``

Values: an item is its Q-id, a number is written as is, a date as
``+YYYY-MM-DDT00:00:00Z/precision`` (9 year, 10 month, 11 day, unknown parts as ``00``), a
string in double quotes, a monolingual text as ``fr:"Missions"`` (as QuickStatements
generators write titles, e.g. WDscholia/scholia ``scholia/qs.py``:
``'LAST\\tP1476\\t{}:"{}"\\n'.format(iso639, title)``). QuickStatements v1 cannot escape a
quote, a tab or a line break inside a string: such a statement is left out rather than
mangled. A reference is ``S854`` (reference URL), or ``S143`` (imported from a Wikimedia
project) with ``S4656`` (its page), and ``S577`` (publication date) where known; several
lines for one statement add its references one by one, which is how QuickStatements merges
them.
"""

from __future__ import annotations

from .citations import IMPORT_URL, IMPORTED_FROM, PUBLISHED, REF_URL, Reference
from .statements import Statement, Value


def _quoted(text: str) -> str | None:
    if any(c in text for c in '"\t\n\r'):
        return None
    return f'"{text}"'


def value_text(v: Value) -> str | None:
    if v.kind == "item" or v.kind == "quantity":
        return v.value
    if v.kind == "time":
        y, m, d = (v.value.split("-") + ["00", "00"])[:3]
        return f"+{y}-{m}-{d}T00:00:00Z/{v.precision}"
    text = _quoted(v.value)
    if v.kind == "monolingual" and text is not None:
        return f"{v.language}:{text}"
    return text


def reference_cells(ref: Reference) -> list[str | None]:
    cells: list[str | None] = []
    if ref.url:
        cells += ["S" + REF_URL[1:], _quoted(ref.url)]
    if ref.imported_from:
        cells += ["S" + IMPORTED_FROM[1:], ref.imported_from]
    if ref.import_url:
        cells += ["S" + IMPORT_URL[1:], _quoted(ref.import_url)]
    if ref.published is not None:
        cells += ["S" + PUBLISHED[1:], value_text(ref.published)]
    return cells


def lines(statements: list[Statement]) -> list[str]:
    out = []
    for st in statements:
        head = [st.subject, st.pid, value_text(st.value)]
        for pid, q in st.qualifiers:
            head += [pid, value_text(q)]
        if None in head:
            continue
        for ref in st.references:
            tail = reference_cells(ref)
            if tail and None not in tail:
                out.append("\t".join(head + tail))
    return out


def export(built, notes: list[str] | None = None) -> bytes:
    from .statements import statements, summary

    found = statements(built)
    text = "\n".join(lines(found.statements))
    if notes is not None:
        notes.append(summary(built, found))
        notes.extend(found.notes)
    return (text + "\n").encode("utf-8") if text else b""
