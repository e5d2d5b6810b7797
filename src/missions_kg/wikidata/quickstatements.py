"""QuickStatements v1: one tab-separated line per statement and source.

``Q1 <TAB> P161 <TAB> Q2 <TAB> P4633 <TAB> "Jeanne Renoir" <TAB> S854 <TAB> "https://…"``

Values: an item is its Q-id, a number is written as is, a date as
``+YYYY-MM-DDT00:00:00Z/precision`` (9 year, 10 month, 11 day), a string in double quotes
(QuickStatements v1 cannot escape a quote, a tab or a line break inside a string: such a
statement is left out rather than mangled). Several lines for one statement add its
references one by one, which is how QuickStatements merges them.
"""

from __future__ import annotations

from .statements import PUBLISHED, REF_URL, Statement, Value


def value_text(v: Value) -> str | None:
    if v.kind == "item" or v.kind == "quantity":
        return v.value
    if v.kind == "time":
        y, m, d = (v.value.split("-") + ["00", "00"])[:3]
        return f"+{y}-{m}-{d}T00:00:00Z/{v.precision}"
    if any(c in v.value for c in '"\t\n\r'):
        return None
    return f'"{v.value}"'


def lines(statements: list[Statement]) -> list[str]:
    out = []
    for st in statements:
        head = [st.subject, st.pid, value_text(st.value)]
        for pid, q in st.qualifiers:
            head += [pid, value_text(q)]
        if None in head:
            continue
        for ref in st.references:
            tail = ["S" + REF_URL[1:], value_text(Value("string", ref.url))]
            if ref.published is not None:
                tail += ["S" + PUBLISHED[1:], value_text(ref.published)]
            if None not in tail:
                out.append("\t".join(head + tail))
    return out


def export(built, notes: list[str] | None = None) -> bytes:
    from .statements import statements, summary

    found, unreferenced = statements(built)
    text = "\n".join(lines(found))
    if notes is not None:
        notes.append(summary(built, len(found), unreferenced))
    return (text + "\n").encode("utf-8") if text else b""
